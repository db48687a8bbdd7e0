"""int8 pointwise operators on the NPU as lookup tables (tir-tabulate, the
table lowering): every one of them, on random shapes and quantization, alone
or after an NPU op the table fuses into, is compiled, disassembled from the
written file, run and equal to LiteRT, and the whole compiled program (NPU
and CPU parts) equals LiteRT too; none stays on the CPU. The table of each,
its own kernel on the 256 int8 values, equals LiteRT on every int8 value.
MAXIMUM and MINIMUM run on the NPU within Vela's constraint (operands and
output quantized alike) and stay on the CPU with a remark outside it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.context import Context

from tests.test_device_bytes import (
    assert_device_exact,
    assert_program_equals_litert,
    compiled,
)
from tests.test_importer_litert import litert
from tests.test_tflite_litert import Op, T, build_tflite
from tirconst.dialects.tir import LogisticOp, LookupOp, OperatorOp
from tirconst.frontend.importer import import_tflite
from tirconst.interpreter import run_function
from tirconst.transforms.tabulate import INT8_VALUES, TabulatePass

POINTWISE = [
    "RELU",
    "RELU6",
    "RELU_N1_TO_1",
    "RELU_0_TO_1",
    "LEAKY_RELU",
    "TANH",
    "HARD_SWISH",
    "EXP",
    "LOG",
    "GELU",
    "ELU",
    "ABS",
    "NEG",
    "LOGISTIC",
    "RSQRT",
]

_F32 = st.floats(0.005, 0.2).map(lambda v: float(np.float32(v)))
_ZP = st.integers(-128, 127)


@st.composite
def pointwise_model(draw: st.DrawFn) -> tuple[str, bytes]:
    """A random pointwise operator, alone or after a MAX_POOL_2D, an ADD or
    a 1x1 CONV_2D (whose output only it reads: the table fuses there), its
    result the model's output or read by a 1x1 MAX_POOL_2D."""
    opcode = draw(st.sampled_from(POINTWISE))
    producer = draw(st.sampled_from([None, "MAX_POOL_2D", "ADD", "CONV_2D"]))
    if producer is None:
        rank = draw(st.integers(1, 4))
        shape = tuple(draw(st.lists(st.integers(1, 9), min_size=rank, max_size=rank)))
    else:
        shape = (1, *draw(st.lists(st.integers(1, 9), min_size=3, max_size=3)))
    s_mid, z_mid = draw(_F32), draw(_ZP)
    if opcode == "RSQRT":  # every input >= 0 (LiteRT refuses negative ones)
        z_mid = -128
    s_out, z_out = draw(_F32), draw(_ZP)
    if draw(st.booleans()):
        s_out, z_out = s_mid, z_mid
    if opcode == "LOGISTIC":
        s_out, z_out = 1 / 256, -128
    opts = None
    if opcode == "GELU":
        opts = ("GeluOptions", {"Approximate": draw(st.booleans())})
    if opcode == "LEAKY_RELU":
        alpha = float(np.float32(draw(st.floats(0.0, 1.0))))
        opts = ("LeakyReluOptions", {"Alpha": alpha})
    tensors: list[T] = []
    ops: list[Op] = []
    inputs: list[int] = []
    if producer == "MAX_POOL_2D":
        tensors = [T(shape, np.int8, s_mid, z_mid)]
        pool = {
            "Padding": 1,  # VALID
            "StrideW": 1,
            "StrideH": 1,
            "FilterWidth": draw(st.integers(1, 3)),
            "FilterHeight": draw(st.integers(1, 3)),
        }
        ops, inputs = [Op("MAX_POOL_2D", [0], [1], ("Pool2DOptions", pool))], [0]
    elif producer == "ADD":
        tensors = [
            T(shape, np.int8, draw(_F32), draw(_ZP)),
            T(shape, np.int8, draw(_F32), draw(_ZP)),
        ]
        ops = [Op("ADD", [0, 1], [2], ("AddOptions", {}))]
        inputs = [0, 1]
    elif producer == "CONV_2D":
        ci, co = draw(st.integers(1, 8)), shape[-1]
        s_in, fs = draw(_F32), float(np.float32(draw(st.floats(0.001, 0.05))))
        rng = np.random.default_rng(draw(st.integers(0, 2**16)))
        tensors = [
            T((*shape[:3], ci), np.int8, s_in, draw(_ZP)),
            T(
                (co, 1, 1, ci),
                np.int8,
                [fs],
                0,
                data=rng.integers(-128, 128, (co, 1, 1, ci)).astype(np.int8),
            ),  # fmt: skip
            T(
                (co,),
                np.int32,
                [float(np.float32(s_in * fs))],
                0,
                data=rng.integers(-5000, 5000, co).astype(np.int32),
            ),  # fmt: skip
        ]
        conv = {"Padding": 1, "StrideW": 1, "StrideH": 1}
        ops, inputs = [Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", conv))], [0]
    mid_shape = shape
    if producer == "MAX_POOL_2D":
        kh, kw = ops[0].options[1]["FilterHeight"], ops[0].options[1]["FilterWidth"]  # type: ignore[index]
        tensors[0] = T(
            (1, shape[1] + kh - 1, shape[2] + kw - 1, shape[3]), np.int8, s_mid, z_mid
        )
    if producer is None:
        tensors = [T(shape, np.int8, s_mid, z_mid)]
        inputs = [0]
    else:
        tensors.append(T(mid_shape, np.int8, s_mid, z_mid))
    mid = len(tensors) - 1
    tensors.append(T(shape, np.int8, s_out, z_out))
    ops.append(Op(opcode, [mid], [mid + 1], opts))
    out = mid + 1
    if len(shape) == 4 and shape[0] == 1 and draw(st.booleans()):
        tensors.append(T(shape, np.int8, s_out, z_out))
        one = {"Padding": 1, "StrideW": 1, "StrideH": 1}
        one |= {"FilterWidth": 1, "FilterHeight": 1}
        ops.append(Op("MAX_POOL_2D", [out], [out + 1], ("Pool2DOptions", one)))
        out += 1
    name = f"{(producer or 'x').lower()}_{opcode.lower()}_{len(ops)}"
    return name, build_tflite(tensors, ops, inputs, [out])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=pointwise_model())
