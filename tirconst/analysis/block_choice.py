"""Which block config an Ethos-U op runs with: the one the cycle model
(`tirconst.analysis.performance`) says is fastest.

The NPU produces an op's OFM in blocks of its block config; a block that
overhangs the OFM costs as much as a full one, and every OFM block re-reads
the op's weights and its IFM block, so the config decides much of an op's
time. Both places that fix a block config call `cheapest_block`:
`tir-encode-weights` for weighted ops (the weight stream is encoded for the
block depth, so the choice is made there, on a probe op built from the
op's geometry: `weighted_probe`) and `convert-tir-to-npu` for the others
(pools, elementwise ops), on the npu op it built. The candidates are the
configs Vela's `npu_find_block_configs` accepts (SHRAM limits included).

The cost is the op's own duration (the slower of compute and its memories'
access cycles) with its operands where they will be: feature maps where
intermediates are planned (the fast scratch in the cache of a
dedicated-SRAM system, else the arena: `feature_map_memory`), weights in
the constant memory (`memories`), for the system the compile is for
(`cost_config`: Vela's ini sections, by default Vela's for the accelerator).
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
from collections.abc import Iterable
from dataclasses import replace

from xdsl.dialects.builtin import ArrayAttr, DenseArrayBase, StringAttr, i64
from xdsl.ir import Operation, SSAValue

from tirconst.analysis.performance import (
    FAST_REGION,
    OpCost,
    SystemConfig,
    block_op_cost,
    feature_map_memory,
    scratch_memory,
)
from tirconst.dialects.npu.attributes import (
    ActivationAttr,
    AddressRangeAttr,
    FeatureMapAttr,
    KernelAttr,
    PaddingAttr,
)
from tirconst.dialects.npu.ops import BlockOp, Conv2DOp, DepthwiseConv2DOp
from tirconst.dialects.tir import BufferType, OperatorOp
from tirconst.dialects.tir.traits import operator

BlockConfig = tuple[int, int, int]
CONSTANT_REGION = 0
ARENA_REGION = 1
"""A probe's feature map the model's runtime hands over; the others are in
`FAST_REGION`, where intermediates are planned (`memories`)."""


@functools.lru_cache(maxsize=16)
def cost_config(
    accelerator: str,
    system_config: str | None = None,
    memory_mode: str | None = None,
    config: tuple[str, ...] = (),
) -> SystemConfig:
    """The system the compile's cost decisions are for, loaded once: the
    sections of Vela's ini files (`config`, default the ones Vela ships)
    named, else Vela's defaults for the accelerator. ConfigError names what
    is wrong."""
    return SystemConfig.load(accelerator, system_config, memory_mode, config or None)


def memories(
    cfg: SystemConfig, kinds: dict[int, str] | None = None
) -> tuple[dict[int, str], set[int]]:
    """(memory per region, the constant regions) for regions of the given
    kinds ("constant" or anything else: read-write, `scratch_memory`);
    default, for a probe: region 0 constants, region 1 the arena (feature
    maps the runtime hands over), region 2 where intermediates are planned
    (`feature_map_memory`)."""
    if kinds is None:
        mem = {
            CONSTANT_REGION: cfg.const_memory,
            ARENA_REGION: cfg.arena_memory,
            FAST_REGION: feature_map_memory(cfg),
        }
        return mem, {CONSTANT_REGION}
    mem = {
        r: cfg.const_memory if k == "constant" else scratch_memory(cfg, r)
        for r, k in kinds.items()
    }
    return mem, {r for r, k in kinds.items() if k == "constant"}


def tightest(
    configs: Iterable[BlockConfig], ofm: tuple[int, int, int]
) -> list[BlockConfig]:
    """Of the configs that cut an `ofm` into the same number of blocks along
    each axis with the same block depth, the one with the smallest block
    (fewest, then lowest, rows): a larger one covers the OFM in as many
    blocks with more of them empty. The cycle model costs only these (the
    compile's time is dominated by costing candidates otherwise)."""
    best: dict[tuple[int, ...], BlockConfig] = {}
    for c in configs:
        key = (*(-(-o // b) for o, b in zip(ofm, c, strict=True)), c[2])
        have = best.get(key)
        if have is None or (c[0] * c[1], c) < (have[0] * have[1], have):
            best[key] = c
    return list(best.values())


def block_cycles(
    op: BlockOp,
    block: BlockConfig,
    cfg: SystemConfig,
    mem: dict[int, str],
    constant: set[int],
    raw_weights: int | None = None,
) -> float:
    """The op's duration in cycles when run with `block` (which it keeps)."""
    return block_cost(op, block, cfg, mem, constant, raw_weights).duration


def block_cost(
    op: BlockOp,
    block: BlockConfig,
    cfg: SystemConfig,
    mem: dict[int, str],
    constant: set[int],
    raw_weights: int | None = None,
) -> OpCost:
    """The model's figures for the op run with `block` (which it keeps)."""
    op.properties["block_config"] = _dense(block)
    return block_op_cost(op, 0, cfg, mem, constant, raw_weights)


@functools.lru_cache(maxsize=4096)
def _dense(block: BlockConfig) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, list(block))


def cheapest_block(
    op: BlockOp,
    configs: Iterable[BlockConfig],
    cfg: SystemConfig,
    mem: dict[int, str] | None = None,
    constant: set[int] | None = None,
    raw_weights: int | None = None,
) -> tuple[BlockConfig, float] | None:
    """The config of `configs` with the fewest estimated cycles and its
    cycles (ties: the fewer compute cycles, what the op takes once its
    memory traffic is relieved, e.g. its weights staged; then the larger
    block, then the larger config), or None if there is none; the op is
    left with that config."""
    if mem is None or constant is None:
        mem, constant = memories(cfg)
    best: tuple[tuple[float, float, int, tuple[int, ...]], BlockConfig] | None = None
    for c in configs:
        cost = block_cost(op, c, cfg, mem, constant, raw_weights)
        key = (cost.duration, cost.compute, -(c[0] * c[1] * c[2]), tuple(-v for v in c))
        if best is None or key < best[0]:
            best = (key, c)
    if best is None:
        return None
    op.properties["block_config"] = _dense(best[1])
    return best[1], best[0][0]


def weighted_probe(
    ifm: tuple[int, int, int],
    ofm: tuple[int, int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    dilation: tuple[int, int],
    pad: tuple[int, int, int, int],
    depthwise: bool,
    traversal: str,
    weights_length: int,
    records_length: int,
    dtypes: tuple[str, str] = ("int8", "int8"),
    activation: str | None = None,
    layouts: tuple[str, str] = ("nhwc", "nhwc"),
    regions: tuple[int, int] = (FAST_REGION, FAST_REGION),
) -> BlockOp:
    """A conv or depthwise npu op of this geometry, outside any stream, for
    `cheapest_block`: IFM and OFM in `regions` (`fm_region`), a weight stream
    of `weights_length` bytes and records of `records_length` in the
    constant region, the activation's kind ("clamp", "table" or None), IFM
    and OFM layouts ("nhwc" or "nhcwb16")."""
    props = {
        "ifm": _arena_fm(dtypes[0], tuple(ifm), layouts[0], regions[0]),
        "ofm": _arena_fm(dtypes[1], tuple(ofm), layouts[1], regions[1]),
        "kernel": _kernel(tuple(kernel), tuple(stride), tuple(dilation)),
        "block_config": _dense((1, 1, 8)),
        "weights": _ranges(weights_length),
        "biases": _ranges(records_length),
        "rounding_mode": _string("tfl"),
    }
    if any(pad):
        props["padding"] = _padding(tuple(pad))
    if activation in ("table", "clamp"):
        props["activation"] = _activation(activation)
    if depthwise:
        return DepthwiseConv2DOp.create(properties=props)
    props["block_traversal"] = _string(traversal)
    return Conv2DOp.create(properties=props)


# Attributes are immutable: a probe's are made once per value (making them
# verifies them, and the compile builds probes for every op and candidate).


@functools.lru_cache(maxsize=1024)
def _kernel(
    size: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
    dilation: tuple[int, int] = (1, 1),
) -> KernelAttr:
    return KernelAttr.make(size=size, stride=stride, dilation=dilation)


@functools.lru_cache(maxsize=1024)
def _padding(pad: tuple[int, int, int, int]) -> PaddingAttr:
    return PaddingAttr.make(pad=pad)


@functools.lru_cache(maxsize=16)
def _activation(kind: str) -> ActivationAttr:
    if kind == "table":
        return ActivationAttr.make(kind="table", slot=0)
    return ActivationAttr.make(kind="clamp", min=0.0)


@functools.lru_cache(maxsize=64)
def _string(text: str) -> StringAttr:
    return StringAttr(text)


def set_stream_lengths(op: BlockOp, weights_length: int, records_length: int) -> None:
    """Point a probe's weight and record ranges at streams of these lengths."""
    op.properties["weights"] = _ranges(weights_length)
    op.properties["biases"] = _ranges(records_length)


@functools.lru_cache(maxsize=4096)
def _ranges(length: int) -> ArrayAttr[AddressRangeAttr]:
    return ArrayAttr(
        [AddressRangeAttr.make(region=CONSTANT_REGION, address=0, length=length)]
    )


__all__ = [
    "block_cycles",
    "cheapest_block",
    "cost_config",
    "fm_region",
    "memories",
    "weighted_probe",
]


def staging_gain(op: object, cfg: SystemConfig, hidden: bool | float) -> float:
    """Cycles saved by copying a weighted tir op's encoded weights into SRAM
    before it runs instead of letting the NPU read them from the constant
    memory (once per OFM block): its duration reading from flash minus its
    duration reading from SRAM, minus what of the copy's cycles earlier
    ops' compute does not hide (`hidden`: all of it if True, none if False,
    else that many cycles). 0 for an op without encoded weights."""
    cycles = _staging_cycles(op, cfg)
    if cycles is None:
        return 0.0
    flash, staged, copy, _ = cycles
    if isinstance(hidden, bool):
        cover = copy if hidden else 0.0
    else:
        cover = hidden
    return flash - staged - max(0.0, copy - cover)


def staging_grows(op: object, cfg: SystemConfig) -> bool:
    """Whether staging a weighted tir op's encoded weights is worth growing
    the SRAM peak for (`growth_pays`, its duration from flash with its block
    config as the reference, the copy under the op before: `slack_before`);
    False for an op without encoded weights."""
    cycles = _staging_cycles(op, cfg)
    if cycles is None:
        return False
    flash, staged, copy, nbytes = cycles
    weighted = operator(op)  # _staging_cycles found it weighted
    after = staged_after(staged, copy, slack_before(weighted, cfg))
    return growth_pays(flash, after, nbytes, feature_map_bytes(weighted))


def _staging_cycles(
    op: object, cfg: SystemConfig
) -> tuple[float, float, float, int] | None:
    """(duration reading its weights from flash, duration reading them from
    SRAM, the copy's cycles, the bytes copied) of a weighted tir op with its
    encoded weights and block config; None without encoded weights."""
    from tirconst.analysis.views import layout_of
    from tirconst.dialects.tir import EncodedWeightsAttr, WeightedOp

    if not isinstance(op, WeightedOp):
        return _operand_staging_cycles(op, cfg)
    attr = op.encoded_weights
    if not isinstance(attr, EncodedWeightsAttr):
        return None
    g = op.npu_geometry()
    encs = attr.weight_encodings()
    traversal = encs[0].traversal
    # every core's stream and records (two on ethos-u65-512)
    weight_length = sum(c.weight_length for c in attr.cores)
    records_length = sum(c.records_length for c in attr.cores)
    fms = (op.input, op.output)
    dtypes = tuple(str(op.buffer_type(v).dtype) for v in fms)
    probe = weighted_probe(
        g.ifm, g.ofm, g.kernel, g.stride, g.dilation, g.pad, g.depthwise,
        traversal, weight_length, records_length,
        dtypes,  # type: ignore[arg-type]
        layouts=(layout_of(fms[0]), layout_of(fms[1])),
        regions=(fm_region(fms[0]), fm_region(fms[1])),
    )  # fmt: skip
    raw = sum(math.prod(e.shape) for e in encs)
    flash_mem, constant = memories(cfg)
    flash = block_cycles(probe, attr.block, cfg, flash_mem, constant, raw)
    staged = block_cycles(probe, attr.block, cfg, staged_memories(cfg), set(), raw)
    return flash, staged, copy_cycles(attr.nbytes, cfg), attr.nbytes


def _operand_staging_cycles(
    op: object, cfg: SystemConfig
) -> tuple[float, float, float, int] | None:
    """`_staging_cycles` of an op whose lowering re-reads a constant operand
    per output element (`RereadsOperand`: a PRELU's alpha): the duration of
    that elementwise op (the operand broadcast over the op's input) reading
    it from the constant memory and from SRAM; None for any other op."""
    from tirconst.analysis.npu_support import broadcast_hwc
    from tirconst.dialects.npu.ops import ElementwiseOp
    from tirconst.dialects.npu.vela_api import block_configs
    from tirconst.dialects.tir.traits import RereadsOperand

    reread = op.get_trait(RereadsOperand) if isinstance(op, Operation) else None
    if reread is None:
        return None
    weighted = operator(op)
    value, x = weighted.input_named(reread.operand), weighted.input_named("input")
    if value is None or x is None or not _constant(value):
        return None
    dims, shape = broadcast_hwc(weighted.shape(x), weighted.shape(value))
    if dims is None or shape is None:
        return None
    mem = memories(cfg)[0]
    durations = []
    for region in (CONSTANT_REGION, FAST_REGION):
        probe = ElementwiseOp.create(
            properties={
                "op_type": _string(reread.arithmetic),
                "ifm": _arena_fm("int8", dims, "nhwc", FAST_REGION),
                "ifm2": _arena_fm("int8", shape, "nhwc", region),
                "ofm": _arena_fm("int8", dims, "nhwc", FAST_REGION),
                "block_config": _dense((1, 1, 8)),
                "rounding_mode": _string("tfl"),
            }
        )
        with contextlib.redirect_stdout(io.StringIO()):
            configs = block_configs(probe, cfg.accelerator.name)
        best = cheapest_block(probe, configs, cfg, mem, {CONSTANT_REGION})
        if best is None:
            return None
        durations.append(best[1])
    nbytes = weighted.buffer_type(value).size_in_bytes
    return durations[0], durations[1], copy_cycles(nbytes, cfg), nbytes


def staged_memories(cfg: SystemConfig) -> dict[int, str]:
    """The memory per region once an op's weights are staged: the
    constant region's bytes read from where the copy is planned."""
    mem = memories(cfg)[0]
    mem[CONSTANT_REGION] = mem[FAST_REGION]  # a copy is planned as any workspace
    return mem


def flash_or_staged(
    op: BlockOp,
    block: BlockConfig,
    cfg: SystemConfig,
    raw_weights: int,
    nbytes: int,
) -> tuple[float, float, float]:
    """(duration reading its weights from the constant memory, re-read per
    OFM block; duration reading them from SRAM; compute cycles) of a
    weighted probe run with `block`, the SRAM one counting an `nbytes` copy
    nothing hides (which `staging_gain` then finds worth staging): what a
    block config is chosen by when `tir-stage-weights{by-cost}` follows
    (the faster, the SRAM one only where `growth_pays`)."""
    mem, constant = memories(cfg)
    cost = block_cost(op, block, cfg, mem, constant, raw_weights)
    staged = block_cost(op, block, cfg, staged_memories(cfg), set(), raw_weights)
    copy = copy_cycles(nbytes, cfg)
    return cost.duration, staged.duration + copy, cost.compute


def copy_cycles(nbytes: int, cfg: SystemConfig) -> float:
    """Cycles of a DMA of `nbytes` from the constant memory to where the
    copy is planned (`feature_map_memory`)."""
    src = cfg.memories[cfg.const_memory]
    dst = cfg.memories[feature_map_memory(cfg)]
    return max(nbytes / src.bandwidth + src.read_latency, nbytes / dst.bandwidth)


def duration_floor(op: OperatorOp, cfg: SystemConfig) -> float:
    """A lower bound of a tir op's duration on the NPU, cheap to take: its
    MACs at the array's rate, or its feature maps' bytes at the bandwidth
    of the faster memory a feature map may be in (the arena, or the cache
    intermediates are planned in; an op lasts at least as long as
    either)."""
    macs = getattr(op, "macs", None)
    n = macs() if callable(macs) else 0
    fastest = max(
        cfg.memories[m].bandwidth for m in (cfg.arena_memory, feature_map_memory(cfg))
    )
    return max(n / cfg.accelerator.macs, feature_map_bytes(op) / fastest)


def feature_map_bytes(op: OperatorOp) -> int:
    """The bytes of a tir op's feature maps: its inputs that are not
    constants and its output (what it reads and writes in SRAM)."""
    moved = 0
    for v in [*op.input_values(), op.output]:
        t = v.type
        if isinstance(t, BufferType) and not _constant(v):
            moved += t.size_in_bytes
    return moved


def growth_pays(before: float, after: float, nbytes: int, held: int) -> bool:
    """Whether a change that makes ops take `after` cycles instead of
    `before` is worth the `nbytes` of SRAM it adds where the SRAM peak must
    grow for it: the cycles saved must be as large a share of `before` as
    the added bytes are of the SRAM the ops then hold (`held`, their
    feature maps, and the bytes added): SRAM traded for speed at no worse
    than one to one, relatively (Performance mode without an SRAM limit)."""
    saved = before - after
    return saved > 0 and saved * (held + nbytes) >= nbytes * before


def staged_after(staged: float, copy: float, slack: float) -> float:
    """An op's cycles with its weights staged for `growth_pays`: its
    duration reading them from SRAM and what of the `copy` the op before
    does not hide (`slack`: Vela hides a weight copy only under the op
    before, its buffering slack)."""
    return staged + max(0.0, copy - slack)


def slack_before(op: Operation, cfg: SystemConfig) -> float:
    """Cycles of compute under which a copy issued one op ahead of `op`
    runs: the duration of the computing op before it in its block (the
    cycle model's, `tir_op_cycles`, its own weights read from SRAM, the
    shorter; at least its `duration_floor`), 0 where there is none or the
    CPU runs it (the copy then waits)."""
    from tirconst.analysis.npu_support import npu_reason
    from tirconst.analysis.tiled_sram import computes

    prev = op.prev_op
    while prev is not None and not computes(prev):
        prev = prev.prev_op
    if prev is None or npu_reason(prev) is not None:  # none, or the CPU's
        return 0.0
    return modelled_duration(operator(prev), cfg)


def modelled_duration(op: OperatorOp, cfg: SystemConfig) -> float:
    """A tir op's duration on the NPU as a copy issued before it runs under
    it: the cycle model's (`tir_op_cycles`, its own weights read from SRAM,
    the shorter), at least its `duration_floor`."""
    modelled = tir_op_cycles(op, {}, cfg, staged=True)[0]
    return max(duration_floor(op, cfg), modelled)


def _constant(v: object) -> bool:
    from tirconst.dialects.tir import AllocateConstOp

    return isinstance(getattr(v, "owner", None), AllocateConstOp)


def _probe_fm(
    v: SSAValue, layouts: dict[object, str], shape: tuple[int, ...] | None = None
) -> FeatureMapAttr:
    from tirconst.analysis.npu_support import hwc
    from tirconst.analysis.views import layout_of, root_of

    t = v.type
    assert isinstance(t, BufferType)
    dims = hwc(shape if shape is not None else t.get_shape())
    assert dims is not None
    root = root_of(v)
    layout = layouts.get(root, layout_of(root))
    return _arena_fm(str(t.dtype), dims, layout, fm_region(v))


def fm_region(v: SSAValue) -> int:
    """The probe region of feature map `v`: the arena for a tensor the
    model's runtime hands over (`analysis.sram.handed_over`), else where
    intermediates are planned."""
    from tirconst.analysis.sram import handed_over

    return ARENA_REGION if handed_over(v) else FAST_REGION


@functools.lru_cache(maxsize=4096)
def _arena_fm(
    dtype: str, dims: tuple[int, int, int], layout: str, region: int
) -> FeatureMapAttr:
    return FeatureMapAttr.make(
        dtype=dtype, shape=dims, region=region, address=0, layout=layout
    )


def tir_probe(
    op: OperatorOp, layouts: dict[object, str], depth: int | None = None
) -> BlockOp | None:
    """An npu op with the tir op's geometry and feature maps, outside any
    stream, for the cycle model: each feature map in the layout `layouts`
    gives its root buffer, else in the one its allocation has. Only ops
    with the `WholeFeatureMaps` trait are modelled, by their traits: a
    windowed weighted op is a conv or depthwise reading a weight stream of
    its raw weight bytes (the encoding is not chosen yet) in the constant
    memory; a pool (`Pooling`) the pooling of its kind; a pointwise op a 1×1
    average pool (with a table activation if it reads a table); a binary
    elementwise op its `arithmetic`. None for the others (fully connected
    layers, copies, resizes, softmaxes). `depth`: a conv computing only
    that many of its output channels (its weights for them)."""
    from tirconst.analysis.npu_support import pool_stride
    from tirconst.dialects.npu.ops import ElementwiseOp, PoolingOp
    from tirconst.dialects.tir import WeightedOp
    from tirconst.dialects.tir.traits import (
        Elementwise,
        Pointwise,
        Pooling,
        WholeFeatureMaps,
        Windowed,
    )

    if not op.has_trait(WholeFeatureMaps):
        return None
    if isinstance(op, WeightedOp) and op.has_trait(Windowed):
        g = op.npu_geometry()
        n = 1
        for d in op.filter_shape():
            n *= d
        if depth is not None and not g.depthwise:
            n = n // g.ofm[2] * depth
            g = replace(g, ofm=(*g.ofm[:2], depth))
        dtypes = (
            str(op.buffer_type(op.input).dtype),
            str(op.buffer_type(op.output).dtype),
        )
        probe = weighted_probe(
            g.ifm, g.ofm, g.kernel, g.stride, g.dilation, g.pad, g.depthwise,
            "depth_first", n, -(-g.ofm[2] * 10 // 16) * 16, dtypes,
        )  # fmt: skip
        probe.properties["ifm"] = _probe_fm(op.input, layouts, (1, *g.ifm))
        probe.properties["ofm"] = _probe_fm(op.output, layouts, (1, *g.ofm))
        return probe
    pooling = op.get_trait(Pooling)
    if pooling is not None or op.has_trait(Pointwise):
        x = op.input_named("input")
        assert x is not None  # a pool's and a pointwise op's input
        props: dict[str, object] = {
            "pool_type": StringAttr("average" if pooling is None else pooling.kind),
            "ifm": _probe_fm(x, layouts),
            "ofm": _probe_fm(op.output, layouts),
            "kernel": KernelAttr.make(size=(1, 1)),
            "block_config": _dense((1, 1, 8)),
        }
        if pooling is not None:
            props["kernel"] = KernelAttr.make(
                size=pooling.window(op), stride=pool_stride(op)
            )
            if any(pooling.pad(op)):
                props["padding"] = PaddingAttr.make(pad=pooling.pad(op))
        elif op.input_named("table") is not None:
            props["activation"] = ActivationAttr.make(kind="table", slot=0)
        return PoolingOp.create(properties=props)  # type: ignore[arg-type]
    elementwise = op.get_trait(Elementwise)
    if elementwise is not None and elementwise.arithmetic is not None:
        out = op.shape(op.output)
        a, b = elementwise.values(op)
        if op.shape(b) == out:
            a, b = b, a
        if op.shape(a) != out:
            return None
        return ElementwiseOp.create(
            properties={
                "op_type": StringAttr(elementwise.arithmetic),
                "ifm": _probe_fm(a, layouts),
                "ifm2": _probe_fm(b, layouts),
                "ofm": _probe_fm(op.output, layouts),
                "block_config": _dense((1, 1, 8)),
            }
        )
    return None


def tir_op_cycles(
    op: OperatorOp,
    layouts: dict[object, str],
    cfg: SystemConfig,
    configs: list[BlockConfig] | None = None,
    staged: bool = False,
    depth: int | None = None,
) -> tuple[float, list[BlockConfig]]:
    """The duration the cycle model gives the tir op (`tir_probe`) with its
    fastest block config, its feature maps in `layouts` (0 if not
    modelled), and the configs costed, fastest first. `configs` limits the
    configs costed (default: every one Vela accepts, `tightest`); `staged`
    reads a weighted op's weights from SRAM (the copy not counted); `depth`
    models a conv computing only that many output channels (`tir_probe`)."""
    import contextlib
    import io

    from tirconst.dialects.npu.vela_api import block_configs

    probe = tir_probe(op, layouts, depth)
    if probe is None:
        return 0.0, []
    if configs is None:
        with contextlib.redirect_stdout(io.StringIO()):
            found = block_configs(probe, cfg.accelerator.name)  # type: ignore[arg-type]
        configs = tightest(found, probe.ofm.shape)
    mem, constant = memories(cfg)
    if staged:
        mem, constant = staged_memories(cfg), set()
    costed = sorted(
        (block_cost(probe, c, cfg, mem, constant).duration, c) for c in configs
    )
    if not costed:
        return 0.0, []
    return costed[0][0], [c for _, c in costed]
