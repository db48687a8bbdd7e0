"""Benchmark: `tir-encode-weights` on every bundled model, against Vela.

Per model: the raw weight bytes of the conv, depthwise and fully connected
ops; the order-0 entropy bound of those weights (zero point removed, per
tensor); the weight-stream bytes under each policy (`vela`, `min-size`) and
their ratio to raw; and, side by side in the same run, the installed `vela`
compiling the same model for the same accelerator (its summary CSV:
`total_npu_encoded_weights` is its weight streams, `total_original_weights`
its raw weights; once with its default core, once with
`--debug-force-legacy-core`). `all` is our encoded constants in full (bias
records included, identical ones stored once); Vela's `flash` is its whole
off-chip flash (encoded weights, biases and command stream). Throughput is
the model's weights over the time of Vela's encoder alone (`codec`, one
stream per op) and over the pass's wall time per policy (the block-config
search dominates it; min-size encodes each op once per distinct stream).
docs/ethos-u.md's anchors: Vela 0.942 of raw at block depth 16, order-0 entropy
0.803. Where Vela's raw weights
differ from ours by more than 5% it rewrote the graph (fingerprint: MEAN as a
depthwise conv of generated weights), so min/Vela is marked `*` and left out
of the total ratio.

    python bench/weight_encoding.py [--accelerator ethos-u55-128] [--no-vela]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tirconst.dialects.tir import ConstantOp, EncodedWeightsAttr
from tirconst.formats.ethos_u.block_config import block_configs, vela_choice
from tirconst.frontend.importer import import_tflite
from tirconst.transforms.encode_weights import (
    WeightedOp,
    constant_of,
    encode_module,
    prepare,
    stream_depths,
    streams,
)

MODELS = Path(__file__).resolve().parent.parent / "models"
POLICIES = ("vela", "min-size")


def raw_figures(module) -> tuple[int, float, int]:
    """(raw weight bytes, order-0 entropy bound in bytes, weights)."""
    raw, bound, count = 0, 0.0, 0
    for op in module.walk():
        if isinstance(op, WeightedOp) and constant_of(op.filter) is not None:
            p = prepare(op)
            values = (p.ohwi.astype(np.int64) - p.zero_point).reshape(-1)
            _, n = np.unique(values, return_counts=True)
            prob = n / values.size
            bound += float(-(n * np.log2(prob)).sum()) / 8
            raw += p.ohwi.nbytes
            count += values.size
    return raw, bound, count


def codec_seconds(module, accelerator: str) -> float:
    """Seconds Vela's weight encoder alone takes for every op's stream, at
    Vela's block depth and traversal."""
    total = 0.0
    for op in module.walk():
        if isinstance(op, WeightedOp) and constant_of(op.filter) is not None:
            p = prepare(op)
            choice = vela_choice(p.geometry, accelerator)
            assert choice is not None
            depths = stream_depths(p, accelerator, choice[0][2])
            assert depths is not None
            t0 = time.perf_counter()
            streams(p, accelerator, depths, choice[1])
            total += time.perf_counter() - t0
    return total


def encoded_figures(module) -> tuple[int, int]:
    """(weight-stream bytes, all encoded bytes) of the unique encoded constants."""
    streams, total = 0, 0
    for op in module.body.block.ops:
        attr = (
            op.attributes.get("encoded_weights") if isinstance(op, ConstantOp) else None
        )
        if isinstance(attr, EncodedWeightsAttr):
            streams += sum(c.weight_length for c in attr.cores)
            total += op.data.size
    return streams, total


def run_vela(model: Path, accelerator: str, legacy: bool) -> dict[str, float] | None:
    with tempfile.TemporaryDirectory() as out:
        cmd = [
            sys.executable,
            "-m",
            "ethosu.vela",
            str(model),
            "--accelerator-config",
            accelerator,
            "--output-dir",
            out,
            *(["--debug-force-legacy-core"] if legacy else []),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True)
        found = sorted(Path(out).glob("*summary*.csv"))
        if done.returncode != 0 or not found:
            return None
        with open(found[0]) as f:
            row = next(csv.DictReader(f))
        return {
            "raw": float(row["total_original_weights"]),
            "streams": float(row["total_npu_encoded_weights"]),
            "flash": float(row["off_chip_flash_memory_used"]) * 1024,
        }


def ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accelerator", default="ethos-u55-128")
    ap.add_argument("--no-vela", action="store_true", help="skip running vela")
    args = ap.parse_args()
    header = [
        "model",
        "raw",
        "entropy",
        "vela-pol",
        "min-size",
        "Vela raw",
        "Vela",
        "Vela-leg",
        "min/Vela",
        "all(min)",
        "Vela flash",
        "Mw/s codec",
        "Mw/s vela",
        "Mw/s min",
    ]
    rows: list[list[str]] = []
    sums = dict.fromkeys(
        [
            "raw",
            "bound",
            "vela",
            "min",
            "vraw",
            "vstreams",
            "lstreams",
            "cmp_min",
            "cmp_vela",
        ],
        0.0,
    )
    for model in sorted(MODELS.glob("*.tflite")):
        module = import_tflite(model)
        raw, bound, count = raw_figures(module)
        got: dict[str, tuple[int, int, float]] = {}
        for policy in POLICIES:
            block_configs.cache_clear()  # each policy pays its own search
            vela_choice.cache_clear()
            m = module.clone()
            t0 = time.perf_counter()
            encode_module(m, args.accelerator, policy)
            dt = time.perf_counter() - t0
            m.verify()
            got[policy] = (*encoded_figures(m), dt)
        vela = legacy = None
        if not args.no_vela:
            vela = run_vela(model, args.accelerator, False)
            legacy = run_vela(model, args.accelerator, True)
        v_streams = vela["streams"] if vela else 0.0
        comparable = bool(vela) and abs(vela["raw"] - raw) <= 0.05 * raw
        rows.append(
            [
                model.stem,
                str(raw),
                ratio(bound, raw),
                ratio(got["vela"][0], raw),
                ratio(got["min-size"][0], raw),
                f"{vela['raw']:.0f}" if vela else "-",
                ratio(vela["streams"], vela["raw"]) if vela else "-",
                ratio(legacy["streams"], legacy["raw"]) if legacy else "-",
                (ratio(got["min-size"][0], v_streams) + ("" if comparable else "*"))
                if vela
                else "-",
                str(got["min-size"][1]),
                f"{vela['flash']:.0f}" if vela else "-",
                f"{count / codec_seconds(module, args.accelerator) / 1e6:.2f}",
                f"{count / got['vela'][2] / 1e6:.2f}",
                f"{count / got['min-size'][2] / 1e6:.2f}",
            ]
        )
        sums["raw"] += raw
        sums["bound"] += bound
        sums["vela"] += got["vela"][0]
        sums["min"] += got["min-size"][0]
        if vela:
            sums["vraw"] += vela["raw"]
            sums["vstreams"] += vela["streams"]
        if comparable:
            sums["cmp_min"] += got["min-size"][0]
            sums["cmp_vela"] += v_streams
        if legacy:
            sums["lstreams"] += legacy["streams"]
    rows.append(
        [
            "total",
            str(int(sums["raw"])),
            ratio(sums["bound"], sums["raw"]),
            ratio(sums["vela"], sums["raw"]),
            ratio(sums["min"], sums["raw"]),
            str(int(sums["vraw"])),
            ratio(sums["vstreams"], sums["vraw"]),
            ratio(sums["lstreams"], sums["vraw"]),
            ratio(sums["cmp_min"], sums["cmp_vela"]),
            "",
            "",
            "",
            "",
            "",
        ]
    )
    print(
        f"weight streams / raw weights, {args.accelerator} "
        "(anchors: Vela 0.942 at block depth 16, entropy 0.803)"
    )
    table = [header, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )


if __name__ == "__main__":
    main()
