"""Concatenation and split as addressing (`tir-data-views`), against Vela:
writes SqueezeNet-like fire-module models and a ShuffleNet-like split/concat
model (random weights, built with the tests' TFLite builder) into a
directory, then runs bench/compile.py on them (SRAM, flash, NPU/CPU ops,
cycles, time; ours and Vela's both cores).

    python bench/data_views.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import compile as bench_compile  # noqa: E402
from tests.test_data_views import Graph, _q, fire_module  # noqa: E402
from tests.test_tflite_litert import Op, T  # noqa: E402


def shuffle_block(seed: int = 0, h: int = 16, w: int = 16, c: int = 16) -> bytes:
    """conv -> SPLIT of the channels in two -> a conv on each half ->
    CONCATENATION -> conv (ShuffleNet's split, without the shuffle)."""
    g = Graph(np.random.default_rng(seed))
    qx, q = _q(g.rng), _q(g.rng)
    x = g.input((1, h, w, c), qx)
    y = g.conv(x, qx, c, q)
    halves = [g.tensor(T((1, h, w, c // 2), np.int8, *q)) for _ in range(2)]
    ax = g.tensor(T((1,), np.int32, data=np.array([3], np.int32)))
    g.ops.append(Op("SPLIT", [ax, y], halves, ("SplitOptions", {"NumSplits": 2})))
    qo = _q(g.rng)
    parts = [g.conv(p, q, c // 2, qo) for p in halves]
    cat = g.tensor(T((1, h, w, c), np.int8, *qo))
    opts = ("ConcatenationOptions", {"Axis": 3})
    g.ops.append(Op("CONCATENATION", parts, [cat], opts))
    return g.build([g.conv(cat, qo, c, _q(g.rng))])


MODELS = {
    "fire_8x8": lambda: fire_module(),
    "fire_28x28_2": lambda: fire_module(h=28, w=28, c=32, sq=16, ex=32, modules=2),
    "fire_56x56": lambda: fire_module(h=56, w=56, c=64, sq=16, ex=64),
    "shuffle_16x16": lambda: shuffle_block(),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", help="write the models here (default: a temp dir)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.keep or tmp)
        out.mkdir(parents=True, exist_ok=True)
        files = []
        for name, build in MODELS.items():
            (out / f"{name}.tflite").write_bytes(build())
            files.append(str(out / f"{name}.tflite"))
        return bench_compile.main(["--files", *files])


if __name__ == "__main__":
    sys.exit(main())
