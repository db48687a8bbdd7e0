"""Typed operator ops over buffers, with TFLite int8 semantics.

Each op reads its `ins` buffers and writes its `outs` buffer (destination
passing, as TVM's Ethos-U extern calls did). Quantization parameters are the
integers TFLite's int8 reference kernels use: zero points, fixed-point
multipliers and shifts (shift > 0 is a left shift), and the fused activation
clamp `[act_min, act_max]` in the output's quantized domain. These ops are what
tiling splits and what lowers to `npu` operations.

Syntax: `tir.conv2d ins(%x, %w, %b : T1, T2, T3) outs(%y : T4) {params}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    DenseArrayBase,
    Float32Type,
    FloatAttr,
    IntegerAttr,
    i32,
    i64,
)
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    prop_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import MemoryReadEffect, MemoryWriteEffect
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.types import BufferType

Int = IntegerAttr
Ints = DenseArrayBase  # array<i64: ...> or, for per-channel values, array<i32: ...>
Float = FloatAttr

INT8_MIN, INT8_MAX = -128, 127


def to_attr(name: str, value: Any, kind: type) -> Attribute:
    """Build the property attribute for a Python value."""
    if kind is Int:
        return IntegerAttr(int(value), i64)
    if kind is Float:
        return FloatAttr(float(value), Float32Type())
    values = [int(v) for v in np.asarray(value).reshape(-1)]
    per_channel = name.endswith(("multiplier", "shift")) and not name.endswith(
        "left_shift"
    )
    return DenseArrayBase.from_list(i32 if per_channel else i64, values)


def from_attr(attr: Attribute) -> Any:
    """The Python value of a property: int, float, tuple or int32 array."""
    if isinstance(attr, IntegerAttr):
        return attr.value.data
    if isinstance(attr, FloatAttr):
        return attr.value.data
    if isinstance(attr, DenseArrayBase):
        values = attr.get_values()
        if attr.elt_type == i32:
            return np.array(values, dtype=np.int32)
        return tuple(values)
    raise TypeError(f"unexpected parameter attribute {attr}")


class OperatorOp(IRDLOperation):
    """Base of the typed operator ops: `ins(...)`, `outs(%output)`, parameters."""

    INPUTS: ClassVar[tuple[str, ...]]
    """Operand names in `ins` order; an optional operand comes last."""

    traits = traits_def(MemoryReadEffect(), MemoryWriteEffect())

    @classmethod
    def create_op(
        cls,
        inputs: Sequence[SSAValue | None],
        output: SSAValue,
        **params: Any,
    ) -> OperatorOp:
        """Build from SSA values and plain Python parameter values."""
        props: dict[str, Attribute] = {}
        for name in cls.PARAM_KINDS:
            if name not in params:
                raise TypeError(f"{cls.name} needs parameter {name!r}")
        for name, value in params.items():
            if name not in cls.PARAM_KINDS:
                raise TypeError(f"{cls.name} has no parameter {name!r}")
            props[name] = to_attr(name, value, cls.PARAM_KINDS[name])
        operands: list[Any] = [[v] if v is not None else [] for v in inputs]
        operands += [[]] * (len(cls.INPUTS) - len(inputs))
        return cls(operands=[*operands, [output]], properties=props)

    PARAM_KINDS: ClassVar[Mapping[str, type]] = {}
    """Parameter name -> property kind (Int, Ints or Float)."""

    def params(self) -> dict[str, Any]:
        """The parameters as plain Python values (ints, floats, tuples, arrays)."""
        return {
            k: from_attr(v) for k, v in self.properties.items() if k in self.PARAM_KINDS
        }

    def input_values(self) -> list[SSAValue]:
        return [v for name in self.INPUTS if (v := getattr(self, name)) is not None]

    def buffer_type(self, value: SSAValue | None) -> BufferType:
        assert value is not None and isinstance(value.type, BufferType)
        return value.type

    def shape(self, value: SSAValue | None) -> tuple[int, ...]:
        return self.buffer_type(value).get_shape()

    def p(self, name: str) -> Any:
        return from_attr(self.properties[name])

    # -- verification helpers ---------------------------------------------------

    def expect_dtype(self, role: str, value: SSAValue | None, *dtypes: str) -> None:
        dt = str(self.buffer_type(value).dtype)
        if dt not in dtypes:
            raise VerifyException(f"{role} must be {' or '.join(dtypes)}, got {dt}")

    def expect_rank(self, role: str, value: SSAValue | None, rank: int) -> None:
        shape = self.shape(value)
        if len(shape) != rank:
            raise VerifyException(
                f"{role} must have rank {rank}, got shape {list(shape)}"
            )

    def expect_len(self, name: str, n: int, positive: bool = False) -> None:
        values = self.p(name)
        if len(values) != n:
            raise VerifyException(f"{name} must have {n} values, got {len(values)}")
        if positive and any(v < 1 for v in values):
            raise VerifyException(f"{name} values must be >= 1, got {list(values)}")

    def expect_clamp(self) -> None:
        lo, hi = self.p("act_min"), self.p("act_max")
        if not INT8_MIN <= lo <= hi <= INT8_MAX:
            raise VerifyException(
                f"activation clamp [{lo}, {hi}] must be a non-empty range in int8"
            )

    def expect_shape(self, role: str, value: SSAValue | None, shape: Sequence[int]):
        if self.shape(value) != tuple(shape):
            raise VerifyException(
                f"{role} must have shape {list(shape)}, got {list(self.shape(value))}"
            )

    # -- text -------------------------------------------------------------------

    def print(self, printer: Printer) -> None:
        ins = self.input_values()
        printer.print_string(" ins(")
        printer.print_list(ins, printer.print_ssa_value)
        printer.print_string(" : ")
        printer.print_list([v.type for v in ins], printer.print_attribute)
        printer.print_string(") outs(")
        out = self.output  # type: ignore[attr-defined]
        printer.print_ssa_value(out)
        printer.print_string(" : ")
        printer.print_attribute(out.type)
        printer.print_string(")")
        # In definition order, whatever order the properties were given in.
        props = self.properties
        shown = {k: props[k] for k in self.PARAM_KINDS if k in props}
        printer.print_op_attributes(shown | dict(self.attributes))

    @classmethod
    def parse(cls, parser: Parser) -> OperatorOp:
        pos = parser.pos
        parser.parse_keyword("ins")
        parser.parse_punctuation("(")
        names = parser.parse_comma_separated_list(
            Parser.Delimiter.NONE, parser.parse_unresolved_operand
        )
        parser.parse_punctuation(":")
        types = parser.parse_comma_separated_list(
            Parser.Delimiter.NONE, parser.parse_type
        )
        parser.parse_punctuation(")")
        if len(names) != len(types):
            parser.raise_error(f"{len(names)} operands but {len(types)} types", pos)
        required = len(cls.INPUTS) - int(cls.OPTIONAL_LAST)
        if not required <= len(names) <= len(cls.INPUTS):
            parser.raise_error(
                f"{cls.name} takes ins({', '.join(cls.INPUTS)})"
                + (" (the last is optional)" if cls.OPTIONAL_LAST else ""),
                pos,
            )
        ins = parser.resolve_operands(names, types, pos)
        parser.parse_keyword("outs")
        parser.parse_punctuation("(")
        out_name = parser.parse_unresolved_operand()
        parser.parse_punctuation(":")
        out = parser.resolve_operand(out_name, parser.parse_type())
        parser.parse_punctuation(")")
        attrs = dict(parser.parse_optional_attr_dict())
        props = {k: attrs.pop(k) for k in list(attrs) if k in cls.PARAM_KINDS}
        missing = [k for k in cls.PARAM_KINDS if k not in props]
        if missing:
            parser.raise_error(f"{cls.name} is missing {', '.join(missing)}", pos)
        operands: list[Any] = [[v] for v in ins]
        operands += [[]] * (len(cls.INPUTS) - len(ins))
        op = cls(operands=[*operands, [out]], properties=props, attributes=attrs)
        return op

    OPTIONAL_LAST: ClassVar[bool] = False
    """Whether the last of INPUTS may be absent (a conv without bias)."""


def operator_op(
    inputs: tuple[str, ...], params: Mapping[str, type], optional_last: bool = False
):
    """`irdl_op_definition` for an operator op: one property per `params` entry
    (name -> Int, Ints or Float), `ins` operands named by `inputs`."""

    def define(cls: type[OperatorOp]) -> type[OperatorOp]:
        for name, kind in params.items():
            setattr(cls, name, prop_def(kind))
        op = irdl_op_definition(cls)
        op.INPUTS, op.PARAM_KINDS, op.OPTIONAL_LAST = (
            inputs,
            dict(params),
            optional_last,
        )
        return op

    return define


_CLAMP = {"act_min": Int, "act_max": Int}
_WINDOW2D = {"stride": Ints, "pad": Ints}


def _conv_out_dim(size: int, k: int, stride: int, dilation: int, lo: int, hi: int):
    return (size + lo + hi - ((k - 1) * dilation + 1)) // stride + 1


def _verify_window(
    op: OperatorOp, kh: int, kw: int, dilation=(1, 1)
) -> tuple[int, int]:
    op.expect_len("stride", 2, positive=True)
    op.expect_len("pad", 4)
    top, left, bottom, right = op.p("pad")
    if min(top, left, bottom, right) < 0:
        raise VerifyException(f"pad values must be >= 0, got {list(op.p('pad'))}")
    n, h, w, _ = op.shape(op.input)  # type: ignore[attr-defined]
    sh, sw = op.p("stride")
    oh = _conv_out_dim(h, kh, sh, dilation[0], top, bottom)
    ow = _conv_out_dim(w, kw, sw, dilation[1], left, right)
    if oh < 1 or ow < 1:
        raise VerifyException(
            f"a {kh}x{kw} window does not fit the {h}x{w} input with pad "
            f"{[top, left, bottom, right]}"
        )
    return oh, ow


def _verify_per_channel(op: OperatorOp, channels: int, allow_single: bool = False):
    for name in ("multiplier", "shift"):
        n = len(op.p(name))
        if n != channels and not (allow_single and n == 1):
            raise VerifyException(
                f"{name} must have {channels} per-channel values"
                + (" (or 1)" if allow_single else "")
                + f", got {n}"
            )


def _verify_bias(op: OperatorOp, channels: int) -> None:
    bias = op.bias  # type: ignore[attr-defined]
    if bias is not None:
        op.expect_dtype("bias", bias, "int32")
        op.expect_shape("bias", bias, [channels])


# ------------------------------------------------------------------ convolutions

_CONV = {
    "stride": Ints,
    "dilation": Ints,
    "pad": Ints,
    "input_zp": Int,
    "output_zp": Int,
    "multiplier": Ints,
    "shift": Ints,
    **_CLAMP,
}


@operator_op(("input", "filter", "bias"), _CONV, optional_last=True)
class Conv2DOp(OperatorOp):
    """TFLite int8 CONV_2D: NHWC input, OHWI filter, per-channel requantization.

    output[n, y, x, o] = clamp(output_zp + requant_o(bias[o] + sum over (ky, kx,
    i) of (input[n, y*sh - top + ky*dh, x*sw - left + kx*dw, i] + ... - input_zp) *
    filter[o, ky, kx, i])), with out-of-bounds input positions contributing 0
    (i.e. padding with the input zero point). `pad` is (top, left, bottom, right).

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x2xi8>, %w : !tir.buffer<1x3x3x2xi8>,
                    %b : !tir.buffer<1xi32>, %y : !tir.buffer<1x2x2x1xi8>) {
          tir.conv2d ins(%x, %w, %b : !tir.buffer<1x4x4x2xi8>,
              !tir.buffer<1x3x3x2xi8>, !tir.buffer<1xi32>)
              outs(%y : !tir.buffer<1x2x2x1xi8>)
              {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
               pad = array<i64: 0, 0, 0, 0>, input_zp = -1, output_zp = 2,
               multiplier = array<i32: 1073741824>, shift = array<i32: -3>,
               act_min = -128, act_max = 127}
        }
    """

    name = "tir.conv2d"

    input = operand_def(BufferType)
    filter = operand_def(BufferType)
    bias = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    def verify_(self) -> None:
        for role, v in (
            ("input", self.input),
            ("filter", self.filter),
            ("output", self.output),
        ):
            self.expect_rank(role, v, 4)
            self.expect_dtype(role, v, "int8")
        n, _, _, ci = self.shape(self.input)
        co, kh, kw, fi = self.shape(self.filter)
        if fi != ci:
            raise VerifyException(f"filter has {fi} input channels, input has {ci}")
        self.expect_len("dilation", 2, positive=True)
        oh, ow = _verify_window(self, kh, kw, self.p("dilation"))
        self.expect_shape("output", self.output, [n, oh, ow, co])
        _verify_bias(self, co)
        _verify_per_channel(self, co)
        self.expect_clamp()


@operator_op(
    ("input", "filter", "bias"), {**_CONV, "depth_multiplier": Int}, optional_last=True
)
class DepthwiseConv2DOp(OperatorOp):
    """TFLite int8 DEPTHWISE_CONV_2D: filter (1, KH, KW, C*depth_multiplier);
    output channel o reads input channel o // depth_multiplier only.

    Example:
        tir.func @f(%x : !tir.buffer<1x3x3x2xi8>, %w : !tir.buffer<1x3x3x2xi8>,
                    %y : !tir.buffer<1x1x1x2xi8>) {
          tir.depthwise_conv2d ins(%x, %w : !tir.buffer<1x3x3x2xi8>,
              !tir.buffer<1x3x3x2xi8>) outs(%y : !tir.buffer<1x1x1x2xi8>)
              {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
               pad = array<i64: 0, 0, 0, 0>, input_zp = 0, output_zp = 0,
               multiplier = array<i32: 1073741824, 1073741824>,
               shift = array<i32: 0, 0>, act_min = -128, act_max = 127,
               depth_multiplier = 1}
        }
    """

    name = "tir.depthwise_conv2d"

    input = operand_def(BufferType)
    filter = operand_def(BufferType)
    bias = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    def verify_(self) -> None:
        for role, v in (
            ("input", self.input),
            ("filter", self.filter),
            ("output", self.output),
        ):
            self.expect_rank(role, v, 4)
            self.expect_dtype(role, v, "int8")
        n, _, _, ci = self.shape(self.input)
        one, kh, kw, co = self.shape(self.filter)
        dm = self.p("depth_multiplier")
        if one != 1 or co != ci * dm:
            raise VerifyException(
                f"filter must have shape [1, KH, KW, {ci * dm}] for {ci} channels x "
                f"depth multiplier {dm}, got {list(self.shape(self.filter))}"
            )
        self.expect_len("dilation", 2, positive=True)
        oh, ow = _verify_window(self, kh, kw, self.p("dilation"))
        self.expect_shape("output", self.output, [n, oh, ow, co])
        _verify_bias(self, co)
        _verify_per_channel(self, co)
        self.expect_clamp()


_FC = {
    "input_zp": Int,
    "filter_zp": Int,
    "output_zp": Int,
    "multiplier": Ints,
    "shift": Ints,
    **_CLAMP,
}


@operator_op(("input", "filter", "bias"), _FC, optional_last=True)
class FullyConnectedOp(OperatorOp):
    """TFLite int8 FULLY_CONNECTED: rows of the input (last dim K) times the
    (Co, K) filter, requantized per tensor (1 multiplier) or per channel.

    Example:
        tir.func @f(%x : !tir.buffer<2x8xi8>, %w : !tir.buffer<4x8xi8>,
                    %b : !tir.buffer<4xi32>, %y : !tir.buffer<2x4xi8>) {
          tir.fully_connected ins(%x, %w, %b : !tir.buffer<2x8xi8>,
              !tir.buffer<4x8xi8>, !tir.buffer<4xi32>) outs(%y : !tir.buffer<2x4xi8>)
              {input_zp = 1, filter_zp = 0, output_zp = -3,
               multiplier = array<i32: 1518500250>, shift = array<i32: -7>,
               act_min = -128, act_max = 127}
        }
    """

    name = "tir.fully_connected"

    input = operand_def(BufferType)
    filter = operand_def(BufferType)
    bias = opt_operand_def(BufferType)
    output = operand_def(BufferType)

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    def verify_(self) -> None:
        for role, v in (
            ("input", self.input),
            ("filter", self.filter),
            ("output", self.output),
        ):
            self.expect_dtype(role, v, "int8")
        self.expect_rank("filter", self.filter, 2)
        co, k = self.shape(self.filter)
        numel = self.buffer_type(self.input).num_elements
        if k == 0 or numel % k:
            raise VerifyException(f"input of {numel} elements is not rows of {k}")
        out = self.shape(self.output)
        if (
            not out
            or out[-1] != co
            or self.buffer_type(self.output).num_elements != numel // k * co
        ):
            raise VerifyException(
                f"output must hold {numel // k} rows of {co}, got shape {list(out)}"
            )
        _verify_bias(self, co)
        _verify_per_channel(self, co, allow_single=True)
        self.expect_clamp()


# ---------------------------------------------------------------------- pooling


_POOL = {"window": Ints, **_WINDOW2D, **_CLAMP}


class _PoolOp(OperatorOp):
    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_rank(role, v, 4)
            self.expect_dtype(role, v, "int8")
        self.expect_len("window", 2, positive=True)
        kh, kw = self.p("window")
        oh, ow = _verify_window(self, kh, kw)
        n, _, _, c = self.shape(self.input)
        self.expect_shape("output", self.output, [n, oh, ow, c])
        self.expect_clamp()


@operator_op(("input",), _POOL)
class AvgPool2DOp(_PoolOp):
    """TFLite int8 AVERAGE_POOL_2D: the rounded mean of the in-bounds window
    elements (padding is not counted); input and output share quantization.

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x2x2x8xi8>) {
          tir.avg_pool2d ins(%x : !tir.buffer<1x4x4x8xi8>)
              outs(%y : !tir.buffer<1x2x2x8xi8>)
              {window = array<i64: 2, 2>, stride = array<i64: 2, 2>,
               pad = array<i64: 0, 0, 0, 0>, act_min = -128, act_max = 127}
        }
    """

    name = "tir.avg_pool2d"


@operator_op(("input",), _POOL)
class MaxPool2DOp(_PoolOp):
    """TFLite int8 MAX_POOL_2D: the maximum of the in-bounds window elements.

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x2x2x8xi8>) {
          tir.max_pool2d ins(%x : !tir.buffer<1x4x4x8xi8>)
              outs(%y : !tir.buffer<1x2x2x8xi8>)
              {window = array<i64: 3, 3>, stride = array<i64: 2, 2>,
               pad = array<i64: 1, 1, 0, 0>, act_min = 0, act_max = 127}
        }
    """

    name = "tir.max_pool2d"


# ------------------------------------------------------------------ elementwise


class _BinaryElementwiseOp(OperatorOp):
    lhs = operand_def(BufferType)
    rhs = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("lhs", self.lhs), ("rhs", self.rhs), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        out = self.shape(self.output)
        try:
            shape = np.broadcast_shapes(self.shape(self.lhs), self.shape(self.rhs))
        except ValueError:
            raise VerifyException(
                f"shapes {list(self.shape(self.lhs))} and {list(self.shape(self.rhs))} "
                "do not broadcast"
            ) from None
        if tuple(shape) != out:
            raise VerifyException(
                f"output must have the broadcast shape {list(shape)}, got {list(out)}"
            )
        self.expect_clamp()


_ADD_SUB = {
    "lhs_zp": Int,
    "rhs_zp": Int,
    "output_zp": Int,
    "left_shift": Int,
    "lhs_multiplier": Int,
    "lhs_shift": Int,
    "rhs_multiplier": Int,
    "rhs_shift": Int,
    "output_multiplier": Int,
    "output_shift": Int,
    **_CLAMP,
}


@operator_op(("lhs", "rhs"), _ADD_SUB)
class AddOp(_BinaryElementwiseOp):
    """TFLite int8 ADD with numpy broadcasting: both inputs are rescaled to a
    common scale (shifted left by `left_shift`), added, and requantized.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.add ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
              {lhs_zp = -5, rhs_zp = 3, output_zp = 0, left_shift = 20,
               lhs_multiplier = 1073741824, lhs_shift = 0,
               rhs_multiplier = 1073741824, rhs_shift = 0,
               output_multiplier = 1073741824, output_shift = -19,
               act_min = -128, act_max = 127}
        }
    """

    name = "tir.add"


@operator_op(("lhs", "rhs"), _ADD_SUB)
class SubOp(_BinaryElementwiseOp):
    """TFLite int8 SUB: as `tir.add`, subtracting `rhs`.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.sub ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
              {lhs_zp = -5, rhs_zp = 3, output_zp = 0, left_shift = 20,
               lhs_multiplier = 1073741824, lhs_shift = 0,
               rhs_multiplier = 1073741824, rhs_shift = 0,
               output_multiplier = 1073741824, output_shift = -19,
               act_min = -128, act_max = 127}
        }
    """

    name = "tir.sub"


_MUL = {
    "lhs_zp": Int,
    "rhs_zp": Int,
    "output_zp": Int,
    "output_multiplier": Int,
    "output_shift": Int,
    **_CLAMP,
}


@operator_op(("lhs", "rhs"), _MUL)
class MulOp(_BinaryElementwiseOp):
    """TFLite int8 MUL: (lhs - lhs_zp) * (rhs - rhs_zp), requantized.

    Example:
        tir.func @f(%a : !tir.buffer<2x3xi8>, %b : !tir.buffer<3xi8>,
                    %y : !tir.buffer<2x3xi8>) {
          tir.mul ins(%a, %b : !tir.buffer<2x3xi8>, !tir.buffer<3xi8>)
              outs(%y : !tir.buffer<2x3xi8>)
              {lhs_zp = 0, rhs_zp = 0, output_zp = 0,
               output_multiplier = 1073741824, output_shift = -6,
               act_min = -128, act_max = 127}
        }
    """

    name = "tir.mul"


# ------------------------------------------------------------- shape and others


@operator_op(("input",), {"padding": Ints, "pad_value": Int})
class PadOp(OperatorOp):
    """TFLite PAD: copies the input into the middle of the output and fills the
    border with `pad_value`. `padding` is (before0, after0, before1, ...).

    Example:
        tir.func @f(%x : !tir.buffer<2x3xi8>, %y : !tir.buffer<4x4xi8>) {
          tir.pad ins(%x : !tir.buffer<2x3xi8>) outs(%y : !tir.buffer<4x4xi8>)
              {padding = array<i64: 1, 1, 0, 1>, pad_value = -128}
        }
    """

    name = "tir.pad"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        shape = self.shape(self.input)
        self.expect_len("padding", 2 * len(shape))
        pads = self.p("padding")
        if min(pads, default=0) < 0:
            raise VerifyException(f"padding must be >= 0, got {list(pads)}")
        if (
            self.buffer_type(self.input).element_type
            != self.buffer_type(self.output).element_type
        ):
            raise VerifyException("input and output element types differ")
        expect = [d + pads[2 * i] + pads[2 * i + 1] for i, d in enumerate(shape)]
        self.expect_shape("output", self.output, expect)
        info = (
            np.iinfo(self.buffer_type(self.output).dtype)
            if self.buffer_type(self.output).dtype.kind in "iu"
            else None
        )
        if info is not None and not info.min <= self.p("pad_value") <= info.max:
            raise VerifyException(
                f"pad_value {self.p('pad_value')} does not fit {info.dtype}"
            )


_MEAN = {
    "axes": Ints,
    "input_zp": Int,
    "output_zp": Int,
    "multiplier": Int,
    "shift": Int,
}


@operator_op(("input",), _MEAN)
class MeanOp(OperatorOp):
    """TFLite int8 MEAN over `axes`, requantized from the input to the output
    quantization; the output keeps reduced axes as 1 or drops them.

    Example:
        tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x8xi8>) {
          tir.mean ins(%x : !tir.buffer<1x4x4x8xi8>) outs(%y : !tir.buffer<1x8xi8>)
              {axes = array<i64: 1, 2>, input_zp = 0, output_zp = 0,
               multiplier = 1073741824, shift = -3}
        }
    """

    name = "tir.mean"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        shape = self.shape(self.input)
        axes = sorted({a % len(shape) for a in self.p("axes")}) if shape else []
        if any(not -len(shape) <= a < len(shape) for a in self.p("axes")):
            raise VerifyException(
                f"axes {list(self.p('axes'))} out of range for rank {len(shape)}"
            )
        kept = [1 if i in axes else d for i, d in enumerate(shape)]
        dropped = [d for i, d in enumerate(shape) if i not in axes]
        if self.shape(self.output) not in (tuple(kept), tuple(dropped)):
            raise VerifyException(
                f"output must have shape {kept} or {dropped}, "
                f"got {list(self.shape(self.output))}"
            )


class _TableOp(OperatorOp):
    """An int8 activation through a constant lookup table (a first-class constant
    buffer, so passes see, share and place it like any weight)."""

    input = operand_def(BufferType)
    table = operand_def(BufferType)
    output = operand_def(BufferType)

    TABLE_DTYPE: ClassVar[str] = "int8"

    def verify_(self) -> None:
        for role, v in (("input", self.input), ("output", self.output)):
            self.expect_dtype(role, v, "int8")
        self.expect_shape("output", self.output, self.shape(self.input))
        self.expect_dtype("table", self.table, self.TABLE_DTYPE)
        self.expect_shape("table", self.table, [256])


@operator_op(("input", "table"), {"output_scale": Float, "output_zp": Int})
class SoftmaxOp(_TableOp):
    """TFLite int8 SOFTMAX along the last axis, as LiteRT's reference resolver
    runs it: `table[i]` is exp(-i * input_scale * beta) in float32; per row,
    e = table[max - x], out = round(e / (sum(e) * output_scale)) + output_zp,
    saturated to int8. TFLite requires output scale 1/256 and zero point -128.

    Example:
        tir.func @f(%x : !tir.buffer<1x10xi8>, %exp : !tir.buffer<256xf32>,
                    %y : !tir.buffer<1x10xi8>) {
          tir.softmax ins(%x, %exp : !tir.buffer<1x10xi8>, !tir.buffer<256xf32>)
              outs(%y : !tir.buffer<1x10xi8>)
              {output_scale = 0.00390625 : f32, output_zp = -128}
        }
    """

    name = "tir.softmax"

    TABLE_DTYPE: ClassVar[str] = "float32"


@operator_op(("input", "table"), {})
class LogisticOp(_TableOp):
    """TFLite int8 LOGISTIC (sigmoid) through its 256-entry table:
    output = table[input + 128].

    Example:
        tir.func @f(%x : !tir.buffer<16xi8>, %sigmoid : !tir.buffer<256xi8>,
                    %y : !tir.buffer<16xi8>) {
          tir.logistic ins(%x, %sigmoid : !tir.buffer<16xi8>, !tir.buffer<256xi8>)
              outs(%y : !tir.buffer<16xi8>)
        }
    """

    name = "tir.logistic"


@operator_op(
    ("input",),
    {
        "scale": Float,
        "zero_point": Int,
        "input_zp": Int,
        "multiplier": Int,
        "shift": Int,
    },
)
class RequantizeOp(OperatorOp):
    """TFLite QUANTIZE from int8 to int8: rescales from the input quantization
    (`input_zp`) to the output's (`scale`, `zero_point`) with the fixed-point
    `multiplier`/`shift` of input_scale / scale.

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
          tir.requantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
              {scale = 0.5 : f32, zero_point = -1, input_zp = 3,
               multiplier = 1073741824, shift = 1}
        }
    """

    name = "tir.requantize"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "int8")
        self.expect_dtype("output", self.output, "int8")
        self.expect_shape("output", self.output, self.shape(self.input))


@operator_op(("input",), {"scale": Float, "zero_point": Int})
class QuantizeOp(OperatorOp):
    """TFLite QUANTIZE of float32 data: round(x / scale) + zero_point, saturated
    to int8.

    Example:
        tir.func @f(%x : !tir.buffer<8xf32>, %y : !tir.buffer<8xi8>) {
          tir.quantize ins(%x : !tir.buffer<8xf32>) outs(%y : !tir.buffer<8xi8>)
              {scale = 0.5 : f32, zero_point = -1}
        }
    """

    name = "tir.quantize"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "float32")
        self.expect_dtype("output", self.output, "int8")
        self.expect_shape("output", self.output, self.shape(self.input))


@operator_op(("input",), {"scale": Float, "zero_point": Int})
class DequantizeOp(OperatorOp):
    """TFLite DEQUANTIZE to float32: (x - zero_point) * scale.

    Example:
        tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xf32>) {
          tir.dequantize ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xf32>)
              {scale = 0.5 : f32, zero_point = -1}
        }
    """

    name = "tir.dequantize"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        self.expect_dtype("input", self.input, "int8")
        self.expect_dtype("output", self.output, "float32")
        self.expect_shape("output", self.output, self.shape(self.input))


@operator_op(("input",), {})
class CopyOp(OperatorOp):
    """Copies the input buffer into the output buffer, element by element in
    row-major order (TVM's ethosu_copy); shapes may differ if sizes agree.

    Example:
        tir.func @f(%x : !tir.buffer<2x8xi8>, %y : !tir.buffer<16xi8>) {
          tir.copy ins(%x : !tir.buffer<2x8xi8>) outs(%y : !tir.buffer<16xi8>)
        }
    """

    name = "tir.copy"

    input = operand_def(BufferType)
    output = operand_def(BufferType)

    def verify_(self) -> None:
        src, dst = self.buffer_type(self.input), self.buffer_type(self.output)
        if src.element_type != dst.element_type or src.num_elements != dst.num_elements:
            raise VerifyException(
                f"copy needs equal element types and sizes, got {src} and {dst}"
            )
