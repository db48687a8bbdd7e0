"""Table loads scheduled where an op hides them
(tirconst.transforms.table_loads): moved to right after the nearest op
before their lookup whose cycles cover the copy, ahead of the weight
copies issued after it, never past an op reading the slot they write; on
an accelerator whose table memory is the accumulators' nothing moves."""

from __future__ import annotations

from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser

from tirconst.analysis.performance import SystemConfig, estimate
from tirconst.core.context import context
from tirconst.dialects import npu
from tirconst.transforms.table_loads import schedule_table_loads

BIG = (
    'npu.pooling {{pool_type = "max", ifm = #npu.feature_map<int8, [32, 32, 16], '
    "region = 1>, ofm = #npu.feature_map<int8, [32, 32, 16], region = 1, "
    "address = 16384>, kernel = #npu.kernel<[1, 1]>, block_config = "
    "array<i64: 8, 8, 16>}}"
)


def lookup(slot: int, at: int) -> str:
    return (
        'npu.pooling {{pool_type = "average", ifm = #npu.feature_map<int8, '
        f"[1, 1, 16], region = 1, address = {at}>, ofm = #npu.feature_map<int8, "
        f"[1, 1, 16], region = 1, address = {at + 16}>, kernel = #npu.kernel<[1, 1]>, "
        "block_config = array<i64: 1, 2, 16>, activation = "
        f"#npu.activation<table, slot = {slot}>}}}}"
    )


def load(table: int, slot: int, base: int = 22528) -> str:
    return (
        f"npu.dma {{{{src = #npu.range<0, {256 * table}, 256>, "
        f"dest = #npu.range<259, {base + 256 * slot}, 256>}}}}"
    )


def stream(acc: str, body: list[str]) -> ModuleOp:
    text = (
        "builtin.module {{\n"
        f'  npu.command_stream @s "{acc}" {{{{\n'
        "    npu.region 0 constant size 16384\n"
        "    npu.region 1 scratch size 65536\n"
        "    npu.region 259 lut size 24576\n"
        + "".join(f"    {line}\n" for line in body)
        + "  }}\n}}\n"
    )
    return Parser(context(), text.format()).parse_module()


def order(m: ModuleOp) -> list[str]:
    out = []
    for op in m.walk():
        if isinstance(op, npu.DmaOp):
            out.append(f"load{(op.dest.address - 22528) // 256}@{op.src.address}")
        elif isinstance(op, npu.PoolingOp):
            act = op.activation
            out.append("big" if act is None else f"lookup{act.slot}")
    return out


def the_stream(m: ModuleOp) -> npu.CommandStreamOp:
    return next(o for o in m.walk() if isinstance(o, npu.CommandStreamOp))


def test_loads_move_under_the_ops_before_their_lookups() -> None:
    # A big pool, then lookups in slots 0 and 1, then slot 0 again with
    # another table: the first load already follows the pool; the second
    # joins it there; the third may not pass the lookup still reading slot
    # 0, and no op since hides it, so it stays.
    body = [
        BIG,
        load(0, 0),
        lookup(0, 32768),
        load(1, 1),
        lookup(1, 32800),
        load(2, 0),
        lookup(0, 32832),
    ]
    m = stream("ethos-u55-128", body)
    cfg = SystemConfig.load("ethos-u55-128")
    before = estimate(m, cfg).cycles
    assert schedule_table_loads(the_stream(m), cfg) == 1
    assert order(m) == [
        "big",
        "load0@0",
        "load1@256",
        "lookup0",
        "lookup1",
        "load0@512",
        "lookup0",
    ]
    # the first load already ran under the pool (a DMA starts once the op
    # before it has); the second no longer stalls its lookup for its copy
    after = estimate(m, cfg).cycles
    assert after <= before - 300
    assert schedule_table_loads(the_stream(m), cfg) == 0  # already in place


def test_load_goes_ahead_of_weight_copies_after_its_op() -> None:
    # A long copy for a later op issued after the pool would delay the lookup's
    # load behind it: the load goes right after the pool, ahead of it.
    body = [
        lookup(1, 32768),
        BIG,
        "npu.dma {{src = #npu.range<0, 768, 8192>, dest = #npu.range<1, 36864, 8192>}}",
        load(0, 0),
        lookup(0, 32800),
    ]
    m = stream("ethos-u55-128", body)
    cfg = SystemConfig.load("ethos-u55-128")
    before = estimate(m, cfg).cycles
    assert schedule_table_loads(the_stream(m), cfg) == 1
    ops = [o for o in m.walk() if isinstance(o, npu.DmaOp | npu.PoolingOp)]
    assert isinstance(ops[2], npu.DmaOp) and ops[2].dest.region == npu.LUT_REGION
    assert estimate(m, cfg).cycles < before


def test_no_op_hides_a_load_after_a_lookup_of_its_slot() -> None:
    # Only the lookup of slot 0 before it: the new table for slot 0 stays.
    body = [lookup(0, 32768), load(1, 0), lookup(0, 32800)]
    m = stream("ethos-u55-128", body)
    cfg = SystemConfig.load("ethos-u55-128")
    assert schedule_table_loads(the_stream(m), cfg) == 0


def test_nothing_moves_where_the_table_memory_is_the_accumulators() -> None:
    body = [BIG, load(0, 0, 14336), lookup(0, 32768)]
    m = stream("ethos-u55-64", body)
    cfg = SystemConfig.load("ethos-u55-64")
    assert schedule_table_loads(the_stream(m), cfg) == 0
