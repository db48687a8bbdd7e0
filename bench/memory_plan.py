"""Benchmark `tir-plan-memory` on every bundled model, with Vela side by side.

For each model (imported with the tirconst importer, optionally run through a
pass pipeline first, e.g. a tiling): the SRAM lower bound, the peak the
project's exact planner gives and its time, the peaks TVM USMP's greedy
algorithms (`greedy_by_size`, `greedy_by_conflicts`) and TFLite Micro's
greedy planner (`first_fit`) give on the same buffers, and the SRAM Vela
5.2.0 uses for the same model (`vela MODEL --accelerator-config
ethos-u55-128`, summary CSV column `sram_memory_used`, run in the same
benchmark; its figure counts the input and output tensors).

Two liveness modes, one table each:

- `call` (the pass's default): parameters live for the whole call, so the
  caller's input survives; checked bit for bit by `tirconst-run
  --check-equivalent`.
- `reuse-io` (Vela's view): the input's bytes are free after its last read,
  the output's before its first write. This is the mode comparable to Vela.

    python bench/memory_plan.py [--pipeline 'tir-tile{...}'] [--time-limit 60]
                                [--models kws,micro] [--no-vela] [--markdown]

Every plan is checked by the planner's independent checker (`plan()` does it)
and the exit status is 1 if any model's exact peak is above Vela's SRAM
figure in `reuse-io` mode (the goal), 0 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xdsl.passes import PassPipeline

from tirconst.core.context import context
from tirconst.frontend.importer import import_tflite
from tirconst.transforms.plan_memory import PlanMemoryPass
from tirconst.universe import get_all_passes

MODELS = Path(__file__).resolve().parent.parent / "models"
BASELINES = ("greedy_by_size", "greedy_by_conflicts", "first_fit")
LABELS = {
    "greedy_by_size": "TVM size",
    "greedy_by_conflicts": "TVM conflicts",
    "first_fit": "TFLM",
}


def vela_sram(model: Path) -> float | None:
    """Bytes of SRAM Vela uses for `model` on the U55-128, or None without vela."""
    exe = shutil.which("vela")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run(
            [
                exe,
                str(model),
                "--accelerator-config",
                "ethos-u55-128",
                "--output-dir",
                out,
            ],
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            return None
        summary = next(Path(out).glob("*_summary_*.csv"), None)
        if summary is None:
            return None
        with summary.open() as f:
            row = next(csv.DictReader(f))
        return float(row["sram_memory_used"]) * 1024


def planned(model: Path, pipeline: str | None, **options) -> tuple[object, float]:
    module = import_tflite(model)
    if pipeline:
        PassPipeline.parse_spec(get_all_passes(), pipeline).apply(context(), module)
    t = time.perf_counter()
    p = PlanMemoryPass(**options).run(module)["main"]
    return p, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pipeline", help="passes to run before planning (e.g. tiling)")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--models", help="comma-separated substrings of model names")
    ap.add_argument("--no-vela", action="store_true", help="do not run vela")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    models = sorted(MODELS.glob("*.tflite"))
    if args.models:
        keys = args.models.split(",")
        models = [m for m in models if any(k in m.stem for k in keys)]
    vela = {m.stem: (None if args.no_vela else vela_sram(m)) for m in models}
    worse = []
    for mode, reuse in (("call", False), ("reuse-io", True)):
        rows = []
        for m in models:
            p, seconds = planned(
                m, args.pipeline, time_limit=args.time_limit, reuse_io=reuse
            )
            r = p.pools[0]
            base = {}
            for a in BASELINES:
                q, _ = planned(m, args.pipeline, algorithm=a, reuse_io=reuse)
                base[a] = q.pools[0].peak
            v = vela[m.stem]
            status = "optimal" if r.optimal else "feasible"
            rows.append(
                [
                    m.stem,
                    str(len(r.buffers)),
                    f"{r.lower_bound:,}",
                    f"{r.peak:,}",
                    status,
                    f"{seconds:.2f}",
                    *(f"{base[a]:,}" for a in BASELINES),
                    "-" if v is None else f"{v:,.0f}",
                    "-" if v is None else f"{r.peak / v:.3f}",
                ]
            )
            if reuse and v is not None and r.peak > v:
                worse.append(m.stem)
        head = [
            "model",
            "buffers",
            "lower bound",
            "exact",
            "status",
            "s",
            *(LABELS[a] for a in BASELINES),
            "Vela",
            "exact/Vela",
        ]
        title = f"SRAM bytes, liveness '{mode}'" + (
            f", after {args.pipeline}" if args.pipeline else ", untiled"
        )
        print(title)
        _table(head, rows, args.markdown)
        print()
    if worse:
        print(f"above Vela's SRAM (reuse-io): {', '.join(worse)}")
    return 1 if worse else 0


def _table(head: list[str], rows: list[list[str]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(head) + " |")
        print(
            "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"
        )
        for r in rows:
            print("| " + " | ".join(r) + " |")
        return
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    for r in [head, *rows]:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )


if __name__ == "__main__":
    sys.exit(main())
