"""The performance model (tirconst.analysis.performance) against Vela's own
estimate, per bundled model, in one run.

Each model is compiled by the installed Vela for ethos-u55-128 (default
system config Ethos_U55_High_End_Embedded, memory mode Shared_Sram) with the
legacy core (`--debug-force-legacy-core`) and the default core; Vela's
estimate is `cycles_total` of its summary CSV. Our model is applied to the
command stream Vela wrote, read back by the disassembler ("ours on Vela"),
and to the stream `tirconst-compile` writes for the same model ("ours on
ours", and its ratio to ours on Vela's legacy stream: one model, two
streams). Goal: ours on Vela's legacy stream within 10% of Vela's legacy
estimate on every model.

    python bench/performance.py [--models NAME ...] [--networks]
        [--files MODEL.tflite ...] [--no-ours]

`--networks` runs the generated networks of models/networks/ instead,
`--files` any other models.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.vela_compile import (  # noqa: E402
    CORES,
    chosen_models,
    compile_model,
    estimate_file,
    vela_cycles,
)

ACCELERATOR = "ethos-u55-128"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="*", help="model stems (default: all bundled)")
    ap.add_argument(
        "--no-ours", action="store_true", help="skip compiling with tirconst-compile"
    )
    ap.add_argument("--networks", action="store_true", help="models/networks/ instead")
    ap.add_argument("--files", nargs="*", default=[], help="other .tflite models")
    args = ap.parse_args(argv)
    models = chosen_models(args.networks, args.models, args.files)
    from tirconst.tools.compile import compile_model as tirconst_compile

    cols = "".join(
        f" | {'Vela ' + c:>12} {'ours on it':>10} {'ratio':>6}" for c in CORES
    )
    head = f"{'model':34}{cols} | {'ours on ours':>12} {'x legacy':>8}"
    print(f"cycles, {ACCELERATOR}, Ethos_U55_High_End_Embedded / Shared_Sram")
    print(head)
    print("-" * len(head))
    worst, ratios, failures = 0.0, {c: [] for c in CORES}, 0
    with tempfile.TemporaryDirectory() as tmp:
        for model in models:
            row, legacy = f"{model.stem:34}", 0.0
            for core in CORES:
                out = Path(tmp) / f"{model.stem}-{core}"
                done = compile_model(model, core, "tflite", out, ACCELERATOR)
                if done.path is None:
                    failures += 1
                    row += f" | {'vela failed':>30}"
                    continue
                vela = vela_cycles(out)
                try:
                    ours = estimate_file(done.path).cycles
                except Exception as e:  # noqa: BLE001 - one stream's failure is a cell
                    failures += 1
                    row += f" | {vela:12.0f} ours failed: {str(e).splitlines()[0]}"
                    continue
                r = ours / vela
                ratios[core].append(r)
                if core == "legacy":
                    legacy, worst = ours, max(worst, abs(r - 1))
                row += f" | {vela:12.0f} {ours:10.0f} {r:6.3f}"
            if args.no_ours:
                print(row)
                continue
            try:
                res = tirconst_compile(model, Path(tmp) / f"{model.stem}-tc")
                path = next(p for n, p in res.outputs.items() if n.endswith(".tflite"))
                mine = estimate_file(path).cycles
                rel = f"{mine / legacy:8.3f}" if legacy else f"{'-':>8}"
                row += f" | {mine:12.0f} {rel}"
            except Exception as e:  # noqa: BLE001 - one model's failure is a row
                failures += 1
                row += f" | tirconst-compile failed: {type(e).__name__}: {e}"
            print(row)
    for core, rs in ratios.items():
        if rs:
            geo = math.exp(sum(math.log(r) for r in rs) / len(rs))
            print(
                f"ours/Vela on Vela's {core} streams: geomean {geo:.3f}, "
                f"range {min(rs):.3f}-{max(rs):.3f}"
            )
    print(f"largest deviation from Vela's legacy estimate: {100 * worst:.1f}%")
    return 1 if failures or worst > 0.10 else 0


if __name__ == "__main__":
    sys.exit(main())
