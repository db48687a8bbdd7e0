"""Parse and print speed of tir text with large and with many constants.

Measures the public API (tirconst's parser and printer, as tirconst-opt uses
them) and the whole `tirconst-opt` command, against xDSL's default printer.
Targets (issue 2): one 10M-element int8 constant prints in <= 0.15 s and
parses in <= 0.2 s; 16,000 constants of 64 elements parse in <= 4 s.

    python bench/text_io.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.printer import Printer

from tirconst.core.diagnostics import parse_module
from tirconst.dialects.tir import AllocateConstOp, BufferType, FuncOp, element_type_of
from tirconst.tools.opt import TirconstOptMain


def one_big_constant(n: int = 10_000_000) -> ModuleOp:
    data = np.random.default_rng(0).integers(-128, 128, n, dtype=np.int8)
    func = FuncOp("main", [("output0", BufferType([n], element_type_of(np.int8)))])
    func.body.block.add_op(AllocateConstOp(data, name="w"))
    return ModuleOp([func])


def many_small_constants(count: int = 16_000, size: int = 64) -> ModuleOp:
    rng = np.random.default_rng(0)
    func = FuncOp("main", [("output0", BufferType([size], element_type_of(np.int8)))])
    for i in range(count):
        data = rng.integers(-128, 128, size, dtype=np.int8)
        func.body.block.add_op(AllocateConstOp(data, name=f"w{i}"))
    return ModuleOp([func])


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def print_text(module: ModuleOp, generic: bool = False) -> str:
    out = io.StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(module)
    return out.getvalue()


def tool_seconds(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["tirconst-opt", str(path), "-o", str(path.with_suffix(".out.mlir"))],
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    ctx = TirconstOptMain(args=[]).ctx
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp, "empty.mlir")
        empty.write_text("builtin.module {}\n")
        startup = min(tool_seconds(empty) for _ in range(3))
        for label, module, targets in (
            ("1 x 10M int8", one_big_constant(), (0.15, 0.2)),
            ("16,000 x 64 int8", many_small_constants(), (None, 4.0)),
        ):
            text = print_text(module)
            path = Path(tmp, "m.mlir")
            path.write_text(text)
            t_print = timed(lambda m=module: print_text(m))
            t_parse = timed(lambda t=text: parse_module(ctx, t, "m.mlir"))
            t_default = timed(lambda m=module: print_text(m, generic=True), repeat=1)
            t_tool = tool_seconds(path) - startup
            rows.append(
                (label, len(text), t_print, t_parse, t_default, t_tool, targets)
            )
    print(f"tirconst-opt startup (empty module): {startup:.2f} s\n")
    head = (
        "| module | text MB | print s (target) | parse s (target) "
        "| xDSL default print s | tirconst-opt parse+verify+print s (minus startup) |"
    )
    print(head)
    print("|---|---|---|---|---|---|")
    for label, size, tp, tparse, tdef, ttool, (gp, gparse) in rows:
        tgt = lambda t, g: f"{t:.3f}" + (f" (<= {g})" if g else "")  # noqa: E731
        print(
            f"| {label} | {size / 1e6:.1f} | {tgt(tp, gp)} | {tgt(tparse, gparse)} "
            f"| {tdef:.2f} | {ttool:.2f} |"
        )


if __name__ == "__main__":
    sys.exit(main())
