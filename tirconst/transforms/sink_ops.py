"""`tir-sink-ops`: move each operator op down to just before the first op
that needs it, where that lowers the SRAM the function needs.

A TFLite model lists its operators in the converter's order, which need not
be the order that keeps the fewest feature maps live: an unrolled recurrent
network lists every step's input projection first, so all their outputs are
live together until the steps read them one by one. Vela schedules each op
just before its consumer; so does this pass, measured: an operator op whose
effects are known is moved past the ops after it that neither read nor
write what it writes nor write what it reads (by root buffer: a view is its
root), up to the first that does, and the move stays only where the SRAM
measure `tirconst.analysis.sram.sram_peak` (what `tir-plan-memory` places)
goes down. Ops are tried from the last to the first, so an op can follow
the ops after it that moved. Nothing else changes: the program computes
the same bytes in the same buffers.

A move changes which buffers are live only from the op's place to its
target's (its outputs start later, its inputs may end later, in-place pairs
among the ops it passes may change), so it can lower the peak only where
every op at which the measure peaks lies in that span; other moves are not
measured (the same result, far fewer measures).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.traits import IsTerminator

from tirconst.analysis.sram import sram_by_op, sram_peak
from tirconst.analysis.views import root_of
from tirconst.dialects.tir.memory import Effect, operand_effects
from tirconst.dialects.tir.operators import OperatorOp
from tirconst.dialects.tir.structure import FuncOp

NAME = "tir-sink-ops"


def _roots(op: Operation) -> tuple[set[SSAValue], set[SSAValue]] | None:
    """The root buffers `op` reads and writes; None when its effects are
    unknown (then nothing moves past it)."""
    effects = operand_effects(op)
    if effects is None:
        return None
    reads: set[SSAValue] = set()
    writes: set[SSAValue] = set()
    for v, e in effects:
        if e & Effect.READ:
            reads.add(root_of(v))
        if e & Effect.WRITE:
            writes.add(root_of(v))
    return reads, writes


def _first_dependent(op: Operation) -> Operation | None:
    """The first op after `op` in its block that `op` cannot move past: it
    touches what `op` writes, writes what `op` reads, or has unknown
    effects (None: the block's end)."""
    mine = _roots(op)
    assert mine is not None
    reads, writes = mine
    cur = op.next_op
    while cur is not None:
        if cur.has_trait(IsTerminator):
            return cur
        theirs = _roots(cur)
        if theirs is None:
            return cur
        r, w = theirs
        if writes & (r | w) or reads & w:
            return cur
        cur = cur.next_op
    return None


def _at_peak(func: FuncOp, reuse_io: bool) -> tuple[int, set[Operation] | None]:
    """The measure of `func` and the top-level ops at which it reaches it
    (None when it peaks where no op runs: then any move may matter)."""
    peak = sram_peak(func, reuse_io).bytes
    by_op = sram_by_op(func, reuse_io)
    at = {op for op, n in by_op.items() if n == peak}
    return peak, at or None


def _span(op: Operation, target: Operation) -> set[Operation]:
    """The ops from `op` through `target`, in block order."""
    out: set[Operation] = set()
    cur: Operation | None = op
    while cur is not None:
        out.add(cur)
        if cur is target:
            break
        cur = cur.next_op
    return out


def sink_block(func: FuncOp, block: Block, reuse_io: bool, prune: bool = True) -> int:
    """Sink the operator ops of `block` (the body of `func`); returns how
    many moved. `prune=False` measures every move (the tests check the
    pruning changes nothing)."""
    moved = 0
    peak, at_peak = _at_peak(func, reuse_io)
    for op in reversed(list(block.ops)):
        if not isinstance(op, OperatorOp) or op.results or _roots(op) is None:
            continue
        target = _first_dependent(op)
        if target is op.next_op or target is None:
            continue  # nothing to pass, or nothing after it needs it
        if prune and at_peak is not None and not at_peak <= _span(op, target):
            continue  # the measure peaks outside what the move changes
        home = op.next_op
        assert home is not None  # the target is further down
        op.detach()
        block.insert_op_before(op, target)
        now = sram_peak(func, reuse_io).bytes
        if now < peak:
            peak, at_peak = _at_peak(func, reuse_io)
            moved += 1
            continue
        op.detach()  # no better: back where it was
        block.insert_op_before(op, home)
    return moved


@dataclass(frozen=True)
class SinkOpsPass(ModulePass):
    """Move operator ops down to just before the first op that needs them
    where that lowers the SRAM measure (`reuse-io`: inputs and outputs live
    only while used, as `tir-plan-memory{reuse-io=true}` places them)."""

    name = NAME

    reuse_io: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for func in op.walk():
            if isinstance(func, FuncOp):
                sink_block(func, func.body.block, self.reuse_io)
