"""Typed operator ops over buffers, with TFLite int8 semantics.

Each op reads its `ins` buffers and writes its `outs` buffer (destination
passing, as TVM's Ethos-U extern calls did). Quantization parameters are the
integers TFLite's int8 reference kernels use: zero points, fixed-point
multipliers and shifts (shift > 0 is a left shift), and the fused activation
clamp `[act_min, act_max]` in the output's quantized domain. Next to them an
op carries the real quantization of the tensors it touches, as float32 scales
(`input_scale`, `filter_scales` per output channel, `output_scale`, `lhs_scale`,
...; see each op's `QUANT_KINDS`), which the NPU needs: all of them or none,
and when given the verifier recomputes the integers from them
(`tirconst.dialects.tir.quantization`, TFLite's rounding) and requires exact
agreement. What is indexed by output channel (filter and bias axes,
multiplier, shift, filter_scales) is named by `op.per_channel()` and sliced
together by `slice_output_channels`. These ops are what tiling splits and what
lowers to `npu` operations.

Syntax: `tir.conv2d ins(%x, %w, %b : T1, T2, T3) outs(%y : T4) {params}`.

This module holds what every operator op shares (the base class, parameter
conversion, common verifier rules); the ops are in `convolution_ops`
(convolutions, transpose convolution, fully connected, batch matmul,
pooling), `elementwise_ops` (elementwise arithmetic, softmax and logistic,
quantization, pad, mean, copy), `data_ops` (concatenation, strided slices,
transpose, mirror pad, tile, reverse, resize), `activation_ops` (ReLU
family, leaky ReLU, PReLU, hard swish, table activations, maximum, minimum),
`reduce_ops` (reduce max/min, arg max) and `sequence_ops` (the integer
LSTM).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NoReturn

import numpy as np
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseArrayBase,
    Float32Type,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    f32,
    i32,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    traits_def,
)
from xdsl.irdl.operations import BaseAttrAccessor, VarIRConstruct
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import MemoryReadEffect, MemoryWriteEffect
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.memory import Effect, Effects
from tirconst.dialects.tir.types import BufferType
from tirconst.kernels._common import window_extent

INT8_MIN, INT8_MAX = -128, 127
INT16_MIN, INT16_MAX = -32768, 32767


class Kind:
    """How one property of an operator op is typed: its attribute class, how a
    Python value becomes the attribute, and the one-line check of its type."""

    attr: ClassVar[type[Attribute]]
    text: ClassVar[str]

    @staticmethod
    def build(value: Any) -> Attribute:
        raise NotImplementedError

    @classmethod
    def check(cls, name: str, attr: Attribute) -> None:
        if not cls.accepts(attr):
            raise VerifyException(f"{name} must be {cls.text}, got {attr}")

    @staticmethod
    def accepts(attr: Attribute) -> bool:
        raise NotImplementedError


class Int(Kind):
    """An i64 integer (`stride = 2` in text)."""

    attr, text = IntegerAttr, "an i64 integer"

    @staticmethod
    def build(value: Any) -> Attribute:
        return IntegerAttr(int(value), i64)

    @staticmethod
    def accepts(attr: Attribute) -> bool:
        return isinstance(attr, IntegerAttr) and attr.type == i64


class ZeroPoint(Int):
    """An int8 zero point: an i64 integer in [-128, 127]."""

    text = "an i64 integer in [-128, 127]"

    @staticmethod
    def accepts(attr: Attribute) -> bool:
        return (
            Int.accepts(attr)
            and isinstance(attr, IntegerAttr)
            and INT8_MIN <= attr.value.data <= INT8_MAX
        )


class Name(Kind):
    """A TFLite builtin operator name (`opcode = "DEPTH_TO_SPACE"`): a string
    of capitals, digits and underscores, starting with a capital."""

    attr, text = StringAttr, 'a TFLite operator name ("DEPTH_TO_SPACE")'

    @staticmethod
    def build(value: Any) -> Attribute:
        return StringAttr(str(value))

    @staticmethod
    def accepts(attr: Attribute) -> bool:
        return isinstance(attr, StringAttr) and _OPCODE.fullmatch(attr.data) is not None


_OPCODE = re.compile(r"[A-Z][A-Z0-9_]*")


class Ints(Kind):
    """An array<i64: ...> (strides, padding, axes)."""

    attr, text = DenseArrayBase, "array<i64: ...>"
    elt: ClassVar[Attribute] = i64

    @classmethod
    def build(cls, value: Any) -> Attribute:
        array = np.asarray(value).reshape(-1)
        width = cls.elt.bitwidth  # type: ignore[attr-defined]
        if (
            array.dtype.kind in "iu"
            and array.size
            and -(2 ** (width - 1)) <= int(array.min())
            and int(array.max()) < 2 ** (width - 1)
        ):
            # the bytes `from_list` packs (little-endian, the values kept as
            # they are in the signed range), without its per-value Python
            # checks: the import builds ~800 of these for kws
            data = array.astype(f"<i{width // 8}").tobytes()
            return DenseArrayBase(cls.elt, BytesAttr(data))
        values = [int(v) for v in array]
        return DenseArrayBase.from_list(cls.elt, values)  # type: ignore[arg-type]

    @classmethod
    def accepts(cls, attr: Attribute) -> bool:
        return isinstance(attr, DenseArrayBase) and attr.elt_type == cls.elt


class PerChannel(Ints):
    """An array<i32: ...> of per-output-channel integers (multiplier, shift)."""

    text, elt = "array<i32: ...>", i32


class Float(Kind):
    """A float32 value (`scale = 0.5 : f32`)."""

    attr, text = FloatAttr, "an f32 float"

    @staticmethod
    def build(value: Any) -> Attribute:
        return FloatAttr(float(np.float32(value)), Float32Type())

    @staticmethod
    def accepts(attr: Attribute) -> bool:
        return isinstance(attr, FloatAttr) and isinstance(attr.type, Float32Type)


class Scale(Float):
    """A quantization scale: a finite f32 > 0."""

    text = "a finite f32 > 0"

    @staticmethod
    def accepts(attr: Attribute) -> bool:
        return (
            Float.accepts(attr)
            and isinstance(attr, FloatAttr)
            and 0 < attr.value.data < math.inf
        )


class Scales(Kind):
    """Per-output-channel quantization scales: array<f32: ...>, each finite > 0."""

    attr, text = DenseArrayBase, "array<f32: ...> of finite values > 0"

    @staticmethod
    def build(value: Any) -> Attribute:
        array = np.asarray(value, np.float32).reshape(-1)
        if np.isfinite(array).all():  # `from_list`'s bytes (a NaN's may differ)
            return DenseArrayBase(f32, BytesAttr(array.astype("<f4").tobytes()))
        values = [float(v) for v in array]
        return DenseArrayBase.from_list(f32, values)

    @staticmethod
    def accepts(attr: Attribute) -> bool:
        return (
            isinstance(attr, DenseArrayBase)
            and attr.elt_type == f32
            and all(0 < v < math.inf for v in attr.get_values())  # type: ignore[operator]
        )


def to_attr(name: str, value: Any, kind: type[Kind]) -> Attribute:
    """Build the property attribute for a Python value."""
    return kind.build(value)


def from_attr(attr: Attribute) -> Any:
    """The Python value of a property: int, float, tuple, or an int32 (per-channel
    integers) or float32 (per-channel scales) array (a new one each time)."""
    if isinstance(attr, IntegerAttr):
        return attr.value.data
    if isinstance(attr, FloatAttr):
        return attr.value.data
    if isinstance(attr, DenseArrayBase):
        values = _array_values(attr)
        return values.copy() if isinstance(values, np.ndarray) else values
    if isinstance(attr, StringAttr):
        return attr.data
    raise TypeError(f"unexpected parameter attribute {attr}")


_VALUES: dict[tuple[Attribute, bytes], tuple | np.ndarray] = {}
"""Dense arrays' values by (element type, bytes), `_array_values`'s."""

_VALUES_KEPT = 4096
"""At most this many arrays' values are kept (then the dict starts anew)."""


