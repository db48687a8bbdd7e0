"""What a compile produced, as records and as Vela's CSV files.

`CompileResult` is what `tirconst.tools.compile.compile_model` returns (and
what `bench/compile.py` tabulates); `LayerRecord` is one row of the
per-layer CSV. Both are plain data, filled by the compile tool from its IR.
The CSVs use Vela 5.2's column names (`MODEL_summary_<system>.csv`,
`MODEL_per-layer.csv`), with the columns we cannot know left empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tirconst.analysis.performance import Estimate
from tirconst.backend.ethos_u.writers import write_atomic

KIB = 1024

# Vela 5.2's summary header, in its order (stats_writer.py).
SUMMARY_COLUMNS = (
    "experiment,network,accelerator_configuration,system_config,memory_mode,"
    "core_clock,arena_cache_size,sram_bandwidth,dram_bandwidth,"
    "on_chip_flash_bandwidth,off_chip_flash_bandwidth,weights_storage_area,"
    "feature_map_storage_area,inferences_per_second,batch_size,inference_time,"
    "passes_before_fusing,passes_after_fusing,sram_memory_used,dram_memory_used,"
    "on_chip_flash_memory_used,off_chip_flash_memory_used,total_original_weights,"
    "total_npu_encoded_weights,sram_feature_map_read_bytes,"
    "sram_feature_map_write_bytes,sram_weight_read_bytes,sram_weight_write_bytes,"
    "sram_total_bytes,dram_feature_map_read_bytes,dram_feature_map_write_bytes,"
    "dram_weight_read_bytes,dram_weight_write_bytes,dram_total_bytes,"
    "on_chip_flash_feature_map_read_bytes,on_chip_flash_feature_map_write_bytes,"
    "on_chip_flash_weight_read_bytes,on_chip_flash_weight_write_bytes,"
    "on_chip_flash_total_bytes,off_chip_flash_feature_map_read_bytes,"
    "off_chip_flash_feature_map_write_bytes,off_chip_flash_weight_read_bytes,"
    "off_chip_flash_weight_write_bytes,off_chip_flash_total_bytes,nn_macs,nn_tops,"
    "cycles_npu,cycles_sram_access,cycles_dram_access,cycles_on_chip_flash_access,"
    "cycles_off_chip_flash_access,cycles_total"
).split(",")

# Vela 5.2's per-layer header (`--verbose-performance`), then ours.
LAYER_COLUMNS = [
    "Original Operator",
    "NNG Operator",
    "Target",
    "Staging Usage",
    "Peak% (Staging)",
    "Op Cycles",
    "Network% (cycles)",
    "NPU",
    "SRAM AC",
    "DRAM AC",
    "OnFlash AC",
    "OffFlash AC",
    "MAC Count",
    "Network% (MAC)",
    "Util% (MAC)",
    "Name",
    "Tile",
    "Weights Raw",
    "Weights Encoded",
]


@dataclass(frozen=True)
class LayerRecord:
    """One NPU or CPU operation: `original_op` the TFLite operator it comes
    from (`Conv2D`), `op` what runs (`Conv2D`, `Passthrough` for CPU),
    `target` `NPU` or `CPU`, `sram_bytes` the SRAM live while it runs,
    `tile` e.g. `1x8x8x16` (empty if untiled), weights as in the model and
    as encoded for the NPU, `cycles` if estimated."""

    name: str
    original_op: str
    op: str
    target: str
    sram_bytes: int = 0
    tile: str = ""
    weights_raw_bytes: int = 0
    weights_encoded_bytes: int = 0
    macs: int = 0
    cycles: int | None = None
    # The performance model's figures (None: not estimated): cycles of the
    # NPU (compute and DMA wait), access cycles of SRAM, DRAM, on-chip and
    # off-chip flash, and the share of the MAC array's capacity used.
    npu_cycles: float | None = None
    access_cycles: tuple[float, float, float, float] | None = None
    mac_util: float | None = None


@dataclass(frozen=True)
class CompileResult:
    """The figures of one compile, in bytes, and its output files.

    `sram_bytes` is the SRAM the network needs (Vela's sram_memory_used:
    the arena, or a dedicated-SRAM system's cache),
    `flash_bytes` the read-only blob plus the driver payload (encoded
    weights, biases, LUTs and the command stream); `npu_ops` counts the
    command stream's operations, `cpu_ops` the TFLite operators kept."""

    network: str
    accelerator: str
    sram_bytes: int
    flash_bytes: int
    npu_ops: int
    cpu_ops: int
    seconds: float
    weights_raw_bytes: int = 0
    weights_encoded_bytes: int = 0
    command_stream_bytes: int = 0
    macs: int = 0
    layers: tuple[LayerRecord, ...] = ()
    outputs: dict[str, Path] = field(default_factory=dict)
    performance: Estimate | None = None
    dram_bytes: int = 0
    """The arena where it is not the SRAM (a dedicated-SRAM system: the
    model's tensors there, the feature maps in the cache `sram_bytes`
    counts; Vela's dram_memory_used, which also counts constants in DRAM)."""


def accelerator_label(accelerator: str) -> str:
    """`ethos-u55-128` -> `Ethos_U55_128`, as Vela's CSV writes it."""
    head, _, rest = accelerator.partition("-")
    return f"{head.capitalize()}_{rest.replace('-', '_').upper()}"


def summary_row(
    result: CompileResult, system_config: str = "", memory_mode: str = ""
) -> dict[str, str]:
    row = dict.fromkeys(SUMMARY_COLUMNS, "")
    row.update(
        experiment="default",
        network=result.network,
        accelerator_configuration=accelerator_label(result.accelerator),
        system_config=system_config,
        memory_mode=memory_mode,
        batch_size="1",
        passes_before_fusing=str(result.npu_ops + result.cpu_ops),
        passes_after_fusing=str(result.npu_ops + result.cpu_ops),
        sram_memory_used=repr(result.sram_bytes / KIB),
        dram_memory_used=repr(result.dram_bytes / KIB),
        on_chip_flash_memory_used="0.0",
        off_chip_flash_memory_used=repr(result.flash_bytes / KIB),
        total_original_weights=str(result.weights_raw_bytes),
        total_npu_encoded_weights=str(result.weights_encoded_bytes),
        nn_macs=str(result.macs),
    )
    if result.performance is not None:
        row.update(performance_columns(result.performance))
    return row


# Vela's memory names: the model's, the CSV's column prefix, its display name.
MEMORY_COLUMNS = (
    ("Sram", "sram", "SRAM"),
    ("Dram", "dram", "DRAM"),
    ("OnChipFlash", "on_chip_flash", "On-chip Flash"),
    ("OffChipFlash", "off_chip_flash", "Off-chip Flash"),
)


def performance_columns(e: Estimate) -> dict[str, str]:
    """The summary columns the performance model fills, as Vela defines
    them: bandwidths in GiB/s, bytes per memory and purpose, access cycles
    per memory, `cycles_total` the stream's cycles (the sum of the per-layer
    `Op Cycles`), `inference_time` in seconds."""
    cfg = e.config
    names = {m: label for m, _, label in MEMORY_COLUMNS}
    seconds = e.seconds
    per_second = 1 / seconds if seconds else 0.0
    row = {
        "system_config": cfg.system_config,
        "memory_mode": cfg.memory_mode,
        "core_clock": repr(cfg.core_clock),
        "arena_cache_size": repr(float(cfg.arena_cache_size)),
        "weights_storage_area": names[cfg.const_memory],
        "feature_map_storage_area": names[cfg.arena_memory],
        "inferences_per_second": repr(per_second),
        "inference_time": repr(seconds),
        "nn_tops": repr(e.macs * 2 * per_second / 1e12),
        "cycles_npu": repr(e.npu_cycles),
        "cycles_total": repr(e.cycles),
    }
    for m, key, _ in MEMORY_COLUMNS:
        row[f"{key}_bandwidth"] = repr(
            cfg.memories[m].bandwidth * cfg.core_clock / 2**30
        )
        for purpose, what in (("fm", "feature_map"), ("weights", "weight")):
            for direction in ("read", "write"):
                n = e.traffic(m, purpose, direction)
                row[f"{key}_{what}_{direction}_bytes"] = repr(n)
        row[f"{key}_total_bytes"] = repr(e.traffic(m))
        row[f"cycles_{key}_access"] = repr(e.access_cycles(m))
    return row


def summary_csv(
    result: CompileResult, system_config: str = "", memory_mode: str = ""
) -> str:
    """Vela's summary CSV: memory in KiB as Vela writes it; bandwidths,
    cycles, inference time and per-memory traffic from the performance model
    when the result has its estimate."""
    out = io.StringIO()
    w = csv.DictWriter(out, SUMMARY_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerow(summary_row(result, system_config, memory_mode))
    return out.getvalue()


def layers_csv(layers: Sequence[LayerRecord]) -> str:
    """Vela's per-layer CSV columns plus Tile and weight sizes."""
    peak = max((r.sram_bytes for r in layers), default=0)
    macs = sum(r.macs for r in layers)
    cycles = sum(r.cycles or 0 for r in layers)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(LAYER_COLUMNS)
    for r in layers:
        w.writerow(
            [
                r.original_op,
                r.op,
                r.target,
                r.sram_bytes,
                100.0 * r.sram_bytes / peak if peak else 0.0,
                "" if r.cycles is None else r.cycles,
                ""
                if r.cycles is None
                else (100.0 * r.cycles / cycles if cycles else 0.0),
                _npu_cell(r),
                *(("",) * 4 if r.access_cycles is None else r.access_cycles),
                r.macs,
                100.0 * r.macs / macs if macs else 0.0,
                "" if r.mac_util is None else r.mac_util,
                r.name,
                r.tile,
                r.weights_raw_bytes,
                r.weights_encoded_bytes,
            ]
        )
    return out.getvalue()


def _npu_cell(r: LayerRecord) -> float | int | str:
    if r.npu_cycles is not None:
        return r.npu_cycles
    return "" if r.cycles is None or r.target != "NPU" else r.cycles


def summary_path(out_dir: str | Path, network: str, system_config: str) -> Path:
    return Path(out_dir) / f"{network}_summary_{system_config}.csv"


def layers_path(out_dir: str | Path, network: str) -> Path:
    return Path(out_dir) / f"{network}_per-layer.csv"


def write_summary(
    path: str | Path,
    result: CompileResult,
    system_config: str = "",
    memory_mode: str = "",
) -> Path:
    text = summary_csv(result, system_config, memory_mode).encode()
    return write_atomic(path, lambda f: f.write(text))


def write_layers(path: str | Path, layers: Sequence[LayerRecord]) -> Path:
    text = layers_csv(layers).encode()
    return write_atomic(path, lambda f: f.write(text))


def read_summary(path: str | Path) -> dict[str, str]:
    """The single row of a summary CSV (Vela's or ours)."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != 1:
        raise ValueError(f"{path}: expected one summary row, found {len(rows)}")
    return rows[0]
