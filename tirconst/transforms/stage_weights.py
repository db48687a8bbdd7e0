"""`tir-stage-weights`: copy each op's weights from flash into an SRAM
workspace one op ahead of the op (double buffering, CopyComputeReordering)."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.block_choice import (
    copy_cycles,
    duration_floor,
    staging_gain,
    staging_grows,
)
from tirconst.analysis.npu_support import npu_reason
from tirconst.analysis.performance import SystemConfig
from tirconst.analysis.sram import ALIGNMENT, sram_by_op, sram_peak
from tirconst.analysis.tiled_sram import computes, staged_operands
from tirconst.dialects.tir.buffers import AllocateConstOp, AllocateOp
from tirconst.dialects.tir.convolution_ops import WeightedOp
from tirconst.dialects.tir.elementwise_ops import CopyOp
from tirconst.dialects.tir.operators import OperatorOp
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.traits import CopyLike
from tirconst.dialects.tir.types import BufferType
from tirconst.formats.ethos_u.weights import ACCELERATORS
from tirconst.transforms.system_options import SystemOptions

NAME = "tir-stage-weights"


def _before(a: Operation, b: Operation) -> bool:
    """Whether `a` comes before `b` in their block."""
    cur = a.next_op
    while cur is not None:
        if cur is b:
            return True
        cur = cur.next_op
    return False


def _span(first: Operation, last: Operation) -> list[Operation]:
    """The ops from `first` to `last` (both included) of one block."""
    ops = [first]
    while ops[-1] is not last:
        nxt = ops[-1].next_op
        assert nxt is not None
        ops.append(nxt)
    return ops


def stage_block(
    block: Block,
    fc: bool,
    keep_peak: bool = False,
    reuse_io: bool = False,
    by_cost: SystemConfig | None = None,
    budget: int = 0,
    distance: int = 1,
    op_weights: bool = False,
) -> int:
    """Stage the weights of the ops of `block`; returns how many copies. With
    `keep_peak`, an op's copies are undone when they raise the function's
    SRAM peak (`tirconst.analysis.sram`, parameters placed as `reuse_io`
    says) above the larger of the peak before staging and `budget`: that op
    reads its weights from flash. With `by_cost` (a system), an op's
    weights are staged only where the cycle model says the op is faster
    for it (`analysis.block_choice.staging_gain`), counting the part of the
    copy the ops it will run under do not hide (their `duration_floor`s
    less the copies already issued among them). With `distance` > 1, an
    op's copies are then issued up to that many computing ops ahead (all
    NPU ops, never before the previous op's copies, and with `keep_peak`
    only where the SRAM bound allows without measuring): the copy of a large
    weight then runs under several short ops instead of stalling its op.
    With `op_weights` (and `keep_peak`, `by_cost`), the limit is at least
    what each op whose staging is worth growing the peak for
    (`block_choice.staging_grows`) needs beside its own staged weights
    (`_own_weights_peak`): reading an op's weights from SRAM needs them
    there while it runs whatever the schedule, so the peak may grow that
    far, and copies issued ahead of their op only within it."""
    copies = 0
    previous: Operation | None = None
    run: list[Operation] = []  # the computing NPU ops since the last CPU op
    floor: Operation | None = None  # where the previous op's copies went
    func = block.parent_op()
    keep_peak = keep_peak and isinstance(func, FuncOp)
    peak = sram_peak(func, reuse_io).bytes if keep_peak else 0  # type: ignore[arg-type]
    grown = 0
    # The measure at each op before staging plus what staged buffers live
    # there add: a bound on the measure, so a copy it keeps within the limit
    # needs no measuring (measuring is the pass's cost).
    bound = sram_by_op(func, reuse_io) if keep_peak else {}  # type: ignore[arg-type]
    limit = max(peak, budget)
    if keep_peak and op_weights and by_cost is not None:
        limit = max(limit, _own_weights_peak(block, bound, fc, by_cost, peak))

    def stage_before(op: Operation, anchor: Operation) -> list:
        """Stage `op`'s weights before `anchor`, each copy kept only where
        the SRAM measure allows; the copies made."""
        nonlocal grown, copies
        made: list[tuple[Operation, Operation, int]] = []
        for name in staged_operands(op):
            value = getattr(op, name, None)
            if value is None or not isinstance(value.owner, AllocateConstOp):
                continue
            holder = value.owner
            bt = value.type
            assert isinstance(bt, BufferType)
            if holder.parent_block() is block and not _before(holder, anchor):
                # The constant must be defined before its copy.
                holder.detach()
                Rewriter.insert_op(holder, InsertPoint.before(anchor))
            buf = AllocateOp(
                BufferType(bt.get_shape(), bt.element_type, bt.scope),
                f"{value.name_hint or name}_staged",
            )
            copy = CopyOp.create_op([value], buf.buffer)
            Rewriter.insert_op([buf, copy], InsertPoint.before(anchor))
            for i, operand in enumerate(op.operands):
                if operand is value:
                    op.operands[i] = buf.buffer
            if keep_peak:
                # The peak grows by at most the staged bytes (each rounded to
                # the planner's alignment), and only at the ops the staged
                # buffer lives across (the anchor to the op; the copies
                # before the anchor need no more than the anchor): measure
                # only when that could pass the limit.
                rounded = -(-bt.size_in_bytes // ALIGNMENT) * ALIGNMENT
                grown += rounded
                span = _span(anchor, op)
                within = peak + grown <= limit or all(
                    bound[o] + rounded <= limit for o in span if o in bound
                )
                if not within and sram_peak(func, reuse_io).bytes > limit:  # type: ignore[arg-type]
                    # undo: this copy would raise the peak above the limit
                    grown -= rounded
                    for i, operand in enumerate(op.operands):
                        if operand is buf.buffer:
                            op.operands[i] = value
                    Rewriter.erase_op(copy)
                    Rewriter.erase_op(buf)
                    continue
                for o in span:
                    if o in bound:
                        bound[o] += rounded
            made.append((buf, copy, -(-bt.size_in_bytes // ALIGNMENT) * ALIGNMENT))
            copies += 1
        return made

    for op in list(block.ops):
        if not computes(op):
            continue
        # One op ahead, but not above an op the NPU cannot run: the copy (a
        # DMA) would then need a command stream of its own before the CPU op.
        ahead = previous is not None and npu_reason(previous) is None
        anchor = previous if ahead else op
        previous = op
        earlier = run[::-1]  # the ops a copy may go before, nearest first
        run = [*run, op] if npu_reason(op) is None else []
        if not _stageable(op, fc):
            continue
        if by_cost is not None:
            # The copy runs under the ops from where it will be issued
            # (`_reach`) to `op`, behind the copies already issued there.
            cover = 0.0
            if ahead:
                total = sum(
                    -(-_nbytes(v) // ALIGNMENT) * ALIGNMENT
                    for v in _staged_operands(op)
                )
                start = _reach(
                    anchor,
                    earlier[1:distance] if distance > 1 else [],
                    floor,
                    bound,
                    limit,
                    keep_peak,
                    total,
                )
                cover = _cover(start, op, by_cost)
            if staging_gain(op, by_cost, cover) <= 0:
                continue
        made = stage_before(op, anchor)
        if (
            not made
            and anchor is not op
            and by_cost is not None
            and not budget
            and staging_gain(op, by_cost, 0.0) > 0
        ):
            # No room while the previous ops run: right before the op, its
            # copy then unhidden, where that still pays. Not with a budget
            # (a promise): more copies, more chances for the planner to
            # place the pool above the measure (audio_example1's least
            # budget planned 3 bytes over).
            ahead, anchor = False, op
            made = stage_before(op, anchor)
        if made and ahead and distance > 1:
            floor = _issue_earlier(
                made, anchor, earlier[1:distance], floor, bound, limit, keep_peak
            )
        elif made:
            floor = anchor
    return copies


def _own_weights_peak(
    block: Block, bound: dict[Operation, int], fc: bool, cfg: SystemConfig, peak: int
) -> int:
    """The largest SRAM measure (`bound`, before staging) of an op of
    `block` plus its own staged weights (rounded to the planner's
    alignment), over the ops whose staging is worth growing the SRAM for
    (`block_choice.staging_grows`: the cycles saved, the copy under the op
    before, at least the share of the op's cycles its staged bytes are of
    the SRAM it then holds): what any plan reading those weights from SRAM
    needs while the op runs (Vela's Performance schedule buffers them so).
    Within `peak` (the measure's) that is not asked: it grows nothing."""
    most = 0
    for op in block.ops:
        if op not in bound or not _stageable(op, fc):
            continue
        own = sum(-(-_nbytes(v) // ALIGNMENT) * ALIGNMENT for v in _staged_operands(op))
        if bound[op] + own > max(most, peak) and not staging_grows(op, cfg):
            continue
        most = max(most, bound[op] + own)
    return most


def _stageable(op: Operation, fc: bool) -> bool:
    """Whether the pass may stage `op`'s weights (fully connected ones only
    with `fc`)."""
    return fc or not (isinstance(op, WeightedOp) and not op.WEIGHTS_REUSED)


def _nbytes(v: SSAValue) -> int:
    t = v.type
    assert isinstance(t, BufferType)
    return t.size_in_bytes


def _staged_operands(op: Operation) -> list[SSAValue]:
    """The constants `op` reads that a copy may stage: its weights (filter,
    bias: raw, a tile's slice or encoded bytes) and an operand its lowering
    re-reads per output element (`tiled_sram.staged_operands`)."""
    out: list[SSAValue] = []
    for name in staged_operands(op):
        value = getattr(op, name, None)
        if value is not None and isinstance(value.owner, AllocateConstOp):
            out.append(value)
    return out


def _reach(
    anchor: Operation,
    candidates: list[Operation],
    floor: Operation | None,
    bound: dict[Operation, int],
    limit: int,
    keep_peak: bool,
    total: int,
) -> Operation:
    """Where `_issue_earlier` would put copies of `total` bytes now before
    `anchor` (the SRAM bound not yet counting them)."""
    best = anchor
    for cand in candidates:
        if floor is not None and _before(cand, floor):
            break
        extra = _span(cand, best)[:-1]
        if keep_peak and any(bound[o] + total > limit for o in extra if o in bound):
            break
        best = cand
    return best


def _cover(start: Operation, op: Operation, cfg: SystemConfig) -> float:
    """Cycles of compute under which a copy issued before `start` runs
    before `op` needs it: the ops' durations (`duration_floor`) less the
    copies already issued among them (one DMA engine)."""
    cover = 0.0
    for o in _span(start, op)[:-1]:
        if isinstance(o, OperatorOp) and o.has_trait(CopyLike):
            src = o.input_named("input")
            assert src is not None  # a copy's input
            cover -= copy_cycles(_nbytes(src), cfg)
        elif isinstance(o, OperatorOp) and computes(o):
            cover += duration_floor(o, cfg)
    return cover


def _issue_earlier(
    made: list[tuple[Operation, Operation, int]],
    anchor: Operation,
    candidates: list[Operation],
    floor: Operation | None,
    bound: dict[Operation, int],
    limit: int,
    keep_peak: bool,
) -> Operation:
    """Move one op's copies (allocate, copy, rounded bytes), now before
    `anchor`, before the farthest of `candidates` (computing ops before
    `anchor`, nearest first) not before `floor` whose ops the staged bytes
    fit beside (`bound`); returns where they went."""
    total = sum(n for _, _, n in made)
    best = _reach(anchor, candidates, floor, bound, limit, keep_peak, total)
    if best is anchor:
        return anchor
    for o in _span(best, anchor)[:-1]:
        if o in bound:
            bound[o] += total
    for buf, copy, _ in made:
        for operand in copy.operands:
            holder = operand.owner
            if (
                isinstance(holder, AllocateConstOp)
                and holder.parent_block() is best.parent_block()
                and not _before(holder, best)
            ):
                holder.detach()
                Rewriter.insert_op(holder, InsertPoint.before(best))
        buf.detach()
        copy.detach()
        Rewriter.insert_op([buf, copy], InsertPoint.before(best))
    return best


@dataclass(frozen=True)
class StageWeightsPass(SystemOptions, ModulePass):
    """Stage weights from flash into SRAM, one op ahead.

    For each operator op reading a constant as its filter or bias (raw
    weights, a slice made by `tir-tile`, or encoded bytes), a `tir.allocate`
    workspace of the same type and a `tir.copy` of the constant into it are
    inserted before the previous computing op, and the op reads the copy. The
    copy of op i+1 then runs while op i computes (TVM's Ethos-U
    CopyComputeReordering with a distance of one op); since every staged
    slice is its own allocate, a memory planner overlaps at most two of them
    at a time: double buffering. `fc=flash` (the default, as Vela) leaves
    fully-connected weights in flash, where the NPU reads them directly;
    `fc=stage` stages them too. `enable=false` leaves every weight in flash.
    `keep-peak=true` stages a weight only where its copy does not raise the
    program's SRAM peak as `tir-plan-memory` places it
    (`tirconst.analysis.sram`: inputs and outputs included, live only while
    used with `reuse-io=true`, as `tir-plan-memory{reuse-io=true}` places
    them), as Vela buffers weights where SRAM allows: staging is for speed,
    and need not cost memory (nor break `tir-tile`'s budget).
    `budget=N` lets the peak grow to N bytes (Performance: SRAM spent on
    speed, within the SRAM limit). `by-cost=ACCELERATOR` stages an op's
    weights only where the cycle model (for the system `system-config`,
    `memory-mode` and `config` name: `SystemOptions`) says it runs faster
    from SRAM,
    counting what of the copy the earlier ops it runs under do not hide
    (`analysis.block_choice.staging_gain`), and where the SRAM measure has
    no room for the copy beside the previous op, right before the op if
    the unhidden copy still pays (not with a `budget`): weights the NPU
    reads once
    (one OFM block) gain nothing from a copy that cannot be hidden.
    `distance=N` then issues an op's copies up to N computing ops ahead
    (all NPU ops, in the order of the ops reading them, and with
    `keep-peak` only where the SRAM bound per op allows): a large copy then
    runs under several short ops rather than stalling its op.
    `op-weights=true` (with `keep-peak` and `by-cost`) lets the peak grow
    to what each op whose staging is worth it needs beside its own staged
    weights (any plan reading them from SRAM needs that while the op runs;
    worth it: `analysis.block_choice.staging_grows`, SRAM for speed at one
    to one, relatively, at worst), copies issued ahead only within it.
    """

    name = NAME

    fc: str = "flash"
    enable: bool = True
    keep_peak: bool = False
    reuse_io: bool = False
    budget: int = 0
    by_cost: str = ""
    distance: int = 1
    op_weights: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.fc not in ("flash", "stage"):
            raise PassFailedException(
                f"{NAME}: fc must be flash or stage, got {self.fc!r}"
            )
        if self.distance < 1:
            raise PassFailedException(
                f"{NAME}: distance must be at least 1, got {self.distance}"
            )
        if self.by_cost and self.by_cost not in ACCELERATORS:
            raise PassFailedException(
                f"{NAME}: unknown accelerator {self.by_cost!r} for by-cost (known: "
                f"{', '.join(ACCELERATORS)})"
            )
        if not self.enable:
            return
        cfg = self.system(self.by_cost, NAME) if self.by_cost else None
        for func in op.body.block.ops:
            if isinstance(func, FuncOp):
                stage_block(
                    func.body.block,
                    self.fc == "stage",
                    self.keep_peak,
                    self.reuse_io,
                    cfg,
                    self.budget,
                    self.distance,
                    self.op_weights,
                )
