"""Benchmark: `tir-extract-constants` then `tir-inline-constants` end to end.

A module of 2,000 inline constants totalling 25M bytes, 30% of them duplicates
of others, spread over 20 functions, goes through

    tirconst-opt bench.mlir -p tir-extract-constants,tir-inline-constants -o out.mlir

Target: <= 3 s wall time, peak memory <= 4x the data size. Each command runs
in a fresh process; its peak RSS is the process's high-water mark. The table
also shows the same tool with no pass (parse + print only) and on an empty
module (the interpreter and imports), so the passes' share is visible.

    python bench/constant_passes.py [--constants 2000] [--bytes 25000000]
        [--duplicates 0.3] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

DTYPES = [("i8", np.int8), ("i32", np.int32), ("f32", np.float32)]


def generate(
    path: str, constants: int, total: int, duplicates: float, seed: int
) -> dict:
    """Write the module; return its figures (data bytes, unique constants)."""
    rng = np.random.default_rng(seed)
    unique = constants - int(round(constants * duplicates))
    # Constant k holds the data of unique constant sources[k]: the first
    # `unique` are themselves, the rest repeat one of them.
    sources = np.concatenate(
        [np.arange(unique), rng.integers(0, unique, constants - unique)]
    )
    rng.shuffle(sources)
    sizes = rng.uniform(0.2, 1.8, unique)
    sizes = np.maximum(sizes * total / sizes[sources].sum(), 4).astype(np.int64)
    blobs = []
    for i in range(unique):
        name, dt = DTYPES[i % len(DTYPES)]
        n = max(int(sizes[i]) // np.dtype(dt).itemsize, 1)
        data = rng.integers(0, 256, n * np.dtype(dt).itemsize, dtype=np.uint8)
        if dt is np.float32:
            data = rng.standard_normal(n).astype(np.float32).view(np.uint8)
        blobs.append((name, n, data.tobytes().hex()))
    data_bytes = 0
    funcs = 20
    per_func = (constants + funcs - 1) // funcs
    with open(path, "w") as f:
        f.write("builtin.module {\n")
        for fi in range(funcs):
            f.write(f"  tir.func @f{fi}() {{\n")
            for k in range(fi * per_func, min((fi + 1) * per_func, constants)):
                name, n, hex_ = blobs[sources[k]]
                data_bytes += len(hex_) // 2
                f.write(
                    f'    %c{k} = tir.allocate_const dense<"0x{hex_}"> : '
                    f"!tir.buffer<{n}x{name}>\n"
                )
            f.write("  }\n")
        f.write("}\n")
    return {"data_bytes": data_bytes, "unique": unique, "constants": constants}


def measure(cmd: list[str], repeat: int) -> tuple[float, int]:
    """Best wall time over `repeat` runs, and peak RSS (bytes) of one run."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True)
        best = min(best, time.perf_counter() - t)
    # ru_maxrss of children is the maximum over all waited-for children, so
    # take it in a fresh helper process that runs the command once.
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True
    )
    return best, int(out.stdout.strip()) * 1024


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--constants", type=int, default=2000)
    p.add_argument("--bytes", type=int, default=25_000_000)
    p.add_argument("--duplicates", type=float, default=0.3)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--keep", metavar="DIR", help="keep the generated files here")
    args = p.parse_args()
    opt = shutil.which("tirconst-opt") or "tirconst-opt"
    tmp = args.keep or tempfile.mkdtemp(prefix="tirconst-bench-")
    os.makedirs(tmp, exist_ok=True)
    src, out = os.path.join(tmp, "bench.mlir"), os.path.join(tmp, "out.mlir")
    empty = os.path.join(tmp, "empty.mlir")
    with open(empty, "w") as f:
        f.write("builtin.module {\n}\n")
    t = time.perf_counter()
    figures = generate(src, args.constants, args.bytes, args.duplicates, args.seed)
    gen_s = time.perf_counter() - t
    data = figures["data_bytes"]
    print(
        f"module: {figures['constants']} constants, {figures['unique']} distinct, "
        f"{data / 1e6:.1f} MB of data, {os.path.getsize(src) / 1e6:.1f} MB of text "
        f"(generated in {gen_s:.1f} s)"
    )
    runs = [
        ("empty module (startup)", [opt, empty, "-o", os.devnull]),
        ("parse + print, no pass", [opt, src, "-o", out]),
        (
            "extract, inline",
            [opt, src, "-p", "tir-extract-constants,tir-inline-constants", "-o", out],
        ),
        ("extract only", [opt, src, "-p", "tir-extract-constants", "-o", out]),
    ]
    print()
    print(f"{'command':<26} {'wall s':>7} {'peak MB':>8} {'peak/data':>10}")
    for label, cmd in runs:
        wall, rss = measure(cmd, args.repeat)
        print(f"{label:<26} {wall:>7.2f} {rss / 1e6:>8.1f} {rss / data:>9.2f}x")
    print()
    print("target: extract, inline <= 3 s and peak <= 4.00x the data")
    with open(out) as f:
        text = f.read()
    constants_out = text.count("tir.constant @")
    print(
        f"after extract only: {constants_out} module constants "
        f"(expect {figures['unique']})"
    )
    if not args.keep:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
