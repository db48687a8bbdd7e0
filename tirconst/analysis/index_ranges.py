"""Which values an index can take: interval analysis over `index` expressions.

An index is bounded when it is built from `arith.constant`s and the induction
variables of `tir.for` loops whose bounds are themselves bounded, through
add, sub, mul, TIR floordiv/floormod/min/max and selects. The interval is a
sound over-approximation: every value the index takes at run time lies in it.
Anything else (a value loaded from memory, a call result) is dynamic, and the
analysis says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects.builtin import IntegerAttr, IntegerType
from xdsl.ir import BlockArgument, Operation, SSAValue

from tirconst.dialects.tir.scalar import FloorDivOp, FloorModOp, MaxOp, MinOp, SelectOp
from tirconst.dialects.tir.structure import ForOp


@dataclass(frozen=True)
class Interval:
    """The closed integer interval [lo, hi]."""

    lo: int
    hi: int

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi

    def __str__(self) -> str:
        return f"[{self.lo}, {self.hi}]"


class DynamicIndex(Exception):
    """An index whose values the analysis cannot bound; the message says why."""


def describe_value(value: SSAValue) -> str:
    name = f"%{value.name_hint}" if value.name_hint else "a value"
    if isinstance(value, BlockArgument):
        owner = value.owner.parent_op()
        return f"{name} (argument of '{owner.name if owner else '?'}')"
    assert isinstance(value.owner, Operation)
    return f"{name} (result of '{value.owner.name}')"


class IndexRanges:
    """Memoized interval analysis; one instance per walk of the IR.

    The cache is keyed by SSA value, so an instance must not outlive a rewrite
    that changes the ops defining the values it has seen.
    """

    def __init__(self) -> None:
        self._cache: dict[SSAValue, Interval | DynamicIndex] = {}

    def range_of(self, value: SSAValue) -> Interval:
        """The interval of `value`, or raise DynamicIndex with the reason."""
        found = self._cache.get(value)
        if found is None:
            try:
                found = _check_width(value, self._compute(value))
            except DynamicIndex as e:
                found = e
            self._cache[value] = found
        if isinstance(found, DynamicIndex):
            raise found
        return found

    def _compute(self, value: SSAValue) -> Interval:
        if isinstance(value, BlockArgument):
            loop = value.owner.parent_op()
            if isinstance(loop, ForOp) and value is loop.induction_var:
                lb, ub = self.range_of(loop.lb), self.range_of(loop.ub)
                if ub.hi - 1 < lb.lo:
                    raise DynamicIndex(f"{describe_value(value)} never takes a value")
                return Interval(lb.lo, ub.hi - 1)
            raise DynamicIndex(f"{describe_value(value)} is not bounded")
        op = value.owner
        assert isinstance(op, Operation)
        value_attr = op.properties.get("value")
        if op.name == "arith.constant" and isinstance(value_attr, IntegerAttr):
            v = value_attr.value.data
            return Interval(v, v)
        rule = _RULES.get(op.name)
        if rule is None:
            raise DynamicIndex(f"{describe_value(value)} is not bounded")
        return rule(self, op)


def _check_width(value: SSAValue, interval: Interval) -> Interval:
    # Integer arithmetic wraps at its width; an interval past it is unsound.
    width = value.type.width.data if isinstance(value.type, IntegerType) else 64
    if width > 1 and not -(2 ** (width - 1)) <= interval.lo <= interval.hi < 2 ** (
        width - 1
    ):
        raise DynamicIndex(f"{describe_value(value)} may wrap around")
    return interval


def _binary(ranges: IndexRanges, op: Operation) -> tuple[Interval, Interval]:
    return ranges.range_of(op.operands[0]), ranges.range_of(op.operands[1])


def _add(r: IndexRanges, op: Operation) -> Interval:
    a, b = _binary(r, op)
    return Interval(a.lo + b.lo, a.hi + b.hi)


def _sub(r: IndexRanges, op: Operation) -> Interval:
    a, b = _binary(r, op)
    return Interval(a.lo - b.hi, a.hi - b.lo)


def _mul(r: IndexRanges, op: Operation) -> Interval:
    a, b = _binary(r, op)
    corners = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
    return Interval(min(corners), max(corners))


def _positive_divisor(op: Operation, b: Interval) -> int:
    if not b.is_point or b.lo <= 0:
        raise DynamicIndex(f"'{op.name}' divides by {b}, not a positive constant")
    return b.lo


def _floordiv(r: IndexRanges, op: Operation) -> Interval:
    a, b = _binary(r, op)
    d = _positive_divisor(op, b)
    return Interval(a.lo // d, a.hi // d)


def _floormod(r: IndexRanges, op: Operation) -> Interval:
    a, b = _binary(r, op)
    d = _positive_divisor(op, b)
    if a.lo // d == a.hi // d:
        return Interval(a.lo % d, a.hi % d)
    return Interval(0, d - 1)


def _min(r: IndexRanges, op: Operation) -> Interval:
    a, b = _binary(r, op)
    return Interval(min(a.lo, b.lo), min(a.hi, b.hi))


def _max(r: IndexRanges, op: Operation) -> Interval:
    a, b = _binary(r, op)
    return Interval(max(a.lo, b.lo), max(a.hi, b.hi))


def _select(r: IndexRanges, op: Operation) -> Interval:
    # Either branch may be taken; the condition is not analysed.
    a, b = r.range_of(op.operands[1]), r.range_of(op.operands[2])
    return Interval(min(a.lo, b.lo), max(a.hi, b.hi))


def _same(r: IndexRanges, op: Operation) -> Interval:
    return r.range_of(op.operands[0])


# By op name: importing xdsl's arith dialect for its classes costs every
# compile 40 ms; a module holding arith ops has loaded it already.
_RULES = {
    "arith.addi": _add,
    "arith.subi": _sub,
    "arith.muli": _mul,
    FloorDivOp.name: _floordiv,
    "arith.floordivsi": _floordiv,
    FloorModOp.name: _floormod,
    MinOp.name: _min,
    "arith.minsi": _min,
    MaxOp.name: _max,
    "arith.maxsi": _max,
    SelectOp.name: _select,
    "arith.select": _select,
    "arith.index_cast": _same,
}
