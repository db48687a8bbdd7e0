"""Typed operator ops over buffers, with TFLite int8 semantics.

Each op reads its `ins` buffers and writes its `outs` buffer (destination
passing, as TVM's Ethos-U extern calls did). Quantization parameters are the
integers TFLite's int8 reference kernels use: zero points, fixed-point
multipliers and shifts (shift > 0 is a left shift), and the fused activation
clamp `[act_min, act_max]` in the output's quantized domain. These ops are what
tiling splits and what lowers to `npu` operations.

Syntax: `tir.conv2d ins(%x, %w, %b : T1, T2, T3) outs(%y : T4) {params}`.

This module holds what every operator op shares (the base class, parameter
conversion, common verifier rules); the ops are in `convolution_ops`
(convolutions, fully connected, pooling) and `elementwise_ops` (elementwise
arithmetic, lookup-table activations, quantization, pad, mean, copy).
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
    IRDLOperation,
    irdl_op_definition,
    prop_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import MemoryReadEffect, MemoryWriteEffect
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.memory import Effect, Effects
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

    def effects(self) -> Effects:
        """Every input is read whole; the output is written whole."""
        out = self.output  # type: ignore[attr-defined]
        return [(v, Effect.READ) for v in self.input_values()] + [(out, Effect.WRITE)]

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


CLAMP = {"act_min": Int, "act_max": Int}
WINDOW2D = {"stride": Ints, "pad": Ints}


def conv_out_dim(size: int, k: int, stride: int, dilation: int, lo: int, hi: int):
    return (size + lo + hi - ((k - 1) * dilation + 1)) // stride + 1


def verify_window(op: OperatorOp, kh: int, kw: int, dilation=(1, 1)) -> tuple[int, int]:
    op.expect_len("stride", 2, positive=True)
    op.expect_len("pad", 4)
    top, left, bottom, right = op.p("pad")
    if min(top, left, bottom, right) < 0:
        raise VerifyException(f"pad values must be >= 0, got {list(op.p('pad'))}")
    n, h, w, _ = op.shape(op.input)  # type: ignore[attr-defined]
    sh, sw = op.p("stride")
    oh = conv_out_dim(h, kh, sh, dilation[0], top, bottom)
    ow = conv_out_dim(w, kw, sw, dilation[1], left, right)
    if oh < 1 or ow < 1:
        raise VerifyException(
            f"a {kh}x{kw} window does not fit the {h}x{w} input with pad "
            f"{[top, left, bottom, right]}"
        )
    return oh, ow


def verify_per_channel(op: OperatorOp, channels: int, allow_single: bool = False):
    for name in ("multiplier", "shift"):
        n = len(op.p(name))
        if n != channels and not (allow_single and n == 1):
            raise VerifyException(
                f"{name} must have {channels} per-channel values"
                + (" (or 1)" if allow_single else "")
                + f", got {n}"
            )


def verify_bias(op: OperatorOp, channels: int) -> None:
    bias = op.bias  # type: ignore[attr-defined]
    if bias is not None:
        op.expect_dtype("bias", bias, "int32")
        op.expect_shape("bias", bias, [channels])
