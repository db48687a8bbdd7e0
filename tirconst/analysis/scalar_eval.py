"""Scalar semantics on constants: what an `arith` or `tir` scalar op computes
when all its operands are `arith.constant`s.

Integers are signless two's complement of their width (TIR's intN; `index` is
64 bits) and wrap; `i1` is 0 or 1. Floats are computed in their own precision
with numpy. An op whose result is undefined for the given operands (division
by zero, a shift past the width, a float out of an integer's range) is not
evaluated: `evaluate` returns None and the op stays.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    Signedness,
)
from xdsl.ir import Attribute, Operation, SSAValue

from tirconst.dialects.tir.scalar import (
    CastOp,
    FloorDivOp,
    FloorModOp,
    MaxOp,
    MinOp,
    SelectOp,
)

Scalar = int | float

_FLOAT_DTYPES = {"f16": np.float16, "f32": np.float32, "f64": np.float64}


def int_width(t: Attribute) -> int | None:
    """The width of a signless integer or index type; None for others."""
    if isinstance(t, IndexType):
        return 64
    if isinstance(t, IntegerType) and t.signedness.data == Signedness.SIGNLESS:
        return t.width.data
    return None


def float_dtype(t: Attribute) -> type[np.floating] | None:
    return _FLOAT_DTYPES.get(str(t)) if isinstance(t, AnyFloat) else None


def wrap(value: int, width: int) -> int:
    """`value` as a `width`-bit two's complement integer (i1: 0 or 1)."""
    if width == 1:
        return value & 1
    value &= (1 << width) - 1
    return value - (1 << width) if value >> (width - 1) else value


def unsigned(value: int, width: int) -> int:
    return value & ((1 << width) - 1)


def constant_value(value: SSAValue) -> Scalar | None:
    """The value of an `arith.constant` result, normalized; None otherwise."""
    op = value.owner
    if not isinstance(op, arith.ConstantOp):
        return None
    attr = op.value
    if isinstance(attr, IntegerAttr):
        width = int_width(attr.type)
        return None if width is None else wrap(attr.value.data, width)
    if isinstance(attr, FloatAttr):
        return attr.value.data
    return None


def is_representable(t: Attribute) -> bool:
    """Whether an `arith.constant` can hold a value of type `t`."""
    return int_width(t) is not None or float_dtype(t) is not None


def make_constant(value: Scalar, t: Attribute) -> arith.ConstantOp:
    """An `arith.constant` of `value` with type `t` (see is_representable)."""
    width = int_width(t)
    if width is not None:
        return arith.ConstantOp(IntegerAttr(wrap(int(value), width), t))
    assert isinstance(t, AnyFloat)
    return arith.ConstantOp(FloatAttr(float(value), t))


def evaluate(op: Operation) -> Scalar | None:
    """The value of `op`'s single result if all operands are constants and the
    op is defined on them; None otherwise."""
    rule = _RULES.get(type(op))
    if rule is None or len(op.results) != 1:
        return None
    args = [constant_value(v) for v in op.operands]
    if any(a is None for a in args):
        return None
    return rule(op, args)  # type: ignore[arg-type]


# ------------------------------------------------------------------- integers


def _int_binary(fn: Callable[[int, int, int], int | None], signed: bool = False):
    def rule(op: Operation, args: list[Scalar]) -> Scalar | None:
        width = int_width(op.results[0].type)
        # Signed ops see i1 as 0/-1; we keep it as 0/1, so leave them be.
        if width is None or (signed and width == 1):
            return None
        a, b = int(args[0]), int(args[1])
        result = fn(a, b, width)
        if result is not None and _overflows(op, fn, a, b, width):
            return None  # undefined (overflow<nsw|nuw>): left for run time
        return None if result is None else wrap(result, width)

    return rule


