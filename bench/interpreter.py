"""Interpreter benchmarks: prints a table of figures against the targets.

    python bench/interpreter.py [--repeat N]

1. One int8 conv2d through `tir.conv2d` (1x48x48x32 input, 3x3x32x32 weights,
   ~21M MACs), end to end through the interpreter: target <= 0.2 s.
2. A loop-level 64x64x64 int8 -> int32 matmul written with tir.for and
   buffer_load/store: scalar ops per second, target >= 1M ops/s. Every op in
   the innermost body counts (loads, extends, multiply, add, store).

Compile time is reported separately; the run figures are the best of N.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from tirconst.interpreter import Program

CONV = """
tir.func @main(%input : !tir.buffer<1x48x48x32xi8>,
               %output : !tir.buffer<1x48x48x32xi8>) {
  %w = tir.allocate_const @weights : !tir.buffer<32x3x3x32xi8>
  %b = tir.allocate_const @bias : !tir.buffer<32xi32>
  tir.conv2d ins(%input, %w, %b : !tir.buffer<1x48x48x32xi8>, !tir.buffer<32x3x3x32xi8>,
                 !tir.buffer<32xi32>)
             outs(%output : !tir.buffer<1x48x48x32xi8>)
      {stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
       pad = array<i64: 1, 1, 1, 1>, input_zp = -3 : i64, output_zp = 5 : i64,
       multiplier = array<i32: MULT>, shift = array<i32: SHIFT>,
       act_min = -128 : i64, act_max = 127 : i64}
}
"""

MATMUL = """
tir.func @main(%A : !tir.buffer<64x64xi8>, %B : !tir.buffer<64x64xi8>,
               %C : !tir.buffer<64x64xi32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0 : i32
  tir.for %i = %c0 to %c64 {
    tir.for %j = %c0 to %c64 {
      tir.buffer_store %zero, %C[%i, %j] : !tir.buffer<64x64xi32>
      tir.for %k = %c0 to %c64 {
        %a = tir.buffer_load %A[%i, %k] : !tir.buffer<64x64xi8>
        %b = tir.buffer_load %B[%k, %j] : !tir.buffer<64x64xi8>
        %a32 = arith.extsi %a : i8 to i32
        %b32 = arith.extsi %b : i8 to i32
        %p = arith.muli %a32, %b32 : i32
        %c = tir.buffer_load %C[%i, %j] : !tir.buffer<64x64xi32>
        %s = arith.addi %c, %p : i32
        tir.buffer_store %s, %C[%i, %j] : !tir.buffer<64x64xi32>
      }
    }
  }
}
"""
MATMUL_OPS = 64 * 64 * 64 * 8 + 64 * 64
"""Scalar ops executed: 8 per innermost iteration, plus the zeroing stores."""


def conv_module(rng: np.random.Generator) -> str:
    import io

    from xdsl.printer import Printer

    from tirconst.dialects.tir.buffers import ConstantOp
    from tirconst.dialects.tir.constant_data import dense_from_numpy

    w = rng.integers(-128, 128, (32, 3, 3, 32), dtype=np.int8)
    b = rng.integers(-5000, 5000, (32,), dtype=np.int32)
    text = io.StringIO()
    for name, data in (("weights", w), ("bias", b)):
        Printer(stream=text).print_op(ConstantOp(name, dense_from_numpy(data)))
        text.write("\n")
    mult = ", ".join(str(int(m)) for m in rng.integers(1 << 30, 1 << 31, 32))
    shift = ", ".join(str(int(s)) for s in rng.integers(-12, -6, 32))
    return text.getvalue() + CONV.replace("MULT", mult).replace("SHIFT", shift)


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    rows = []

    t0 = time.perf_counter()
    conv = Program(conv_module(rng)).function("main")
    x = rng.integers(-128, 128, (1, 48, 48, 32), dtype=np.int8)
    conv({"input": x})  # compiles and loads the kernels
    setup = time.perf_counter() - t0
    t = best_of(args.repeat, lambda: conv({"input": x}))
    rows.append(
        (
            "conv2d 1x48x48x32 * 3x3x32x32 (21.2M MAC)",
            f"{t:.3f} s",
            "<= 0.2 s",
            "ok" if t <= 0.2 else "MISSED",
            f"{setup:.2f} s",
        )
    )

    t0 = time.perf_counter()
    mm = Program(MATMUL).function("main")
    a = rng.integers(-128, 128, (64, 64), dtype=np.int8)
    b = rng.integers(-128, 128, (64, 64), dtype=np.int8)
    mm.code(frozenset({"C"}))
    setup = time.perf_counter() - t0
    out = {}
    t = best_of(args.repeat, lambda: out.update(mm({"A": a, "B": b})))
    assert np.array_equal(out["C"], a.astype(np.int32) @ b.astype(np.int32))
    rate = MATMUL_OPS / t
    rows.append(
        (
            "loop-level matmul 64x64x64 (2.1M scalar ops)",
            f"{rate / 1e6:.2f} M ops/s ({t:.3f} s)",
            ">= 1 M ops/s",
            "ok" if rate >= 1e6 else "MISSED",
            f"{setup:.2f} s",
        )
    )

    head = ("benchmark", "measured", "target", "", "compile")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
