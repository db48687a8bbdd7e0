"""The context every tool and the interpreter parse with, and `load()`."""

from __future__ import annotations

import functools

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp

from tirconst.core.diagnostics import parse_module, verify_located


@functools.cache
def context() -> Context:
    """A context with every dialect `xdsl-opt` knows, tir included (lazily)."""
    from xdsl.universe import Universe

    ctx = Context()
    for name, factory in Universe.get_multiverse().all_dialects.items():
        ctx.register_dialect(name, factory)
    return ctx


def load(source: str | ModuleOp, name: str = "<string>") -> ModuleOp:
    """Parse (if text) and verify a module; errors are one-line ToolErrors."""
    module = (
        source
        if isinstance(source, ModuleOp)
        else parse_module(context(), source, name)
    )
    verify_located(module)
    return module