def _overflows(op: Operation, fn, a: int, b: int, width: int) -> bool:
    """Whether an `overflow<nsw>` (`<nuw>`) op's exact result leaves the
    signed (unsigned) range."""
    flags = getattr(op, "overflow_flags", None)
    for flag in flags.data if flags is not None else ():
        if str(flag) == "nsw":
            exact = fn(wrap(a, width), wrap(b, width), width)
            lo, hi = -(1 << (width - 1)), (1 << (width - 1)) - 1
        else:
            exact = fn(unsigned(a, width), unsigned(b, width), width)
            lo, hi = 0, (1 << width) - 1
        if exact is None or not lo <= exact <= hi:
            return True
    return False


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _signed_div(fn: Callable[[int, int], int]):
    def div(a: int, b: int, w: int) -> int | None:
        # Zero divisors and MIN / -1 are undefined.
        if b == 0 or (w > 1 and a == -(1 << (w - 1)) and b == -1):
            return None
        return fn(a, b)

    return div


def _unsigned_div(fn: Callable[[int, int], int]):
    def div(a: int, b: int, w: int) -> int | None:
        a, b = unsigned(a, w), unsigned(b, w)
        return None if b == 0 else fn(a, b)

    return div


def _shift(kind: str):
    def shift(a: int, b: int, w: int) -> int | None:
        s = unsigned(b, w)
        if s >= w:
            return None
        if kind == "left":
            return a << s
        if kind == "arith":
            return a >> s
        return unsigned(a, w) >> s

    return shift


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


_CMPI = {
    0: lambda a, b, w: a == b,
    1: lambda a, b, w: a != b,
    2: lambda a, b, w: a < b,
    3: lambda a, b, w: a <= b,
    4: lambda a, b, w: a > b,
    5: lambda a, b, w: a >= b,
    6: lambda a, b, w: unsigned(a, w) < unsigned(b, w),
    7: lambda a, b, w: unsigned(a, w) <= unsigned(b, w),
    8: lambda a, b, w: unsigned(a, w) > unsigned(b, w),
    9: lambda a, b, w: unsigned(a, w) >= unsigned(b, w),
}


def _cmpi(op: Operation, args: list[Scalar]) -> Scalar | None:
    assert isinstance(op, arith.CmpiOp)
    w = int_width(op.lhs.type)
    pred = op.predicate.value.data
    if w is None or (w == 1 and 2 <= pred <= 5):
        return None
    return int(_CMPI[pred](int(args[0]), int(args[1]), w))


# --------------------------------------------------------------------- floats


def _float_binary(fn: Callable[[np.floating, np.floating], np.floating]):
    def rule(op: Operation, args: list[Scalar]) -> Scalar | None:
        dt = float_dtype(op.results[0].type)
        if dt is None:
            return None
        with np.errstate(all="ignore"):
            return float(fn(dt(args[0]), dt(args[1])))

    return rule


def _maximumf(a: np.floating, b: np.floating) -> float:
    """NaN if either is; +0 > -0 (numpy leaves the sign of zero unspecified)."""
    x, y = float(a), float(b)
    if x != x or y != y:
        return math.nan
    if x == y == 0.0:
        return y if math.copysign(1.0, x) < 0 else x
    return x if x > y else y


def _minimumf(a: np.floating, b: np.floating) -> float:
    """NaN if either is; -0 < +0."""
    x, y = float(a), float(b)
    if x != x or y != y:
        return math.nan
    if x == y == 0.0:
        return x if math.copysign(1.0, x) < 0 else y
    return x if x < y else y


def _num(pick: Callable[[np.floating, np.floating], float]):
    """IEEE maxNum/minNum: the other operand when one is NaN."""

    def fn(a: np.floating, b: np.floating) -> float:
        if a != a:
            return float(b)
        if b != b:
            return float(a)
        return pick(a, b)

    return fn


def _negf(op: Operation, args: list[Scalar]) -> Scalar | None:
    dt = float_dtype(op.results[0].type)
    return None if dt is None else float(-dt(args[0]))


def _ordered(fn: Callable[[float, float], bool], unordered: bool):
    return lambda a, b: unordered if (np.isnan(a) or np.isnan(b)) else fn(a, b)


