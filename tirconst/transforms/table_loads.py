"""Where a command stream loads its lookup tables: each 256-byte table's DMA
goes right after an op that hides it (`schedule_table_loads`, called by
`convert-tir-to-npu` on every stream it builds).

An op with a table activation reads the whole lookup-table memory as Vela's
wait rule counts it (`get_op_memory_accesses`: the 2 KiB of slots), so it
waits for every table DMA issued before it, and a table DMA for every such
op issued before it. A table DMA issued right before its lookup, after
short ops, stalls that lookup for the whole copy (the GRU of
models/networks: three lookups a step, each after ops of 18-48 cycles,
~300 cycles of stall each, while the step's two 1x1 convs take ~4,400).

So each table DMA (in stream order) moves to right after the nearest op
before its lookup that reads no table and whose estimated time, from its
start or from when the DMA engine is done with the copies issued before it
(the cycle model's timeline), less the table loads already put after it,
covers its copy: a DMA starts once the op before it has, so the copy runs
under that op. It never passes an op
that reads its slot or a DMA that writes it (the slot would then hold
another table when an op reads it), and goes ahead of the weight copies
issued after that op. Under one op rather than spread over several short
ones, because the U55 keeps one DMA outstanding: the command stream stops
at a second DMA until the first is done, and only the op already issued
keeps the NPU busy meanwhile. With no such op the DMA stays. Only on
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
    cost = dict(zip(ops, costs, strict=True))
    # When the DMA engine is done with the copies issued before each op
    # (table loads aside: those this schedule places)
    free: dict[Operation, float] = {}
    done = 0.0
    for o in ops:
        free[o] = done
        if isinstance(o, npu.DmaOp) and not is_load(o):
            done = max(done, cost[o].end)
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
    given: dict[Operation, float] = {}  # op -> table load cycles put after it
    moved = 0
    for load in [o for o in ops if is_load(o)]:
        at = order.index(load)
        need = cost[load].dma
        mine = touches[load]
        under: Operation | None = None
        for o in reversed(order[:at]):
            if isinstance(o, npu.DmaOp) or _table_op(o):
                if o in touches and touches[o] & mine:
                    break  # reads or writes the slot: not past it
            else:
                c = cost[o]
                if max(c.start, free[o]) + given.get(o, 0.0) + need <= c.end:
                    under = o
                    break
        if under is None:
            continue
        given[under] = given.get(under, 0.0) + need
        pos = order.index(under) + 1
        while pos < at and is_load(order[pos]):  # after the loads put there
            pos += 1
        if pos >= at:
            continue
        order.pop(at)
        order.insert(pos, load)
        load.detach()
        block.insert_op_before(load, order[pos + 1])
        moved += 1
    return moved


__all__ = ["schedule_table_loads"]
