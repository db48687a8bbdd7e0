"""`tir-feature-layouts`: store intermediate feature maps only the NPU touches
in NHCWB16 (16-channel bricks), as Vela stores its intermediates.

The NPU reads an NHWC feature map in bursts of the block depth and an
NHCWB16 one in bursts of 16 channels times the block width, so NHCWB16
moves the same bytes in fewer, longer bursts (the cycle model,
`analysis.performance`, costs both). The layout is the `layout = "nhcwb16"`
attribute of the `tir.allocate`; `views.stored_bytes` then gives its size
with the channels rounded up to whole bricks, which is what
`tir-plan-memory` and the SRAM measure place, and `convert-tir-to-npu`
gives the allocation's feature maps that layout. At the tir level nothing
changes meaning: the tir interpreter still reads the buffer row-major
(only NPU ops ever touch it once lowered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass

from tirconst.analysis.block_choice import tir_op_cycles
from tirconst.analysis.liveness import analyze
from tirconst.analysis.npu_support import NpuReasons, hwc, npu_reason, transparent
from tirconst.analysis.performance import SystemConfig
from tirconst.analysis.sram import ALIGNMENT, sram_by_op
from tirconst.analysis.views import BRICK, LAYOUT, is_view, layout_of, root_of
from tirconst.dialects.tir import AllocateOp, BufferType, FuncOp, OperatorOp
from tirconst.dialects.tir.traits import Elementwise, WholeFeatureMaps
from tirconst.transforms.system_options import SystemOptions

NAME = "tir-feature-layouts"

DTYPES = ("int8", "uint8", "int16")
FEW_CONFIGS = 4
"""Block configs costed for an op's other layouts: its fastest in the first."""


def _shape(v: SSAValue) -> tuple[int, ...]:
    assert isinstance(v.type, BufferType)
    return tuple(v.type.get_shape())


def _reads_whole(
    op: Operation, v: SSAValue, reason: Callable[[Operation], str | None] = npu_reason
) -> bool:
    """Whether `op` reads or writes `v` as a feature map of `v`'s own shape:
    an op the NPU runs with the `WholeFeatureMaps` trait, reading `v`, if
    an `Elementwise` operand, at the output's shape (not broadcast)."""
    if not isinstance(op, OperatorOp) or not op.has_trait(WholeFeatureMaps):
        return False
    if reason(op) is not None:
        return False
    elementwise = op.get_trait(Elementwise)
    if elementwise is not None:
        out = hwc(_shape(op.output))
        return all(hwc(_shape(u)) == out for u in elementwise.values(op) if u is v)
    return True


def _on_npu(
    op: Operation, reason: Callable[[Operation], str | None] = npu_reason
) -> bool:
    """An op that does not end an NPU run (convert-tir-to-npu's segments)."""
    if transparent(op):
        return True
    return isinstance(op, OperatorOp) and reason(op) is None


def candidate(
    alloc: AllocateOp,
    orders: dict[Block, tuple[dict[Operation, int], list]] | None = None,
    reason: Callable[[Operation], str | None] = npu_reason,
) -> bool:
    """Whether the allocation may be stored in NHCWB16: an int8/int16 H×W×C
    feature map that is neither a parameter nor read through a view (a
    slice, a concatenation's part, a reshape), written and read only by ops
    with the `WholeFeatureMaps` trait that the NPU runs, all within one NPU
    run (no CPU op in between: what crosses a run is a tensor of the
    written model, which firmware and LiteRT see as NHWC)."""
    v = alloc.buffer
    t = v.type
    assert isinstance(t, BufferType)
    if str(t.dtype) not in DTYPES or hwc(t.get_shape()) is None:
        return False
    users = [u.operation for u in v.uses]
    if not users or any(is_view(u) or not _reads_whole(u, v, reason) for u in users):
        return False
    block = alloc.parent_block()
    if block is None or any(u.parent_block() is not block for u in users):
        return False
    # `reason`: npu_reason, or a caller's NpuReasons remembering each op's
    # answer across the allocations it asks about.
    # `orders`: each block's op positions, for a caller asking about many
    # allocations of blocks it does not change meanwhile
    order = orders.get(block) if orders is not None else None
    if order is None:
        ops = list(block.ops)
        order = ({op: i for i, op in enumerate(ops)}, ops)
        if orders is not None:
            orders[block] = order
    index, ops = order
    first = min(index[u] for u in users)
    last = max(index[u] for u in users)
    return all(_on_npu(o, reason) for o in ops[first : last + 1])


