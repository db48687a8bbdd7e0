"""The SRAM a function needs, measured as `tir-plan-memory` places it.

One measure for every pass that chooses how much SRAM to use (`tir-tile`'s
budget search, `tir-stage-weights{keep-peak=true}`) and for the figure
`tirconst-compile` reports (the planned SRAM pool):

- the planning problem is built here, and `tir-plan-memory` plans exactly
  this problem: every workspace (`tir.allocate`: feature maps, stripe
  buffers, staged weights) and, as placed, every parameter (the inputs and
  outputs: live for the whole call, or with `reuse_io` only while used, as
  Vela places them), with their lifetimes from `tirconst.analysis.liveness`
  (a workspace is live from its first use: the planner sinks each
  allocation to it) and the in-place pairs an elementwise op may share;
  constants (flash) are not counted;
- the measure is that problem's lower bound with alignment (`sram_peak`):
  at each moment, the buffers live then laid out at aligned offsets need at
  least their sizes rounded up to the alignment, less the largest rounding
  of one of them (the one on top); an in-place group counts once. No plan
  can be below it. The exact planner reaches it at every tiling of every
  bundled model tested with inputs and outputs placed as `tirconst-compile`
  places them (`tests/test_sram_measure.py`); it is a bound, not a plan,
  so it may not (keyword_spotting_mobilenetv2's smallest tiling with
  parameters live for the whole call plans 8 bytes above, and
  audio_example1's smallest tiling with weights staged in the measure), and
  `tirconst-compile` checks the plan against a budget all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from xdsl.ir import Block, BlockArgument, Operation, SSAValue

from tirconst.analysis.liveness import Liveness, analyze, use_extent
from tirconst.analysis.views import layout_of
from tirconst.dialects.tir.buffers import AllocateOp
from tirconst.dialects.tir.structure import FuncOp
from tirconst.dialects.tir.traits import Elementwise, operator
from tirconst.planning import Buffer
from tirconst.planning.bounds import share_groups

if TYPE_CHECKING:
    from tirconst.analysis.npu_support import NpuReasons

ALIGNMENT = 16
"""`tir-plan-memory`'s default SRAM alignment (bytes)."""


@dataclass(frozen=True)
class Problem:
    """The planning problem of one function: its buffers (ids are IR names),
    the in-place pairs, and the liveness they come from."""

    live: Liveness
    ids: dict[SSAValue, str]
    buffers: list[Buffer]
    shares: list[tuple[str, str]]


def problem(
    func: FuncOp,
    reuse_io: bool = False,
    place_io: bool = True,
    in_place: bool = True,
    pools: tuple[str, ...] = (),
    io_pools: tuple[str, ...] | None = None,
) -> Problem:
    """What `tir-plan-memory` plans for `func` (options named as its own):
    each buffer may go to `pools`, in order of preference, but with
    `io_pools` the tensors the model's runtime hands over (`handed_over`)
    go to those."""
    live = analyze(func, "use" if reuse_io else "call")
    ids = _buffer_ids(func, live)
    starts = {v: _start(live, v) for v in live.lifetimes}
    buffers: list[Buffer] = []
    for value, life in live.lifetimes.items():
        if life.kind == "constant" or (life.kind == "param" and not place_io):
            continue
        where = pools
        if io_pools is not None and handed_over(value):
            where = io_pools
        buffers.append(Buffer(ids[value], starts[value], life.end, life.size, 1, where))
    shares = _in_place_pairs(live, ids, starts) if in_place else []
    if io_pools is not None:  # bytes are shared only within one pool
        where_of = {b.id: b.pools for b in buffers}
        shares = [(a, b) for a, b in shares if where_of.get(a) == where_of.get(b)]
    return Problem(live, ids, buffers, shares)


def handed_over(value: SSAValue) -> bool:
    """Whether the buffer `value` views is one the model's runtime hands
    between the CPU and an NPU segment, so it lives where the runtime can
    address it (the arena): a parameter of the function (the model's own
    inputs and outputs), a buffer an op that stays on the CPU reads or
    writes (`npu_support.stays_on_cpu`: what `convert-tir-to-npu` leaves,
    a loop's loads and stores and an extern call included), or a buffer
    used on both sides of such an op: each NPU segment is its own call of
    the runtime's NPU operator, so what one segment leaves for a later one
    is handed over too (nothing else of a segment's scratch survives it).
    Asked of the top-level ops of the function, from the first using the
    buffer to the last (an op in a loop is the loop's, which the CPU
    runs)."""
    from tirconst.analysis.constant_uses import function_of
    from tirconst.analysis.npu_support import stays_on_cpu
    from tirconst.analysis.views import root_of, users

    root = root_of(value)
    if isinstance(root, BlockArgument):
        return True
    found = [user for user, _ in users(root)]
    func = function_of(found[0]) if found else None
    if func is None:
        return False
    block = func.body.block
    tops = {block.find_ancestor_op_in_block(user) for user in found}
    reasons = _reasons(block)
    left = len(tops)
    for op in block.ops:
        if left == len(tops) and op not in tops:
            continue  # before the first use
        if stays_on_cpu(op, reasons):
            return True
        left -= op in tops
        if not left:
            return False
    return False


_LAST: list[tuple[Block, NpuReasons]] = []
"""The function body `handed_over` last asked of, and its `_reasons`."""


def _reasons(block: Block) -> NpuReasons:
    """`npu_reason` remembered per op of the function body `block` while
    nothing it reads changes (`NpuReasons`): `handed_over` is asked of every
    buffer, again and again (each cost probe's feature maps, each plan), and
    `npu_reason` of a conv costs more than the rest of the question. Kept
    for the last body asked only (a compile asks of one function)."""
    from tirconst.analysis.npu_support import NpuReasons

    if not _LAST or _LAST[0][0] is not block:
        _LAST[:] = [(block, NpuReasons())]
    return _LAST[0][1]


