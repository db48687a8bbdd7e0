"""The operators added to the importer's table, in models: an operator with
several outputs (SPLIT) and a variadic one (CONCATENATION) between NPU
segments, compiled, exact at the device and in the tir interpreter against
LiteRT; and the importer's errors for what TFLite's kernels refuse. The
single-operator property cases are `test_tflite_litert.CASES` (LiteRT vs our
kernels) and `test_device_bytes.test_built_model_device_exact` (compiled)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_device_bytes import (
    assert_device_exact,
    assert_program_equals_litert,
    compiled,
)
from tests.test_tflite_litert import Op, T, build_tflite, pack_case, sum_case
from tirconst.analysis.npu_support import sum_depthwise
from tirconst.dialects import tir
from tirconst.formats.tflite.oracle import OPTIMIZED, REFERENCE, oracle_resolver
from tirconst.formats.tflite.reader import TFLiteImportError, read_tflite_bytes
from tirconst.frontend.importer import import_tflite
from tirconst.frontend.operator_table import OPERATORS
from tirconst.interpreter import run_function

_CONV = {
    "Padding": 0,
    "StrideW": 1,
    "StrideH": 1,
    "FusedActivationFunction": 0,
    "DilationWFactor": 1,
    "DilationHFactor": 1,
}


def _weights(rng: np.random.Generator, co: int, ci: int, s_in: float) -> list[T]:
    return [
        T(
            (co, 3, 3, ci),
            np.int8,
            0.01,
            0,
            data=rng.integers(-128, 128, (co, 3, 3, ci)),
        ),
        T((co,), np.int32, s_in * 0.01, 0, data=rng.integers(-999, 999, co)),
    ]


def split_model(seed: int) -> bytes:
    """CONV_2D -> SPLIT -> CONV_2D on the second part; the first part is a
    model output (copied by the NPU), the second read in place."""
    rng = np.random.default_rng(seed)
    tensors = [
        T((1, 6, 6, 4), np.int8, 0.05, -3),  # 0 input
        *_weights(rng, 8, 4, 0.05),  # 1, 2
        T((1, 6, 6, 8), np.int8, 0.1, 4),  # 3 conv out
        T((1,), np.int32, data=np.array([3], np.int32)),  # 4 axis
        T((1, 6, 6, 4), np.int8, 0.1, 4),  # 5 split out 0
        T((1, 6, 6, 4), np.int8, 0.1, 4),  # 6 split out 1
        *_weights(rng, 4, 4, 0.1),  # 7, 8
        T((1, 6, 6, 4), np.int8, 0.03, 1),  # 9 output
    ]
    ops = [
        Op("CONV_2D", [0, 1, 2], [3], ("Conv2DOptions", _CONV)),
        Op("SPLIT", [4, 3], [5, 6], ("SplitOptions", {"NumSplits": 2})),
        Op("CONV_2D", [6, 7, 8], [9], ("Conv2DOptions", _CONV)),
    ]
    return build_tflite(tensors, ops, [0], [5, 9])


def concat_model(seed: int) -> bytes:
    """Two CONV_2Ds (writing their channels of the concatenation) ->
    CONCATENATION -> CONV_2D."""
    rng = np.random.default_rng(seed)
    tensors = [
        T((1, 5, 5, 3), np.int8, 0.05, -3),  # 0 input
        *_weights(rng, 4, 3, 0.05),  # 1, 2
        *_weights(rng, 2, 3, 0.05),  # 3, 4
        T((1, 5, 5, 4), np.int8, 0.1, 2),  # 5
        T((1, 5, 5, 2), np.int8, 0.1, 2),  # 6
        T((1, 5, 5, 6), np.int8, 0.1, 2),  # 7 concatenated
        *_weights(rng, 3, 6, 0.1),  # 8, 9
        T((1, 5, 5, 3), np.int8, 0.04, 0),  # 10 output
    ]
    ops = [
        Op("CONV_2D", [0, 1, 2], [5], ("Conv2DOptions", _CONV)),
        Op("CONV_2D", [0, 3, 4], [6], ("Conv2DOptions", _CONV)),
        Op("CONCATENATION", [5, 6], [7], ("ConcatenationOptions", {"Axis": 3})),
        Op("CONV_2D", [7, 8, 9], [10], ("Conv2DOptions", _CONV)),
    ]
    return build_tflite(tensors, ops, [0], [10])


@pytest.mark.parametrize("build", [split_model, concat_model])
@pytest.mark.parametrize("seed", range(2))
def test_data_movement_joins_the_npu_segment(tmp_path: Path, build, seed: int) -> None:  # type: ignore[no-untyped-def]
    """SPLIT and CONCATENATION between convolutions were CPU operators that
    cut the model in two NPU segments; tir-data-views makes them addresses
    (docs/lowering.md): one segment, exact from the file's bytes."""
    model, written, remarks = compiled(tmp_path, build.__name__, build(seed))
    assert assert_device_exact(model, written) == 1
    assert not remarks, remarks
    assert_program_equals_litert(model, seed)


