"""tirconst-compile against Vela, per bundled model, in one run.

Both modes (`--optimise Performance`, then `--optimise Size`), on both sides.
Vela side: the installed `vela --accelerator-config ethos-u55-128 --optimise
MODE` in a temp dir, default core (regor) and `--debug-force-legacy-core`;
wall time of the
process; SRAM used from its summary CSV (`sram_memory_used`); flash used =
the `ethos-u` operator's read-only blob + driver payload (encoded weights,
biases, LUTs + command stream) read back from `MODEL_vela.tflite` (Vela's CSV
`off_chip_flash_memory_used` counts the command stream with the legacy core
only, so the file is the common measure); NPU ops = operations in the
decoded command stream; CPU ops = TFLite operators other than `ethos-u`;
cycles = Vela's own estimate (`cycles_total` of its summary CSV), inference
time its `inference_time` (microseconds here).

tirconst side: `tirconst.tools.compile.compile_model(path, out_dir,
accelerator) -> CompileResult` in this process (`in s`: no interpreter
start or imports, as a Python user calling it pays), then the installed
`tirconst-compile MODEL --optimise MODE` as a process (`s`: wall time, as
Vela's), measured the same way (flash read back from
the written `.tflite`; a summary that says otherwise is a failure), cycles
from our performance model (docs/performance.md) for the system both sides
compile for (`--system-config`, `--memory-mode`, default Vela's) in the same
mode, inference time = those cycles at its core clock,
and the ratios to each Vela row (issue 24's goals: SRAM <= 1 in both modes,
cycles <= 1 and geomean <= 0.9 in Performance, compile time <= 1; `time x`
is process to process, `in x` our in-process time to Vela's process). Until
that tool exists the Vela side is printed alone, with a note.

`exact`: every NPU segment of our written file equals LiteRT from its bytes
(`verify_compiled`, seed 0). `--networks` runs the generated networks of
models/networks/ (issue 25) instead of the bundled models.

    python bench/compile.py [--networks] [--models NAME ...]
        [--files MODEL.tflite ...] [--modes Performance Size] [--bytes]
        [--accelerator-config A] [--system-config S] [--memory-mode M]

`--files` compiles the given models instead of the bundled ones (e.g. the
data-movement models `bench/data_views.py` writes). The last line is the
startup floor beside its anchor: a bare interpreter, the imports any compile
on xDSL pays (numpy and xDSL's builtin dialect), all of tirconst-compile's,
and Vela's own (`ethosu.vela.vela`).
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.vela_compile import (  # noqa: E402
    CORES,
    chosen_models,
    cpu_operators,
)
from tirconst.analysis.performance import SystemConfig  # noqa: E402
from tirconst.backend.ethos_u import (  # noqa: E402
    disassemble_segments,
    tflite_flash_bytes,
)
from tirconst.backend.ethos_u.summary import KIB, CompileResult, read_summary  # noqa: E402
from tirconst.backend.ethos_u.verify import verify_compiled  # noqa: E402

ACCELERATOR = "ethos-u55-128"
SYSTEM: list[str] = []  # --system-config / --memory-mode flags, both sides
SYSTEM_NAMES: tuple[str | None, str | None] = (None, None)


@dataclass(frozen=True)
class VelaRow:
    model: str
    core: str
    sram_bytes: int
    flash_bytes: int
    npu_ops: int
    cpu_ops: int
    seconds: float
    error: str = ""
    cycles: float = 0.0
    inference_us: float = 0.0


def cpu_ops(path: Path) -> int:
    return len(cpu_operators(path))


def flash_bytes(path: Path) -> int:
    """Read-only blobs + driver payloads of the file's `ethos-u` operators
    (each tensor once)."""
    return tflite_flash_bytes(path)


def run_vela(model: Path, core: str, out: Path, mode: str) -> VelaRow:
    cmd = [
        sys.executable,
        "-m",
        "ethosu.vela",
        str(model),
        "--accelerator-config",
        ACCELERATOR,
        "--output-dir",
        str(out),
        "--optimise",
        mode,
        *SYSTEM,
        *CORES[core],
    ]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    tfl = out / f"{model.stem}_vela.tflite"
    summaries = sorted(out.glob(f"{model.stem}_summary_*.csv"))
    if done.returncode or not tfl.exists() or not summaries:
        last = (done.stderr or done.stdout or "no output").strip().splitlines()[-1]
        return VelaRow(model.stem, core, 0, 0, 0, 0, seconds, last)
    summary = read_summary(summaries[0])
    sram = round(float(summary["sram_memory_used"]) * KIB)
    return VelaRow(
        model.stem,
        core,
        sram,
        flash_bytes(tfl),
        sum(len(d.ops) for d in disassemble_segments(tfl)),
        cpu_ops(tfl),
        seconds,
        cycles=float(summary["cycles_total"]),
        inference_us=1e6 * float(summary["inference_time"]),
    )


def run_ours(model: Path, out: Path, mode: str) -> float:
    """Wall seconds of the installed `tirconst-compile` on `model`, as a
    user runs it (0.0 if it failed: the in-process compile reports why)."""
    program = Path(sys.executable).parent / "tirconst-compile"
    cmd = [str(program), str(model), "--output-dir", str(out), "--optimise", mode]
    cmd += ["--accelerator-config", ACCELERATOR, *SYSTEM]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return seconds if done.returncode == 0 else 0.0


def tirconst_side():  # type: ignore[no-untyped-def]
    try:
        from tirconst.tools.compile import compile_model
    except ImportError as e:
        return None, f"tirconst.tools.compile not available ({e}): Vela side only"
    return compile_model, ""


BYTES = False
"""SRAM in bytes rather than KiB (`--bytes`): whether it is at most Vela's
shows only in bytes."""


def kib(n: int) -> str:
    return str(n) if BYTES else f"{n / KIB:.1f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


# (header, width) of the three column groups: Vela, tirconst, ratios.
VELA_COLS = [
    ("SRAM", 8),
    ("flash", 9),
    ("NPU", 4),
    ("CPU", 3),
    ("cycles", 8),
    ("us", 7),
    ("s", 5),
]
OURS_COLS = [
    ("tc SRAM", 8),
    ("tc flash", 8),
    ("NPU", 4),
    ("CPU", 3),
    ("tc cycles", 9),
    ("us", 7),
    ("in s", 5),
    ("s", 5),
    ("exact", 5),
]
RATIO_COLS = [
    ("SRAM x", 6),
    ("flash x", 7),
    ("cyc x", 6),
    ("inf x", 6),
    ("in x", 5),
    ("time x", 6),
]
MODES = ("Performance", "Size")


def cells(values: list[str], cols: list[tuple[str, int]]) -> str:
    return " ".join(f"{v:>{w}}" for v, (_, w) in zip(values, cols, strict=True))


def line(model: str, core: str, *groups: str) -> str:
    return f"{model:32} {core:6} | " + " | ".join(groups)


def geomean(rs: list[float]) -> float:
    return math.exp(sum(math.log(r) for r in rs) / len(rs))


def blank(cols: list[tuple[str, int]]) -> str:
    return cells([""] * len(cols), cols)


def main(argv: list[str] | None = None) -> int:
    global BYTES, ACCELERATOR, SYSTEM, SYSTEM_NAMES
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="*", help="model stems (default: all bundled)")
    ap.add_argument(
        "--networks",
        action="store_true",
        help="the generated networks of models/networks/ instead",
    )
    ap.add_argument("--files", nargs="*", default=[], help="other .tflite models")
    ap.add_argument(
        "--modes", nargs="*", choices=MODES, default=list(MODES), help="--optimise"
    )
    ap.add_argument("--bytes", action="store_true", help="SRAM in bytes (default: KiB)")
    ap.add_argument("--accelerator-config", default=ACCELERATOR, help="both sides")
    ap.add_argument("--system-config", help="both sides (default: Vela's)")
    ap.add_argument("--memory-mode", help="both sides (default: Vela's)")
    args = ap.parse_args(argv)
    BYTES = args.bytes
    ACCELERATOR = args.accelerator_config
    SYSTEM_NAMES = (args.system_config, args.memory_mode)
    SYSTEM = []
    flags = ("--system-config", "--memory-mode")
    for flag, name in zip(flags, SYSTEM_NAMES, strict=True):
        SYSTEM += [flag, name] if name else []
    models = chosen_models(args.networks, args.models, args.files)
    compile_model, note = tirconst_side()
    failures = 0
    for mode in args.modes:
        failures += run_mode(models, mode, compile_model)
    if note:
        print(f"note: {note}")
    floor = startup_floor()
    print(
        "startup (best of 3 processes): "
        + ", ".join(f"{what} {sec:.2f} s" for what, sec in floor.items())
    )
    return 1 if failures else 0


def startup_floor() -> dict[str, float]:
    """What a process pays before compiling: the interpreter, the imports
    any compile on xDSL needs (numpy and xDSL's builtin dialect: the floor
    of a Python compiler on xDSL), and all the imports of ours, beside the
    anchor of Vela's own imports (`ethosu.vela.vela`)."""
    probes = {
        "python": "pass",
        "numpy + xdsl builtin": "import numpy, xdsl.dialects.builtin",
        "tirconst-compile imports": "import tirconst.tools.programs, "
        "tirconst.tools.compile, tirconst.backend.ethos_u.package",
        "vela imports": "import ethosu.vela.vela",
    }
    out = {}
    for what, code in probes.items():
        best = math.inf
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            best = min(best, time.perf_counter() - start)
        out[what] = best
    return out