_CMPF = {
    0: lambda a, b: False,
    1: _ordered(lambda a, b: a == b, False),
    2: _ordered(lambda a, b: a > b, False),
    3: _ordered(lambda a, b: a >= b, False),
    4: _ordered(lambda a, b: a < b, False),
    5: _ordered(lambda a, b: a <= b, False),
    6: _ordered(lambda a, b: a != b, False),
    7: _ordered(lambda a, b: True, False),
    8: _ordered(lambda a, b: a == b, True),
    9: _ordered(lambda a, b: a > b, True),
    10: _ordered(lambda a, b: a >= b, True),
    11: _ordered(lambda a, b: a < b, True),
    12: _ordered(lambda a, b: a <= b, True),
    13: _ordered(lambda a, b: a != b, True),
    14: _ordered(lambda a, b: False, True),
    15: lambda a, b: True,
}


def _cmpf(op: Operation, args: list[Scalar]) -> Scalar | None:
    assert isinstance(op, arith.CmpfOp)
    return int(_CMPF[op.predicate.value.data](float(args[0]), float(args[1])))


# ------------------------------------------------------------- select and casts


def _select(op: Operation, args: list[Scalar]) -> Scalar | None:
    return args[1] if args[0] else args[2]


def cast(value: Scalar, source: Attribute, target: Attribute) -> Scalar | None:
    """TIR `Cast` (C semantics): ints wrap, floats truncate toward zero and
    must fit, to i1 is `!= 0`. None when undefined or not representable."""
    src_w, dst_w = int_width(source), int_width(target)
    src_f, dst_f = float_dtype(source), float_dtype(target)
    if dst_w == 1 and (src_w is not None or src_f is not None):
        return int(value != 0)
    if src_w is not None and dst_w is not None:
        return wrap(int(value), dst_w)
    if src_w is not None and dst_f is not None:
        with np.errstate(over="ignore"):  # past the float's range: inf
            return float(np.array(int(value), dtype=np.int64).astype(dst_f))
    if src_f is not None and dst_f is not None:
        with np.errstate(all="ignore"):
            return float(dst_f(value))
    if src_f is not None and dst_w is not None:
        v = float(value)
        if not np.isfinite(v):
            return None
        t = int(v)  # truncates toward zero
        return t if -(1 << (dst_w - 1)) <= t < (1 << (dst_w - 1)) else None
    return None


def _tir_cast(op: Operation, args: list[Scalar]) -> Scalar | None:
    return cast(args[0], op.operands[0].type, op.results[0].type)


def _extui(op: Operation, args: list[Scalar]) -> Scalar | None:
    src, dst = int_width(op.operands[0].type), int_width(op.results[0].type)
    if src is None or dst is None:
        return None
    return wrap(unsigned(int(args[0]), src), dst)


def _int_cast(op: Operation, args: list[Scalar]) -> Scalar | None:
    dst = int_width(op.results[0].type)
    return None if dst is None else wrap(int(args[0]), dst)


def _uitofp(op: Operation, args: list[Scalar]) -> Scalar | None:
    src, dt = int_width(op.operands[0].type), float_dtype(op.results[0].type)
    if src is None or dt is None:
        return None
    with np.errstate(over="ignore"):
        return float(np.array(unsigned(int(args[0]), src), dtype=np.uint64).astype(dt))


def _fptoui(op: Operation, args: list[Scalar]) -> Scalar | None:
    dst = int_width(op.results[0].type)
    v = float(args[0])
    if dst is None or not np.isfinite(v) or not 0 <= int(v) < (1 << dst):
        return None
    return wrap(int(v), dst)


def _minmax(pick: Callable[..., Scalar], first_if: Callable[[float, float], bool]):
    """TIR min/max: signed for signless ints; for floats C's `a < b ? a : b`
    (so NaN and the sign of zero follow the operand order)."""

    def rule(op: Operation, args: list[Scalar]) -> Scalar | None:
        if int_width(op.results[0].type) is not None:
            return pick(int(args[0]), int(args[1]))
        dt = float_dtype(op.results[0].type)
        if dt is None:
            return None
        a, b = float(dt(args[0])), float(dt(args[1]))
        return a if first_if(a, b) else b

    return rule


