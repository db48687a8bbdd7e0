"""`tirconst-compile MODEL.tflite`: an int8 network to an Ethos-U command
stream, with Vela's flag names and output formats.

    tirconst-compile MODEL.tflite [--accelerator-config ethos-u55-128]
        [--output-dir OUT] [--output-format tflite|raw] [--sram-budget BYTES]
        [--optimise Performance|Size] [--arena-cache-size BYTES]
        [--dump-ir DIR] [--print-pipeline] [--verify [--seed N]]

The chain is the passes of `pipeline_text()`, the same string `tirconst-opt
-p` runs, so a user can stop after any pass: import, tir-legalize-npu,
tir-data-views (concatenations and slices as addressing), tir-tile
(cascaded: Performance only as far as the SRAM limit needs, Size to the
least SRAM it finds), tir-split-weights (Performance without an SRAM
limit: weights copied in OFM-depth halves where whole they cannot hide),
tir-encode-weights, tir-stage-weights, tir-plan-memory, convert-tir-to-npu;
then Vela's command-stream generator and the output files
(`backend/ethos_u`: `package`, `writers`, `raw`, `summary`). Every output is
made in memory first and written atomically only when the whole compile
succeeded.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import Operation
from xdsl.passes import ModulePass, PassPipeline
from xdsl.utils.exceptions import PassFailedException

from tirconst.analysis.performance import (
    DEFAULT_MEMORY_MODE,
    DEFAULT_SYSTEM_CONFIG,
    MEMORIES,
    ConfigError,
    Estimate,
    OpCost,
    SystemConfig,
    estimate,
)
from tirconst.analysis.sram import pool_bytes_at
from tirconst.analysis.views import root_of
from tirconst.backend.ethos_u.package import Package, package
from tirconst.backend.ethos_u.raw import npz_arrays
from tirconst.backend.ethos_u.segments import OutputError, output_path
from tirconst.backend.ethos_u.summary import (
    CompileResult,
    LayerRecord,
    layers_csv,
    layers_path,
    summary_csv,
    summary_path,
)
from tirconst.backend.ethos_u.writers import tflite_bytes
from tirconst.core.collection import fewer_collections
from tirconst.core.context import context
from tirconst.core.diagnostics import (
    PassFailedAt,
    StageVerifier,
    ToolError,
    diagnostic_line,
    error_line,
    first_line,
)
from tirconst.core.files import atomic_output
from tirconst.dialects.tir import (
    AllocateConstOp,
    AllocateOp,
    FuncOp,
    OperatorOp,
    PoolOp,
    WeightedOp,
)
from tirconst.dialects.tir.provenance import (
    fused_operators,
    model_index,
    parts,
    tensor_name,
)
from tirconst.dialects.tir.traits import CopyLike, KeptAsIs
from tirconst.formats.ethos_u.weights import ACCELERATORS
from tirconst.formats.tflite.reader import TFLiteImportError, read_tflite
from tirconst.frontend.importer import import_tflite
from tirconst.planning import plan_svg
from tirconst.tools.driver import reading, reports_errors
from tirconst.transforms.plan_memory import CACHE, PlanMemoryPass
from tirconst.universe import get_all_passes

TOOL = "tirconst-compile"
SYSTEM_CONFIG = "tirconst"
PLAN_TIME_LIMIT = 2  # seconds per pool for the exact planner (then its best)
OPTIMISE = ("Performance", "Size")
DMA_DISTANCE = 4
"""How many computing ops ahead `tir-stage-weights` may issue a copy without
an SRAM limit (with one: one op ahead)."""


def compile_limits(
    config: SystemConfig, sram_budget: int | None = None
) -> tuple[int | None, int | None]:
    """(the SRAM limit, the cache size) a compile for `config` plans with:
    the budget, else the arena cache size (as Vela's); and where the arena
    is not the SRAM (`Dedicated_Sram`), the arena cache size, the SRAM the
    feature maps are planned in (`tir-plan-memory{cache-size}`)."""
    if sram_budget is None and config.arena_cache_size < 2**32:
        sram_budget = config.arena_cache_size
    cache = None
    if config.cache_memory != config.arena_memory:
        cache = min(config.arena_cache_size, 2**32 - 1)
    return sram_budget, cache


def pipeline_text(
    accelerator: str = "ethos-u55-128",
    sram_budget: int | None = None,
    time_limit: float = PLAN_TIME_LIMIT,
    optimise: str = "Performance",
    cache_size: int | None = None,
    system: SystemConfig | None = None,
    target: bool = False,
) -> str:
    """The compile as one `tirconst-opt -p` pipeline.

    As Vela's `--optimise`: `Performance` spends SRAM for speed, so the
    program is tiled only as far as `sram_budget` (the SRAM limit: the
    budget, else the arena cache size) needs (tiles re-read weights and
    overlapping rows and add operations, and none is faster than the whole
    op); `Size` takes the least SRAM the tiling search reaches (within the
    budget, if one is given). `cache_size` (`compile_limits`): the feature
    maps are planned in a cache of that many bytes of SRAM beside the
    arena, the model's tensors in the arena. `system`: the system the
    passes that decide by the cycle model decide for (`system_options`;
    default Vela's for the accelerator). `target`: the SRAM limit is the
    arena cache size, which Vela goes over when its schedule cannot fit it,
    not a `--sram-budget` (a promise): the tiling then keeps the least SRAM
    it reaches (`tir-tile{soft=true}`)."""
    if optimise not in OPTIMISE:
        raise ToolError(error_line("--optimise must be Performance or Size", TOOL))
    if optimise == "Size":
        tile = "smallest=true"
    elif sram_budget:
        tile = f"budget={sram_budget}" + (" soft=true" if target else "")
    else:
        tile = None
    # Block configs: the fastest by the cycle model in Performance mode, the
    # smallest weight streams in Size mode (staged weights take SRAM).
    policy = "cycles" if optimise == "Performance" else "min-size"
    # Weights staged where the cycle model says it pays. In Size mode staging
    # never grows the SRAM peak the unstaged plan needs; in Performance mode
    # with an SRAM limit given (--sram-budget, --arena-cache-size) the peak
    # may grow up to that limit, without one as far as op-weights says.
    # Fully connected weights too: each is read once, but a copy hidden
    # behind earlier ops' compute takes the flash reads off the op's own
    # time (rock_paper_scissors' dense layer: 20% of its cycles).
    on = system_options(system)
    cost = f"by-cost={accelerator}{on}"
    stage = f"{cost} fc=stage"
    # Copies issued several ops ahead live longer: the SRAM measure allows
    # it, but the planner may then place the pool above the measure (the
    # measure is a lower bound), which a budget (a promise) cannot take.
    if DMA_DISTANCE > 1 and not sram_budget:
        stage += f" distance={DMA_DISTANCE}"
    # Performance without an SRAM limit: the peak may grow to what each op
    # whose staging is worth the SRAM (block_choice.growth_pays) needs beside
    # its own weights (any plan reading them from SRAM needs that much;
    # Vela's Performance schedule buffers them so), copies issued ahead only
    # within it.
    # Block configs fast only from SRAM are chosen where the staged weights
    # fit within the peak or its growth pays, as op-weights grows it.
    encode = ""
    if optimise == "Performance" and not sram_budget:
        stage += " op-weights=true"
        encode = " keep-peak=true reuse-io=true"
    if optimise == "Performance" and sram_budget:
        stage += f" budget={sram_budget}"
    passes = ["tir-tabulate", "tir-legalize-npu"]
    # A stride-2 conv over one input channel as a stride-1 conv over column
    # pairs where the cycle model says it is faster (same bits, more of the
    # MAC array used).
    passes.append(f"tir-pair-columns{{{cost}}}")
    passes.append("tir-data-views")
    # Each op just before the op that needs it where that lowers the SRAM (as
    # Vela schedules): an unrolled recurrent network lists every step's
    # input projection first.
    passes.append("tir-sink-ops{reuse-io=true}")
    if tile is not None:
        passes.append(f"tir-tile{{cascade=true weights=flash reuse-io=true {tile}}}")
    # Performance without an SRAM limit: a conv whose weight copy the op
    # before cannot hide in two OFM depth halves, each copy hidden (as
    # Vela's Performance schedule buffers weights in depth slices).
    if optimise == "Performance" and not sram_budget:
        passes.append(
            f"tir-split-weights{{{cost} reuse-io=true distance={DMA_DISTANCE}}}"
        )
    # Intermediate feature maps in NHCWB16 where legal and the cycle model
    # says so: in Size mode only where the channels fill whole bricks (no
    # more bytes); in Performance mode also where they round up, as Vela
    # rounds every intermediate it stores in NHCWB16; with an SRAM limit
    # only up to it.
    layouts = f"{cost} reuse-io=true"
    if optimise == "Performance":
        layouts += " grow=true"
        layouts += f" budget={sram_budget}" if sram_budget else " keep-peak=false"
    passes.append(f"tir-feature-layouts{{{layouts}}}")
    cache = f" cache-size={cache_size}" if cache_size is not None else ""
    return ",".join(
        passes
        + [
            f"tir-encode-weights{{accelerator={accelerator}{on} "
            f"policy={policy}{encode}}}",
            f"tir-stage-weights{{keep-peak=true reuse-io=true {stage}}}",
            f"tir-plan-memory{{time-limit={time_limit:g} reuse-io=true{cache}}}",
            f"convert-tir-to-npu{{accelerator={accelerator}{on}}}",
        ]
    )


def system_options(system: SystemConfig | None) -> str:
    """The options (`transforms.system_options`) that name `system` to a
    pass, each after a space; none for Vela's defaults. Config files are
    quoted (a pipeline's strings)."""
    if system is None:
        return ""
    family = system.accelerator.family
    out = ""
    if system.system_config != DEFAULT_SYSTEM_CONFIG[family]:
        out += f" system-config={system.system_config}"
    if system.memory_mode != DEFAULT_MEMORY_MODE[family]:
        out += f" memory-mode={system.memory_mode}"
    if system.config_files:
        for f in system.config_files:
            if '"' in f or "\\" in f:
                why = "a quote or backslash in the path"
                raise ToolError(error_line(f"--config {f!r}: {why}", TOOL))
        out += " config=" + ",".join(f'"{f}"' for f in system.config_files)
    return out


def _passes(text: str) -> list[ModulePass]:
    available = get_all_passes()
    return list(PassPipeline.parse_spec(available, text).passes)


def _cpu_ops(module: ModuleOp) -> list[OperatorOp]:
    """The operator ops convert-tir-to-npu left on the CPU."""
    return [
        op
        for op in module.walk()
        if isinstance(op, OperatorOp) and "npu_cpu" in op.attributes
    ]


def _cpu_reasons(module: ModuleOp) -> list[str]:
    out = []
    for op in _cpu_ops(module):
        attr = op.attributes["npu_cpu"]
        reason = attr.data if isinstance(attr, StringAttr) else attr
        out.append(f"{op.name} stays on the CPU: {reason}")
    return out


def _kind(op: OperatorOp) -> str:
    """What a row or message calls an operator op: `CONV2D` for
    `tir.conv2d`; a kept TFLite operator by its own name (`DEPTH_TO_SPACE`)."""
    kept = op.get_trait(KeptAsIs)
    if kept is not None:
        return kept.kind(op)
    return op.name.removeprefix("tir.").upper()


def _check_raw(module: ModuleOp) -> None:
    """Refuse raw output for a model with CPU operators, as Vela does
    ("RawWriter expects a graph without passthrough/CPU operations"): the
    `.npz` holds one command stream, so its "output" would be an
    intermediate tensor of the model with nothing saying so."""
    cpu = _cpu_ops(module)
    if not cpu:
        return
    names = []
    for op in cpu:
        index = model_index(op)
        kind = _kind(op)
        names.append(f"{kind} (operator {index})" if index is not None else kind)
    raise OutputError(
        "--output-format raw holds the NPU command stream alone, but operators "
        f"stay on the CPU: {', '.join(names)} (use --output-format tflite)"
    )


def _layers(
    module: ModuleOp, weights: dict[str, tuple[int, int]]
) -> list[tuple[tuple[int, int], LayerRecord]]:
    """One row per operator op of the planned program (before conversion:
    the tiles, with their encoded weights), with its `source` (model
    operator index and part, `provenance.parts`, which the npu ops lowered
    from it carry):
    its MACs (`OperatorOp.macs`), the SRAM pool bytes live while it runs
    (`pool_bytes_at`) and, for a tile of an operator the tiler split, its
    output shape. `weights` gets (raw, encoded) bytes per weight constant,
    each once (tiles share them)."""
    staging: dict[Operation, int] = {}
    sram = [
        p.sym_name.data for p in module.ops if isinstance(p, PoolOp) and not p.read_only
    ]
    for func in module.ops:
        if isinstance(func, FuncOp) and len(sram) == 1:
            staging.update(pool_bytes_at(func, sram[0]))
    rows = []
    part = parts(op for op in module.walk() if isinstance(op, OperatorOp))
    for op, k in part.items():
        index = model_index(op)
        assert isinstance(op, OperatorOp) and index is not None  # (`parts`)
        key = (index, k)
        # encoded weights are a weighted op's
        enc = op.encoded_weights if isinstance(op, WeightedOp) else None
        encoded = enc.op_bytes if enc is not None else 0
        raw = 0
        if isinstance(op, WeightedOp) and enc is not None:  # int8: a byte each
            raw = math.prod(op.filter_shape())
        name = tensor_name(op)
        assert name is not None  # the importer names every operator's output
        record = LayerRecord(
            name=name,
            original_op=_kind(op),
            op=op.name,
            target="NPU",
            sram_bytes=staging.get(op, 0),
            weights_raw_bytes=raw,
            weights_encoded_bytes=encoded,
            macs=op.macs(),
        )
        shape = op.shape(op.output)
        rows.append((key, record, "x".join(str(d) for d in shape)))
        if isinstance(op, WeightedOp) and enc is not None:
            # a constant once, whole (ops sharing a stream read views of it)
            weights.setdefault(*_weight_constant(op, raw))
    tiles = Counter(index for (index, _), _, _ in rows)
    return [
        (key, replace(r, tile=tile) if tiles[key[0]] > 1 else r)
        for key, r, tile in rows
    ]


def _weight_constant(op: WeightedOp, raw: int) -> tuple[str, tuple[int, int]]:
    """The flash constant an encoded op's filter is (through views and the
    SRAM copy `tir-stage-weights` makes of it): tiles of one operator read
    the same one; with `raw` and the constant's bytes."""
    value = root_of(op.filter)
    if isinstance(value.owner, AllocateOp):  # staged: the copy's source
        for use in value.uses:
            if use.operation.has_trait(CopyLike) and use.index == 1:
                value = root_of(use.operation.operands[0])
                break
    owner = value.owner
    if isinstance(owner, AllocateConstOp) and owner.symbol is not None:
        size = math.prod(owner.buffer_type.get_shape())
        return owner.symbol.root_reference.data, (raw, size)
    raise OutputError(f"{op.name}: its encoded weights are no flash constant")


def _on_cpu(
    rows: list[tuple[tuple[int, int], LayerRecord]], module: ModuleOp
) -> tuple[tuple[tuple[int, int], LayerRecord], ...]:
    """The rows with the operators `convert-tir-to-npu` left on the CPU
    (`npu_cpu`) as Vela writes a CPU operator: target CPU, no NPU MACs; an
    operator fused into the NPU op before it (a table activation: `tflite.fused`
    on that npu op) has no row of its own, as in Vela's."""
    cpu = {
        index
        for op in module.walk()
        if isinstance(op, OperatorOp)
        and "npu_cpu" in op.attributes
        and (index := model_index(op)) is not None
    }
    fused = {k for op in module.walk() for k in fused_operators(op)}
    return tuple(
        (key, replace(r, target="CPU", macs=0) if key[0] in cpu else r)
        for key, r in rows
        if key[0] not in fused
    )


NO_OPERATOR = "(no operator)"
"""The name of the per-layer row that sums npu ops no model operator has."""


def _with_performance(
    rows: tuple[tuple[tuple[int, int], LayerRecord], ...], perf: Estimate
) -> tuple[LayerRecord, ...]:
    """The layer rows with the model's figures: each NPU row sums the ops
    (DMAs included) whose `source` is its own (the model operator and tile
    its npu ops were lowered from), so the rows' cycles add up to the
    streams'. Ops with no row (no provenance) are summed in one more row,
    `NO_OPERATOR`."""
    groups: dict[tuple[int, int] | None, list[OpCost]] = {}
    for c in perf.ops:
        groups.setdefault(c.source, []).append(c)
    out = []
    for key, r in rows:
        if r.target == "NPU":
            r = _figures(r, groups.pop(key, []), perf)
        out.append(r)
    rest = [c for group in groups.values() for c in group]
    if rest:
        out.append(_figures(LayerRecord(NO_OPERATOR, "", "", "NPU"), rest, perf))
    return tuple(out)


def _figures(row: LayerRecord, group: list[OpCost], perf: Estimate) -> LayerRecord:
    """`row` with the summed figures of its ops `group`."""
    acc = perf.config.accelerator
    cycles = sum(c.cycles for c in group)
    capacity = cycles * acc.macs * acc.cores
    return dataclasses.replace(
        row,
        cycles=round(cycles),
        npu_cycles=sum(c.npu for c in group if c.kind != "dma"),
        access_cycles=tuple(  # type: ignore[arg-type]
            sum(c.access.get(m, 0.0) for c in group) for m in MEMORIES
        ),
        mac_util=100.0 * sum(c.macs for c in group) / capacity if capacity else 0.0,
    )


def system_config(
    accelerator: str,
    system: str | None = None,
    memory_mode: str | None = None,
    config_files: Sequence[str | Path] | None = None,
    arena_cache_size: int | None = None,
    optimise: str = "Performance",
) -> SystemConfig:
    """The system the compile estimates for (Vela's ini files and defaults);
    a ToolError names a bad option."""
    try:
        return SystemConfig.load(
            accelerator, system, memory_mode, config_files, arena_cache_size, optimise
        )
    except ConfigError as e:
        raise ToolError(error_line(str(e), TOOL)) from None


def _pass_failure(pass_name: str, e: PassFailedException, where: str) -> str:
    """`where: error: PASS: message`, the pass named once (our passes start
    their messages with their name), or at the op a PassFailedAt names."""
    if isinstance(e, PassFailedAt):
        return diagnostic_line(e, where)
    message = first_line(str(e))
    if not message.startswith(f"{pass_name}:"):
        message = f"{pass_name}: {message}"
    return error_line(message, where)


class Compiler:
    """One compile: the passes over the imported module, then the package."""

    def __init__(
        self,
        model_path: Path,
        accelerator: str,
        sram_budget: int | None,
        dump_ir: Path | None = None,
        progress: Callable[[str], None] | None = None,
        optimise: str = "Performance",
        cache_size: int | None = None,
        system: SystemConfig | None = None,
        target: bool = False,
    ):
        if accelerator not in ACCELERATORS:
            raise ToolError(
                error_line(
                    f"unknown accelerator {accelerator!r} (known: "
                    f"{', '.join(ACCELERATORS)})",
                    TOOL,
                )
            )
        if sram_budget is not None and sram_budget <= 0:
            raise ToolError(error_line("--sram-budget must be a positive size", TOOL))
        self.model_path = model_path
        self.accelerator = accelerator
        self.sram_budget = sram_budget
        self.optimise = optimise
        self.cache_size = cache_size
        self.system = system  # what the cycle model decides for
        self.target = target  # the SRAM limit is the arena cache size (soft)
        self.notes: list[str] = []  # remarks for the user
        self.dump_ir = dump_ir
        self.progress = progress or (lambda _: None)
        self.dumps: dict[Path, str] = {}
        self.svg = ""
        self.layers: tuple[LayerRecord, ...] = ()
        # the layer rows, each with its source (model operator index, tile)
        self.rows: tuple[tuple[tuple[int, int], LayerRecord], ...] = ()
        self.weights: dict[str, tuple[int, int]] = {}  # constant -> raw, encoded

    def _stage(self, name: str, module: ModuleOp, index: int) -> None:
        if self.dump_ir is not None:
            self.dumps[self.dump_ir / f"{index:02d}-{name}.mlir"] = str(module)

    def run(self) -> tuple[ModuleOp, Package]:
        name = str(self.model_path)
        self.progress("import")
        try:
            model = read_tflite(self.model_path)
            module = import_tflite(model)
        except TFLiteImportError as e:
            raise ToolError(error_line(str(e), name)) from None
        except OSError as e:
            raise ToolError(error_line(f"cannot read: {e.strerror}", name)) from None
        # As xdsl-opt does between passes: a stage that broke the IR is a
        # one-line error naming it, not a program that means something else.
        # Each verifier reruns only where its op's inputs changed.
        verifier = StageVerifier(name)
        verifier.after(module, "import")
        self._stage("import", module, 0)
        ctx = context()
        text = pipeline_text(
            self.accelerator,
            self.sram_budget,
            optimise=self.optimise,
            cache_size=self.cache_size,
            system=self.system,
            target=self.target,
        )
        rows: list[tuple[tuple[int, int], LayerRecord]] = []
        for i, p in enumerate(_passes(text), start=1):
            self.progress(p.name)
            try:
                with contextlib.redirect_stderr(io.StringIO()):
                    if p.name == "tir-plan-memory":
                        assert isinstance(p, PlanMemoryPass)  # by its name
                        plans = p.run(module)
                        main = plans.get("main")
                        self.svg = plan_svg(main) if main is not None else ""
                        self._check_budget(name, plans)
                    else:
                        p.apply(ctx, module)
            except PassFailedException as e:
                raise ToolError(_pass_failure(p.name, e, name)) from None
            verifier.after(module, p.name)
            if p.name == "tir-plan-memory":
                try:
                    rows = _layers(module, self.weights)
                except OutputError as e:
                    raise ToolError(error_line(str(e), name)) from None
            self._stage(p.name, module, i)
        self.rows = _on_cpu(rows, module)
        self.layers = tuple(r for _, r in self.rows)
        self.progress("command stream")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                return module, package(module, model)
        except OutputError as e:
            raise ToolError(error_line(str(e), name)) from None

    def _check_budget(self, name: str, plans: dict) -> None:
        """The budget is a promise: tir-tile chose a tiling whose SRAM
        measure fits it; should the planner not reach that measure, fail
        rather than report more SRAM than the budget. The arena cache size
        is a target (`target`): going over it is a remark, as Vela goes
        over it."""
        if self.sram_budget is None:
            return
        for func, plan in plans.items():
            peak = plan.peak  # with a cache, the SRAM is the cache's pool
            if self.cache_size is not None:
                peak = max((r.peak for r in plan.pools if r.name == CACHE), default=0)
            if peak > self.sram_budget and self.target:
                self.notes.append(
                    f"@{func} takes {peak} bytes of SRAM, over the arena cache "
                    f"size {self.sram_budget}: the least the tiling reaches"
                )
            elif peak > self.sram_budget:
                raise ToolError(
                    error_line(
                        f"tir-plan-memory: @{func} is planned in {peak} bytes "
                        f"of SRAM, over --sram-budget {self.sram_budget} (the "
                        f"tiling needs {plan.lower_bound} at least)",
                        name,
                    )
                )


def _write(path: Path, data: bytes | str) -> None:
    binary = isinstance(data, bytes)
    with atomic_output(str(path), binary=binary) as f:
        f.write(data)


def compile_model(
    path: str | Path,
    out_dir: str | Path,
    accelerator: str = "ethos-u55-128",
    *,
    output_format: str = "tflite",
    sram_budget: int | None = None,
    dump_ir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    remark: Callable[[str], None] | None = None,
    config: SystemConfig | None = None,
) -> CompileResult:
    """Compile `path` into `out_dir` (the model file, summary and per-layer
    CSVs, the memory plan as SVG); return the figures, with the performance
    model's estimate for `config` (default: Vela's default system for the
    accelerator). `remark` hears which ops stay on the CPU and why. The
    garbage collector runs less often meanwhile (`fewer_collections`)."""
    with fewer_collections():
        return _compile_model(
            path, out_dir, accelerator, output_format, sram_budget, dump_ir,
            progress, remark, config,
        )  # fmt: skip


def _compile_model(
    path: str | Path,
    out_dir: str | Path,
    accelerator: str,
    output_format: str,
    sram_budget: int | None,
    dump_ir: str | Path | None,
    progress: Callable[[str], None] | None,
    remark: Callable[[str], None] | None,
    config: SystemConfig | None,
) -> CompileResult:
    start = time.perf_counter()
    path, out = Path(path), Path(out_dir)
    if output_format not in ("tflite", "raw"):
        raise ToolError(error_line("--output-format must be tflite or raw", TOOL))
    if config is None and accelerator in ACCELERATORS:
        config = system_config(accelerator)
    if config is not None and config.accelerator.name != accelerator:
        raise ToolError(
            error_line(
                f"the system config is for {config.accelerator.name}, "
                f"the compile for {accelerator}",
                TOOL,
            )
        )
    optimise = config.optimise if config is not None else "Performance"
    cache_size = None
    target = sram_budget is None  # a limit from the arena cache size is soft
    if config is not None:
        sram_budget, cache_size = compile_limits(config, sram_budget)
    compiler = Compiler(
        path,
        accelerator,
        sram_budget,
        Path(dump_ir) if dump_ir else None,
        progress,
        optimise=optimise,
        cache_size=cache_size,
        system=config,
        target=target,
    )
    _check_writable(out, compiler.dump_ir)
    try:
        module, pkg = compiler.run()
    except ToolError:
        # the IR after each pass that ran, to see what led to the failure
        if compiler.dumps:
            _make_dirs(compiler.dump_ir)
            for target, data in compiler.dumps.items():
                _write(target, data)
        raise
    network = path.stem
    try:
        if output_format == "raw":
            _check_raw(module)
            if len(pkg.segments) != 1:
                raise OutputError(
                    f"raw output holds one NPU segment, the model has "
                    f"{len(pkg.segments)}"
                )
            buf = io.BytesIO()
            np.savez(buf, **npz_arrays(path, pkg.segments[0]))
            model_out: bytes = buf.getvalue()
        else:
            model_out = tflite_bytes(path, pkg.segments)
    except OutputError as e:
        raise ToolError(error_line(str(e), str(path))) from None
    assert config is not None
    perf = estimate(module, config)
    layers = _with_performance(compiler.rows, perf)
    seconds = time.perf_counter() - start
    raw = sum(r for r, _ in compiler.weights.values())
    encoded = sum(e for _, e in compiler.weights.values())
    result = CompileResult(
        network=network,
        accelerator=accelerator,
        sram_bytes=pkg.sram_bytes,
        dram_bytes=pkg.dram_bytes,
        flash_bytes=len(pkg.flash) + pkg.payload_bytes,
        npu_ops=pkg.npu_ops,
        cpu_ops=pkg.cpu_ops,
        seconds=seconds,
        weights_raw_bytes=raw,
        weights_encoded_bytes=encoded,
        command_stream_bytes=pkg.payload_bytes,
        macs=sum(r.macs for r in layers),
        layers=layers,
        performance=perf,
    )
    files: dict[Path, bytes | str] = {
        output_path(path, out, output_format): model_out,
        summary_path(out, network, SYSTEM_CONFIG): summary_csv(result, SYSTEM_CONFIG),
        layers_path(out, network): layers_csv(result.layers),
        out / f"{network}_memory.svg": compiler.svg,
        **compiler.dumps,
    }
    _make_dirs(out, compiler.dump_ir)
    for target, data in files.items():
        _write(target, data)
    result.outputs.update({t.name: t for t in files})
    for reason in [*compiler.notes, *_cpu_reasons(module)]:
        (remark or (lambda _: None))(reason)
    return result


def _check_writable(*dirs: Path | None) -> None:
    """Fail before any work if a directory cannot be made or written."""
    for d in dirs:
        if d is None:
            continue
        probe = d
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not probe.is_dir():
            raise ToolError(
                error_line(f"cannot create: {probe} is not a directory", str(d))
            )
        if not os.access(probe, os.W_OK):
            raise ToolError(error_line("not writable", str(d)))


def _make_dirs(*dirs: Path | None) -> None:
    for d in dirs:
        if d is None:
            continue
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ToolError(
                error_line(f"cannot create: {e.strerror}", str(d))
            ) from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=TOOL, description=__doc__.splitlines()[0])
    p.add_argument("model", nargs="?", help="an int8 .tflite model")
    p.add_argument(
        "--accelerator-config",
        default="ethos-u55-128",
        help=f"the NPU, by Vela's names: {', '.join(ACCELERATORS)}",
    )
    p.add_argument("--output-dir", default="output", help="where the files go")
    p.add_argument("--output-format", choices=("tflite", "raw"), default="tflite")
    p.add_argument(
        "--sram-budget",
        type=int,
        metavar="BYTES",
        help="tile to fit this SRAM, inputs and outputs included as the summary "
        "counts it; below the least the tiler reaches is an error naming it "
        "(default: --optimise Performance tiles only to --arena-cache-size)",
    )
    p.add_argument(
        "--config",
        action="append",
        metavar="FILE.ini",
        help="Vela configuration file(s) with the system configs and memory "
        "modes (default: the ones the installed Vela ships)",
    )
    p.add_argument(
        "--system-config",
        help="the System_Config section the compile decides and estimates for "
        "(default: Vela's, Ethos_U55_High_End_Embedded for a U55, "
        "Ethos_U65_Client_Server for a U65)",
    )
    p.add_argument(
        "--memory-mode",
        help="the Memory_Mode section (default: Vela's, Shared_Sram for a U55, "
        "Dedicated_Sram_384KB for a U65)",
    )
    p.add_argument(
        "--optimise",
        choices=("Performance", "Size"),
        default="Performance",
        help="Vela's optimisation goal: Performance spends SRAM for speed "
        "(tiled only as far as the SRAM limit needs), Size takes the least SRAM "
        "the tiling reaches",
    )
    p.add_argument(
        "--arena-cache-size",
        type=int,
        metavar="BYTES",
        help="Vela's arena cache size: the SRAM limit in Performance mode and, "
        "on a Dedicated_Sram system, the cache the feature maps are planned in "
        "(default: the memory mode's, else 4 GiB)",
    )
    p.add_argument("--dump-ir", metavar="DIR", help="write the IR after every pass")
    p.add_argument(
        "--verify",
        action="store_true",
        help="read the written model back, run each NPU segment from its bytes "
        "and compare with LiteRT's reference kernels on random inputs (exit 1 "
        "on a difference)",
    )
    p.add_argument("--seed", type=int, default=0, help="the random inputs of --verify")
    p.add_argument(
        "--print-pipeline",
        action="store_true",
        help="print the same compile as a tirconst-opt -p string and exit",
    )
    return p


@reports_errors(TOOL)
def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = system_config(
        args.accelerator_config,
        args.system_config,
        args.memory_mode,
        args.config,
        args.arena_cache_size,
        args.optimise,
    )
    if args.print_pipeline:
        budget, cache = compile_limits(config, args.sram_budget)
        print(
            pipeline_text(
                args.accelerator_config,
                budget,
                optimise=args.optimise,
                cache_size=cache,
                system=config,
                target=args.sram_budget is None,
            )
        )
        return 0
    if args.model is None:
        raise ToolError(error_line("give a .tflite model", TOOL))
    tty = sys.stderr.isatty()

    def progress(stage: str) -> None:
        if tty:
            print(f"{TOOL}: {stage}", file=sys.stderr)

    with reading(args.model):
        result = compile_model(
            args.model,
            args.output_dir,
            args.accelerator_config,
            output_format=args.output_format,
            sram_budget=args.sram_budget,
            dump_ir=args.dump_ir,
            progress=progress,
            remark=lambda r: print(f"{TOOL}: remark: {r}", file=sys.stderr),
            config=config,
        )
    perf = result.performance
    timing = ""
    if perf is not None:
        timing = (
            f"; {perf.cycles:,.0f} cycles, {1e3 * perf.seconds:.3f} ms per "
            f"inference ({perf.config.system_config}, {perf.config.memory_mode})"
        )
    print(
        f"{result.network}: {result.npu_ops} NPU ops, {result.cpu_ops} CPU ops; "
        f"SRAM {result.sram_bytes / 1024:.2f} KiB, flash "
        f"{result.flash_bytes / 1024:.2f} KiB (command stream "
        f"{result.command_stream_bytes:,} B){timing}; {result.seconds:.2f} s"
    )
    for name in sorted(result.outputs):
        print(f"  wrote {result.outputs[name]}")
    if args.verify:
        from tirconst.backend.ethos_u.verify import verify_compiled  # --verify only

        written = output_path(
            Path(args.model), Path(args.output_dir), args.output_format
        )
        from tirconst.formats.tflite.oracle import OracleError

        try:
            checks = verify_compiled(args.model, written, args.seed)
        except OracleError as e:
            raise ToolError(error_line(f"--verify: {e}", args.model)) from None
        if not checks:
            print("verify: no NPU segment (every operator runs on the CPU)")
        for check in checks:
            print(f"verify (seed {args.seed}): {check.line()}")
        if not all(c.exact for c in checks):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
