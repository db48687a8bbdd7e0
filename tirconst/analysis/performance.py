"""How long an Ethos-U55/U65 command stream takes: a performance model over
npu IR.

The model is the public one Arm's Vela documents in its legacy core
(`npu_performance.py`, `architecture_features.py`), restated here from its
facts over the ops of an `npu.command_stream`:

- compute: the OFM is produced in blocks (the op's `block_config`); each
  block costs its micro-blocks times kernel steps on the MAC array (a partly
  empty block costs as much as a full one), plus the output stage's cycles
  per element (scaling, activation; a lookup table is slower), whichever of
  the two pipelines is slower dominates, one block of the other is added;
- memory: the bytes each operand moves (IFM re-read per OFM block and
  sub-kernel, weights re-read per OFM block, OFM written once), made larger
  by the burst efficiency of its layout (an NHWC IFM is read in bursts of the
  block depth, NHCWB16 in bursts of 16 channels times the block width),
  divided by its memory's bandwidth; an op takes the longer of compute and
  its slowest memory;
- DMA: a copy takes its bytes over the slower memory's bandwidth plus the
  source's read latency; the DMA engine runs beside the compute, so over the
  whole stream a DMA starts once the op before it in the stream has started
  (and once no earlier op still uses the bytes it overwrites), and an op
  starts once every DMA that writes bytes it reads has finished.

Vela's facts kept as they are: staged (DMA'd) weights read from SRAM cost no
access cycles (their traffic is counted), the lookup-table memory is not a
bottleneck, a relu and "no activation" are one clamp in a stream (the clamp
is taken as relu). The system configuration (clock, memories, bandwidths,
latencies) is data: Vela's own ini files (`SystemConfig.load`). Facts:
docs/ethos-u.md ("Inference time"); validation: docs/performance.md.
"""

from __future__ import annotations

import configparser
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation

from tirconst.dialects.npu.attributes import AddressRangeAttr, FeatureMapAttr
from tirconst.dialects.npu.ops import (
    BlockOp,
    Conv2DOp,
    DepthwiseConv2DOp,
    DmaOp,
    ElementwiseOp,
    PoolingOp,
    WeightedOp,
    WindowOp,
)
from tirconst.dialects.npu.stream import CommandStreamOp, RegionOp
from tirconst.dialects.tir.provenance import source

MEMORIES = ("Sram", "Dram", "OnChipFlash", "OffChipFlash")
LUT_MEMORY = "Shram"
DEFAULT_SYSTEM_CONFIG = {
    "u55": "Ethos_U55_High_End_Embedded",
    "u65": "Ethos_U65_Client_Server",
}
DEFAULT_MEMORY_MODE = {"u55": "Shared_Sram", "u65": "Dedicated_Sram_384KB"}
SUB_KERNEL = 8  # the largest kernel the MAC array takes in one pass, per axis
BRICK = 16


class ConfigError(ValueError):
    """A system config or memory mode that cannot be read (one line)."""


@dataclass(frozen=True)
class Accelerator:
    """What the model needs of an Ethos-U configuration: MACs per cycle, the
    OFM and IFM micro-block (h, w, d), the AXI port width, and the output
    stage's cycles per element by operation class and by activation class."""

    name: str
    macs: int
    cores: int
    ofm_ublock: tuple[int, int, int]
    ifm_ublock: tuple[int, int, int]
    axi_bytes: float
    output_cycles: tuple[float, ...]
    activation_cycles: tuple[float, float, float]

    @property
    def family(self) -> str:
        return self.name.split("-")[1]


