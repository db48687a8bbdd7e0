"""What gives an op its meaning at run time: one registry keyed by op class,
for every dialect the interpreters run.

An op class registers exactly one semantics, of one of three kinds:

- `@implements(Conv2DOp)`: a factory, called once per op when its function
  is compiled, returning `run(*operands)`, which receives the op's operands
  in order (a `Buffer` for each buffer operand, a Python number for a scalar)
  and computes. The interpreter does the rest from the op's declared memory
  effects (`tirconst.dialects.tir.memory.operand_effects`): before the call
  it checks that every buffer read is defined (where reads are tracked) and
  that no written buffer is a constant; after it, the written buffers count
  as defined. tir's operator ops and `npu.invoke` are of this kind.
- `@emits(arith.AddiOp)`: a rule `(emitter, op)` that writes the op's Python
  source into the function being compiled (scalar arithmetic, loops,
  conditionals, buffer accesses, allocations and views: what is cheaper
  inline than as a call).
- `@executes(npu.Conv2DOp)`: a function `(op, memory)` that runs an npu op
  inside a command stream on the NPU's memory regions, as its registers say.

Lookup follows the op class's MRO, so one registration for a base class
(`OperatorOp`) serves every op derived from it. A dialect's semantics live in
a module named in `PROVIDERS`, imported the first time an op of that dialect
needs one: a new dialect plugs in here, not in the tir interpreter.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Literal

from xdsl.ir import Operation

Kind = Literal["implements", "emits", "executes"]
Implementation = Callable[[Any], Callable[..., None]]
Emission = Callable[[Any, Any], None]
Execution = Callable[..., None]

PROVIDERS: dict[str, tuple[str, ...]] = {
    "tir": ("tirconst.interpreter.compile", "tirconst.interpreter.operators"),
    "arith": ("tirconst.interpreter.emit_scalar",),
    "npu": ("tirconst.interpreter.npu.invoke", "tirconst.interpreter.npu.ops"),
}
"""Dialect name -> the modules whose import registers its semantics."""

_SEMANTICS: dict[type[Operation], tuple[Kind, Callable[..., Any]]] = {}
_loaded: set[str] = set()


def _register(kind: Kind, op_classes: tuple[type[Operation], ...]):
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for cls in op_classes:
            if cls in _SEMANTICS and _SEMANTICS[cls][1] is not fn:
                raise ValueError(f"{cls.__name__} already has its semantics")
            _SEMANTICS[cls] = (kind, fn)
        return fn

    return register


def implements(*op_classes: type[Operation]) -> Callable[[Implementation], Any]:
    """Register the decorated factory as the implementation of `op_classes`."""
    return _register("implements", op_classes)


def emits(*op_classes: type[Operation]) -> Callable[[Emission], Any]:
    """Register the decorated rule as the Python source of `op_classes`."""
    return _register("emits", op_classes)


def executes(*op_classes: type[Operation]) -> Callable[[Execution], Any]:
    """Register the decorated function as what `op_classes` do on the NPU."""
    return _register("executes", op_classes)


def semantics_of(op: Operation) -> tuple[Kind, Callable[..., Any]] | None:
    """(kind, function) registered for `op`'s class (or a base class), or None."""
    dialect = op.name.split(".", 1)[0]
    if dialect not in _loaded and dialect in PROVIDERS:
        _loaded.add(dialect)
        for module in PROVIDERS[dialect]:
            importlib.import_module(module)
    for cls in type(op).__mro__:
        found = _SEMANTICS.get(cls)
        if found is not None:
            return found
    return None


def implementation_of(op: Operation) -> Implementation | None:
    """The registered factory for `op`'s class (or a base class), or None."""
    found = semantics_of(op)
    return found[1] if found and found[0] == "implements" else None


def execution_of(op: Operation) -> Execution | None:
    """What `op` does on the NPU, or None."""
    found = semantics_of(op)
    return found[1] if found and found[0] == "executes" else None