def test_split_is_one_slice_per_output() -> None:
    module = import_tflite(read_tflite_bytes(split_model(0)))
    slices = [op for op in module.walk() if isinstance(op, tir.StridedSliceOp)]
    assert [op.begin for op in slices] == [(0, 0, 0, 0), (0, 0, 0, 4)]
    assert [op.output.name_hint for op in slices] == ["output0", "op1_split_out1"]
    assert {op.attributes["tflite.index"].value.data for op in slices} == {1}  # type: ignore[attr-defined]


def _single(opcode: str, tensors: list[T], inputs: list[int], options=None) -> bytes:  # type: ignore[no-untyped-def]
    out = len(tensors) - 1
    return build_tflite(tensors, [Op(opcode, inputs, [out], options)], [0], [out])


def test_concatenation_needs_equal_quantization() -> None:
    data = build_tflite(
        [
            T((1, 2), np.int8, 0.1, 0),
            T((1, 2), np.int8, 0.2, 0),
            T((1, 4), np.int8, 0.1, 0),
        ],
        [Op("CONCATENATION", [0, 1], [2], ("ConcatenationOptions", {"Axis": 1}))],
        [0, 1],
        [2],
    )
    with pytest.raises(
        TFLiteImportError,
        match=r"^operator 0 \(CONCATENATION\), tensor 1 't1': input quantization "
        "differs from the output's",
    ):
        import_tflite(read_tflite_bytes(data))


def test_strided_slice_ellipsis_rejected() -> None:
    x = T((2, 3), np.int8, 0.1, 0)
    ints = [
        T((2,), np.int32, data=np.array(v, np.int32)) for v in ([0, 0], [2, 3], [1, 1])
    ]
    opts = ("StridedSliceOptions", {"EllipsisMask": 1})
    data = _single(
        "STRIDED_SLICE", [x, *ints, T((2, 3), np.int8, 0.1, 0)], [0, 1, 2, 3], opts
    )
    with pytest.raises(
        TFLiteImportError, match=r"STRIDED_SLICE\): ellipsis_mask is not"
    ):
        import_tflite(read_tflite_bytes(data))