_OUT_128 = (0.75, 1.25, 0.75, 0.75, 1.0, 1.5, 0.25, 0.5)
_OUT_256 = (0.625, 1.125, 0.5, 0.375, 0.5, 0.75, 0.125, 0.25)
ACCELERATORS = {
    "ethos-u55-32": Accelerator(
        "ethos-u55-32", 32, 1, (1, 1, 4), (1, 1, 8), 8.0,
        (2.0, 3.0, 3.0, 3.0, 4.0, 6.0, 1.0, 2.0), (1.0, 1.0, 0.0),
    ),
    "ethos-u55-64": Accelerator(
        "ethos-u55-64", 64, 1, (1, 1, 8), (1, 1, 8), 8.0,
        (1.0, 1.5, 1.5, 1.5, 2.0, 3.0, 0.5, 1.0), (1.0, 1.0, 0.0),
    ),
    "ethos-u55-128": Accelerator(
        "ethos-u55-128", 128, 1, (1, 2, 8), (1, 2, 8), 8.0, _OUT_128, (1.0, 0.5, 0.0)
    ),
    "ethos-u55-256": Accelerator(
        "ethos-u55-256", 256, 1, (2, 2, 8), (2, 2, 8), 8.0, _OUT_256, (1.0, 0.25, 0.0)
    ),
    "ethos-u65-256": Accelerator(
        "ethos-u65-256", 256, 1, (2, 2, 8), (2, 2, 8), 16.0, _OUT_256, (1.0, 0.25, 0.0)
    ),
    "ethos-u65-512": Accelerator(
        "ethos-u65-512", 256, 2, (2, 2, 8), (2, 2, 8), 16.0,
        (0.3125, 0.5625, 0.25, 0.1875, 0.25, 0.375, 0.0625, 0.125), (0.5, 0.125, 0.0),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Memory:
    """One memory as the NPU sees it: bytes per core cycle, read and write
    latency in cycles, burst length in bytes."""

    name: str
    bandwidth: float
    read_latency: int = 0
    write_latency: int = 0
    burst_length: int = 1


def vela_config_files() -> list[Path]:
    """The ini files Vela ships (`vela --list-config-files`)."""
    import ethosu.vela

    root = Path(ethosu.vela.__file__).resolve().parent.parent / "config_files"
    return sorted(root.glob("*/*.ini"))


@dataclass(frozen=True)
class SystemConfig:
    """An accelerator in a system: core clock (Hz), its memories, which
    memory holds the constants (weights, biases, tables), the arena (feature
    maps) and the cache (`Dedicated_Sram`), and the arena cache size."""

    accelerator: Accelerator
    system_config: str
    memory_mode: str
    core_clock: float
    memories: dict[str, Memory]
    const_memory: str
    arena_memory: str
    cache_memory: str
    arena_cache_size: int
    optimise: str = "Performance"
    config_files: tuple[str, ...] = ()
    """The ini files it was read from (resolved); () for the ones Vela ships."""

    @classmethod
    def load(
        cls,
        accelerator: str = "ethos-u55-128",
        system_config: str | None = None,
        memory_mode: str | None = None,
        config_files: Sequence[str | Path] | None = None,
        arena_cache_size: int | None = None,
        optimise: str = "Performance",
    ) -> SystemConfig:
        """Read `System_Config.<system_config>` and `Memory_Mode.<memory_mode>`
        from Vela's ini files (`config_files`, default Vela's own), with
        Vela's defaults and rules (`inherit`, a constant area in SRAM becomes
        on-chip flash with SRAM's figures). ConfigError names what is wrong."""
        acc = ACCELERATORS.get(accelerator)
        if acc is None:
            raise ConfigError(
                f"unknown accelerator {accelerator!r} "
                f"(one of {', '.join(ACCELERATORS)})"
            )
        if optimise not in ("Performance", "Size"):
            raise ConfigError(
                f"--optimise must be Performance or Size, not {optimise!r}"
            )
        files = [Path(f) for f in (config_files or vela_config_files())]
        ini = configparser.ConfigParser()
        for f in files:
            if f.suffix != ".ini" or not f.is_file():
                raise ConfigError(f"{f}: not a readable Vela .ini configuration file")
            try:
                ini.read(f)
            except configparser.Error as e:
                raise ConfigError(f"{f}: {str(e).splitlines()[0]}") from None
        system = system_config or DEFAULT_SYSTEM_CONFIG[acc.family]
        mode = memory_mode or DEFAULT_MEMORY_MODE[acc.family]

        def read(section: str, key: str, default: str, seen: tuple = ()) -> str:  # type: ignore[type-arg]
            if not ini.has_section(section):
                what = section.partition(".")[0].replace("_", "-").lower()
                raise ConfigError(
                    f"--{what} {section.partition('.')[2]!r}: no section "
                    f"[{section}] in {', '.join(str(f) for f in files)}"
                )
            value = default
            if ini.has_option(section, "inherit"):
                parent = ini.get(section, "inherit")
                if parent in (*seen, section):
                    raise ConfigError(f"[{section}]: inherit loops through {parent}")
                value = read(parent, key, value, (*seen, section))
            return ini.get(section, key) if ini.has_option(section, key) else value

        sys_section = f"System_Config.{system}"
        mode_section = f"Memory_Mode.{mode}"
        try:
            clock = float(read(sys_section, "core_clock", "1"))
            ports = {
                "Axi0": read(sys_section, "axi0_port", "Sram"),
                "Axi1": read(sys_section, "axi1_port", "Sram"),
            }
            memories: dict[str, Memory] = {
                m: Memory(m, acc.axi_bytes) for m in MEMORIES
            }
            for m in dict.fromkeys(ports.values()):
                if m not in MEMORIES:
                    raise ConfigError(f"[{sys_section}]: unknown memory {m!r}")
                used = max(1, int(read(sys_section, f"{m}_ports_used", "1")))
                scale = float(read(sys_section, f"{m}_clock_scale", "1"))
                memories[m] = Memory(
                    m,
                    acc.axi_bytes * used * scale,
                    int(read(sys_section, f"{m}_read_latency", "0")),
                    int(read(sys_section, f"{m}_write_latency", "0")),
                    int(read(sys_section, f"{m}_burst_length", "1")),
                )
            areas = {
                k: read(mode_section, f"{k}_mem_area", "Axi0")
                for k in ("const", "arena", "cache")
            }
            for k, v in areas.items():
                if v not in ports:
                    raise ConfigError(
                        f"[{mode_section}]: {k}_mem_area must be Axi0 or Axi1"
                    )
            cache_size = int(read(mode_section, "arena_cache_size", str(1 << 32)))
        except ValueError as e:
            if isinstance(e, ConfigError):
                raise
            raise ConfigError(f"[{sys_section}] / [{mode_section}]: {e}") from None
        const = ports[areas["const"]]
        if const == "Sram" and areas["const"] == areas["arena"] == areas["cache"]:
            # Vela: constants in the arena's SRAM become on-chip flash with
            # SRAM's characteristics.
            memories["OnChipFlash"] = Memory("OnChipFlash", *_figures(memories["Sram"]))
            const = "OnChipFlash"
        if const not in ("Dram", "OnChipFlash", "OffChipFlash"):
            raise ConfigError(f"[{mode_section}]: constants cannot live in {const}")
        arena, cache = ports[areas["arena"]], ports[areas["cache"]]
        if arena not in ("Sram", "Dram") or cache != "Sram":
            raise ConfigError(
                f"[{mode_section}]: the arena must be SRAM or DRAM, the cache SRAM"
            )
        memories[LUT_MEMORY] = Memory(LUT_MEMORY, acc.axi_bytes)
        if arena_cache_size is not None:
            if arena_cache_size < 0:
                raise ConfigError(
                    f"--arena-cache-size must be >= 0, got {arena_cache_size}"
                )
            cache_size = arena_cache_size
        return cls(
            acc,
            system,
            mode,
            clock,
            memories,
            const,
            arena,
            cache,
            cache_size,
            optimise,
            tuple(str(f.resolve()) for f in files) if config_files else (),
        )


def _figures(m: Memory) -> tuple[float, int, int, int]:
    return m.bandwidth, m.read_latency, m.write_latency, m.burst_length


FAST_REGION = 2
"""Vela's fast scratch: the region a dedicated-SRAM system keeps in its cache."""


def scratch_memory(config: SystemConfig, region: int) -> str:
    """The memory a read-write region lives in: the fast scratch in the
    cache where the system has one apart from the arena (Dedicated_Sram),
    any other region (scratch, inputs, outputs) in the arena."""
    if region == FAST_REGION and config.cache_memory != config.arena_memory:
        return config.cache_memory
    return config.arena_memory


def feature_map_memory(config: SystemConfig) -> str:
    """Where the compile plans an intermediate feature map (or a staged
    weight copy): in the fast scratch (`scratch_memory`) where the cache
    has room (a positive arena cache size), else in the arena."""
    if config.arena_cache_size > 0:
        return scratch_memory(config, FAST_REGION)
    return config.arena_memory


def region_memories(stream: CommandStreamOp, config: SystemConfig) -> dict[int, str]:
    """Which memory each region of `stream` lives in: constants in the
    constant memory, the lookup-table memory on chip, read-write regions
    as `scratch_memory` says."""
    out: dict[int, str] = {}
    for r in stream.body.block.ops:
        if not isinstance(r, RegionOp):
            continue
        idx, kind = r.index.value.data, r.kind.data
        if kind == "constant":
            out[idx] = config.const_memory
        elif kind == "lut":
            out[idx] = LUT_MEMORY
        else:
            out[idx] = scratch_memory(config, idx)
    return out


# ---------------------------------------------------------------------------
# One operation


@dataclass
class OpCost:
    """The model's figures for one op of a stream.

    `compute` the MAC array and output stage cycles, `access[m]` the cycles
    memory m needs for the op's traffic, `duration` the longer of the two,
    `dma` the cycles of a copy; `start` and `end` its place on the stream's
    timeline, `cycles` the time it adds to the stream (stall + duration), so
    the ops' `cycles` sum to the stream's. `traffic[(memory, purpose,
    direction)]` bytes moved, purpose "fm" or "weights", direction "read" or
    "write". `source` the model operator and part of it the op computes
    (`provenance.source`: the per-layer CSV's row), None if none."""

    index: int
    kind: str
    name: str
    source: tuple[int, int] | None = None
    macs: int = 0
    compute: float = 0.0
    dma: float = 0.0
    access: dict[str, float] = field(default_factory=dict)
    traffic: dict[tuple[str, str, str], float] = field(default_factory=dict)
    start: float = 0.0
    end: float = 0.0
    cycles: float = 0.0
    stall: float = 0.0

    @property
    def duration(self) -> float:
        if self.kind == "dma":
            return self.dma
        return max([self.compute, *self.access.values()])

    @property
    def npu(self) -> float:
        """Vela's `NPU` column: compute plus the wait for DMAs."""
        return self.compute + self.stall

    def add_traffic(self, memory: str, purpose: str, direction: str, n: float) -> None:
        key = (memory, purpose, direction)
        self.traffic[key] = self.traffic.get(key, 0.0) + n


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _round_up(a: int, b: int) -> int:
    return _ceil_div(a, b) * b


def _bits(fm: FeatureMapAttr) -> int:
    return 8 * fm.element_size


def _shape(fm: FeatureMapAttr) -> tuple[int, int, int]:
    h, w, c = fm.shape
    return h, w, c


def _rounded(shape: tuple[int, int, int], fm: FeatureMapAttr) -> tuple[int, int, int]:
    """The shape as stored: NHCWB16 rounds the depth up to whole bricks."""
    h, w, c = shape
    return (h, w, _round_up(c, BRICK)) if fm.layout == "nhcwb16" else (h, w, c)


def _elements(s: tuple[int, int, int]) -> int:
    return s[0] * s[1] * s[2]


def _burst_bytes(
    acc: Accelerator,
    mem: Memory,
    read: bool,
    fm: FeatureMapAttr,
    block: tuple[int, int, int],
    shape: tuple[int, int, int],
    n: float,
) -> float:
    """`n` bytes as the memory moves them: in bursts the layout and block
    allow, each costing a whole burst of the memory (Vela's transfer
    efficiency, its comparisons included)."""
    bits, (_, bw, bd) = _bits(fm), block
    if fm.layout == "nhcwb16":
        if BRICK * shape[1] * bits / 8 == bd:
            burst = bits * bd * bw
        elif read:
            burst = BRICK * bits * bw
        else:
            burst = BRICK * bits * bw * acc.cores
    elif read:
        burst = bits * bd * bw if bits / 8 == bd else bits * bd
    elif bd <= BRICK and bits / 8 == bd:
        burst = bits * bd * bw
    else:
        burst = min(64 * 8, BRICK * bits * acc.cores, bd * bits)
    burst = min(mem.burst_length, burst // 8)
    return n * mem.burst_length / burst


def _ifm_block(
    op: BlockOp, acc: Accelerator, ofm_block: tuple[int, int, int], part_kernel: bool
) -> tuple[int, int, int]:
    """The IFM block that feeds an OFM block (Vela's block config; half as
    many rows and columns of an upscaled IFM)."""
    bh, bw, bd = ofm_block
    up = 1
    if isinstance(op, WindowOp):
        (sy, sx), (kh, kw) = op.kernel.stride, op.kernel.dilated()
        up = op.upscaling
    else:
        sy = sx = kh = kw = 1
    h = _round_up(_ceil_div((bh - 1) * sy + min(kh, SUB_KERNEL), up), acc.ofm_ublock[0])
    w = _round_up(_ceil_div((bw - 1) * sx + min(kw, SUB_KERNEL), up), acc.ofm_ublock[1])
    if isinstance(op, Conv2DOp) or (
        isinstance(op, PoolingOp) and op.pool_type.data == "reduce_sum"
    ):
        depth, bits = _shape(op.ifm)[2], _bits(op.ifm)
        if bits == 16:
            d = _round_up(min(depth, 16), 4)
        else:
            d = _round_up(min(depth, 16 if part_kernel else 32), acc.ifm_ublock[2])
        return h, w, d
    return h, w, bd


def _block_type(op: BlockOp) -> str:
    if isinstance(op, Conv2DOp):
        return "conv"
    if isinstance(op, DepthwiseConv2DOp):
        return "depthwise"
    if isinstance(op, PoolingOp):
        return "reduce_sum" if op.pool_type.data == "reduce_sum" else "pooling"
    return "elementwise"


def _output_cycles_per_element(
    op: BlockOp,
    acc: Accelerator,
    kind: str,
    acc40: bool,
    min_ifm: float,
    min_ofm: float,
    ofm_block: tuple[int, int, int],
) -> float:
    """Cycles of the output stage per OFM element (the slower of scaling and
    activation; for elementwise ops at least the block's memory commands)."""
    ofm_bits, ifm_bits = _bits(op.ofm), _bits(op.ifm)
    etype = op.op_type.data if isinstance(op, ElementwiseOp) else ""
    if kind == "elementwise" and ifm_bits == 32:
        index = 0 if getattr(op, "ifm2", None) is not None else 1
    elif etype == "mul" and ofm_bits == 32:
        index = 2
    elif etype == "mul" or (kind != "elementwise" and acc40):
        index = 3
    elif etype in ("add", "sub"):
        index = 5
    elif isinstance(op, PoolingOp) and op.pool_type.data == "max":
        index = 6
    else:
        index = 7
    act = op.activation
    if act is not None and act.kind == "table":
        act_index = 0
    elif act is not None:
        act_index = 1
    else:
        act_index = 2
    per = max(acc.output_cycles[index], acc.activation_cycles[act_index])
    if kind == "elementwise":
        n = _elements(ofm_block)
        per = max(per, (min_ifm + min_ofm + per * n) / 4 / n)
    return per


@dataclass(frozen=True)
class _Query:
    kind: str
    acc40: bool
    part_kernel: bool
    ifm: tuple[int, int, int]
    ofm: tuple[int, int, int]
    ofm_block: tuple[int, int, int]  # clipped to the OFM
    ifm_block: tuple[int, int, int]  # clipped to the IFM
    config_ifm_block: tuple[int, int, int]
    config_ofm_block: tuple[int, int, int]
    kernel: tuple[int, int]


def _min_memory_cycles(
    op: BlockOp, q: _Query, acc: Accelerator, mem: dict[int, str], cfg: SystemConfig
) -> tuple[float, float]:
    """Cycles to bring in one IFM block and write out one OFM block."""
    im, om = cfg.memories[mem[op.ifm.region]], cfg.memories[mem[op.ofm.region]]
    n_in = _elements(q.ifm_block)
    n_out = _elements(q.ofm_block)
    c_in = (
        im.read_latency
        + _burst_bytes(acc, im, True, op.ifm, q.config_ifm_block, q.ifm, n_in)
        / im.bandwidth
    )
    c_out = (
        om.write_latency
        + _burst_bytes(acc, om, False, op.ofm, q.config_ofm_block, q.ofm, n_out)
        / om.bandwidth
    )
    return c_in, c_out


def _conv_cycles(
    op: BlockOp,
    q: _Query,
    acc: Accelerator,
    mem: dict[int, str],
    cfg: SystemConfig,
    per_element: float,
) -> float:
    """Cycles of a convolution, depthwise, pooling or reduce-sum: the MAC
    array's per-block cycles against the output stage's, over all blocks."""
    ifm_bits = _bits(op.ifm)
    bh, bw, bd = q.ofm_block
    uh, uw, ud = acc.ofm_ublock
    kh, kw = q.kernel
    if (
        uh == 2
        and q.kind in ("conv", "depthwise")
        and q.ofm[0] == 1
        and q.ofm[1] % 2 == 0
        and kh == 1
    ):
        uh, uw, ud = 1, 4, ud
        bh = 1
    n_x, n_y, n_z = _ceil_div(bw, uw), _ceil_div(bh, uh), _ceil_div(bd, ud)
    n_xy = n_x * n_y
    subs_y = [
        min(kh - i * SUB_KERNEL, SUB_KERNEL) for i in range(_ceil_div(kh, SUB_KERNEL))
    ]
    subs_x = [
        min(kw - i * SUB_KERNEL, SUB_KERNEL) for i in range(_ceil_div(kw, SUB_KERNEL))
    ]
    wb = 32 * ud // 8
    dpu = 0.0
    for elems in (x * y for y in subs_y for x in subs_x):
        if q.kind == "pooling":
            steps = 1
            c = max(4, elems) * n_xy * n_z
            if ifm_bits == 16 and acc.name != "ethos-u55-32":
                c *= 2
        elif q.kind == "depthwise":
            c = 4 * n_xy * (2 if ifm_bits == 16 else 1)
            steps = _ceil_div(elems, 4)
            c = max(wb, c) * steps * n_z
        elif not q.part_kernel:
            steps = elems
            c = max(wb, 4 * n_xy) * steps * n_z
        else:
            steps = _ceil_div(elems, 2 if ifm_bits == 16 else 4)
            c = max(wb, 4 * n_xy) * steps * _ceil_div(q.ifm_block[2], 8) * n_z
        if acc.name == "ethos-u55-32":
            delay = 7 if q.acc40 else 3
            extra = 0
            if n_x == 1 and n_y == 1:
                if n_z == 1:
                    extra = delay * steps
                elif steps > 1:
                    extra = delay * (steps - 1) * n_z
            if (n_x == 1 or n_y == 1) and n_z > 1 and q.acc40:
                extra += delay * n_z
        else:
            delay = (
                3 if q.acc40 and acc.name in ("ethos-u55-64", "ethos-u55-128") else 2
            )
            extra = 0
            if n_x == 1 and n_y == 1:
                if n_z == 1:
                    extra = delay * steps
                elif steps > 1:
                    extra = delay * (steps - 1) * n_z
        if q.kind == "conv" and q.part_kernel:
            extra *= _ceil_div(q.ifm_block[2], 8)
        dpu += c + extra
    if q.kind in ("conv", "reduce_sum"):
        dpu *= _ceil_div(q.ifm[2], q.ifm_block[2])
    dpu /= acc.cores
    blocks = (
        _ceil_div(q.ofm[0], q.ofm_block[0])
        * _ceil_div(q.ofm[1], q.ofm_block[1])
        * _ceil_div(q.ofm[2], q.ofm_block[2])
    )
    out = math.ceil(per_element * _elements(q.ofm_block))
    if isinstance(op, WeightedOp):
        lat = cfg.memories[mem[op.biases.data[0].region]].read_latency
        out = max(out, 10 * q.ofm_block[2] * lat / 256)
    c_in, c_out = _min_memory_cycles(op, q, acc, mem, cfg)
    cmd = (c_in + c_out + out + dpu) / 4
    dpu, out = max(dpu, cmd), max(out, cmd)
    return dpu * blocks + out if dpu > out else out * blocks + dpu


def _query(op: BlockOp, acc: Accelerator) -> _Query:
    kind = _block_type(op)
    part_kernel = (
        isinstance(op, Conv2DOp) and op.block_traversal.data == "part_kernel_first"
    )
    acc40 = _bits(op.ifm) == 16 and kind != "pooling"
    ifm, ofm = _shape(op.ifm), _shape(op.ofm)
    block = tuple(int(b) for b in op.block_config.get_values())
    assert len(block) == 3
    cfg_ifm = _ifm_block(op, acc, block, part_kernel)  # type: ignore[arg-type]
    kernel = op.kernel.size if isinstance(op, WindowOp) else (1, 1)
    return _Query(
        kind,
        acc40,
        part_kernel,
        ifm,
        ofm,
        tuple(min(a, b) for a, b in zip(ofm, block, strict=True)),  # type: ignore[arg-type]
        tuple(min(a, b) for a, b in zip(ifm, cfg_ifm, strict=True)),  # type: ignore[arg-type]
        cfg_ifm,
        block,  # type: ignore[arg-type]
        kernel,  # type: ignore[arg-type]
    )


def _fm_traffic(
    cost: OpCost,
    acc: Accelerator,
    cfg: SystemConfig,
    memory: str,
    read: bool,
    fm: FeatureMapAttr,
    block: tuple[int, int, int],
    shape: tuple[int, int, int],
    elements: float,
) -> None:
    n = elements * fm.element_size
    m = cfg.memories[memory]
    cost.add_traffic(memory, "fm", "read" if read else "write", n)
    scaled = _burst_bytes(acc, m, read, fm, block, shape, n)
    cost.access[memory] = cost.access.get(memory, 0.0) + scaled / m.bandwidth


def block_op_cost(
    op: BlockOp,
    index: int,
    cfg: SystemConfig,
    mem: dict[int, str],
    constant: set[int] | None = None,
    raw_weights: int | None = None,
) -> OpCost:
    """Compute cycles, MACs, traffic and access cycles of one block op.

    `constant` (the regions holding constants) and `raw_weights` (the
    weight elements its stream encodes) default to what the op's command
    stream says; given, the op need not be in a stream (a candidate the
    compiler costs before it builds the stream)."""
    acc = cfg.accelerator
    if constant is None:
        constant = _constant_regions(op)
    q = _query(op, acc)
    detail = ""
    if isinstance(op, ElementwiseOp):
        detail = f":{op.op_type.data}"
    elif isinstance(op, PoolingOp):
        detail = f":{op.pool_type.data}"
    cost = OpCost(index, q.kind, op.name + detail)
    kh, kw = q.kernel
    c_in, c_out = _min_memory_cycles(op, q, acc, mem, cfg)
    per = _output_cycles_per_element(
        op, acc, q.kind, q.acc40, c_in, c_out, q.config_ofm_block
    )
    if q.kind == "elementwise":
        cost.compute = math.ceil(per * _elements(_rounded(q.ofm, op.ofm)))
    else:
        depth = 1 if q.kind in ("depthwise", "pooling") else q.ifm[2]
        cost.macs = kh * kw * depth * _elements(q.ofm)
        cost.compute = int(_conv_cycles(op, q, acc, mem, cfg, per))
    for m in mem.values():
        if m != LUT_MEMORY:
            cost.access.setdefault(m, 0.0)
    ifm_mem = mem[op.ifm.region]
    ofm_mem = mem[op.ofm.region]
    if q.kind == "elementwise":
        assert isinstance(op, ElementwiseOp)
        ofm_r = _elements(_rounded(q.ofm, op.ifm))
        ifm2 = op.ifm2
        if _elements(q.ifm) == 1:
            n1 = _elements(_rounded(q.ifm, op.ifm)) if _bits(op.ifm) > 8 else 0
            n2 = ofm_r if ifm2 is not None else 0
        else:
            n1 = ofm_r
            n2 = 0
            if ifm2 is not None:
                if _elements(_shape(ifm2)) > 1:
                    n2 = ofm_r
                elif _bits(ifm2) > 8:
                    n2 = _elements(_rounded(_shape(ifm2), op.ifm))
        _fm_traffic(
            cost, acc, cfg, ifm_mem, True, op.ifm, q.config_ifm_block, q.ifm, n1
        )
        if ifm2 is not None and n2:
            _fm_traffic(
                cost, acc, cfg, mem[ifm2.region], True, ifm2,
                q.config_ifm_block, _shape(ifm2), n2,
            )  # fmt: skip
    else:
        blocks_h = _ceil_div(q.ofm[0], q.ofm_block[0])
        blocks_w = _ceil_div(q.ofm[1], q.ofm_block[1])
        blocks_d = _ceil_div(q.ofm[2], q.ofm_block[2])
        block_depth = q.ofm_block[2]
        if q.kind in ("depthwise", "pooling"):
            blocks_d, block_depth = 1, q.ifm[2]
        blocks = blocks_h * blocks_w * blocks_d
        subs = _ceil_div(kw, SUB_KERNEL) * _ceil_div(kh, SUB_KERNEL)
        ib = _rounded(q.ifm_block, op.ifm)
        fetch = ib[0] * ib[1] * _rounded(q.ifm, op.ifm)[2]
        _fm_traffic(
            cost, acc, cfg, ifm_mem, True, op.ifm, q.config_ifm_block, q.ifm,
            fetch * subs * blocks,
        )  # fmt: skip
        if isinstance(op, WeightedOp):
            kernel_read = kh * kw * (1 if q.kind == "depthwise" else q.ifm[2])
            elements = kernel_read * block_depth * blocks
            # One weight region and one scale region (the registers have
            # one each) however many cores: every core's stream counts.
            w, b = op.weights.data[0], op.biases.data[0]
            raw = raw_weights
            if raw is None:
                encs = [op.weight_encoding(k) for k in range(len(op.weights.data))]
                raw = sum(
                    math.prod(e.encoding.shape)  # type: ignore[union-attr]
                    for e in encs
                    if e is not None
                ) or (kh * kw * q.ifm[2] * q.ofm[2])
            wbytes = elements * sum(r.length for r in op.weights.data) / raw
            bbytes = 10 * q.ofm[2]
            for r, n in ((w, wbytes), (b, bbytes)):
                m = mem[r.region]
                cost.add_traffic(m, "weights", "read", n)
                if r.region in constant:
                    mm = cfg.memories[m]
                    cost.access[m] = cost.access.get(m, 0.0) + n / mm.bandwidth
    _fm_traffic(
        cost, acc, cfg, ofm_mem, False, op.ofm, q.config_ofm_block, q.ofm,
        _elements(_rounded(q.ofm, op.ofm)),
    )  # fmt: skip
    cost.access.pop(LUT_MEMORY, None)
    return cost


def _constant_regions(op: Operation) -> set[int]:
    stream = op.parent_op()
    assert isinstance(stream, CommandStreamOp)
    return _stream_constant_regions(stream)


def _stream_constant_regions(stream: CommandStreamOp) -> set[int]:
    return {
        r.index.value.data
        for r in stream.body.block.ops
        if isinstance(r, RegionOp) and r.kind.data == "constant"
    }


def dma_cost(op: DmaOp, index: int, cfg: SystemConfig, mem: dict[int, str]) -> OpCost:
    """A copy: the slower of reading (plus latency) and writing its bytes."""
    src, dst = mem[op.src.region], mem[op.dest.region]
    n = op.src.length
    ms, md = cfg.memories[src], cfg.memories[dst]
    cost = OpCost(index, "dma", op.name)
    cost.dma = max(n // ms.bandwidth + ms.read_latency, n // md.bandwidth)
    purpose = "weights" if op.src.region in _constant_regions(op) else "fm"
    cost.add_traffic(src, purpose, "read", n)
    cost.add_traffic(dst, purpose, "write", n)
    return cost


# ---------------------------------------------------------------------------
# A stream: DMA beside compute


def _ranges_read(op: BlockOp) -> list[tuple[int, int, int]]:
    """(region, first, end) of every byte range a block op reads."""
    from tirconst.dialects.npu.geometry import byte_span

    out = []
    for what in ("ifm", "ifm2"):
        fm = getattr(op, what, None)
        if what == "ifm2" and getattr(op, "ifm2_scalar", None) is not None:
            continue  # a scalar operand reads no memory
        if fm is not None:
            first, end = byte_span(fm)
            out.append((fm.region, first, end))
    if isinstance(op, WeightedOp):
        for r in (*op.weights.data, *op.biases.data):
            out.append(_span(r))
    act = op.activation
    if act is not None and act.kind == "table":
        out.append((0x103, 0, 1 << 30))
    return out


def _ranges_written(op: BlockOp) -> list[tuple[int, int, int]]:
    from tirconst.dialects.npu.geometry import byte_span

    first, end = byte_span(op.ofm)
    return [(op.ofm.region, first, end)]


def _span(r: AddressRangeAttr) -> tuple[int, int, int]:
    return r.region, r.address, r.address + r.length


def _overlaps(
    a: Iterable[tuple[int, int, int]], b: Iterable[tuple[int, int, int]]
) -> bool:
    b = list(b)
    return any(ra == rb and fa < eb and fb < ea for ra, fa, ea in a for rb, fb, eb in b)


@dataclass
class StreamCost:
    """The model's figures for one command stream: its ops in order (DMAs
    included) and the totals."""

    name: str
    ops: list[OpCost]

    @property
    def compute_ops(self) -> list[OpCost]:
        return [c for c in self.ops if c.kind != "dma"]

    @property
    def cycles(self) -> float:
        return sum(c.cycles for c in self.ops)

    @property
    def macs(self) -> int:
        return sum(c.macs for c in self.ops)


def stream_cost(stream: CommandStreamOp, cfg: SystemConfig) -> StreamCost:
    """Every op's cost, placed on the stream's timeline: one compute engine
    and one DMA engine; a DMA starts when the engine is free, once the op
    before it in the stream has started and once the earlier ops that touch
    its destination have finished; an op starts when the previous op has
    finished and every earlier DMA writing what it reads has finished."""
    if stream.accelerator.data not in ACCELERATORS:
        raise ConfigError(f"no performance model for {stream.accelerator.data}")
    if stream.accelerator.data != cfg.accelerator.name:
        raise ConfigError(
            f"@{stream.sym_name.data} is for {stream.accelerator.data}, the "
            f"system config for {cfg.accelerator.name}"
        )
    mem = region_memories(stream, cfg)
    constant = _stream_constant_regions(stream)
    costs: list[OpCost] = []
    dmas: list[tuple[OpCost, list[tuple[int, int, int]]]] = []
    users: list[tuple[OpCost, list[tuple[int, int, int]]]] = []
    compute_free = dma_free = last_start = 0.0
    prev_end = 0.0
    for op in stream.body.block.ops:
        if isinstance(op, DmaOp):
            c = dma_cost(op, len(costs), cfg, mem)
            dest = [_span(op.dest)]
            ready = max(
                [dma_free, last_start]
                + [u.end for u, rs in users if _overlaps(rs, dest)]
            )
            c.start, c.end = ready, ready + c.dma
            dma_free = c.end
            dmas.append((c, dest))
            users.append((c, [_span(op.src), *dest]))
        elif isinstance(op, BlockOp):
            c = block_op_cost(op, len(costs), cfg, mem, constant)
            reads = _ranges_read(op)
            ready = max(
                [compute_free] + [d.end for d, dest in dmas if _overlaps(reads, dest)]
            )
            c.start, c.end = ready, ready + c.duration
            c.stall = ready - compute_free
            compute_free, last_start = c.end, c.start
            users.append((c, reads + _ranges_written(op)))
        else:
            continue
        c.source = source(op)
        costs.append(c)
    # Each compute op adds the time from the previous one's end to its own;
    # DMAs still running after the last op are the stream's tail.
    for c in costs:
        if c.kind != "dma":
            c.cycles = c.end - prev_end
            prev_end = c.end
    tail = max([c.end for c in costs], default=0.0) - prev_end
    if tail > 0:
        last = next((c for c in reversed(costs) if c.kind != "dma"), None)
        if last is not None:
            last.cycles += tail
        elif costs:
            costs[-1].cycles += tail
    return StreamCost(stream.sym_name.data, costs)


@dataclass
class Estimate:
    """A module's estimate: its streams, the totals Vela's summary reports."""

    config: SystemConfig
    streams: list[StreamCost]

    @property
    def ops(self) -> list[OpCost]:
        return [c for s in self.streams for c in s.ops]

    @property
    def cycles(self) -> float:
        return sum(s.cycles for s in self.streams)

    @property
    def npu_cycles(self) -> float:
        return sum(c.npu for c in self.ops if c.kind != "dma")

    @property
    def macs(self) -> int:
        return sum(s.macs for s in self.streams)

    def access_cycles(self, memory: str) -> float:
        return sum(c.access.get(memory, 0.0) for c in self.ops)

    def traffic(
        self, memory: str, purpose: str | None = None, direction: str | None = None
    ) -> float:
        return sum(
            n
            for c in self.ops
            for (m, p, d), n in c.traffic.items()
            if m == memory and purpose in (None, p) and direction in (None, d)
        )

    @property
    def seconds(self) -> float:
        return self.cycles / self.config.core_clock


def estimate(
    module: ModuleOp | CommandStreamOp, cfg: SystemConfig | None = None
) -> Estimate:
    """The estimate of every command stream in `module`, each run once."""
    streams = (
        [module]
        if isinstance(module, CommandStreamOp)
        else [op for op in module.walk() if isinstance(op, CommandStreamOp)]
    )
    if cfg is None:
        acc = streams[0].accelerator.data if streams else "ethos-u55-128"
        cfg = SystemConfig.load(acc if acc in ACCELERATORS else "ethos-u55-128")
    return Estimate(cfg, [stream_cost(s, cfg) for s in streams])


def report(e: Estimate) -> str:
    """The per-op table `npu-estimate-performance` prints: per op its
    compute, DMA, stall, access cycles per memory and the cycles it adds;
    then the totals and the inference time."""
    cfg = e.config
    mems = [m for m in MEMORIES if any(c.access.get(m) for c in e.ops)]
    head = (
        f"{'#':>4}  {'op':24} {'MACs':>9} {'compute':>9} {'dma':>7} {'stall':>7}"
        + "".join(f" {m + ' AC':>15}" for m in mems)
        + f" {'cycles':>9}"
    )
    lines = [
        f"{cfg.accelerator.name}, {cfg.system_config} / {cfg.memory_mode}, "
        f"{cfg.core_clock / 1e6:g} MHz",
        head,
    ]
    for s in e.streams:
        lines.append(f"@{s.name}")
        for c in s.ops:
            what = c.name.removeprefix("npu.")
            lines.append(
                f"{c.index:>4}  {what:24} {c.macs:>9} {c.compute:>9.0f} "
                f"{c.dma:>7.0f} {c.stall:>7.0f}"
                + "".join(f" {c.access.get(m, 0.0):>15.0f}" for m in mems)
                + f" {c.cycles:>9.0f}"
            )
    lines.append(
        f"total: {e.cycles:.0f} cycles, {1e6 * e.seconds:.2f} us per inference, "
        f"{e.macs} MACs, NPU {e.npu_cycles:.0f}"
        + "".join(f", {m} {e.access_cycles(m):.0f}" for m in mems)
    )
    return "\n".join(lines) + "\n"
