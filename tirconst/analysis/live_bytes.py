"""The live-bytes lower bound of a function over its op order.

Each `tir.allocate` (a workspace buffer) is live from the first to the last
top-level op that touches it, directly or through views and reshapes of it.
At each op the live bytes are the sum of the sizes of the buffers live there;
no placement can use less memory than their maximum, so it is a lower bound
on what a memory planner reaches (a planner such as `tir-plan-memory` gives
the upper side). Constants (flash) and function parameters are not counted.

`pool_bytes_at` is the other side, after planning: the bytes a pool holds
at each op (its placed workspaces and parameters that are live there).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.ir import Operation, SSAValue

from tirconst.dialects.tir.buffers import AllocateOp, DeclBufferOp, ReshapeOp
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.types import BufferType


@dataclass(frozen=True)
class LiveBytes:
    """Live bytes per top-level op of a function, and their maximum."""

    per_op: tuple[int, ...]
    ops: tuple[Operation, ...]

    @property
    def peak(self) -> int:
        return max(self.per_op, default=0)

    @property
    def peak_op(self) -> Operation | None:
        if not self.per_op:
            return None
        return self.ops[self.per_op.index(self.peak)]


def _top(op: Operation, body_ops: dict[Operation, int]) -> int | None:
    cur: Operation | None = op
    while cur is not None and cur not in body_ops:
        cur = cur.parent_op()
    return None if cur is None else body_ops[cur]


def _touches(value: SSAValue, body_ops: dict[Operation, int]) -> list[int]:
    """Top-level positions of the ops using `value` or an alias of it."""
    out: list[int] = []
    stack = [value]
    while stack:
        v = stack.pop()
        for use in v.uses:
            user = use.operation
            if isinstance(user, DeclBufferOp | ReshapeOp):
                stack.extend(user.results)
                continue
            if (i := _top(user, body_ops)) is not None:
                out.append(i)
    return out


@dataclass(frozen=True)
class Interval:
    """A workspace buffer live over top-level ops [first, last]."""

    alloc: AllocateOp
    first: int
    last: int
    size: int


def intervals(func: FuncOp) -> list[Interval]:
    """The lifetime of every workspace buffer of `func` that something touches."""
    index = {op: i for i, op in enumerate(func.body.block.ops)}
    out: list[Interval] = []
    for op in func.walk():
        if not isinstance(op, AllocateOp):
            continue
        touched = _touches(op.buffer, index)
        if not touched:
            continue
        bt = op.buffer.type
        assert isinstance(bt, BufferType)
        out.append(Interval(op, min(touched), max(touched), bt.size_in_bytes))
    return out


def live_bytes(func: FuncOp) -> LiveBytes:
    """The live bytes at every top-level op of `func` (see the module doc)."""
    ops = tuple(func.body.block.ops)
    per_op = [0] * len(ops)
    for iv in intervals(func):
        for i in range(iv.first, iv.last + 1):
            per_op[i] += iv.size
    return LiveBytes(tuple(per_op), ops)


def pool_bytes_at(func: FuncOp, pool: str, params: str = "use") -> dict[Operation, int]:
    """The bytes of the buffers placed in `pool` that are live at each op of
    a planned `func` (every op, pre-order): what the pool holds while the op
    runs. Lifetimes are `liveness.analyze(func, params)`'s (`"use"`: inputs
    and outputs live only from or to their use, as `tir-plan-memory
    {reuse-io=true}` plans them); a view shares its root's bytes."""
    from tirconst.analysis.liveness import analyze

    live = analyze(func, params)
    names = dict(zip(func.args, func.names, strict=True))
    params_at = func.placements()
    spans: list[tuple[int, int, int]] = []
    for value, life in live.lifetimes.items():
        if life.kind == "param":
            place = params_at.get(names[value])
        elif isinstance(value.owner, AllocateOp):
            place = value.owner.placement
        else:
            continue  # constants live in flash
        if place is not None and place.pool_name == pool:
            spans.append((life.start, life.end, life.size))
    return {
        op: sum(size for start, end, size in spans if start <= t < end)
        for op, t in live.order.items()
    }