def test_an_operator_the_table_lacks_is_kept_whole() -> None:
    """GATHER is not in the table: it becomes one `tir.tflite_operator`
    naming it, reading its non-constant input (the constant indices stay
    the model's), writing its output, with its operator index; the tir
    interpreter refuses to run it in one line naming it."""
    from tirconst.interpreter.errors import InterpreterError

    assert "GATHER" not in OPERATORS
    data = _single(
        "GATHER",
        [
            T((4, 3), np.int8, 0.1, 0),
            T((2,), np.int32, data=np.array([3, 1], np.int32)),
            T((2, 3), np.int8, 0.1, 0),
        ],
        [0, 1],
    )
    module = import_tflite(read_tflite_bytes(data))
    module.verify()
    (func,) = [op for op in module.ops if isinstance(op, tir.FuncOp)]
    (kept,) = [op for op in func.walk() if isinstance(op, tir.OperatorOp)]
    assert isinstance(kept, tir.TFLiteOperatorOp)
    assert (kept.opcode, kept.version) == ("GATHER", 1)
    assert kept.input_values() == [func.args[0]] and kept.output is func.args[1]
    assert kept.attributes["tflite.index"].value.data == 0  # type: ignore[attr-defined]
    assert not [op for op in module.ops if isinstance(op, tir.ConstantOp)]
    x = np.arange(12, dtype=np.int8).reshape(4, 3)
    with pytest.raises(InterpreterError) as e:
        run_function(module, {"input0": x})
    assert "GATHER is a TFLite operator tir does not model" in str(e.value)
    assert "\n" not in str(e.value)


def test_an_unknown_operator_that_cannot_be_kept_is_listed(tmp_path: Path) -> None:
    """A `tir.tflite_operator` writes one output and reads a tensor: an
    unknown operator with two outputs (TOPK_V2) is refused, listed with its
    index and output name, in one line (tirconst-import too: exit 1,
    nothing written)."""
    from tests.tool_runner import call

    assert "TOPK_V2" not in OPERATORS
    tensors = [
        T((8,), np.int8, 0.1, 0),
        T((1,), np.int32, data=np.array([2], np.int32)),
        T((2,), np.int8, 0.1, 0),
        T((2,), np.int32),
    ]
    data = build_tflite(tensors, [Op("TOPK_V2", [0, 1], [2, 3])], [0], [2, 3])
    with pytest.raises(
        TFLiteImportError,
        match=r"^unsupported operator kind\(s\) TOPK_V2, not imported and not kept "
        r"for the CPU: #0 TOPK_V2 \(t2\): 2 outputs \(a kept operator has one\)$",
    ):
        import_tflite(read_tflite_bytes(data))
    path = tmp_path / "topk.tflite"
    path.write_bytes(data)
    status, _, err = call("tirconst-import", str(path), "-o", str(tmp_path / "o.mlir"))
    assert status == 1 and len(err.strip().splitlines()) == 1, err
    assert "#0 TOPK_V2 (t2): 2 outputs" in err and "Traceback" not in err
    assert not (tmp_path / "o.mlir").exists()


