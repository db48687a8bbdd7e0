"""Where a command stream loads its lookup tables: each 256-byte table's DMA
goes where the ops before its lookup hide it (`schedule_table_loads`,
called by `convert-tir-to-npu` on every stream it builds).

An op with a table activation reads the whole lookup-table memory as Vela's
wait rule counts it (`get_op_memory_accesses`: the 2 KiB of slots), so it
waits for every table DMA issued before it, and a table DMA waits for every
such op issued before it. The ops between two lookups (a *gap*) are the
only time a table load can run under: a table DMA issued right before its
lookup, after short ops, stalls that lookup for the whole copy (the GRU of
models/networks: three lookups a step, each after ops of 18-48 cycles,
~300 cycles of stall each, while the step's two 1x1 convs take ~4,400).

So each table DMA (in stream order) moves to the start of the latest gap
before its lookup whose ops' estimated cycles not yet given to other table
loads cover its copy, never past an op that reads its slot or another DMA
that writes it (the slot would then hold another table when an op reads
it); with no such gap it goes to the start of its own gap, ahead of the
weight DMAs issued there for later ops (which would else delay it). Only on
accelerators whose table memory is apart from the accumulators
(`hardware.LUT_APART`): on the others every op writes the table memory, so
nothing hides a load. Moving a DMA changes no result: the ops it passes
read nothing it writes.
"""

from __future__ import annotations

from xdsl.ir import Operation

from tirconst.analysis.performance import SystemConfig, stream_cost
from tirconst.dialects import npu
from tirconst.formats.ethos_u.hardware import LUT_ADDRESS, LUT_APART, LUT_SLOT_BYTES


def _slots(r: npu.AddressRangeAttr, base: int) -> set[int]:
    first = (r.address - base) // LUT_SLOT_BYTES
    return set(range(first, first + max(1, -(-r.length // LUT_SLOT_BYTES))))


def _table_op(op: Operation) -> bool:
    act = op.properties.get("activation")
    return isinstance(act, npu.ActivationAttr) and act.kind == "table"


def schedule_table_loads(stream: npu.CommandStreamOp, cfg: SystemConfig) -> int:
    """Move `stream`'s table DMAs as the module doc says; how many moved."""
    acc = stream.accelerator.data
    if acc not in LUT_APART:
        return 0
    base = LUT_ADDRESS[acc]
    block = stream.body.block
    ops = [o for o in block.ops if isinstance(o, npu.DmaOp | npu.BlockOp)]

    def is_load(o: Operation) -> bool:
        return (
            isinstance(o, npu.DmaOp)
            and o.dest.region == npu.LUT_REGION
            and o.dest.length == LUT_SLOT_BYTES
        )

    if not any(is_load(o) for o in ops):
        return 0
    costs = stream_cost(stream, cfg).ops
    duration = {o: c.duration for o, c in zip(ops, costs, strict=True)}
    # The slots each op touches: a DMA its destination's, a lookup those of
    # the last DMA before it that wrote its slot (a 1 KiB table fills four).
    touches: dict[Operation, set[int]] = {}
    held: dict[int, set[int]] = {}
    for o in ops:
        if isinstance(o, npu.DmaOp) and o.dest.region == npu.LUT_REGION:
            s = _slots(o.dest, base)
            touches[o] = s
            held.update((k, s) for k in s)
        elif _table_op(o):
            slot = o.properties["activation"].slot  # type: ignore[union-attr]
            touches[o] = held.get(slot, {slot})
    order = list(ops)  # the new order, changed in place
    given: dict[Operation | None, float] = {}  # gap start -> load cycles given
    moved = 0
    for load in [o for o in ops if is_load(o)]:
        at = order.index(load)
        need = costs[ops.index(load)].dma
        mine = touches[load]
        # walk back gap by gap: a gap starts after a table op (or at the top)
        work, choice = 0.0, None
        own: tuple[int, Operation | None] | None = None
        k = at - 1
        while True:
            o = order[k] if k >= 0 else None
            if o is None or _table_op(o):
                if own is None:
                    own = (k + 1, o)
                if work - given.get(o, 0.0) >= need:
                    choice = (k + 1, o)
                    break
                if o is None or touches[o] & mine:
                    break
                work = 0.0
            elif isinstance(o, npu.DmaOp):
                if o in touches and touches[o] & mine:
                    break
            else:
                work += duration[o]
            k -= 1
        assert own is not None
        pos, gap = choice if choice is not None else own
        given[gap] = given.get(gap, 0.0) + need
        # after the table loads already given to this gap
        while pos < at and is_load(order[pos]):
            pos += 1
        if pos >= at:
            continue
        order.pop(at)
        order.insert(pos, load)
        anchor = order[pos + 1]
        load.detach()
        block.insert_op_before(load, anchor)
        moved += 1
    return moved


__all__ = ["schedule_table_loads"]
