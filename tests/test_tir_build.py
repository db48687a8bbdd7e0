"""Building every `tir` op from Python: constructors, `create_op` for the
operator ops, accessors, and verification of what was built.

Each built module must verify, print, and parse back to the same text, so the
Python constructors and the text form cannot drift apart. A coverage test fails
when an op joins the dialect without a builder here.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from xdsl.builder import Builder
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FloatAttr,
    IndexType,
    IntegerAttr,
    ModuleOp,
    TensorType,
    f16,
    f32,
    i1,
    i8,
    i16,
    i32,
    i64,
)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.printer import Printer
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import VerifyException

from tirconst.core.diagnostics import parse_module, verify_located
from tirconst.dialects.tir import (
    AbsOp,
    AddOp,
    AllocateConstOp,
    AllocateOp,
    ArgMaxOp,
    AssertOp,
    AvgPool2DOp,
    BatchMatmulOp,
    BufferLoadOp,
    BufferStoreOp,
    BufferType,
    CallExternOp,
    CastOp,
    ConcatenationOp,
    ConstantOp,
    Conv2DOp,
    CopyOp,
    DeclBufferOp,
    DepthwiseConv2DOp,
    DequantizeOp,
    EluOp,
    ExpOp,
    FloorDivOp,
    FloorModOp,
    ForKind,
    ForOp,
    FullyConnectedOp,
    FuncOp,
    GeluOp,
    HardSwishOp,
    IfOp,
    LeakyReluOp,
    LogisticOp,
    LogOp,
    LookupOp,
    MaximumOp,
    MaxOp,
    MaxPool2DOp,
    MeanOp,
    MinimumOp,
    MinOp,
    MirrorPadOp,
    MulOp,
    NegOp,
    OperatorOp,
    PackOp,
    PadOp,
    PlacementAttr,
    PoolOp,
    PreluOp,
    QuantizeOp,
    ReduceMaxOp,
    ReduceMinOp,
    ReluOp,
    RequantizeOp,
    ReshapeOp,
    ResizeBilinearOp,
    ResizeNearestOp,
    ReverseOp,
    RsqrtOp,
    SelectOp,
    SequenceLstmOp,
    SoftmaxInt16Op,
    SoftmaxOp,
    SquaredDifferenceOp,
    StridedSliceOp,
    SubOp,
    SumOp,
    TanhOp,
    TFLiteOperatorOp,
    TileOp,
    Tir,
    TransposeConv2DOp,
    TransposeOp,
)
from tirconst.tools.opt import TirconstOptMain

BUILT: set[type[Operation]] = set()
"""Op classes some test below built (checked by test_every_op_is_built)."""


def buf(shape: Sequence[int], dtype: str = "i8", scope: str = "global") -> BufferType:
    elements = {"i8": i8, "i16": i16, "i32": i32, "f32": f32, "f16": f16, "i1": i1}
    element = elements[dtype]
    return BufferType(shape, element, scope)


def text_of(op: Operation) -> str:
    out = io.StringIO()
    Printer(stream=out).print_op(op)
    return out.getvalue()


def reparse(module: ModuleOp) -> ModuleOp:
    """Parse the module's text with tirconst-opt's context and verify it."""
    ctx = TirconstOptMain(args=[]).ctx
    parsed = parse_module(ctx, text_of(module), "built.mlir")
    verify_located(parsed)
    return parsed


def build_func(
    params: Sequence[tuple[str, BufferType]],
    body: Callable[[Builder, FuncOp], None],
    *prelude: Operation,
) -> tuple[ModuleOp, FuncOp]:
    """A module holding `prelude` ops and `@f(params)` whose body `body` builds;
    the module verifies and its text round-trips."""
    func = FuncOp("f", params)
    body(Builder(InsertPoint.at_end(func.body.block)), func)
    module = ModuleOp([*prelude, func])
    module.verify()
    assert text_of(reparse(module)) == text_of(module)
    for op in module.walk():
        BUILT.add(type(op))
    return module, func


def index(b: Builder, value: int) -> SSAValue:
    return b.insert(arith.ConstantOp(IntegerAttr(value, IndexType()))).result


def const(b: Builder, value: int | float | bool, type_) -> SSAValue:
    if type_ == f32 or type_ == f16:
        return b.insert(arith.ConstantOp(FloatAttr(float(value), type_))).result
    return b.insert(arith.ConstantOp(IntegerAttr(int(value), type_))).result


# ------------------------------------------------------------------ structure


def test_func_params_are_named_buffers():
    x, y = buf([4]), buf([4], "i32", "shared")
    _, func = build_func([("input0", x), ("output0", y)], lambda b, f: None)
    assert func.names == ("input0", "output0")
    assert func.param("output0").type == y
    assert [a.name_hint for a in func.args] == ["input0", "output0"]
    with pytest.raises(KeyError, match="@f has no parameter 'nope'"):
        func.param("nope")


def test_for_if_assert_call_extern():
    def body(b: Builder, func: FuncOp) -> None:
        c0, c4 = index(b, 0), index(b, 4)
        loops = [b.insert(ForOp(c0, c4, kind=kind)) for kind in ForKind]
        assert [loop.for_kind for loop in loops] == list(ForKind)
        inner = Builder(InsertPoint.at_end(loops[0].body.block))
        v = inner.insert(BufferLoadOp(func.args[0], [loops[0].induction_var])).result
        cond = b.insert(arith.ConstantOp(IntegerAttr(1, i1))).result
        then, other = Region(Block()), Region(Block())
        Builder(InsertPoint.at_end(then.block)).insert(AssertOp(cond, "then"))
        Builder(InsertPoint.at_end(other.block)).insert(AssertOp(cond, "else"))
        b.insert(IfOp(cond, then))
        b.insert(IfOp(cond, Region(Block()), other))
        b.insert(CallExternOp("kernel", [func.args[0], c0]))
        call = b.insert(CallExternOp("count", [], [i32]))
        assert call.res[0].type == i32
        assert v.type == i8

    build_func([("x", buf([4]))], body)


def test_for_kind_is_checked():
    def body(b: Builder, func: FuncOp) -> None:
        c0 = index(b, 0)
        loop = b.insert(ForOp(c0, c0))
        loop.kind = loop.kind.__class__("sideways")

    func = FuncOp("f", [])
    body(Builder(InsertPoint.at_end(func.body.block)), func)
    with pytest.raises(VerifyException, match="unknown loop kind 'sideways'"):
        ModuleOp([func]).verify()


# -------------------------------------------------------------------- buffers


def test_constants_allocations_views_loads_stores():
    weights = np.array([[1, -2], [3, -4]], dtype=np.int8)
    module_constant = ConstantOp("w", weights)
    built: dict[str, Operation] = {}

    def body(b: Builder, func: FuncOp) -> None:
        x = func.args[0]
        c1 = index(b, 1)
        scratch = b.insert(AllocateOp(buf([16], "i32", "shared"), name="scratch"))
        assert scratch.buffer.name_hint == "scratch"
        built["by_symbol"] = b.insert(AllocateConstOp("w", buf([2, 2])))
        inline = b.insert(AllocateConstOp(np.arange(20, dtype=np.float32)))
        assert inline.buffer_type == buf([20], "f32")
        row = b.insert(DeclBufferOp(x, 4, buf([4])))
        flat = b.insert(ReshapeOp(x, buf([16])))
        v = b.insert(BufferLoadOp(x, [c1, c1])).result
        b.insert(BufferStoreOp(v, row.view, [c1]))
        b.insert(BufferStoreOp(v, flat.view, [c1]))
        scalar = func.args[1]
        s = b.insert(BufferLoadOp(scalar, [])).result
        b.insert(BufferStoreOp(s, scalar, []))

    build_func([("x", buf([4, 4])), ("s", buf([], "i32"))], body, module_constant)
    by_symbol = built["by_symbol"]
    assert isinstance(by_symbol, AllocateConstOp)
    assert by_symbol.constant_op() is module_constant
    np.testing.assert_array_equal(by_symbol.data, weights)


def test_pools_and_placements():
    sram, flash = PoolOp("sram", size=256, alignment=8), PoolOp("flash", read_only=True)
    w = ConstantOp("w", np.arange(4, dtype=np.int8))
    w.placement = PlacementAttr("flash", 16)

    def body(b: Builder, func: FuncOp) -> None:
        b.insert(AllocateOp(buf([8]), name="t", placement=PlacementAttr("sram", 8)))
        b.insert(AllocateConstOp("w", buf([4])))

    func_params = [("x", buf([4]))]
    module, func = build_func(func_params, body, sram, flash, w)
    func.param_placement = DictionaryAttr({"x": PlacementAttr("sram", 0)})
    module.verify()
    assert func.placements() == {"x": PlacementAttr("sram", 0)}
    assert "tir.pool @sram size 256 alignment 8" in text_of(module)
    assert text_of(reparse(module)) == text_of(module)
    assert (sram.size_bytes, sram.align, flash.read_only is not None) == (256, 8, True)


def test_allocate_const_from_dense_attribute_and_set_data():
    def body(b: Builder, func: FuncOp) -> None:
        op = b.insert(AllocateConstOp(np.zeros((2, 3), np.int8)))
        op.set_data(np.full((2, 3), 7, np.int64))  # cast to the buffer's dtype
        assert op.data.dtype == np.int8 and (op.data == 7).all()
        with pytest.raises(ValueError, match="new data has shape"):
            op.set_data(np.zeros(6, np.int8))

    build_func([], body)


def test_symbol_reference_needs_a_buffer_type():
    with pytest.raises(ValueError, match="needs an explicit buffer type"):
        AllocateConstOp("w")


def _verify_error(params, body, *prelude: Operation) -> str:
    func = FuncOp("f", params)
    body(Builder(InsertPoint.at_end(func.body.block)), func)
    with pytest.raises(VerifyException) as info:
        ModuleOp([*prelude, func]).verify()
    return str(info.value)


def test_built_ops_are_verified():
    """What Python builds is held to the same rules as text."""
    assert "does not name a tir.constant" in _verify_error(
        [], lambda b, f: b.insert(AllocateConstOp("nowhere", buf([4])))
    )
    assert "constant data has shape [4], but the buffer has shape [2, 2]" in (
        _verify_error(
            [],
            lambda b, f: b.insert(AllocateConstOp("w", buf([2, 2]))),
            ConstantOp("w", np.zeros(4, np.int8)),
        )
    )
    assert "stored value has type i32, but the buffer holds i8" in _verify_error(
        [("x", buf([4]))],
        lambda b, f: b.insert(
            BufferStoreOp(const(b, 1, i32), f.args[0], [index(b, 0)])
        ),
    )
    assert "exceeds the source's 4 elements" in _verify_error(
        [("x", buf([4]))], lambda b, f: b.insert(DeclBufferOp(f.args[0], 3, buf([2])))
    )


def test_data_of_the_wrong_size_is_refused():
    """Only Python can build an attribute whose bytes do not fill its type."""
    short = DenseIntOrFPElementsAttr.__new__(DenseIntOrFPElementsAttr)
    object.__setattr__(short, "type", TensorType(i8, [4]))
    object.__setattr__(short, "data", BytesAttr(b"\x01\x02\x03"))
    message = _verify_error([], lambda b, f: b.insert(AllocateConstOp(short)))
    assert "constant data has 3 bytes, expected 4" in message


# --------------------------------------------------------------------- scalar


def test_scalar_ops():
    def body(b: Builder, func: FuncOp) -> None:
        a, c = const(b, -7, i32), const(b, 2, i32)
        h = const(b, 1.5, f16)
        n = index(b, 5)
        cond = b.insert(arith.ConstantOp(IntegerAttr(1, i1))).result
        for op_class in (FloorDivOp, FloorModOp, MinOp, MaxOp):
            assert b.insert(op_class(a, c)).result.type == i32
        assert b.insert(FloorDivOp(n, n)).result.type == IndexType()
        assert b.insert(MinOp(h, h)).result.type == f16
        assert b.insert(SelectOp(cond, a, c)).result.type == i32
        assert b.insert(CastOp(a, i8)).result.type == i8
        assert b.insert(CastOp(h, i64)).result.type == i64

    build_func([], body)


def test_floordiv_of_floats_is_refused():
    assert "expected an integer or index type, got f32" in _verify_error(
        [], lambda b, f: b.insert(FloorDivOp(const(b, 1.0, f32), const(b, 1.0, f32)))
    )


# ------------------------------------------------------------------ operators

_PER_TENSOR = {"act_min": -128, "act_max": 127}
_CONV = {
    "stride": (1, 1),
    "dilation": (1, 1),
    "pad": (0, 0, 0, 0),
    "input_zp": -1,
    "output_zp": 2,
    **_PER_TENSOR,
}
_ADD = {
    "lhs_zp": 0,
    "rhs_zp": 0,
    "output_zp": 0,
    "left_shift": 20,
    "lhs_multiplier": 1 << 30,
    "lhs_shift": 0,
    "rhs_multiplier": 1 << 30,
    "rhs_shift": 0,
    "output_multiplier": 1 << 30,
    "output_shift": -19,
    **_PER_TENSOR,
}
_MUL = {
    "lhs_zp": 0,
    "rhs_zp": 0,
    "output_zp": 0,
    "output_multiplier": 1 << 30,
    "output_shift": 0,
    **_PER_TENSOR,
}
_POOL = {"window": (2, 2), "stride": (2, 2), "pad": (0, 0, 0, 0), **_PER_TENSOR}

# op class -> (buffer types of ins, buffer type of outs, parameters)
OPERATOR_CASES: dict[type[OperatorOp], tuple[list[BufferType], BufferType, dict]] = {
    Conv2DOp: (
        [buf([1, 4, 4, 2]), buf([3, 3, 3, 2]), buf([3], "i32")],
        buf([1, 2, 2, 3]),
        {**_CONV, "multiplier": [1 << 30, 1 << 29, 1 << 28], "shift": [-1, 0, 1]},
    ),
    DepthwiseConv2DOp: (
        [buf([1, 4, 4, 2]), buf([1, 3, 3, 4])],
        buf([1, 2, 2, 4]),
        {**_CONV, "multiplier": [1 << 30] * 4, "shift": [0] * 4, "depth_multiplier": 2},
    ),
    FullyConnectedOp: (
        [buf([2, 8]), buf([4, 8]), buf([4], "i32")],
        buf([2, 4]),
        {
            "input_zp": 1,
            "filter_zp": 0,
            "output_zp": -3,
            "multiplier": [1518500250],
            "shift": [-7],
            **_PER_TENSOR,
        },
    ),
    AvgPool2DOp: ([buf([1, 4, 4, 2])], buf([1, 2, 2, 2]), _POOL),
    MaxPool2DOp: ([buf([1, 4, 4, 2])], buf([1, 2, 2, 2]), _POOL),
    AddOp: ([buf([2, 3]), buf([3])], buf([2, 3]), _ADD),
    SubOp: ([buf([2, 3]), buf([3])], buf([2, 3]), _ADD),
    MulOp: ([buf([2, 3]), buf([1])], buf([2, 3]), _MUL),
    PadOp: ([buf([2, 3])], buf([4, 4]), {"padding": (1, 1, 0, 1), "pad_value": -128}),
    MeanOp: (
        [buf([1, 4, 4, 2])],
        buf([1, 2]),
        {
            "axes": (1, 2),
            "input_zp": 0,
            "output_zp": 0,
            "multiplier": 1 << 30,
            "shift": -3,
        },
    ),
    SoftmaxOp: (
        [buf([1, 10]), buf([256], "i32")],
        buf([1, 10]),
        {"output_scale": 1 / 256, "output_zp": -128},
    ),
    SequenceLstmOp: (
        [buf([1, 3, 2])]
        + [buf([4, 2])] * 4
        + [buf([4, 4])] * 4
        + [buf([4], "i32")] * 4,
        buf([1, 3, 4]),
        {
            "time_major": 0,
            "input_zp": 0,
            "output_state_zp": -5,
            "hidden_zp": -5,
            "multiplier": [1 << 30] * 8,
            "shift": [3] * 8,
            "hidden_multiplier": 1 << 30,
            "hidden_shift": -22,
            "cell_scale_log2": -15,
            "cell_clip": 0,
        },
    ),
    SoftmaxInt16Op: (
        [buf([1, 4], "i16"), buf([1026], "i16")],
        buf([1, 4], "i16"),
        {"input_multiplier": 1 << 30, "input_left_shift": 2},
    ),
    LogisticOp: ([buf([16]), buf([256])], buf([16]), {}),
    LookupOp: ([buf([16]), buf([256])], buf([16]), {}),
    QuantizeOp: ([buf([8], "f32")], buf([8]), {"scale": 0.5, "zero_point": -1}),
    DequantizeOp: ([buf([8])], buf([8], "f32"), {"scale": 0.5, "zero_point": -1}),
    RequantizeOp: (
        [buf([8])],
        buf([8]),
        {
            "scale": 0.5,
            "zero_point": -1,
            "input_zp": 3,
            "multiplier": 1 << 30,
            "shift": 1,
        },
    ),
    CopyOp: ([buf([2, 3])], buf([6]), {}),
    ConcatenationOp: ([buf([2, 3]), buf([2, 1])], buf([2, 4]), {"axis": 1}),
    PackOp: ([buf([2, 3]), buf([2, 3])], buf([2, 2, 3]), {"axis": 1}),
    StridedSliceOp: (
        [buf([4, 6])],
        buf([2, 3]),
        {"begin": (1, 0), "strides": (2, 2), "size": (2, 3)},
    ),
    TransposeOp: ([buf([2, 3])], buf([3, 2]), {"perm": (1, 0)}),
    MirrorPadOp: ([buf([2, 3])], buf([4, 4]), {"padding": (1, 1, 0, 1), "mode": 0}),
    TileOp: ([buf([2, 3])], buf([2, 9]), {"multiples": (1, 3)}),
    ReverseOp: ([buf([2, 3])], buf([2, 3]), {"axes": (1,)}),
    ResizeNearestOp: (
        [buf([1, 2, 2, 3])],
        buf([1, 4, 4, 3]),
        {"align_corners": 0, "half_pixel_centers": 1},
    ),
    ResizeBilinearOp: (
        [buf([1, 2, 2, 3])],
        buf([1, 3, 5, 3]),
        {"align_corners": 1, "half_pixel_centers": 0},
    ),
    ReluOp: (
        [buf([8])],
        buf([8]),
        {
            "input_zp": 3,
            "output_zp": -128,
            "multiplier": 1 << 30,
            "shift": 1,
            **_PER_TENSOR,
        },
    ),
    LeakyReluOp: (
        [buf([8])],
        buf([8]),
        {
            "input_zp": 0,
            "output_zp": 0,
            "alpha_multiplier": 1717986944,
            "alpha_shift": -2,
            "identity_multiplier": 1 << 30,
            "identity_shift": 1,
        },
    ),
    PreluOp: (
        [buf([1, 2, 2, 3]), buf([3])],
        buf([1, 2, 2, 3]),
        {
            "input_zp": 0,
            "alpha_zp": 0,
            "output_zp": 0,
            "identity_multiplier": 1 << 30,
            "identity_shift": 1,
            "alpha_multiplier": 1 << 30,
            "alpha_shift": -6,
        },
    ),
    HardSwishOp: (
        [buf([8])],
        buf([8]),
        {
            "input_zp": 0,
            "output_zp": 0,
            "output_multiplier": 16384,
            "output_shift": -6,
            "reluish_multiplier": 21845,
            "reluish_shift": -5,
        },
    ),
    TanhOp: ([buf([16]), buf([256])], buf([16]), {}),
    ExpOp: ([buf([16]), buf([256])], buf([16]), {}),
    LogOp: ([buf([16]), buf([256])], buf([16]), {}),
    GeluOp: ([buf([16]), buf([256])], buf([16]), {}),
    EluOp: ([buf([16]), buf([256])], buf([16]), {}),
    MaximumOp: ([buf([2, 3]), buf([3])], buf([2, 3]), {}),
    MinimumOp: ([buf([2, 3]), buf([3])], buf([2, 3]), {}),
    AbsOp: (
        [buf([8])],
        buf([8]),
        {"input_zp": 3, "output_zp": -128, "multiplier": 1 << 30, "shift": 1},
    ),
    NegOp: ([buf([8])], buf([8]), {}),
    RsqrtOp: (
        [buf([8])],
        buf([8]),
        {"input_zp": -128, "output_zp": 0, "multiplier": 1073741824, "shift": 1},
    ),
    SquaredDifferenceOp: (
        [buf([2, 3]), buf([3])],
        buf([2, 3]),
        {k: v for k, v in _ADD.items() if k not in ("act_min", "act_max")}
        | {"left_shift": 7},
    ),
    ReduceMaxOp: ([buf([2, 3])], buf([2]), {"axes": (1,)}),
    ReduceMinOp: ([buf([2, 3])], buf([2, 1]), {"axes": (-1,)}),
    SumOp: (
        [buf([2, 3])],
        buf([2]),
        {"axes": (1,), "input_zp": 3, "output_zp": -4, "scale": 0.25},
    ),
    ArgMaxOp: ([buf([2, 3])], buf([2], "i32"), {"axis": 1}),
    TransposeConv2DOp: (
        [buf([1, 2, 2, 1]), buf([2, 3, 3, 1]), buf([2], "i32")],
        buf([1, 4, 4, 2]),
        {
            "stride": (2, 2),
            "pad": (0, 0),
            "input_zp": 0,
            "output_zp": 0,
            "multiplier": [1 << 30, 1 << 30],
            "shift": [-3, -3],
            **_PER_TENSOR,
        },
    ),
    BatchMatmulOp: (
        [buf([2, 3, 4]), buf([4, 5])],
        buf([2, 3, 5]),
        {
            "adj_x": 0,
            "adj_y": 0,
            "lhs_zp": 0,
            "rhs_zp": 0,
            "output_zp": 0,
            "multiplier": 1 << 30,
            "shift": -5,
        },
    ),
    TFLiteOperatorOp: (
        [buf([1, 4, 4, 8]), buf([2], "i32")],
        buf([1, 8, 8, 2]),
        {"opcode": "DEPTH_TO_SPACE", "version": 2},
    ),
}


@pytest.mark.parametrize("op_class", list(OPERATOR_CASES), ids=lambda c: c.name)
def test_operator_op_from_python(op_class: type[OperatorOp]):
    ins, out, params = OPERATOR_CASES[op_class]
    names = [f"in{i}" for i in range(len(ins))]
    built: list[OperatorOp] = []

    def body(b: Builder, func: FuncOp) -> None:
        inputs = [func.param(n) for n in names]
        built.append(b.insert(op_class.create_op(inputs, func.param("out"), **params)))

    build_func([*zip(names, ins, strict=True), ("out", out)], body)
    op = built[0]
    assert op.input_values() == [op.parent_op().param(n) for n in names]  # type: ignore[union-attr]
    assert op.output.type == out  # type: ignore[attr-defined]
    got = op.params()
    assert set(got) == set(op_class.PARAM_KINDS) == set(params)
    for name, value in params.items():
        if isinstance(value, float):
            assert got[name] == pytest.approx(value)
        else:
            assert np.array_equal(np.asarray(got[name]), np.asarray(value)), name


def test_per_channel_parameters_are_int32_arrays():
    ins, out, params = OPERATOR_CASES[Conv2DOp]
    func = FuncOp("f", [("x", ins[0]), ("w", ins[1]), ("y", out)])
    op = Conv2DOp.create_op([func.args[0], func.args[1]], func.args[2], **params)
    multiplier = op.properties["multiplier"]
    stride = op.properties["stride"]
    assert isinstance(multiplier, DenseArrayBase) and multiplier.elt_type == i32
    assert isinstance(stride, DenseArrayBase) and stride.elt_type == i64
    assert op.params()["multiplier"].dtype == np.int32
    assert op.bias is None  # type: ignore[attr-defined]
    assert isinstance(op.properties["input_zp"], IntegerAttr)
    assert isinstance(
        SoftmaxOp.create_op(
            [func.args[0], func.args[1]], func.args[2], output_scale=0.5, output_zp=0
        ).properties["output_scale"],
        FloatAttr,
    )


def test_parameters_print_in_definition_order():
    """The text of an op does not depend on the order its parameters came in."""
    ins, out, params = OPERATOR_CASES[AddOp]
    func = FuncOp("f", [("a", ins[0]), ("b", ins[1]), ("y", out)])
    reverse = dict(reversed(params.items()))
    op = AddOp.create_op(list(func.args[:2]), func.args[2], **reverse)
    assert list(op.properties) == list(reverse)
    printed = re.findall(r"(\w+) = ", text_of(op))
    assert printed == list(AddOp.PARAM_KINDS)


def test_create_op_names_missing_and_unknown_parameters():
    ins, out, params = OPERATOR_CASES[MulOp]
    func = FuncOp("f", [("a", ins[0]), ("b", ins[1]), ("y", out)])
    a, b, y = func.args
    missing = {k: v for k, v in params.items() if k != "output_shift"}
    with pytest.raises(TypeError, match="tir.mul needs parameter 'output_shift'"):
        MulOp.create_op([a, b], y, **missing)
    with pytest.raises(TypeError, match="tir.mul has no parameter 'stride'"):
        MulOp.create_op([a, b], y, **params, stride=(1, 1))


@pytest.mark.parametrize(
    ("ins", "props", "message"),
    [
        (1, {"opcode": "DEPTH_TO_SPACE", "version": 0}, "version must be >= 1, got 0"),
        (1, {"opcode": "depth_to_space", "version": 1}, "opcode must be a TFLite"),
        (0, {"opcode": "GATHER", "version": 1}, "needs at least one input"),
    ],
)
def test_tflite_operator_is_verified(ins: int, props: dict, message: str) -> None:
    """`tir.tflite_operator` names a TFLite operator (capitals), a version
    >= 1, and reads at least one buffer."""

    def body(b: Builder, func: FuncOp) -> None:
        args = list(func.args)
        b.insert(TFLiteOperatorOp.create_op(args[:ins], args[-1], **props))

    params = [("x", buf([1, 4, 4, 8])), ("y", buf([1, 8, 8, 2]))]
    assert message in _verify_error(params, body)


def test_operator_built_with_bad_shapes_is_refused():
    ins, _, params = OPERATOR_CASES[Conv2DOp]

    def body(b: Builder, func: FuncOp) -> None:
        b.insert(Conv2DOp.create_op(list(func.args[:3]), func.args[3], **params))

    message = _verify_error(
        [("x", ins[0]), ("w", ins[1]), ("b", ins[2]), ("y", buf([1, 4, 4, 3]))], body
    )
    assert "output must have shape [1, 2, 2, 3], got [1, 4, 4, 3]" in message


# ------------------------------------------------------------------- coverage


def test_every_op_is_built():
    """Every op of the dialect has a Python build test above."""
    for build in (
        test_func_params_are_named_buffers,
        test_for_if_assert_call_extern,
        test_constants_allocations_views_loads_stores,
        test_allocate_const_from_dense_attribute_and_set_data,
        test_scalar_ops,
        test_pools_and_placements,
    ):
        build()
    missing = {op.name for op in Tir.operations if not issubclass(op, OperatorOp)}
    missing -= {op.name for op in BUILT}
    assert not missing, f"no Python build test for {sorted(missing)}"
    operator_ops = {op for op in Tir.operations if issubclass(op, OperatorOp)}
    assert operator_ops == set(OPERATOR_CASES), (
        "OPERATOR_CASES must list every operator op: "
        f"{sorted(o.name for o in operator_ops ^ set(OPERATOR_CASES))}"
    )


def test_op_names_match_text():
    """Each Python class is the op its name says (guards copy-paste slips)."""
    for op in Tir.operations:
        # Conv2DOp -> conv2d, AllocateConstOp -> allocate_const: the class name
        # in snake case; TVM spells floordiv/floormod as one word.
        stem = op.__name__.removesuffix("Op")
        snake = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", stem).lower()
        snake = {"floor_div": "floordiv", "floor_mod": "floormod"}.get(snake, snake)
        assert op.name == f"tir.{snake}", (op.__name__, op.name)
