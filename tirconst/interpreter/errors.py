"""The interpreter's exceptions: one line each, naming the op and the indices."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.ir import Operation

from tirconst.core.diagnostics import ToolError, describe, location_of


class InterpreterError(ToolError):
    """A program cannot be run: bad input, or it does something TIR leaves
    undefined (out-of-bounds access, uninitialized read, division by zero...).

    It is a `ToolError`, so the command-line tools print it as one line.
    """


class NotEquivalentError(InterpreterError):
    """Two programs computed different results on the same inputs.

    `function`, `buffer`, `index`, `trial`, `before` and `after` say where.
    """

    def __init__(
        self,
        message: str,
        *,
        function: str | None = None,
        buffer: str | None = None,
        index: tuple[int, ...] | None = None,
        trial: int | None = None,
        before: object = None,
        after: object = None,
    ):
        super().__init__(message)
        self.function = function
        self.buffer = buffer
        self.index = index
        self.trial = trial
        self.before = before
        self.after = after


def op_failure(op: Operation, message: str) -> InterpreterError:
    """`file:line:col: error: 'tir.x' op in @f: message` as an InterpreterError."""
    loc = location_of(op)
    prefix = f"{loc}: " if loc else ""
    return InterpreterError(f"{prefix}error: {describe(op)}: {message}")


def format_index(index: Sequence[int]) -> str:
    """`[1, 2]`: a multi-index as the error messages show it."""
    return "[" + ", ".join(str(int(i)) for i in index) + "]"
