"""What the interpreter's parts know of each other, so that they import one
module and not each other: the compiler's record of a buffer value
(`BufInfo`), what a scalar rule may ask of the function being compiled
(`Emitter`) and what a `tir.call_extern` may ask of the program (`Functions`).
`compile` and `program` implement the protocols; `emit_scalar` and
`operators` use them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from xdsl.ir import Operation, SSAValue

from tirconst.dialects.tir import FuncOp
from tirconst.interpreter.errors import InterpreterError
from tirconst.interpreter.memory import Buffer, Frame
from tirconst.interpreter.scalar import IntType

Interval = tuple[int, int]
"""The closed range [lo, hi] an integer value is known to lie in."""


@dataclass
class BufInfo:
    """What the compiler knows about a buffer SSA value."""

    var: str
    data: str
    init: str
    shape: tuple[int, ...]
    checked: bool
    """Reads check that the element is defined."""
    marks: bool
    """Writes mark the element defined."""
    readonly: bool
    elem_strides: tuple[int, ...] | None = None
    """A strided view's element strides (None: row-major)."""

    @property
    def strides(self) -> tuple[int, ...]:
        if self.elem_strides is not None:
            return self.elem_strides
        out, step = [], 1
        for d in reversed(self.shape):
            out.append(step)
            step *= d
        return tuple(reversed(out))


class Emitter(Protocol):
    """The function being compiled, as a scalar rule sees it: emit a line of
    Python, name a value, know its range, define a result, register a fault
    site."""

    def emit(self, line: str) -> None: ...

    def value(self, v: SSAValue) -> str: ...

    def range(self, v: SSAValue) -> Interval: ...

    def define(
        self, v: SSAValue, expr: str, interval: Interval | None = None
    ) -> None: ...

    def int_result(
        self, v: SSAValue, expr: str, interval: Interval, t: IntType
    ) -> None: ...

    def fault_site(self, op: Operation) -> int: ...

    def unsupported(self, op: Operation, message: str) -> InterpreterError: ...


class Invocable(Protocol):
    """A compiled function, run on a caller's frame and buffers."""

    def invoke_with(self, frame: Frame, buffers: Sequence[Buffer]) -> None: ...


class Functions(Protocol):
    """The program's functions, by name (for a call to a `tir.func`)."""

    def find_function(self, name: str) -> FuncOp | None: ...

    def function(self, name: str) -> Invocable: ...