def grows(alloc: AllocateOp) -> int:
    """Bytes NHCWB16 adds to the allocation (channels rounded to bricks)."""
    t = alloc.buffer.type
    assert isinstance(t, BufferType)
    c = t.get_shape()[-1]
    return t.size_in_bytes // c * (-(-c // BRICK) * BRICK - c)


class Costs:
    """The cycle model's duration of tir ops (`block_choice.tir_op_cycles`)
    per layout of their operands, each combination costed once."""

    def __init__(self, cfg: SystemConfig):
        self.cfg = cfg
        self.seen: dict[tuple[Operation, tuple[str, ...]], float] = {}
        self.configs: dict[Operation, list[tuple[int, int, int]]] = {}

    def cycles(self, op: OperatorOp, root: SSAValue, layout: str) -> float:
        values = [*op.input_values(), op.output]
        layouts = {root_of(v): layout_of(v) for v in values} | {root: layout}
        key = (op, tuple(layouts[root_of(v)] for v in values))
        if key not in self.seen:
            # The first costing of an op tries every block config; later ones
            # (other layouts) only its fastest few, so a gain is never
            # overestimated: the other layout's best may only be faster.
            few = self.configs.get(op)
            cycles, ranked = tir_op_cycles(op, layouts, self.cfg, few)
            self.configs.setdefault(op, ranked[:FEW_CONFIGS])
            self.seen[key] = cycles
        return self.seen[key]

    def gain(self, alloc: AllocateOp) -> float:
        """Cycles NHCWB16 saves over NHWC on the ops that touch `alloc`
        (the other operands as they are now)."""
        v = alloc.buffer
        return sum(
            self.cycles(o, v, "nhwc") - self.cycles(o, v, "nhcwb16")
            for o in _users(alloc)
        )


def _users(alloc: AllocateOp) -> list[OperatorOp]:
    ops = list(dict.fromkeys(u.operation for u in alloc.buffer.uses))
    assert all(isinstance(o, OperatorOp) for o in ops)  # a candidate's users
    return ops  # type: ignore[return-value]