def run_mode(models: list[Path], mode: str, compile_model) -> int:  # type: ignore[no-untyped-def]
    """Print one mode's table and summary lines; the number of failures."""
    head = line(
        "model",
        "core",
        *(cells([h for h, _ in c], c) for c in (VELA_COLS, OURS_COLS, RATIO_COLS)),
    )
    print(
        f"\n--optimise {mode}: Vela {ACCELERATOR} {' '.join(SYSTEM)} (left) vs "
        "tirconst-compile; "
        f"ratios tirconst/Vela; SRAM and flash in {'bytes' if BYTES else 'KiB'}"
    )
    print(head)
    print("-" * len(head))
    failures = 0
    ratios: dict[str, dict[str, list[float]]] = {
        core: {"SRAM": [], "cycles": [], "in-process time": [], "time": []}
        for core in CORES
    }
    with tempfile.TemporaryDirectory() as tmp:
        for model in models:
            ours: CompileResult | None = None
            ours_err, wall = "", 0.0
            if compile_model is not None:
                start = time.perf_counter()
                try:
                    ours = compile_model(
                        model,
                        Path(tmp) / f"{model.stem}-tirconst",
                        ACCELERATOR,
                        config=SystemConfig.load(
                            ACCELERATOR, *SYSTEM_NAMES, optimise=mode
                        ),
                    )
                except Exception as e:  # noqa: BLE001 - one model's failure is a row
                    ours_err = f"{type(e).__name__}: {e}"
                wall = time.perf_counter() - start
            process = 0.0
            if ours is not None:
                process = run_ours(model, Path(tmp) / f"{model.stem}-process", mode)
            exact = "-"
            if ours is not None:  # flash as the file holds it, as on Vela's side
                written = ours.outputs[f"{model.stem}_tirconst.tflite"]
                checks = verify_compiled(model, written, 0)
                exact = "yes" if all(c.exact for c in checks) else "NO"
                failures += exact == "NO"
                in_file = flash_bytes(written)
                if in_file != ours.flash_bytes:
                    failures += 1
                    print(
                        f"{model.stem}: summary says {ours.flash_bytes} B of flash, "
                        f"the file holds {in_file} B"
                    )
                ours = replace(ours, flash_bytes=in_file)
            for core in CORES:
                v = run_vela(model, core, Path(tmp) / f"{model.stem}-{core}", mode)
                if v.error:
                    failures += 1
                    print(line(model.stem, core, f"vela failed: {v.error}"))
                    continue
                left = cells(
                    [kib(v.sram_bytes), kib(v.flash_bytes), str(v.npu_ops)]
                    + [str(v.cpu_ops), f"{v.cycles:.0f}", f"{v.inference_us:.1f}"]
                    + [f"{v.seconds:.2f}"],
                    VELA_COLS,
                )
                if ours is not None:
                    perf = ours.performance
                    cyc = perf.cycles if perf else 0.0
                    us = 1e6 * perf.seconds if perf else 0.0
                    mid = cells(
                        [kib(ours.sram_bytes), kib(ours.flash_bytes)]
                        + [str(ours.npu_ops), str(ours.cpu_ops), f"{cyc:.0f}"]
                        + [f"{us:.1f}", f"{wall:.2f}", f"{process:.2f}", exact],
                        OURS_COLS,
                    )
                    right = cells(
                        [
                            ratio(ours.sram_bytes, v.sram_bytes),
                            ratio(ours.flash_bytes, v.flash_bytes),
                            ratio(cyc, v.cycles),
                            ratio(us, v.inference_us),
                            ratio(wall, v.seconds),
                            ratio(process, v.seconds),
                        ],
                        RATIO_COLS,
                    )
                    print(line(model.stem, core, left, mid, right))
                    if cyc and v.cycles:
                        ratios[core]["cycles"].append(cyc / v.cycles)
                    if v.sram_bytes:
                        ratios[core]["SRAM"].append(ours.sram_bytes / v.sram_bytes)
                    ratios[core]["in-process time"].append(wall / v.seconds)
                    if process:
                        ratios[core]["time"].append(process / v.seconds)
                    else:
                        failures += 1
                        print(f"{model.stem}: tirconst-compile as a process failed")
                elif ours_err:
                    print(line(model.stem, core, left, f"tirconst failed: {ours_err}"))
                else:
                    print(
                        line(
                            model.stem, core, left, blank(OURS_COLS), blank(RATIO_COLS)
                        )
                    )
    for core, by in ratios.items():
        for what, rs in by.items():
            if rs:
                print(
                    f"{mode} {what} tirconst/Vela {core}: geomean {geomean(rs):.3f}, "
                    f"range {min(rs):.2f}-{max(rs):.2f} ({len(rs)} models)"
                )
    return failures


if __name__ == "__main__":
    sys.exit(main())
