"""The equivalence check: two programs, the same seeded inputs, every output
bit compared."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from tirconst.core.diagnostics import error_line
from tirconst.interpreter.errors import (
    InterpreterError,
    NotEquivalentError,
    format_index,
)
from tirconst.interpreter.program import Externs, Program, inputs_for


@dataclass
class Equivalence:
    """What a successful check compared."""

    functions: list[str]
    trials: int
    buffers: int
    """Buffer comparisons made (parameters x trials x functions)."""


def _program(source: str | ModuleOp | Program, name: str) -> Program:
    return source if isinstance(source, Program) else Program(source, name)


def check_equivalent(
    before: str | ModuleOp | Program,
    after: str | ModuleOp | Program,
    function: str | None = None,
    seed: int = 0,
    trials: int = 3,
    externs: Externs | None = None,
) -> Equivalence:
    """Run `function` (default: every tir.func of `before`) of both programs on
    the same random inputs, `trials` times (trial t is seeded with seed + t),
    and compare every parameter's final contents bit for bit.

    Raises NotEquivalentError naming the function, the first differing buffer
    and index, and both values; an InterpreterError if either program fails.
    """
    pb, pa = _program(before, "before"), _program(after, "after")
    if trials < 1:
        raise InterpreterError(error_line(f"trials must be >= 1, got {trials}"))
    names = [function] if function else [f.sym_name.data for f in pb.functions()]
    if not names:
        raise InterpreterError(f"{pb.name}: error: no tir.func to compare")
    compared = 0
    for name in names:
        fb = pb.function(name)
        if pa.find_function(name) is None:
            raise NotEquivalentError(
                error_line(
                    f"not equivalent: it has no tir.func @{name}",
                    pa.name,
                ),
                function=name,
            )
        fa = pa.function(name)
        if fb.params != fa.params:
            raise NotEquivalentError(
                error_line(
                    f"not equivalent: @{name} has parameters {_sig(fb.params)} "
                    f"before and {_sig(fa.params)} after"
                ),
                function=name,
            )
        for t in range(trials):
            inputs = inputs_for(fb.params, seed + t)
            out_b = fb(inputs, externs)
            out_a = fa(inputs, externs)
            for pname, _ in fb.params:
                _compare(name, pname, out_b[pname], out_a[pname], t, seed + t)
                compared += 1
    return Equivalence(names, trials, compared)


def _sig(params) -> str:
    return "(" + ", ".join(f"{n}: {t}" for n, t in params) + ")"


def _compare(
    function: str, name: str, b: np.ndarray, a: np.ndarray, trial: int, seed: int
) -> None:
    bits_b = b.reshape(-1).view(np.uint8).reshape(b.size, -1)
    bits_a = a.reshape(-1).view(np.uint8).reshape(a.size, -1)
    differs = np.flatnonzero((bits_b != bits_a).any(axis=1))
    if differs.size == 0:
        return
    flat = int(differs[0])
    index = tuple(int(i) for i in np.unravel_index(flat, b.shape)) if b.shape else ()
    vb, va = b.reshape(-1)[flat].item(), a.reshape(-1)[flat].item()
    raise NotEquivalentError(
        error_line(
            f"not equivalent: @{function}: {name}{format_index(index)} is {vb!r} "
            f"before and {va!r} after ({differs.size} of {b.size} elements differ; "
            f"trial {trial}, inputs seeded with {seed})"
        ),
        function=function,
        buffer=name,
        index=index,
        trial=trial,
        before=vb,
        after=va,
    )
