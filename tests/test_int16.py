"""16x8 operators (int16 activations, int8 weights, int64 biases) against
LiteRT's BUILTIN_REF kernels, bit for bit.

Random single-operator models of CONV_2D, DEPTHWISE_CONV_2D,
FULLY_CONNECTED, MAX_POOL_2D, AVERAGE_POOL_2D, MEAN, SOFTMAX and QUANTIZE
(int8 <-> int16) with int16 data: the kernels (every operator output, via
the reference runner) and the imported tir program run by the interpreter
equal LiteRT. Then the importer's errors for what TFLite refuses, the
verifier's rules for int16 ops, and that the NPU leaves them on the CPU
with a remark.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import IntegerAttr

from tests.test_device_bytes import (
    assert_device_exact,
    assert_program_equals_litert,
    compiled,
)
from tests.test_disasm_npu import npu_module_of
from tests.test_npu_int16_functions import _litert
from tests.test_tflite_litert import (
    _SAME,
    _VALID,
    Case,
    Op,
    T,
    _out_size,
    assert_bit_exact,
    build_tflite,
    litert_tensors,
)
from tirconst.analysis.npu_support import npu_reason
from tirconst.backend.ethos_u.verify import verify_compiled
from tirconst.dialects import tir
from tirconst.formats.tflite.reader import (
    TFLiteImportError,
    read_tflite,
    read_tflite_bytes,
)
from tirconst.frontend.importer import import_tflite
from tirconst.frontend.tflite_params import int16_lut, softmax_int16_tables
from tirconst.interpreter import run_function
from tirconst.interpreter.npu import run_stream
from tirconst.kernels.activations import lookup_int16
from tirconst.kernels.fixedpoint import multiply_by_quantized_multiplier_int64

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _f32(v: float) -> float:
    return float(np.float32(v))


def _i8(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.integers(-128, 128, shape).astype(np.int8)


def _act(rng: np.random.Generator) -> int:
    return int(rng.choice([0, 1, 2, 3]))  # NONE, RELU, RELU_N1_TO_1, RELU6


def _bias64(rng: np.random.Generator, n: int) -> np.ndarray:
    """int64 biases within a random power of two up to 2^36: LiteRT's 16x8
    FULLY_CONNECTED takes its int32 path when every value fits int32."""
    bound = 2 ** int(rng.integers(8, 37))
    return rng.integers(-bound, bound, n).astype(np.int64)


def _conv16(rng: np.random.Generator, depthwise: bool) -> Case:
    n = int(rng.integers(1, 3))
    h, w = (int(v) for v in rng.integers(3, 10, 2))
    kh, kw = (int(v) for v in rng.integers(1, 4, 2))
    sh, sw = (int(v) for v in rng.integers(1, 3, 2))
    dh, dw = (int(v) for v in rng.integers(1, 3, 2))
    padding = int(rng.integers(0, 2))
    if padding == _VALID:
        h, w = max(h, (kh - 1) * dh + 1), max(w, (kw - 1) * dw + 1)
    in_s = _f32(rng.uniform(1e-5, 1e-3))
    out_s = _f32(rng.uniform(1e-5, 1e-3))
    if depthwise:
        c = int(rng.integers(1, 5))
        dm = int(rng.integers(1, 3))
        co = c * dm
        fshape, qdim = (1, kh, kw, co), 3
    else:
        c, co = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        fshape, qdim = (co, kh, kw, c), 0
    fs = [_f32(v) for v in rng.uniform(0.001, 0.05, co)]
    oh = _out_size(h, kh, sh, dh, padding)
    ow = _out_size(w, kw, sw, dw, padding)
    bias = _bias64(rng, co)
    tensors = [
        T((n, h, w, c), np.int16, in_s, 0),
        T(fshape, np.int8, fs, 0, qdim, data=_i8(rng, fshape)),
        T((co,), np.int64, [_f32(in_s * s) for s in fs], 0, data=bias),
        T((n, oh, ow, co), np.int16, out_s, 0),
    ]
    ins = [0, 1, 2]  # LiteRT's 16x8 convolutions require the bias
    common = {
        "Padding": padding,
        "StrideW": sw,
        "StrideH": sh,
        "FusedActivationFunction": _act(rng),
        "DilationWFactor": dw,
        "DilationHFactor": dh,
    }
    if depthwise:
        options = ("DepthwiseConv2DOptions", {**common, "DepthMultiplier": dm})
        op = Op("DEPTHWISE_CONV_2D", ins, [3], options)
    else:
        op = Op("CONV_2D", ins, [3], ("Conv2DOptions", common))
    return tensors, [op], [0], [3]


def _fc16(rng: np.random.Generator) -> Case:
    k, co = int(rng.integers(1, 40)), int(rng.integers(1, 12))
    rows = int(rng.integers(1, 4))
    in_s = _f32(rng.uniform(1e-5, 1e-3))
    out_s = _f32(rng.uniform(1e-5, 1e-3))
    per_channel = bool(rng.integers(0, 2))
    fs = [_f32(v) for v in rng.uniform(0.001, 0.05, co if per_channel else 1)]
    tensors = [
        T((rows, k), np.int16, in_s, 0),
        T((co, k), np.int8, fs, 0, 0, data=_i8(rng, (co, k))),
    ]
    inputs = [0, 1, -1]
    if rng.integers(0, 2):
        bias = _bias64(rng, co)
        tensors.append(T((co,), np.int64, [_f32(in_s * s) for s in fs], 0, data=bias))
        inputs[2] = 2
    tensors.append(T((rows, co), np.int16, out_s, 0))
    out = len(tensors) - 1
    opts = {"FusedActivationFunction": _act(rng)}
    op = Op("FULLY_CONNECTED", inputs, [out], ("FullyConnectedOptions", opts))
    return tensors, [op], [0], [out]


def _pool16(rng: np.random.Generator, opcode: str) -> Case:
    n = int(rng.integers(1, 3))
    h, w, c = (int(v) for v in rng.integers(2, 10, 3))
    kh, kw = (int(v) for v in rng.integers(1, 5, 2))
    sh, sw = (int(v) for v in rng.integers(1, 4, 2))
    padding = int(rng.integers(0, 2))
    if padding == _VALID:
        h, w = max(h, kh), max(w, kw)
    oh, ow = _out_size(h, kh, sh, 1, padding), _out_size(w, kw, sw, 1, padding)
    s = _f32(rng.uniform(1e-4, 1e-3))
    opts = {
        "Padding": padding,
        "StrideW": sw,
        "StrideH": sh,
        "FilterWidth": kw,
        "FilterHeight": kh,
        "FusedActivationFunction": _act(rng),
    }
    tensors = [T((n, h, w, c), np.int16, s, 0), T((n, oh, ow, c), np.int16, s, 0)]
    return tensors, [Op(opcode, [0], [1], ("Pool2DOptions", opts))], [0], [1]


def _mean16(rng: np.random.Generator) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 6, 4))
    axes = sorted(int(a) for a in rng.choice(4, int(rng.integers(1, 4)), replace=False))
    keep = bool(rng.integers(0, 2))
    out = tuple(
        1 if i in axes else d for i, d in enumerate(shape) if keep or i not in axes
    )
    in_s = _f32(rng.uniform(1e-4, 1e-3))
    out_s = in_s if rng.integers(0, 2) else _f32(rng.uniform(1e-4, 1e-3))
    tensors = [
        T(shape, np.int16, in_s, 0),
        T((len(axes),), np.int32, data=np.array(axes, np.int32)),
        T(out, np.int16, out_s, 0),
    ]
    op = Op("MEAN", [0, 1], [2], ("ReducerOptions", {"KeepDims": keep}))
    return tensors, [op], [0], [2]


def _softmax16(rng: np.random.Generator) -> Case:
    lead = tuple(int(v) for v in rng.integers(1, 4, int(rng.integers(0, 3))))
    shape = (*lead, int(rng.integers(1, 40)))
    in_s = _f32(10 ** rng.uniform(-5, -2))
    beta = _f32(rng.choice([1.0, float(rng.uniform(0.1, 3.0))]))
    tensors = [T(shape, np.int16, in_s, 0), T(shape, np.int16, 1 / 32768, 0)]
    op = Op("SOFTMAX", [0], [1], ("SoftmaxOptions", {"Beta": beta}))
    return tensors, [op], [0], [1]


def _quantize16(rng: np.random.Generator) -> Case:
    shape = tuple(int(v) for v in rng.integers(1, 8, int(rng.integers(1, 4))))
    kinds = [(np.int8, np.int16), (np.int16, np.int8), (np.int16, np.int16)]
    src, dst = kinds[int(rng.integers(0, 3))]

    def quant(dtype: type) -> tuple[float, int]:
        if dtype == np.int16:
            return _f32(rng.uniform(1e-5, 1e-3)), 0
        return _f32(rng.uniform(0.005, 0.1)), int(rng.integers(-128, 128))

    (a_s, a_zp), (b_s, b_zp) = quant(src), quant(dst)
    tensors = [T(shape, src, a_s, a_zp), T(shape, dst, b_s, b_zp)]
    return tensors, [Op("QUANTIZE", [0], [1], None)], [0], [1]


CASES16: dict[str, Callable[[np.random.Generator], Case]] = {
    "conv2d": lambda r: _conv16(r, False),
    "depthwise_conv2d": lambda r: _conv16(r, True),
    "fully_connected": _fc16,
    "max_pool2d": lambda r: _pool16(r, "MAX_POOL_2D"),
    "avg_pool2d": lambda r: _pool16(r, "AVERAGE_POOL_2D"),
    "mean": _mean16,
    "softmax": _softmax16,
    "quantize": _quantize16,
}


def _feed(t: T, rng: np.random.Generator) -> np.ndarray:
    """Full-range int16 values, or values within a random power of two (so
    convolutions also land between the clamps)."""
    if np.dtype(t.dtype) == np.int8:
        return _i8(rng, t.shape)
    bound = 2 ** int(rng.integers(4, 16))
    return rng.integers(-bound, bound, t.shape).astype(np.int16)


def _check(case: str, seed: int) -> None:
    rng = np.random.default_rng([seed, sorted(CASES16).index(case)])
    tensors, ops, inputs, outputs = CASES16[case](rng)
    data = build_tflite(tensors, ops, inputs, outputs)
    model = read_tflite_bytes(data)
    feeds = [_feed(tensors[i], rng) for i in inputs]
    # The kernels, operator by operator (the reference runner), ...
    assert_bit_exact(data, model, feeds, f"{case} seed {seed}")
    # ... and the imported tir program in the interpreter.
    module = import_tflite(model)
    module.verify()
    theirs = litert_tensors(data, model, feeds)
    ours = run_function(module, {f"input{i}": f for i, f in enumerate(feeds)})
    want = theirs[outputs[0]]
    assert ours["output0"].dtype == want.dtype
    assert np.array_equal(ours["output0"].reshape(want.shape), want), case


@pytest.mark.parametrize("case", sorted(CASES16))
@PROPERTY
@given(seed=st.integers(0, 2**32 - 1))
def test_int16_operator_equals_litert(case: str, seed: int) -> None:
    """Every 16x8 operator, random shapes, options and quantization: bit
    exact against LiteRT (kernels and the imported program)."""
    _check(case, seed)


@pytest.mark.parametrize("case", sorted(CASES16))
@pytest.mark.parametrize("seed", range(3))
def test_int16_operator_fixed_seeds(case: str, seed: int) -> None:
    """The same on fixed seeds (fails the same way on every run)."""
    _check(case, seed)


# ------------------------------------------------------------ fixed points


def test_int64_requantization_rounds_once_from_15_bits() -> None:
    """MultiplyByQuantizedMultiplier(int64): the multiplier rounded to 15
    bits (saturating at 0x7FFF), one rounding of the product, ties up."""
    m = 0x40008000  # rounds up to 0x4001
    assert multiply_by_quantized_multiplier_int64(np.int64(3), m, 0) == (
        (3 * 0x4001 + (1 << 14)) >> 15
    )
    assert multiply_by_quantized_multiplier_int64(np.int64(1 << 20), 0x7FFFFFFF, 0) == (
        ((1 << 20) * 0x7FFF + (1 << 14)) >> 15
    )
    # ties go up: -1.5 -> -1, 1.5 -> 2
    half = 1 << 30  # 0.5 -> 0x4000 in 15 bits
    assert multiply_by_quantized_multiplier_int64(np.int64(-3), half, 0) == -1
    assert multiply_by_quantized_multiplier_int64(np.int64(3), half, 0) == 2
    with pytest.raises(ValueError, match="shift <= 14"):
        multiply_by_quantized_multiplier_int64(np.int64(1), half, 15)


def test_int16_tables() -> None:
    """SoftmaxPrepare's tables: exp(0) saturates at 32767, exp(-10) is ~1.5,
    1/(1+0) is 32767 and 1/(1+1) 16384; the lookup interpolates between
    neighbouring entries."""
    t = softmax_int16_tables()
    exp_lut, recip = t[:513], t[513:]
    assert exp_lut[512] == 32767 and 0 <= exp_lut[0] <= 2
    assert recip[0] == 32767 and recip[512] == 16384
    assert np.all(np.diff(exp_lut.astype(np.int32)) >= 0)
    assert np.all(np.diff(recip.astype(np.int32)) <= 0)
    lut = int16_lut(lambda v: v, -1.0, 1.0)  # the identity: entries i*128-32768
    assert lut[0] == -32768 and lut[256] == 0 and lut[512] == 32767
    v = np.array([-32768, -1, 0, 64, 1000, 32767], np.int16)
    # the last step is 255 (32767 - 32512), not 128 · 2
    assert lookup_int16(v, lut).tolist() == [-32768, -1, 0, 64, 1000, 32766]


# ------------------------------------------------------------------ errors


def _conv_bytes(**change: object) -> bytes:
    rng = np.random.default_rng(0)
    tensors, ops, inputs, outputs = _conv16(rng, False)
    for key, value in change.items():
        index, field = key.split("_", 1)
        setattr(tensors[int(index[1:])], field, value)
    return build_tflite(tensors, ops, inputs, outputs)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"t0_zp": 3}, "int16 with zero point 3; TFLite's int16 kernels require 0"),
        ({"t3_dtype": np.int8, "t3_zp": 0}, "output must be int16 as the input"),
        ({"t0_dtype": np.int8}, "input must be int16 as the output"),
        ({"t2_dtype": np.int32}, "bias must be int64, got int32"),
    ],
)
def test_int16_import_errors(change: dict, message: str) -> None:
    """What TFLite refuses (or we do not import) is a one-line error naming
    the operator."""
    data = _conv_bytes(**change)
    with pytest.raises(TFLiteImportError, match=message) as e:
        import_tflite(read_tflite_bytes(data))
    assert "operator 0 (CONV_2D)" in str(e.value) and "\n" not in str(e.value)


def test_float_to_int16_quantize_is_refused() -> None:
    tensors = [T((4,), np.float32), T((4,), np.int16, 0.001, 0)]
    data = build_tflite(tensors, [Op("QUANTIZE", [0], [1], None)], [0], [1])
    with pytest.raises(TFLiteImportError, match="from float32 to int16"):
        import_tflite(read_tflite_bytes(data))


def _imported(case: str, seed: int = 0) -> tir.OperatorOp:
    rng = np.random.default_rng([seed, sorted(CASES16).index(case)])
    module = import_tflite(read_tflite_bytes(build_tflite(*CASES16[case](rng))))
    return next(o for o in module.walk() if isinstance(o, tir.OperatorOp))


def _buffer(shape: tuple[int, ...], dtype: type) -> tir.BufferType:
    return tir.BufferType(shape, tir.element_type_of(np.dtype(dtype)))


def _conv_op(bias: type, output: type, act_max: int) -> tir.OperatorOp:
    func = tir.FuncOp(
        "f",
        [
            ("x", _buffer((1, 4, 4, 2), np.int16)),
            ("w", _buffer((3, 1, 1, 2), np.int8)),
            ("b", _buffer((3,), bias)),
            ("y", _buffer((1, 4, 4, 3), output)),
        ],
    )
    x, w, b, y = func.args
    return tir.Conv2DOp.create_op(
        [x, w, b],
        y,
        stride=(1, 1),
        dilation=(1, 1),
        pad=(0, 0, 0, 0),
        input_zp=0,
        output_zp=0,
        multiplier=np.full(3, 1 << 30, np.int32),
        shift=np.zeros(3, np.int32),
        act_min=-32768,
        act_max=act_max,
    )


def test_int16_ops_verify_their_types() -> None:
    """The verifier: an int16 conv takes an int64 bias, an int16 output and
    a clamp within int16."""
    from xdsl.utils.exceptions import VerifyException

    _conv_op(np.int64, np.int16, 32767).verify()
    with pytest.raises(VerifyException, match="bias must be int64, got int32"):
        _conv_op(np.int32, np.int16, 32767).verify()
    with pytest.raises(VerifyException, match="output must be int16, got int8"):
        _conv_op(np.int64, np.int8, 127).verify()
    with pytest.raises(VerifyException, match="non-empty range in int16"):
        _conv_op(np.int64, np.int16, 40000).verify()


def _mean_op(shape: tuple[int, ...], axes: list[int], input_zp: int) -> tir.MeanOp:
    out = tuple(1 if i in axes else d for i, d in enumerate(shape))
    func = tir.FuncOp(
        "f", [("x", _buffer(shape, np.int16)), ("y", _buffer(out, np.int16))]
    )
    x, y = func.args
    op = tir.MeanOp.create_op(
        [x],
        y,
        axes=axes,
        input_zp=input_zp,
        output_zp=0,
        multiplier=1 << 30,
        shift=0,
    )
    func.body.block.add_op(op)
    return op  # type: ignore[return-value]


@pytest.mark.parametrize(
    "shape, axes, input_zp, message",
    [
        ((1, 4, 4, 3), [1, 2], 0, None),
        ((1, 256, 256, 1), [1, 2], 0, None),
        ((2, 3, 4, 5), [0, 2], 0, r"reduced axes \[0, 2\] of shape .* not contiguous"),
        ((1, 257, 256, 1), [1, 2], 0, "65792 reduced elements exceed"),
        ((1, 256, 256, 1), [1, 2], 1, "int16 sum could pass int32"),
    ],
)
def test_int16_mean_npu_constraints(shape, axes, input_zp, message) -> None:  # type: ignore[no-untyped-def]
    """An int16 MEAN runs on the NPU as one average pool over contiguous
    reduced axes within the pool's 256 × 256 window while its sum cannot
    pass int32; outside that it stays on the CPU with a one-line remark."""
    why = npu_reason(_mean_op(shape, axes, input_zp))
    if message is None:
        assert why is None
    else:
        assert why is not None and "\n" not in why
        assert re.search(message, why), why


def test_int16_softmax_npu_reason() -> None:
    """An imported int16 softmax waits for tir-legalize-npu's tables and
    workspace; an input shift over 15 (input scale · beta of 5 or more)
    keeps it on the CPU, saying why."""
    op = _imported("softmax")
    assert npu_reason(op) == (
        "softmax_int16: no NPU workspace and tables (run tir-legalize-npu)"
    )
    op.properties["input_left_shift"] = IntegerAttr(16, 64)
    assert npu_reason(op) == (
        "softmax_int16: input shift 16 exceeds 15 (LiteRT's shifted difference "
        "wraps int32)"
    )


def test_int16_softmax_npu_tables_are_litert_and_vela() -> None:
    """The NPU's two interpolating tables, made from LiteRT's gen_lut tables
    (our `int16_lut`), are word for word the ones Vela hard-codes."""
    from ethosu.vela.softmax import SoftMax

    from tirconst.analysis.npu_support import SOFTMAX16_LUTS, softmax_int16_npu_table

    data = softmax_int16_npu_table(softmax_int16_tables(), 1 << 30).tobytes()
    words = np.frombuffer(data[SOFTMAX16_LUTS:], "<u4")
    assert words[:512].tolist() == SoftMax.EXP_LUT
    assert words[512:1024].tolist() == SoftMax.ONE_OVER_ONE_PLUS_X_LUT
    assert words[1024] == 1 << 30
    assert np.array_equal(np.frombuffer(data[:2052], "<i2"), softmax_int16_tables())


# ------------------------------------------------------------------ the NPU

ON_THE_NPU = ("conv2d", "depthwise_conv2d", "fully_connected", "max_pool2d",
              "avg_pool2d", "quantize")  # fmt: skip


@pytest.mark.parametrize("case", ON_THE_NPU)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_int16_on_the_npu_device_exact(tmp_path_factory, case: str, seed: int) -> None:  # type: ignore[no-untyped-def]
    """16x8 conv, depthwise, fully connected and pools: compiled,
    disassembled from the written file, run in the npu interpreter, equal to
    LiteRT (2 seeds), and the whole compiled program equals LiteRT; what
    stays on the CPU says why (batch 2, a depth multiplier, a sum that could
    pass int32)."""
    rng = np.random.default_rng([seed, sorted(CASES16).index(case), 3])
    tmp = tmp_path_factory.mktemp(case)
    model, written, remarks = compiled(tmp, case, build_tflite(*CASES16[case](rng)))
    if assert_device_exact(model, written, seeds=(0, 1)) == 0:
        assert remarks, f"{case}: no NPU segment and no remark saying why"
    assert_program_equals_litert(model, 0)


@pytest.mark.parametrize(
    "case", ["conv2d", "depthwise_conv2d", "max_pool2d", "quantize"]
)
def test_vela_int16_streams_run_exactly(tmp_path, case: str) -> None:  # type: ignore[no-untyped-def]
    """The npu interpreter on Vela's own 16x8 command streams (int16 feature
    maps, 40-bit accumulators, reduced scales, 16-bit weight streams): equal
    to LiteRT. This is what validates its int16 semantics."""
    from tests.vela_compile import compile_model as vela

    checked = 0
    for seed in range(6):
        rng = np.random.default_rng([seed, 5])
        model = tmp_path / f"{case}{seed}.tflite"
        model.write_bytes(build_tflite(*CASES16[case](rng)))
        out = vela(model, "regor", "tflite", tmp_path / f"vela{seed}")
        assert out.path is not None, out.error
        checks = verify_compiled(model, out.path, 0)
        for c in checks:
            assert c.exact, f"{case} seed {seed}: {c.line()}"
        checked += len(checks)
    assert checked >= 3


def _batch1(case: str) -> bytes:
    """A case of batch 1, no depth multiplier, small biases (fits the NPU)."""
    for seed in range(100):
        rng = np.random.default_rng([seed, 17])
        tensors, ops, inputs, outputs = CASES16[case](rng)
        if tensors[0].shape[0] != 1:
            continue
        if ops[0].options and ops[0].options[1].get("DepthMultiplier", 1) != 1:
            continue
        if len(tensors) > 3 and tensors[2].data is not None:
            tensors[2].data = tensors[2].data % 1000
        return build_tflite(tensors, ops, inputs, outputs)
    raise AssertionError("no such case")


@pytest.mark.parametrize("case", ON_THE_NPU)
def test_int16_runs_on_the_npu(tmp_path, case: str) -> None:  # type: ignore[no-untyped-def]
    """Each 16x8 operator of batch 1 is one NPU segment, no CPU operator,
    exact from the bytes."""
    model, written, remarks = compiled(tmp_path, case, _batch1(case))
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0,)) == 1


def test_int16_sum_past_int32_stays_on_the_cpu() -> None:
    """A bias that makes the scaled sum reach int32 (LiteRT wraps there, the
    NPU saturates) keeps the op on the CPU, saying why; one past 40 bits
    too."""
    rng = np.random.default_rng([0, 17])
    tensors, ops, inputs, outputs = _conv16(rng, False)
    tensors[0].shape = (1, *tensors[0].shape[1:])
    tensors[3].shape = (1, *tensors[3].shape[1:])
    for bias, message in (
        (2**38, "a scaled sum could pass int32"),
        (2**39, "could pass the NPU's 40-bit accumulator"),
    ):
        tensors[2].data = np.full(tensors[2].shape, bias, np.int64)
        module = import_tflite(
            read_tflite_bytes(build_tflite(tensors, ops, inputs, outputs))
        )
        op = next(o for o in module.walk() if isinstance(o, tir.Conv2DOp))
        why = npu_reason(op)
        assert why is not None and message in why, why


def test_same_padding_is_covered() -> None:
    """The case builders reach both paddings (a guard on the generators)."""
    seen = set()
    for seed in range(20):
        rng = np.random.default_rng([seed, 0])
        _, ops, _, _ = _conv16(rng, False)
        assert ops[0].options is not None
        seen.add(ops[0].options[1]["Padding"])
    assert seen == {_SAME, _VALID}


def _mean16_npu(rng: np.random.Generator) -> Case:
    """A batch-1 int16 MEAN within Vela's constraints: over H and W, H, W,
    or the channels of a one-row map; each reduced axis longer than 1."""
    h, w, c = (int(v) for v in rng.integers(2, 40, 3))
    axes = [[1, 2], [1], [2], [3]][int(rng.integers(0, 4))]
    if axes == [3]:
        h = 1
    shape = (1, h, w, c)
    keep = bool(rng.integers(0, 2))
    out = tuple(
        1 if i in axes else d for i, d in enumerate(shape) if keep or i not in axes
    )
    in_s = _f32(rng.uniform(1e-4, 1e-3))
    out_s = in_s if rng.integers(0, 2) else _f32(rng.uniform(1e-4, 1e-3))
    tensors = [
        T(shape, np.int16, in_s, 0),
        T((len(axes),), np.int32, data=np.array(axes, np.int32)),
        T(out, np.int16, out_s, 0),
    ]
    op = Op("MEAN", [0, 1], [2], ("ReducerOptions", {"KeepDims": keep}))
    return tensors, [op], [0], [2]


@pytest.mark.parametrize("core", ["regor", "legacy"])
def test_vela_int16_mean_streams_run_exactly(tmp_path, core: str) -> None:  # type: ignore[no-untyped-def]
    """Vela's int16 MEAN (both cores): a depthwise sum of all-ones weights
    to an unscaled int32 OFM, then a 32-bit MUL by the readapted multiplier
    with OFM scale (1, 31 - shift) and TFL rounding (SRDHM, then a rounding
    shift): run by the npu interpreter from Vela's bytes, equal to LiteRT.
    This validates the construction our own int16 MEAN lowering must use
    (a 16x8 depthwise alone rounds once from a 15-bit multiplier)."""
    from tests.vela_compile import compile_model as vela

    checked = 0
    for seed in range(4):
        rng = np.random.default_rng([seed, 7])
        model = tmp_path / f"mean{seed}.tflite"
        model.write_bytes(build_tflite(*_mean16_npu(rng)))
        out = vela(model, core, "tflite", tmp_path / f"vela{seed}")
        assert out.path is not None, out.error
        for check in verify_compiled(model, out.path, 0) + verify_compiled(
            model, out.path, 1
        ):
            assert check.exact, f"{core} seed {seed}: {check.line()}"
            checked += 1
    assert checked == 8


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_int16_mean_on_the_npu_device_exact(tmp_path_factory, seed: int) -> None:  # type: ignore[no-untyped-def]
    """An int16 MEAN within the constraints (batch 1; H and W, H, W or the
    channels of one row; keep_dims or not; equal or different scales):
    compiled, one NPU segment and no CPU operator, disassembled from the
    written file, run, equal to LiteRT (2 input seeds); any int16 MEAN
    (batches, any axes): on the NPU exactly or on the CPU saying why."""
    rng = np.random.default_rng([seed, 23])
    tmp = tmp_path_factory.mktemp("mean16")
    model, written, remarks = compiled(tmp, "mean", build_tflite(*_mean16_npu(rng)))
    assert not remarks, remarks
    assert assert_device_exact(model, written, seeds=(0, 1)) == 1
    tmp = tmp_path_factory.mktemp("mean16any")
    model, written, remarks = compiled(tmp, "mean", build_tflite(*_mean16(rng)))
    if assert_device_exact(model, written, seeds=(0, 1)) == 0:
        assert remarks, "an int16 MEAN: no NPU segment and no remark saying why"
    assert_program_equals_litert(model, 0)


_SOFTMAX16 = st.fixed_dictionaries(
    {
        "lead": st.lists(st.integers(1, 4), min_size=0, max_size=3),
        "c": st.one_of(st.integers(1, 300), st.sampled_from([1, 2, 255, 256, 257])),
        "beta": st.one_of(st.floats(0.05, 3.0), st.just(1.0)),
        "scale": st.one_of(
            st.floats(-6.0, -0.5).map(lambda e: 10.0**e),
            st.sampled_from([2.0**-12, 1.0, 8.0]),
        ),
        "bound": st.integers(1, 15),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(p=_SOFTMAX16)
def test_random_softmax16_device_exact(tmp_path_factory, p: dict) -> None:  # type: ignore[no-untyped-def]
    """int16 SOFTMAX (output scale 1/32768, zero points 0, as TFLite fixes
    them) of rank 1..4, 1..300 channels, any beta and input scale: on the
    NPU (Vela's int16 sequence, LiteRT's tables) up to 256 channels and an
    input shift of 15, compiled, disassembled from the written file and run,
    equal to LiteRT on full-range inputs (2 seeds) and on inputs within
    ±2^bound (differences over the whole exp table); the whole compiled
    program equals LiteRT. Otherwise on the CPU, with a remark saying why."""
    shape = (*p["lead"], p["c"])
    tensors = [T(shape, np.int16, _f32(p["scale"]), 0)]
    tensors.append(T(shape, np.int16, 1 / 32768, 0))
    op = Op("SOFTMAX", [0], [1], ("SoftmaxOptions", {"Beta": _f32(p["beta"])}))
    tmp = tmp_path_factory.mktemp("softmax16")
    data = build_tflite(tensors, [op], [0], [1])
    model, written, remarks = compiled(tmp, "sm16", data)
    segments = assert_device_exact(model, written, seeds=(0, 1))
    imported = import_tflite(read_tflite(model))
    (sm,) = [o for o in imported.walk() if isinstance(o, tir.SoftmaxInt16Op)]
    if p["c"] <= 256 and sm.input_left_shift <= 15:
        assert segments == 1 and not remarks, remarks
        module = npu_module_of(written)
        (x_t,) = [t for t in module.ops.first.tensors() if t.kind.data == "input"]
        (y_t,) = [t for t in module.ops.first.tensors() if t.kind.data == "output"]
        rng = np.random.default_rng(p["bound"])
        x = rng.integers(-(2 ** p["bound"]), 2 ** p["bound"], shape).astype(np.int16)
        want = _litert(data, x)
        got = run_stream(module, {x_t.tensor_name.data: x.reshape(x_t.shape)})
        np.testing.assert_array_equal(got[y_t.tensor_name.data].reshape(shape), want)
    else:
        assert segments == 0 and any("softmax" in r for r in remarks), remarks
    assert_program_equals_litert(model, 0)


@pytest.mark.parametrize("core", ["regor", "legacy"])
def test_vela_int16_softmax_streams_run_exactly(tmp_path, core: str) -> None:  # type: ignore[no-untyped-def]
    """Vela's int16 SOFTMAX (both cores; its exp and 1/(1+x) through 16-bit
    interpolating tables): run by the npu interpreter from Vela's bytes,
    equal to LiteRT's SoftmaxInt16. This validates the interpreter's 16-bit
    table semantics (`interpreter.npu.ops._lookup16`) that an NPU lowering
    of `tir.softmax_int16` would use."""
    from tests.vela_compile import compile_model as vela

    checked = 0
    for seed in range(4):
        rng = np.random.default_rng([seed, 5])
        model = tmp_path / f"softmax{seed}.tflite"
        model.write_bytes(build_tflite(*CASES16["softmax"](rng)))
        out = vela(model, core, "tflite", tmp_path / f"vela{seed}")
        assert out.path is not None, out.error
        for check in verify_compiled(model, out.path, 0) + verify_compiled(
            model, out.path, 1
        ):
            assert check.exact, f"{core} seed {seed}: {check.line()}"
            checked += 1
    assert checked == 8
