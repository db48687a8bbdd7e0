"""Which Python implements an op at run time: a registry keyed by op class.

An implementation is a factory: called once per op when its function is
compiled, it returns `run(*operands)`, which receives the op's operands in
order (a `Buffer` for each buffer operand, a Python number for a scalar) and
computes. The interpreter does the rest from the op's declared memory effects
(`tirconst.dialects.tir.memory.operand_effects`): before the call it checks
that every buffer read is defined (where reads are tracked) and that no
written buffer is a constant; after it, the written buffers count as defined.

    @implements(Conv2DOp)
    def conv2d(op: Conv2DOp) -> Callable[..., None]: ...

Lookup follows the op class's MRO, so one registration for a base class
(`OperatorOp`) serves every op derived from it. A dialect's implementations
live in a module named in `PROVIDERS`, imported the first time an op of that
dialect needs one: a new dialect plugs in here, not in the tir interpreter.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from xdsl.ir import Operation

Implementation = Callable[[Any], Callable[..., None]]

PROVIDERS: dict[str, str] = {
    "tir": "tirconst.interpreter.operators",
    "npu": "tirconst.interpreter.npu.invoke",
}
"""Dialect name -> the module whose import registers its implementations."""

_IMPLEMENTATIONS: dict[type[Operation], Implementation] = {}
_loaded: set[str] = set()


def implements(*op_classes: type[Operation]) -> Callable[[Implementation], Any]:
    """Register the decorated factory as the implementation of `op_classes`."""

    def register(factory: Implementation) -> Implementation:
        for cls in op_classes:
            if cls in _IMPLEMENTATIONS and _IMPLEMENTATIONS[cls] is not factory:
                raise ValueError(f"{cls.__name__} already has an implementation")
            _IMPLEMENTATIONS[cls] = factory
        return factory

    return register


def implementation_of(op: Operation) -> Implementation | None:
    """The registered factory for `op`'s class (or a base class), or None."""
    dialect = op.name.split(".", 1)[0]
    if dialect not in _loaded and dialect in PROVIDERS:
        _loaded.add(dialect)
        importlib.import_module(PROVIDERS[dialect])
    for cls in type(op).__mro__:
        found = _IMPLEMENTATIONS.get(cls)
        if found is not None:
            return found
    return None