def test_readme_lists_the_table() -> None:
    """The README's operator list is the table's (regenerate it when adding
    an entry)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    start = readme.index("<!-- operators:")
    block = readme[readme.index("\n", start) : readme.index("<!-- end operators -->")]
    listed = [n.strip().strip("`") for n in block.replace("\n", " ").split(",")]
    assert listed == sorted(OPERATORS)


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=3).map(tuple),
    n=st.integers(1, 5),
    axis_at=st.floats(0, 1),
    negative=st.booleans(),
    int16=st.booleans(),
    scale=st.floats(0.001, 1.0),
    zp=st.integers(-128, 127),
    seed=st.integers(0, 3),
)
def test_random_pack_equals_litert(
    tmp_path_factory: pytest.TempPathFactory,
    shape: tuple[int, ...],
    n: int,
    axis_at: float,
    negative: bool,
    int16: bool,
    scale: float,
    zp: int,
    seed: int,
) -> None:
    """PACK of any shape, count and axis (negative too), int8 or int16: the
    compiled program equals LiteRT; the NPU segment, if any, is exact from
    the bytes. A PACK becomes the concatenation it is (tir-legalize-npu), so
    where none runs on the NPU a remark names one or the other (a part that
    is no NPU feature map, e.g. batch 2)."""
    axis = min(int(axis_at * (len(shape) + 1)), len(shape))
    axis = axis - len(shape) - 1 if negative else axis
    dt = np.int16 if int16 else np.int8
    data = build_tflite(
        *pack_case(shape, n, axis, dt, float(np.float32(scale)), 0 if int16 else zp)
    )
    model, written, remarks = compiled(tmp_path_factory.mktemp("pack"), "pack", data)
    assert_program_equals_litert(model, seed)
    if assert_device_exact(model, written, seeds=(0,)) == 0:
        assert any("pack" in r or "concatenation" in r for r in remarks), remarks


def _sum_model(same: bool) -> bytes:
    q_in = (0.05, 3)
    q_out = q_in if same else (0.3, -4)
    axes = [1, 2]
    return build_tflite(*sum_case((1, 4, 5, 6), axes, False, q_in, q_out))


@pytest.mark.parametrize("same", [False, True], ids=["rescaled", "same_scale"])
def test_sum_oracle_is_the_optimized_kernel(same: bool) -> None:
    """Why SUM's oracle is LiteRT's default kernel, not BUILTIN_REF (the
    operator table's `oracle`): BUILTIN_REF's int8 SUM is not the sum.
    Rescaled, it reads the int8 data as uint8; with equal input and output
    quantization it returns values that are neither the wrapped nor the
    saturated sum. The optimized kernel is the float32 sum `round(sum *
    s_in/s_out - zp_in * s_in/s_out * n) + zp_out`, saturated, and our
    import is that, bit for bit. When the BUILTIN_REF assertion fails, the
    reference is fixed: make it SUM's oracle again."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    data = _sum_model(same)
    x = np.random.default_rng(0).integers(-128, 128, (1, 4, 5, 6)).astype(np.int8)

    def run(resolver) -> np.ndarray:  # type: ignore[no-untyped-def]
        it = Interpreter(model_content=data, experimental_op_resolver_type=resolver)
        it.allocate_tensors()
        it.set_tensor(it.get_input_details()[0]["index"], x)
        it.invoke()
        return it.get_tensor(it.get_output_details()[0]["index"]).reshape(-1)

    s_in, zp_in = np.float32(0.05), 3
    s_out, zp_out = (s_in, zp_in) if same else (np.float32(0.3), -4)
    scale = s_in / s_out
    total = x.astype(np.int64).sum(axis=(1, 2)).reshape(-1).astype(np.float32)
    value = total * scale + np.float32(-zp_in) * scale * np.float32(20)
    want = np.clip(np.sign(value) * np.floor(np.abs(value) + 0.5) + zp_out, -128, 127)
    assert np.array_equal(run(OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES), want)
    assert not np.array_equal(run(OpResolverType.BUILTIN_REF), want)
    model = read_tflite_bytes(data)
    assert oracle_resolver(model) == OPTIMIZED == "BUILTIN_WITHOUT_DEFAULT_DELEGATES"
    got = run_function(import_tflite(model), {"input0": x})["output0"]
    assert np.array_equal(got.reshape(-1), want)


def test_elu_oracle_is_the_optimized_kernel() -> None:
    """BUILTIN_REF registers no ELU, so ELU's oracle is the default kernel
    (its table, `tir.elu`); a model without SUM or ELU keeps the reference
    kernels as its oracle."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    tensors = [T((4,), np.int8, 0.1, 0), T((4,), np.int8, 0.05, 10)]
    data = build_tflite(tensors, [Op("ELU", [0], [1])], [0], [1])
    with pytest.raises(ValueError, match="ELU"):
        Interpreter(
            model_content=data,
            experimental_op_resolver_type=OpResolverType.BUILTIN_REF,
        )
    assert oracle_resolver(read_tflite_bytes(data)) == OPTIMIZED
    assert oracle_resolver(read_tflite_bytes(split_model(0))) == REFERENCE


@st.composite
def _sum_models(draw: st.DrawFn) -> tuple[bytes, bool]:
    """(a SUM model, whether it must run on the NPU): any rank, axes
    (negative too, repeated, adjacent or not), keep_dims; the output
    quantized as the input (integer arithmetic: always exact on the NPU
    over adjacent axes of a feature map) or on its own."""
    shape = tuple(draw(st.lists(st.integers(1, 7), min_size=1, max_size=4)))
    rank = len(shape)
    axes = draw(st.lists(st.integers(-rank, rank - 1), min_size=1, max_size=rank))
    q_in = (
        float(np.float32(draw(st.floats(0.002, 0.2)))),
        draw(st.integers(-128, 127)),
    )
    same = draw(st.booleans())
    q_out = q_in
    if not same:
        q_out = (
            float(np.float32(draw(st.floats(0.01, 4.0)))),
            draw(st.integers(-128, 127)),
        )
    red = sorted({a % rank for a in axes})
    live = [i for i in range(rank) if shape[i] > 1]
    pos = [k for k, i in enumerate(live) if i in red]
    adjacent = not pos or pos == list(range(pos[0], pos[-1] + 1))
    keep = draw(st.booleans())
    return build_tflite(*sum_case(shape, axes, keep, q_in, q_out)), same and adjacent


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=_sum_models(), seed=st.integers(0, 3))
def test_random_sum_equals_litert(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[bytes, bool], seed: int
) -> None:
    """SUM of any shape, axes and quantization: the compiled program equals
    LiteRT's default kernel; the NPU segment, if any, is exact from the
    written file's bytes; where none runs a remark says why (axes not
    adjacent, or the float32 rescale differing from the NPU's integer one
    at a named sum). Equal quantization over adjacent axes runs on the
    NPU."""
    data, on_npu = case
    model, written, remarks = compiled(tmp_path_factory.mktemp("sum"), "sum", data)
    assert_program_equals_litert(model, seed)
    segments = assert_device_exact(model, written, seeds=(seed,))
    if on_npu:
        assert segments == 1 and not remarks, remarks
    if segments == 0:
        assert any("sum:" in r for r in remarks), remarks


def test_sum_outside_the_npu_stays_on_the_cpu(tmp_path: Path) -> None:
    """A SUM over axes that are not adjacent, and one whose float32 rescale
    the NPU's integer requantization cannot follow, stay on the CPU with
    the remark, equal to LiteRT."""
    cases = {
        "apart": sum_case((4, 5, 4, 3), [-4, -3, -1], True, (0.05, 3), (0.05, 3)),
        "float": sum_case(
            (3,), [0], False, (0.07478483021259308, -88), (0.23620732128620148, -13)
        ),
    }
    reasons = {
        "apart": "reduced axes [0, 1, 3] of shape [4, 5, 4, 3] are not contiguous",
        "float": "sum: no NPU depthwise sum follows LiteRT's float32 rescale "
        "(the sum -382 of 3 values: LiteRT -50, QuantizeMultiplier(scale) -51)",
    }
    for name, case in cases.items():
        (tmp_path / name).mkdir()
        model, written, remarks = compiled(tmp_path / name, name, build_tflite(*case))
        assert assert_device_exact(model, written, seeds=(0,)) == 0
        assert len(remarks) == 1 and reasons[name] in remarks[0], remarks
        assert_program_equals_litert(model, 0)


def test_rescaled_sum_runs_with_taps_and_bias(tmp_path: Path) -> None:
    """A rescaled SUM whose float32 rounding QuantizeMultiplier(scale) does
    not follow runs on the NPU as a depthwise sum of filter taps 15 and
    bias 1 that place the steps where LiteRT's are: exact from the file's
    bytes."""
    q_in, q_out = (0.4376222789287567, -128), (1.0, -116)
    data = build_tflite(*sum_case((1, 2), [-1], True, q_in, q_out))
    module = import_tflite(read_tflite_bytes(data))
    (op,) = [o for o in module.walk() if isinstance(o, tir.SumOp)]
    assert sum_depthwise(op.scale, op.input_zp, op.output_zp, 2) == (
        15,
        1,
        2004318071,
        -5,
    )
    model, written, remarks = compiled(tmp_path, "sum", data)
    assert not remarks and assert_device_exact(model, written) == 1
    assert_program_equals_litert(model, 0)
