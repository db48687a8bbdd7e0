"""`tirconst-compile MODEL.tflite`: an int8 network to an Ethos-U command
stream, with Vela's flag names and output formats.

    tirconst-compile MODEL.tflite [--accelerator-config ethos-u55-128]
        [--output-dir OUT] [--output-format tflite|raw] [--sram-budget BYTES]
        [--dump-ir DIR] [--print-pipeline] [--verify [--seed N]]

The chain is the passes of `pipeline_text()`, the same string `tirconst-opt
-p` runs, so a user can stop after any pass: import, tir-legalize-npu,
tir-tile (cascaded, to the budget or to the least SRAM it finds),
tir-encode-weights, tir-stage-weights, tir-plan-memory, convert-tir-to-npu;
then Vela's command-stream generator and the output files
(`backend/ethos_u`: `package`, `writers`, `raw`, `summary`). Every output is
made in memory first and written atomically only when the whole compile
succeeded.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.utils.exceptions import PassFailedException

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
from tirconst.backend.ethos_u.verify import verify_compiled
from tirconst.backend.ethos_u.writers import tflite_bytes
from tirconst.core.context import context
from tirconst.core.diagnostics import ToolError
from tirconst.core.files import atomic_output
from tirconst.dialects.tir import EncodedWeightsAttr, OperatorOp
from tirconst.formats.ethos_u.weights import ACCELERATORS
from tirconst.frontend.importer import import_tflite
from tirconst.frontend.tflite_reader import TFLiteImportError, read_tflite
from tirconst.planning import plan_svg
from tirconst.tools.driver import reading, reports_errors
from tirconst.universe import get_all_passes

TOOL = "tirconst-compile"
SYSTEM_CONFIG = "tirconst"
PLAN_TIME_LIMIT = 2  # seconds per pool for the exact planner (then its best)
SLACK = 100  # tile until SRAM is within 100% of the least the tiler finds


def pipeline_text(
    accelerator: str = "ethos-u55-128",
    sram_budget: int | None = None,
    time_limit: float = PLAN_TIME_LIMIT,
) -> str:
    """The compile as one `tirconst-opt -p` pipeline."""
    tile = f"budget={sram_budget}" if sram_budget else f"smallest=true slack={SLACK}"
    return ",".join(
        [
            "tir-legalize-npu",
            f"tir-tile{{cascade=true weights=flash reuse-io=true {tile}}}",
            f"tir-encode-weights{{accelerator={accelerator}}}",
            "tir-stage-weights{keep-peak=true reuse-io=true}",
            f"tir-plan-memory{{time-limit={time_limit:g} reuse-io=true}}",
            f"convert-tir-to-npu{{accelerator={accelerator}}}",
        ]
    )


def _passes(text: str) -> list[ModulePass]:
    available = get_all_passes()
    return list(PassPipeline.parse_spec(available, text).passes)


def _cpu_reasons(module: ModuleOp) -> list[str]:
    out = []
    for op in module.walk():
        if isinstance(op, OperatorOp) and "npu_cpu" in op.attributes:
            reason = op.attributes["npu_cpu"].data  # type: ignore[attr-defined]
            out.append(f"{op.name} stays on the CPU: {reason}")
    return out


def _layers(module: ModuleOp) -> tuple[LayerRecord, ...]:
    """One row per operator op of the compiled program (before conversion:
    the tiles, with their encoded weights)."""
    rows = []
    for op in module.walk():
        if not isinstance(op, OperatorOp) or "tflite.index" not in op.attributes:
            continue
        enc = op.properties.get("encoded_weights")
        encoded = enc.nbytes if isinstance(enc, EncodedWeightsAttr) else 0
        raw = 0
        if isinstance(enc, EncodedWeightsAttr):  # int8 weights: a byte each
            raw = math.prod(op.filter_shape())  # type: ignore[attr-defined]
        rows.append(
            LayerRecord(
                name=op.attributes["tflite.name"].data,  # type: ignore[attr-defined]
                original_op=op.name.removeprefix("tir.").upper(),
                op=op.name,
                target="CPU" if "npu_cpu" in op.attributes else "NPU",
                weights_raw_bytes=raw,
                weights_encoded_bytes=encoded,
            )
        )
    return tuple(rows)


class Compiler:
    """One compile: the passes over the imported module, then the package."""

    def __init__(
        self,
        model_path: Path,
        accelerator: str,
        sram_budget: int | None,
        dump_ir: Path | None = None,
        progress: Callable[[str], None] | None = None,
    ):
        if accelerator not in ACCELERATORS:
            raise ToolError(
                f"{TOOL}: error: unknown accelerator {accelerator!r} (known: "
                f"{', '.join(ACCELERATORS)})"
            )
        if sram_budget is not None and sram_budget <= 0:
            raise ToolError(f"{TOOL}: error: --sram-budget must be a positive size")
        self.model_path = model_path
        self.accelerator = accelerator
        self.sram_budget = sram_budget
        self.dump_ir = dump_ir
        self.progress = progress or (lambda _: None)
        self.dumps: dict[Path, str] = {}
        self.svg = ""
        self.layers: tuple[LayerRecord, ...] = ()

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
            raise ToolError(f"{name}: error: {e}") from None
        except OSError as e:
            raise ToolError(f"{name}: error: cannot read: {e.strerror}") from None
        self._stage("import", module, 0)
        ctx = context()
        text = pipeline_text(self.accelerator, self.sram_budget)
        for i, p in enumerate(_passes(text), start=1):
            self.progress(p.name)
            try:
                with contextlib.redirect_stderr(io.StringIO()):
                    if p.name == "tir-plan-memory":
                        plans = p.run(module)  # type: ignore[attr-defined]
                        main = plans.get("main")
                        self.svg = plan_svg(main) if main is not None else ""
                        self._check_budget(name, plans)
                    else:
                        p.apply(ctx, module)
            except PassFailedException as e:
                msg = str(e).strip().splitlines()[0] if str(e).strip() else p.name
                if not msg.startswith(f"{p.name}:"):  # name the pass once
                    msg = f"{p.name}: {msg}"
                raise ToolError(f"{name}: error: {msg}") from None
            if p.name == "tir-encode-weights":
                self.layers = _layers(module)
            self._stage(p.name, module, i)
        self.progress("command stream")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                return module, package(module, model)
        except OutputError as e:
            raise ToolError(f"{name}: error: {e}") from None

    def _check_budget(self, name: str, plans: dict) -> None:
        """The budget is a promise: tir-tile chose a tiling whose SRAM
        measure fits it; should the planner not reach that measure, fail
        rather than report more SRAM than the budget."""
        if self.sram_budget is None:
            return
        for func, plan in plans.items():
            if plan.peak > self.sram_budget:
                raise ToolError(
                    f"{name}: error: tir-plan-memory: @{func} is planned in "
                    f"{plan.peak} bytes of SRAM, over --sram-budget "
                    f"{self.sram_budget} (the tiling needs {plan.lower_bound} at least)"
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
) -> CompileResult:
    """Compile `path` into `out_dir` (the model file, summary and per-layer
    CSVs, the memory plan as SVG); return the figures. `remark` hears which
    ops stay on the CPU and why."""
    start = time.perf_counter()
    path, out = Path(path), Path(out_dir)
    if output_format not in ("tflite", "raw"):
        raise ToolError(f"{TOOL}: error: --output-format must be tflite or raw")
    compiler = Compiler(
        path, accelerator, sram_budget, Path(dump_ir) if dump_ir else None, progress
    )
    _check_writable(out, compiler.dump_ir)
    module, pkg = compiler.run()
    network = path.stem
    try:
        if output_format == "raw":
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
        raise ToolError(f"{path}: error: {e}") from None
    seconds = time.perf_counter() - start
    encoded = sum(r.weights_encoded_bytes for r in compiler.layers)
    result = CompileResult(
        network=network,
        accelerator=accelerator,
        sram_bytes=pkg.scratch_size,
        flash_bytes=len(pkg.flash) + pkg.payload_bytes,
        npu_ops=pkg.npu_ops,
        cpu_ops=pkg.cpu_ops,
        seconds=seconds,
        weights_raw_bytes=sum(r.weights_raw_bytes for r in compiler.layers),
        weights_encoded_bytes=encoded,
        command_stream_bytes=pkg.payload_bytes,
        layers=compiler.layers,
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
    for reason in _cpu_reasons(module):
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
            raise ToolError(f"{d}: error: cannot create: {probe} is not a directory")
        if not os.access(probe, os.W_OK):
            raise ToolError(f"{d}: error: not writable")


def _make_dirs(*dirs: Path | None) -> None:
    for d in dirs:
        if d is None:
            continue
        try:
            d.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ToolError(f"{d}: error: cannot create: {e.strerror}") from None


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
        "(default: within 2x of that least)",
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
    if args.print_pipeline:
        print(pipeline_text(args.accelerator_config, args.sram_budget))
        return 0
    if args.model is None:
        raise ToolError(f"{TOOL}: error: give a .tflite model")
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
        )
    print(
        f"{result.network}: {result.npu_ops} NPU ops, {result.cpu_ops} CPU ops; "
        f"SRAM {result.sram_bytes / 1024:.2f} KiB, flash "
        f"{result.flash_bytes / 1024:.2f} KiB (command stream "
        f"{result.command_stream_bytes:,} B); {result.seconds:.2f} s"
    )
    for name in sorted(result.outputs):
        print(f"  wrote {result.outputs[name]}")
    if args.verify:
        written = output_path(
            Path(args.model), Path(args.output_dir), args.output_format
        )
        checks = verify_compiled(args.model, written, args.seed)
        if not checks:
            print("verify: no NPU segment (every operator runs on the CPU)")
        for check in checks:
            print(f"verify (seed {args.seed}): {check.line()}")
        if not all(c.exact for c in checks):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