@dataclass(frozen=True)
class SramPeak:
    """The measure of one function: `bytes` at its highest, reached at the
    top-level op `op` (position `index` in the body; None, -1: no buffers)."""

    bytes: int
    op: Operation | None
    index: int


def sram_peak(
    func: FuncOp, reuse_io: bool = False, alignment: int = ALIGNMENT
) -> SramPeak:
    """The SRAM `func` needs as planned (see the module doc)."""
    p = problem(func, reuse_io)
    if not p.buffers:
        return SramPeak(0, None, -1)
    need = _need(p, alignment)
    peak = max(need)
    at = need.index(peak)
    top = {op: i for i, op in enumerate(func.body.block.ops)}
    op = next((o for o, t in p.live.order.items() if t == at), None)
    while op is not None and op not in top:
        op = op.parent_op()
    return SramPeak(peak, op, top[op] if op is not None else -1)


def sram_by_op(
    func: FuncOp, reuse_io: bool = False, alignment: int = ALIGNMENT
) -> dict[Operation, int]:
    """The measure at each top-level op of `func` (the most it reaches
    while the op runs, nested ops included): adding a buffer of `n` bytes
    live across some ops raises the measure by at most `n` rounded up to
    the alignment at those ops, so a pass can bound what a new buffer costs
    without measuring again (`tir-stage-weights{keep-peak=true}`)."""
    p = problem(func, reuse_io)
    top = {op: 0 for op in func.body.block.ops}
    if not p.buffers:
        return top
    need = _need(p, alignment)
    for op, t in p.live.order.items():
        while op is not None and op not in top:
            op = op.parent_op()
        if op is not None and t < len(need):
            top[op] = max(top[op], need[t])
    return top


def _need(p: Problem, alignment: int) -> list[int]:
    """The measure at each time of `p`."""
    return need(share_groups(p.buffers, p.shares), p.live.end, alignment)


def need(groups: list[list[Buffer]], end: int, alignment: int) -> list[int]:
    """The measure at each time 0..`end` of the buffers in in-place `groups`
    (`share_groups`): the rounded sizes of the groups live then, less the
    largest rounding among them."""
    span = end + 1
    total = [0] * span  # rounded sizes of the groups live at each time
    waste = [0] * span  # the largest rounding among them

    def add(t: int, size: int) -> None:
        rounded = -(-size // alignment) * alignment
        total[t] += rounded
        waste[t] = max(waste[t], rounded - size)

    for group in groups:
        if len(group) == 1:
            b = group[0]
            for t in range(b.start, b.end):
                add(t, b.size)
            continue
        most: dict[int, int] = {}
        for b in group:
            for t in range(b.start, b.end):
                most[t] = max(most.get(t, 0), b.size)
        for t, size in most.items():
            add(t, size)
    return [a - w for a, w in zip(total, waste, strict=True)]


def _start(live: Liveness, value: SSAValue) -> int:
    """When a root's life starts: a workspace's at its first use (where the
    planner sinks its allocation), whatever the allocation's position."""
    life = live.lifetimes[value]
    if life.kind != "workspace" or not life.uses:
        return life.start
    return max(life.start, min(use_extent(u, value, live.order)[0] for u in life.uses))


def _in_place_pairs(
    live: Liveness, ids: dict[SSAValue, str], starts: dict[SSAValue, int]
) -> list[tuple[str, str]]:
    """(input, output) pairs an elementwise op may compute in place."""
    pairs: list[tuple[str, str]] = []
    taken: set[str] = set()
    for op in live.order:
        if not op.has_trait(Elementwise):  # output i reads inputs at i only
            continue
        out = operator(op).output
        if out.owner is not None and not isinstance(out.owner, AllocateOp):
            continue  # the output is a view or a parameter
        b = live.lifetimes.get(out)
        if b is None or b.kind != "workspace":
            continue
        for v in op.input_values():
            if v.type != out.type or not isinstance(v.owner, AllocateOp):
                continue
            if layout_of(v) != layout_of(out):
                continue  # the same bytes hold different elements
            a = live.lifetimes[v]
            if a.end != live.order[op] + 1 or ids[v] in taken:
                continue  # read later: not dead here
            if v.owner.parent_block() is not out.owner.parent_block():
                continue
            if starts[v] <= starts[out] <= a.end <= b.end:
                pairs.append((ids[v], ids[out]))
                taken.add(ids[v])
                break
    return pairs


def _buffer_ids(func: FuncOp, live: Liveness) -> dict[SSAValue, str]:
    """A unique, readable id per root: its IR name (`%name`)."""
    ids: dict[SSAValue, str] = {}
    seen: set[str] = set()
    for value, life in live.lifetimes.items():
        if life.kind == "param":
            base = func.names[func.args.index(value)]
        else:
            base = value.name_hint or f"buf{len(ids)}"
        name, k = base, 1
        while name in seen:
            k += 1
            name = f"{base}_{k}"
        seen.add(name)
        ids[value] = name
    return ids


def pool_bytes_at(func: FuncOp, pool: str, params: str = "use") -> dict[Operation, int]:
    """The bytes of the buffers placed in `pool` that are live at each op of
    a planned `func` (every op, pre-order): what the pool holds while the op
    runs. Lifetimes are `liveness.analyze(func, params)`'s (`"use"`: inputs
    and outputs live only from or to their use, as `tir-plan-memory
    {reuse-io=true}` plans them); a view shares its root's bytes."""
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
