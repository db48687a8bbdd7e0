"""Who references a symbol: one answer for every pass that erases or renames.

A reference is a `SymbolRefAttr` anywhere in an op's properties or attributes,
including inside arrays, dictionaries and the parameters of other attributes
(a `#tir.place<@sram, 0>` references the pool `@sram`). Passes that erase a
module constant once its last `tir.allocate_const` is gone ask here first, so
a constant some other op names is kept.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, ModuleOp, SymbolRefAttr
from xdsl.ir import Attribute, Operation, ParametrizedAttribute


def symbol_refs(attr: Attribute) -> Iterator[SymbolRefAttr]:
    """Every symbol reference inside `attr` (itself included)."""
    if isinstance(attr, SymbolRefAttr):
        yield attr
    elif isinstance(attr, ArrayAttr):
        for a in attr.data:
            yield from symbol_refs(a)
    elif isinstance(attr, DictionaryAttr):
        for a in attr.data.values():
            yield from symbol_refs(a)
    elif isinstance(attr, ParametrizedAttribute) and not _xdsl(type(attr)):
        for a in attr.parameters:
            if isinstance(a, Attribute):
                yield from symbol_refs(a)


@functools.cache
def _xdsl(cls: type) -> bool:
    """An attribute class of xDSL's own: none but `SymbolRefAttr` and the
    containers (arrays, dictionaries: asked above) holds a symbol reference,
    so their parameters (an integer's type, a dense array's bytes) are not
    searched."""
    return cls.__module__.startswith("xdsl.")


def _op_refs(op: Operation) -> Iterator[SymbolRefAttr]:
    for attr in (*op.properties.values(), *op.attributes.values()):
        yield from symbol_refs(attr)


def symbol_uses(module: Operation, name: str) -> list[Operation]:
    """The ops under `module` whose properties or attributes reference `@name`."""
    return [
        op
        for op in module.walk()
        if any(r.root_reference.data == name for r in _op_refs(op))
    ]


def referenced_symbols(module: Operation) -> set[str]:
    """Every symbol name some op under `module` references."""
    return {r.root_reference.data for op in module.walk() for r in _op_refs(op)}


def _renamed(attr: Attribute, rename: Callable[[str], str | None]) -> Attribute:
    if isinstance(attr, SymbolRefAttr):
        new = rename(attr.root_reference.data)
        return attr if new is None else SymbolRefAttr(new, attr.nested_references)
    if isinstance(attr, ArrayAttr):
        return ArrayAttr(_renamed(a, rename) for a in attr.data)
    if isinstance(attr, DictionaryAttr):
        return DictionaryAttr({k: _renamed(v, rename) for k, v in attr.data.items()})
    if isinstance(attr, ParametrizedAttribute) and any(True for _ in symbol_refs(attr)):
        params = [
            _renamed(a, rename) if isinstance(a, Attribute) else a
            for a in attr.parameters
        ]
        return type(attr).new(params)
    return attr


def rename_symbols(module: ModuleOp, renamed: dict[str, str]) -> list[Operation]:
    """Point every reference to a key of `renamed` at its value; returns the
    ops changed. The symbol ops themselves are the caller's to rename or erase."""
    changed = []
    for op in module.walk():
        if not any(r.root_reference.data in renamed for r in _op_refs(op)):
            continue
        for table in (op.properties, op.attributes):
            for key, attr in list(table.items()):
                table[key] = _renamed(attr, renamed.get)
        changed.append(op)
    return changed