def _array_values(attr: DenseArrayBase) -> tuple | np.ndarray:
    """A dense array's values, decoded once per distinct element type and
    bytes (all `get_values` reads): the passes read an op's parameters many
    times (kws's compile: 8,630 reads). An array is the cache's own:
    `from_attr` hands out copies."""
    key = (attr.elt_type, attr.data.data)
    hit = _VALUES.get(key)
    if hit is None:
        values = attr.get_values()
        if attr.elt_type == i32:
            hit = np.array(values, dtype=np.int32)
        elif attr.elt_type == f32:
            hit = np.array(values, dtype=np.float32)
        else:
            hit = tuple(values)
        if len(_VALUES) >= _VALUES_KEPT:
            _VALUES.clear()
        _VALUES[key] = hit
    return hit


@dataclass(frozen=True)
class PerChannelData:
    """What an operator op indexes by output channel: `operands` maps an
    operand name to the axis holding the output channel, `properties` names
    the per-channel property arrays (each of length `channels`)."""

    channels: int
    operands: Mapping[str, int]
    properties: tuple[str, ...]


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
        kinds = {**cls.PARAM_KINDS, **cls.QUANT_KINDS}
        for name, value in params.items():
            if name not in kinds:
                raise TypeError(f"{cls.name} has no parameter {name!r}")
            props[name] = to_attr(name, value, kinds[name])
        if cls.VARIADIC:
            operands: list[Any] = [[v for v in inputs if v is not None]]
        else:
            operands = [[v] if v is not None else [] for v in inputs]
            operands += [[]] * (len(cls.INPUTS) - len(inputs))
        return cls(operands=[*operands, [output]], properties=props)

    PARAM_KINDS: ClassVar[Mapping[str, type[Kind]]] = {}
    """Kernel parameter name -> property kind (required properties)."""

    QUANT_KINDS: ClassVar[Mapping[str, type[Kind]]] = {}
    """Quantization property name -> kind: the float32 scales (and zero points
    the kernel does not take) of the tensors the op touches. Given all together
    or not at all; when given, the verifier recomputes the kernel integers from
    them and requires exact agreement."""

    def params(self) -> dict[str, Any]:
        """The kernel parameters as plain Python values (ints, floats, tuples,
        arrays): the op's kernel takes exactly these."""
        return {
            k: from_attr(v) for k, v in self.properties.items() if k in self.PARAM_KINDS
        }

    def quantization(self) -> dict[str, Any] | None:
        """The quantization properties as Python values, or None without them."""
        if not self.QUANT_KINDS or next(iter(self.QUANT_KINDS)) not in self.properties:
            return None
        return {k: from_attr(self.properties[k]) for k in self.QUANT_KINDS}

    def derived_integers(self, q: dict[str, Any]) -> dict[str, Any]:
        """The kernel integers the scales `q` give (see `quantization`); an op
        whose integers depend on its scales overrides this."""
        return {}

    def per_channel(self) -> PerChannelData | None:
        """What this op indexes by output channel (None: nothing)."""
        return None

    # -- verification of the properties ----------------------------------------

    def verify_properties(self) -> None:
        for name, kind in self.PARAM_KINDS.items():
            kind.check(name, self.properties[name])
        given = [k for k in self.QUANT_KINDS if k in self.properties]
        if given and len(given) != len(self.QUANT_KINDS):
            missing = [k for k in self.QUANT_KINDS if k not in self.properties]
            raise VerifyException(
                f"quantization {', '.join(given)} given without {', '.join(missing)}"
            )
        for name in given:
            self.QUANT_KINDS[name].check(name, self.properties[name])

    def verify_quantization(self) -> None:
        q = self.quantization()
        if q is None:
            return
        if "filter_scales" in q and len(q["filter_scales"]) != len(self.multiplier):
            raise VerifyException(
                f"filter_scales has {len(q['filter_scales'])} values for "
                f"{len(self.multiplier)} multipliers"
            )
        try:
            expected = self.derived_integers(q)
        except ValueError as e:
            raise VerifyException(f"the scales give no integers: {e}") from None
        for name, want in expected.items():
            got = self.p(name)
            if np.ndim(want):
                want, got = np.asarray(want), np.asarray(got)
                bad = np.flatnonzero(want != got)
                if bad.size:
                    i = int(bad[0])
                    raise VerifyException(
                        f"{name}[{i}] = {int(got[i])} disagrees with the scales, "
                        f"which give {int(want[i])}"
                    )
            elif got != want:
                raise VerifyException(
                    f"{name} = {got} disagrees with the scales, which give {want}"
                )

    def macs(self) -> int:
        """Multiply-accumulates one run performs, as Vela's per-layer CSV
        counts them (`MAC Count`): a kernel tap on one output element is one;
        an op without a kernel (elementwise, tables, copies) none."""
        return 0

    @property
    def output(self) -> SSAValue:
        """The buffer the op writes: `outs(%output)`, its last operand (each
        operator class declares it as its `output` operand)."""
        return self.operands[-1]

    def input_named(self, name: str) -> SSAValue | None:
        """The input operand `name` (one of `INPUTS`; None when an optional
        one is absent)."""
        v = getattr(self, name)
        assert v is None or isinstance(v, SSAValue), f"{self.name} has no {name}"
        return v

    def input_values(self) -> list[SSAValue]:
        if self.VARIADIC:
            return list(getattr(self, self.INPUTS[0]))
        return [v for name in self.INPUTS if (v := getattr(self, name)) is not None]

    def effects(self) -> Effects:
        """Every input is read whole; the output is written whole."""
        out = self.output
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
        """`[act_min, act_max]` is a non-empty range of the output's type
        (int8, or int16 for a 16x8 operator)."""
        lo, hi = self.act_min, self.act_max
        dt = str(self.buffer_type(self.output).dtype)
        qmin, qmax = (INT16_MIN, INT16_MAX) if dt == "int16" else (INT8_MIN, INT8_MAX)
        if not qmin <= lo <= hi <= qmax:
            raise VerifyException(
                f"activation clamp [{lo}, {hi}] must be a non-empty range in "
                f"{'int16' if dt == 'int16' else 'int8'}"
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
        out = self.output
        printer.print_ssa_value(out)
        printer.print_string(" : ")
        printer.print_attribute(out.type)
        printer.print_string(")")
        # In definition order, whatever order the properties were given in.
        props = self.properties
        names = [*self.PARAM_KINDS, *self.QUANT_KINDS, *self.EXTRA_PROPS]
        shown = {k: props[k] for k in names if k in props}
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
        optional = int(cls.OPTIONAL_LAST)
        if cls.VARIADIC and not names:
            parser.raise_error(f"{cls.name} takes ins(%{cls.INPUTS[0]}, ...)", pos)
        if not cls.VARIADIC and not required <= len(names) <= len(cls.INPUTS):
            parser.raise_error(
                f"{cls.name} takes ins({', '.join(cls.INPUTS)})"
                + (
                    f" (the last {optional} are optional)"
                    if optional > 1
                    else " (the last is optional)"
                    if optional
                    else ""
                ),
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
        props = {
            k: attrs.pop(k)
            for k in list(attrs)
            if k in cls.PARAM_KINDS or k in cls.QUANT_KINDS or k in cls.EXTRA_PROPS
        }
        missing = [k for k in cls.PARAM_KINDS if k not in props]
        if missing:
            parser.raise_error(f"{cls.name} is missing {', '.join(missing)}", pos)
        operands: list[Any] = [list(ins)] if cls.VARIADIC else [[v] for v in ins]
        operands += [[]] * (len(cls.INPUTS) - len(operands))
        op = cls(operands=[*operands, [out]], properties=props, attributes=attrs)
        return op

    OPTIONAL_LAST: ClassVar[bool | int] = False
    """Whether the last of INPUTS may be absent (a conv without bias), or
    how many of the last may be (an int: `tir.arg_max`'s NPU constant and
    workspace, given together)."""

    VARIADIC: ClassVar[bool] = False
    """Whether the one name in INPUTS is a variadic operand (any number of
    inputs, as `tir.concatenation` takes)."""

    EXTRA_PROPS: ClassVar[tuple[str, ...]] = ()
    """Optional properties other than parameters and quantization (printed
    after them): `encoded_weights` on the weighted ops."""


def _accessor(name: str, required: bool) -> property:
    def get(self: OperatorOp) -> Any:
        attr = self.properties.get(name)
        return from_attr(attr) if attr is not None or required else None

    get.__doc__ = f"The `{name}` parameter as a Python value."
    return property(get)


_SIZES: dict[bytes, tuple[int, ...]] = {}
"""Operand segment sizes by the bytes of their i32 array (a handful of
distinct ones: one per op kind and optional operand present or not)."""


class _SegmentAccessor:
    """An operand accessor of an op with `AttrSizedOperandSegments`: xDSL's
    (`inner`, which decodes the segment sizes property on every read), with
    the sizes decoded once per distinct property value: the passes read
    `op.input`, `op.bias`, ... of every op many times (kws's compile:
    15,618 reads)."""

    def __init__(self, inner: BaseAttrAccessor):
        self.inner = inner
        self.name = inner.option.attribute_name

    def __get__(self, obj: Operation | None, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        sizes = self.inner.option.container(obj)[self.name]
        data = sizes.data.data  # type: ignore[attr-defined]
        values = _SIZES.get(data)
        if values is None:
            values = _SIZES[data] = sizes.get_values()  # type: ignore[attr-defined]
        return self.inner.index(values, obj.operands)

    def __set__(self, obj: Operation, value: Any) -> NoReturn:
        self.inner.__set__(obj, value)


def _segment_accessors(op: type[IRDLOperation]) -> None:
    """Replace the op class's attribute-sized operand accessors by
    `_SegmentAccessor`s (the same answers)."""
    for name, accessor in list(vars(op).items()):
        if (
            isinstance(accessor, BaseAttrAccessor)
            and accessor.construct == VarIRConstruct.OPERAND
        ):
            setattr(op, name, _SegmentAccessor(accessor))


def operator_op(
    inputs: tuple[str, ...],
    params: Mapping[str, type[Kind]],
    optional_last: bool | int = False,
    quant: Mapping[str, type[Kind]] | None = None,
):
    """`irdl_op_definition` for an operator op: one required property per
    `params` entry (name -> Kind), one optional property per `quant` entry,
    `ins` operands named by `inputs`. The op's `verify_` runs after the
    property checks, then the scales are checked against the integers."""

    def define(cls: type[OperatorOp]) -> type[OperatorOp]:
        for name, kind in params.items():
            setattr(cls, name, prop_def(kind.attr))
        for name, kind in (quant or {}).items():
            setattr(cls, name, opt_prop_def(kind.attr))
        custom = cls.verify_  # xDSL runs it after the IRDL constraints

        def verify_(self: OperatorOp) -> None:
            self.verify_properties()
            custom(self)
            self.verify_quantization()

        cls.verify_ = verify_  # type: ignore[method-assign]
        op = irdl_op_definition(cls)
        _segment_accessors(op)
        # Typed accessors: `op.stride` is the parameter's Python value (the
        # attribute stays in `op.properties`); a quantization property is
        # None when the op has none.
        for name in params:
            setattr(op, name, _accessor(name, required=True))
        for name in quant or {}:
            setattr(op, name, _accessor(name, required=False))
        op.INPUTS, op.PARAM_KINDS, op.QUANT_KINDS, op.OPTIONAL_LAST = (
            inputs,
            dict(params),
            dict(quant or {}),
            optional_last,
        )
        return op

    return define


def slice_output_channels(
    op: OperatorOp, start: int, stop: int
) -> dict[str, Attribute]:
    """The properties of `op` restricted to output channels [start, stop): every
    per-channel property array (see `OperatorOp.per_channel`) is sliced, the rest
    is kept. A per-tensor value (one multiplier for all channels) stays whole.
    The caller slices the per-channel operands along their axes the same way."""
    pc = op.per_channel()
    if pc is None:
        raise ValueError(f"{op.name} has no per-channel data")
    if not 0 <= start < stop <= pc.channels:
        raise ValueError(
            f"channels [{start}, {stop}) are not within the {pc.channels} of {op.name}"
        )
    props = dict(op.properties)
    for name in pc.properties:
        attr = props.get(name)
        if isinstance(attr, DenseArrayBase) and len(attr.get_values()) == pc.channels:
            values = list(attr.get_values())[start:stop]
            props[name] = DenseArrayBase.from_list(attr.elt_type, values)  # type: ignore[arg-type]
    return props


CLAMP = {"act_min": Int, "act_max": Int}
WINDOW2D = {"stride": Ints, "pad": Ints}


def verify_window(
    op: OperatorOp, x: SSAValue, kh: int, kw: int, dilation=(1, 1)
) -> tuple[int, int]:
    """The output height and width of a `kh` x `kw` window over input `x`."""
    op.expect_len("stride", 2, positive=True)
    op.expect_len("pad", 4)
    top, left, bottom, right = op.pad
    if min(top, left, bottom, right) < 0:
        raise VerifyException(f"pad values must be >= 0, got {list(op.pad)}")
    n, h, w, _ = op.shape(x)
    sh, sw = op.stride
    oh = window_extent(h, kh, sh, dilation[0], top, bottom)
    ow = window_extent(w, kw, sw, dilation[1], left, right)
    if oh < 1 or ow < 1:
        raise VerifyException(
            f"a {kh}x{kw} window does not fit the {h}x{w} input with pad "
            f"{[top, left, bottom, right]}"
        )
    return oh, ow


def verify_per_channel(op: OperatorOp, channels: int, allow_single: bool = False):
    for name in ("multiplier", "shift", "filter_scales"):
        if name not in op.properties:
            continue
        n = len(op.p(name))
        if n != channels and not (allow_single and n == 1):
            raise VerifyException(
                f"{name} must have {channels} per-channel values"
                + (" (or 1)" if allow_single else "")
                + f", got {n}"
            )


def verify_bias(op: OperatorOp, bias: SSAValue | None, channels: int) -> None:
    """The bias has one value per channel: int32, or int64 when the input is
    int16 (the 16x8 kernels' 64-bit accumulators)."""
    if bias is not None:
        x = op.input_named("input")
        wide = x is not None and str(op.buffer_type(x).dtype) == "int16"
        op.expect_dtype("bias", bias, "int64" if wide else "int32")
        op.expect_shape("bias", bias, [channels])
