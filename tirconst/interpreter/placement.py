"""Reading the flat-memory placement the IR carries (tirconst.dialects.tir.memory).

The schema and its checks live in the dialect: `tir.pool` symbols, the
`placement` property (`#tir.place<@pool, offset>`) of `tir.allocate`,
`tir.allocate_const` and `tir.constant`, and `param_placement` on `tir.func`.
The verifier has already checked that pools exist, offsets are aligned and
buffers fit, so this module only reads: where each buffer lives, and how large
each pool's byte array must be (its declared size, else the furthest byte any
placement in the module reaches).
"""

from __future__ import annotations

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation

from tirconst.dialects.tir import (
    AllocateConstOp,
    AllocateOp,
    BufferType,
    FuncOp,
    PlacementAttr,
    PoolOp,
)

Placement = tuple[str, int]
"""(pool name, byte offset)."""


def _pair(p: PlacementAttr | None) -> Placement | None:
    return None if p is None else (p.pool_name, p.byte_offset)


def op_placement(op: Operation) -> Placement | None:
    """The (pool, offset) of a tir.allocate or tir.allocate_const, if placed."""
    if isinstance(op, AllocateConstOp):
        return _pair(op.effective_placement())
    if isinstance(op, AllocateOp):
        return _pair(op.placement)
    return None


def param_placements(func: FuncOp) -> dict[str, Placement]:
    """Parameter name -> (pool, offset), from `param_placement`."""
    return {n: (p.pool_name, p.byte_offset) for n, p in func.placements().items()}


def pool_sizes(module: ModuleOp, entry: FuncOp) -> dict[str, int]:
    """Pool name -> bytes of its array for running `entry` (see the module doc)."""
    reached: dict[str, int] = {}
    for op in module.walk():
        spans: list[tuple[Placement, int]] = []
        if isinstance(op, AllocateOp | AllocateConstOp):
            p = op_placement(op)
            t = op.buffer.type
            if p is not None and isinstance(t, BufferType):
                spans.append((p, t.size_in_bytes))
        elif isinstance(op, FuncOp):
            for name, p in param_placements(op).items():
                t = op.param(name).type
                assert isinstance(t, BufferType)
                spans.append((p, t.size_in_bytes))
        for (pool, offset), nbytes in spans:
            reached[pool] = max(reached.get(pool, 0), offset + nbytes)
    declared = {
        op.sym_name.data: op.size_bytes
        for op in module.ops
        if isinstance(op, PoolOp) and op.size_bytes is not None
    }
    return {pool: declared.get(pool, end) for pool, end in reached.items()}