def choose(
    func: FuncOp,
    grow: bool,
    reuse_io: bool,
    keep_peak: bool = True,
    by_cost: SystemConfig | None = None,
    budget: int = 0,
) -> list[AllocateOp]:
    """Mark the candidates, in program order: those whose channels fill
    whole bricks, and with `grow` also the others, each where the rounding
    keeps the function's SRAM measure (`analysis.sram`) at every op its
    buffer is live over within the larger of its peak and `budget` (any
    measure if not `keep_peak`), and not an elementwise op's output that
    may take an NHWC operand's bytes (`_in_place`). With `by_cost` (a
    system) rounded channels only where the cycle model says the ops
    touching the buffer run faster. Returns the allocations marked."""
    costs = Costs(by_cost) if by_cost is not None else None
    chosen: list[AllocateOp] = []
    bound: dict[Operation, int] | None = None
    peak = 0
    tops = list(func.body.block.ops)
    at = {op: i for i, op in enumerate(tops)}
    live = None
    orders: dict[Block, tuple[dict[Operation, int], list]] = {}  # no op moves here
    reasons = NpuReasons()  # each op's, asked again for every buffer it touches
    for a in [o for o in func.body.walk() if isinstance(o, AllocateOp)]:
        if LAYOUT in a.attributes or not candidate(a, orders, reasons):
            continue
        extra = grows(a)
        if extra and (not grow or _in_place(a)):
            continue
        # Whole bricks move the same bytes in bursts at least as long: the
        # model costs them no more (on the bundled models 55 of 55 such
        # buffers no slower, 26 faster), so only rounding is costed.
        if costs is not None and extra and costs.gain(a) <= 0:
            continue
        if extra and keep_peak:
            if bound is None:
                bound = sram_by_op(func, reuse_io)
                peak = max(max(bound.values(), default=0), budget)
                live = analyze(func, "use" if reuse_io else "call")
            assert live is not None
            uses = live.lifetimes[a.buffer].uses
            over = tops[at[_top(func, uses[0])] : at[_top(func, uses[-1])] + 1]
            # the measure rounds each buffer to the alignment and leaves
            # out the largest rounding: the growth rounded up, one unit more
            more = -(-extra // ALIGNMENT) * ALIGNMENT + ALIGNMENT
            if any(bound.get(o, 0) + more > peak for o in over):
                continue
            for o in over:
                bound[o] = bound.get(o, 0) + more
        a.attributes[LAYOUT] = StringAttr("nhcwb16")
        chosen.append(a)
    return chosen


def _in_place(alloc: AllocateOp) -> bool:
    """Whether `alloc` is written by an elementwise op that reads an NHWC
    operand of its shape and element type, whose bytes it may take (in
    place): rounding it would keep them apart (Vela keeps such an output
    NHWC where its channels do not fill whole bricks)."""
    v = alloc.buffer
    for op in _users(alloc):
        elementwise = op.get_trait(Elementwise)
        if elementwise is None or op.output is not v:
            continue
        return any(
            u.type == v.type and layout_of(root_of(u)) == "nhwc"
            for u in elementwise.values(op)
        )
    return False


def _top(func: FuncOp, op: Operation) -> Operation:
    while op.parent_op() is not func:
        parent = op.parent_op()
        assert parent is not None
        op = parent
    return op


@dataclass(frozen=True)
class FeatureLayoutsPass(SystemOptions, ModulePass):
    """Store intermediate feature maps in NHCWB16 where it is legal
    (`candidate`: only NPU ops with the `WholeFeatureMaps` trait in one NPU
    run touch them,
    whole, through no view) and pays: the layout is the allocation's
    `layout = "nhcwb16"` attribute, which `tir-plan-memory` sizes with the
    channels rounded up to whole 16-channel bricks and `convert-tir-to-npu`
    lowers to NHCWB16 feature maps.

    Options: `by-cost=ACCELERATOR` marks a buffer whose channels round up
    only where the cycle model says the ops touching it are faster for it
    (whole bricks move the same bytes in bursts at least as long, which the
    model never costs more), for the system `system-config`, `memory-mode`
    and `config` name (`SystemOptions`); none marks every legal one. `grow=true` also
    stores buffers whose channels round up (more bytes), where the SRAM
    measure (`analysis.sram`, parameters placed as `reuse-io`) stays within
    the larger of the all-NHWC peak and `budget`, or anywhere with
    `keep-peak=false`; not the output of an elementwise op that may take
    the bytes of an NHWC operand of its shape in place (rounding would keep
    them apart; Vela keeps such an output NHWC likewise).
    `enable=false` keeps every feature map NHWC."""

    name = NAME

    enable: bool = True
    grow: bool = False
    keep_peak: bool = True
    reuse_io: bool = False
    by_cost: str = ""
    budget: int = 0

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if not self.enable:
            return
        cfg = self.system(self.by_cost, NAME) if self.by_cost else None
        for func in op.body.block.ops:
            if isinstance(func, FuncOp):
                choose(
                    func,
                    self.grow,
                    self.reuse_io,
                    self.keep_peak,
                    cfg,
                    self.budget,
                )