def test_random_pointwise_device_exact(tmp_path: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    model, written, remarks = compiled(tmp_path, name, data)
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0,)) == 1
    assert_program_equals_litert(model, 0)


# EXP of 0.199 * (127 + 89) / 0.125 is about 4e19, past every integer type:
# LiteRT's table says 127 (a conversion through int64 once gave -128).
_BEYOND_INTEGERS = (0.19921875, -89, 0.125, 0)


@pytest.mark.parametrize(
    ("opcode", "quant"), [(o, None) for o in POINTWISE] + [("EXP", _BEYOND_INTEGERS)]
)
def test_table_equals_litert_on_every_int8_value(
    tmp_path: Path, opcode: str, quant: tuple[float, int, float, int] | None
) -> None:
    """Each operator, tabulated, on all 256 int8 values (the table's every
    entry) equals LiteRT's kernel (the reference one; ELU's, which
    BUILTIN_REF lacks, the default one: `oracle_resolver`)."""
    rng = np.random.default_rng(POINTWISE.index(opcode))
    s_in, s_out = (float(np.float32(v)) for v in rng.uniform(0.01, 0.2, 2))
    z_in, z_out = (int(v) for v in rng.integers(-128, 128, 2))
    if quant is not None:
        s_in, z_in, s_out, z_out = quant
    if opcode == "LOGISTIC":
        s_out, z_out = 1 / 256, -128
    if opcode == "RSQRT":
        z_in = -128
    opts = {"LEAKY_RELU": ("LeakyReluOptions", {"Alpha": 0.3})}.get(opcode)
    tensors = [T((256,), np.int8, s_in, z_in), T((256,), np.int8, s_out, z_out)]
    path = tmp_path / "m.tflite"
    path.write_bytes(build_tflite(tensors, [Op(opcode, [0], [1], opts)], [0], [1]))
    module = import_tflite(path)
    TabulatePass().apply(Context(), module)
    ops = [o for o in module.walk() if isinstance(o, OperatorOp)]
    assert len(ops) == 1 and isinstance(ops[0], LookupOp | LogisticOp)
    x = INT8_VALUES.copy()
    got = run_function(module, {"input0": x})["output0"]
    interp = litert(path, {"input0": x})
    want = interp.get_tensor(interp.get_output_details()[0]["index"])
    assert np.array_equal(got, want)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    opcode=st.sampled_from(["MAXIMUM", "MINIMUM"]),
    shape=st.lists(st.integers(1, 9), min_size=1, max_size=3),
    broadcast=st.lists(st.booleans(), min_size=3, max_size=3),
    scale=_F32,
    zp=_ZP,
    alike=st.booleans(),
)
def test_random_min_max_device_exact(
    tmp_path: Path, opcode, shape, broadcast, scale, zp, alike
) -> None:
    """MAXIMUM / MINIMUM (one operand broadcast, either side): with both
    operands and the output quantized alike, on the NPU and exact; otherwise
    on the CPU with a remark saying why (Vela's constraint), still exact."""
    full = (1, *shape)
    small = tuple(
        1 if b else d for d, b in zip(full, [False, *broadcast], strict=False)
    )
    a, b = (small, full) if broadcast[0] else (full, small)
    other = (scale, zp) if alike else (scale * 2, zp)
    tensors = [
        T(a, np.int8, scale, zp),
        T(b, np.int8, *other),
        T(full, np.int8, scale, zp),
    ]
    op = Op(opcode, [0, 1], [2], ("MaximumMinimumOptions", {}))
    model, written, remarks = compiled(
        tmp_path, opcode.lower(), build_tflite(tensors, [op], [0, 1], [2])
    )
    segments = assert_device_exact(model, written, seeds=(0,))
    if alike:
        assert segments == 1 and not remarks, remarks
    else:
        assert segments == 0 and "quantized unlike the output" in remarks[0]
    assert_program_equals_litert(model, 0)
