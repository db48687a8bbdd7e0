"""Smallest SRAM reached by `tir-tile` (+ `tir-stage-weights`) on every bundled
model, against Vela's SRAM figure.

    python bench/tiling.py [model ...]

For each model and configuration, the greedy search of `tir-tile{budget=...}`
(`tirconst.transforms.tile.search` with budget 0) is run to its end and
its least SRAM kept; the table gives the SRAM measure of the tiled, staged
program (`tirconst.analysis.sram`, inputs and outputs placed as
`tirconst-compile` places them: live only while used; KiB), then the peak
of the planner's placement of the same buffers (16-byte aligned,
`tirconst.planning.plan`, exact within 5 s).

Configurations: `whole` (no tiling, conv weights staged), `stripe` (tiling
without cascades), `cascade` (with cascades), each at Vela's policy (conv
weights staged, FC in flash), plus `cascade, flash` (no weight staged) and
`cascade, all` (FC staged too).

Vela's figures (KiB, ethos-u-vela 5.2.0, Ethos-U55-128, default config and
system; they include the input and output tensors and staged weight buffers)
are those recorded for the bundled models by the project's model survey; run
`vela` on `models/<name>.tflite` to reproduce them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from xdsl.dialects.builtin import ModuleOp

from tirconst.analysis.sram import problem, sram_peak
from tirconst.dialects.tir.operators import OperatorOp
from tirconst.frontend.importer import import_tflite
from tirconst.planning import Pool, plan
from tirconst.transforms.stage_weights import stage_block
from tirconst.transforms.tile import apply_settings, functions, search

MODELS = Path(__file__).resolve().parent.parent / "models"

VELA_KIB = {
    "audio_example1": 19.16,
    "autoencoder_example": 0.69,
    "fingerprint_signature_generator": 153.03,
    "image_example1": 94.00,
    "keyword_spotting_mobilenetv2": 48.86,
    "rock_paper_scissors": 133.97,
    "tflite_micro_magic_wand": 7.33,
    "tflite_micro_speech": 5.83,
}

CONFIGS = [
    ("whole", None, "conv"),
    ("stripe", False, "conv"),
    ("cascade", True, "conv"),
    ("cascade, flash", True, "flash"),
    ("cascade, all", True, "all"),
]


def smallest(module: ModuleOp, cascade: bool | None, weights: str) -> tuple[int, int]:
    """(SRAM measure, planned peak) of the smallest tiling found."""
    work = module.clone()
    if cascade is not None:
        settings, _, _ = search(module, cascade, 0, weights, reuse_io=True)
        apply_settings(work, cascade, settings)
    low = planned = 0
    for func in functions(work):
        if weights != "flash":
            stage_block(func.body.block, weights == "all")
        prob = problem(func, reuse_io=True, pools=("sram",))
        if prob.buffers:
            p = plan(
                prob.buffers,
                shares=prob.shares,
                pools=[Pool("sram", None, 16)],
                time_limit=5.0,
            )
            low = max(low, sram_peak(func, reuse_io=True).bytes)
            planned = max(planned, p.peak)
    return low, planned


def trade_off(name: str, module: ModuleOp) -> None:
    """Budgets from the untiled peak down to the smallest reachable (cascade,
    Vela's policy): the peak reached and what it costs (the cost model)."""
    whole, _ = smallest(module, None, "conv")
    _, low, _ = search(module, True, 0, "conv", reuse_io=True)
    for k in range(5):
        budget = whole - (whole - low) * k // 4
        settings, peak, _ = search(module, True, budget, "conv", reuse_io=True)
        work = module.clone()
        costs = apply_settings(work, True, settings)
        ops = sum(
            1 for f in functions(work) for o in f.walk() if isinstance(o, OperatorOp)
        )
        print(
            f"| {name} | {budget / 1024:.2f} | {peak / 1024:.2f} | {ops} | "
            f"{sum(c.recomputed_rows for c in costs)} | "
            f"{sum(c.extra_weight_bytes for c in costs)} |"
        )


def main(argv: list[str]) -> int:
    names = argv or sorted(VELA_KIB)
    heads = [c[0] for c in CONFIGS]
    print("| model | Vela | " + " | ".join(heads) + " | cascade / Vela |")
    print("|---" * (len(heads) + 3) + "|")
    for name in names:
        started = time.perf_counter()
        module = import_tflite(MODELS / f"{name}.tflite")
        cells, ratio = [], ""
        for label, cascade, weights in CONFIGS:
            low, planned = smallest(module, cascade, weights)
            cells.append(f"{low / 1024:.2f} / {planned / 1024:.2f}")
            if label == "cascade":
                ratio = f"{planned / 1024 / VELA_KIB[name]:.2f}"
        print(
            f"| {name} | {VELA_KIB[name]:.2f} | " + " | ".join(cells) + f" | {ratio} |",
            flush=True,
        )
        print(f"  ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    print(
        "\nKiB: SRAM measure / planned peak (16-byte aligned) of the buffers "
        "(inputs and outputs while used, feature maps, stripe buffers, staged "
        "weights).\n"
    )
    print("Trade-off (cascade, conv weights staged): budget -> peak and its cost")
    print("| model | budget KiB | peak KiB | ops | recomputed rows | extra weight B |")
    print("|---|---|---|---|---|---|")
    for name in names:
        trade_off(name, import_tflite(MODELS / f"{name}.tflite"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