def _unsigned_minmax(pick: Callable[..., int]):
    def fn(a: int, b: int, w: int) -> int:
        return pick(unsigned(a, w), unsigned(b, w))

    return fn


def _cast_rule(op: Operation, args: list[Scalar]) -> Scalar | None:
    # arith's sitofp/fptosi see i1 as signed (true is -1): not TIR's bool.
    if 1 in (int_width(op.operands[0].type), int_width(op.results[0].type)):
        return None
    return cast(args[0], op.operands[0].type, op.results[0].type)


_RULES: dict[type[Operation], Callable[[Operation, list[Scalar]], Scalar | None]] = {
    arith.AddiOp: _int_binary(lambda a, b, w: a + b),
    arith.SubiOp: _int_binary(lambda a, b, w: a - b),
    arith.MuliOp: _int_binary(lambda a, b, w: a * b),
    arith.AndIOp: _int_binary(lambda a, b, w: a & b),
    arith.OrIOp: _int_binary(lambda a, b, w: a | b),
    arith.XOrIOp: _int_binary(lambda a, b, w: a ^ b),
    arith.ShLIOp: _int_binary(_shift("left")),
    arith.ShRSIOp: _int_binary(_shift("arith"), signed=True),
    arith.ShRUIOp: _int_binary(_shift("logical")),
    arith.DivSIOp: _int_binary(_signed_div(_trunc_div), signed=True),
    arith.RemSIOp: _int_binary(
        _signed_div(lambda a, b: a - b * _trunc_div(a, b)), signed=True
    ),
    arith.FloorDivSIOp: _int_binary(_signed_div(lambda a, b: a // b), signed=True),
    arith.CeilDivSIOp: _int_binary(_signed_div(_ceil_div), signed=True),
    arith.DivUIOp: _int_binary(_unsigned_div(lambda a, b: a // b)),
    arith.RemUIOp: _int_binary(_unsigned_div(lambda a, b: a % b)),
    arith.CeilDivUIOp: _int_binary(_unsigned_div(_ceil_div)),
    arith.MinSIOp: _int_binary(lambda a, b, w: min(a, b), signed=True),
    arith.MaxSIOp: _int_binary(lambda a, b, w: max(a, b), signed=True),
    arith.MinUIOp: _int_binary(_unsigned_minmax(min)),
    arith.MaxUIOp: _int_binary(_unsigned_minmax(max)),
    arith.CmpiOp: _cmpi,
    arith.AddfOp: _float_binary(lambda a, b: a + b),
    arith.SubfOp: _float_binary(lambda a, b: a - b),
    arith.MulfOp: _float_binary(lambda a, b: a * b),
    arith.DivfOp: _float_binary(lambda a, b: a / b),
    arith.MinimumfOp: _float_binary(_minimumf),
    arith.MaximumfOp: _float_binary(_maximumf),
    arith.MinnumfOp: _float_binary(_num(_minimumf)),
    arith.MaxnumfOp: _float_binary(_num(_maximumf)),
    arith.NegfOp: _negf,
    arith.CmpfOp: _cmpf,
    arith.SelectOp: _select,
    arith.ExtSIOp: _int_cast,
    arith.TruncIOp: _int_cast,
    arith.IndexCastOp: _int_cast,
    arith.ExtUIOp: _extui,
    arith.SIToFPOp: _cast_rule,
    arith.UIToFPOp: _uitofp,
    arith.FPToSIOp: _cast_rule,
    arith.FPToUIOp: _fptoui,
    arith.ExtFOp: _cast_rule,
    arith.TruncFOp: _cast_rule,
    FloorDivOp: _int_binary(_signed_div(lambda a, b: a // b)),
    # A modulo cannot overflow: MIN floormod -1 is 0 (as the interpreter says).
    FloorModOp: _int_binary(lambda a, b, w: None if b == 0 else a % b),
    MinOp: _minmax(min, lambda a, b: a < b),
    MaxOp: _minmax(max, lambda a, b: a > b),
    SelectOp: _select,
    CastOp: _tir_cast,
}
