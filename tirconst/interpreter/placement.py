"""The flat-memory convention: which buffers live in which pool, where.

* `tir.allocate` and `tir.allocate_const` carry `pool = "name"` (a string) and
  `offset = N` (bytes from the start of the pool) as attributes; both or
  neither.
* Function parameters are placed by a function attribute keyed by parameter
  name: `param_placement = {input0 = {pool = "sram", offset = 0}}`.
* A function may declare pool sizes in bytes: `pool_sizes = {sram = 4096}`.
  Then every placement in that pool must fit. Without a declaration a pool is
  as large as the furthest byte any placement in the module reaches.

No alignment is required. Buffers without a placement have storage of their
own, so a program can be planned partially.
"""

from __future__ import annotations

from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, ModuleOp, StringAttr
from xdsl.ir import Attribute, Operation

from tirconst.dialects.tir import AllocateConstOp, AllocateOp, BufferType, FuncOp
from tirconst.interpreter.errors import op_failure

Placement = tuple[str, int]
"""(pool name, byte offset)."""


def _parse(attrs: dict[str, Attribute], what: str) -> Placement | None:
    pool, offset = attrs.get("pool"), attrs.get("offset")
    if pool is None and offset is None:
        return None
    if not isinstance(pool, StringAttr) or not isinstance(offset, IntegerAttr):
        raise ValueError(
            f'{what} needs both `pool = "name"` (a string) and `offset = N` '
            "(an integer, bytes)"
        )
    off = offset.value.data
    if off < 0:
        raise ValueError(f"{what} has a negative offset {off}")
    return pool.data, off


def op_placement(op: Operation) -> Placement | None:
    """The (pool, offset) of a tir.allocate or tir.allocate_const, if placed."""
    try:
        return _parse(dict(op.attributes), "a placed buffer")
    except ValueError as e:
        raise op_failure(op, str(e)) from None


def param_placements(func: FuncOp) -> dict[str, Placement]:
    """Parameter name -> (pool, offset), from `param_placement`."""
    attr = func.attributes.get("param_placement")
    if attr is None:
        return {}
    if not isinstance(attr, DictionaryAttr):
        raise op_failure(func, "param_placement must be a dictionary")
    out: dict[str, Placement] = {}
    for name, entry in attr.data.items():
        if name not in func.names:
            raise op_failure(func, f"param_placement names no parameter {name!r}")
        if not isinstance(entry, DictionaryAttr):
            raise op_failure(
                func, f"param_placement entry {name!r} must be a dictionary"
            )
        try:
            placed = _parse(dict(entry.data), f"parameter {name!r}")
        except ValueError as e:
            raise op_failure(func, str(e)) from None
        if placed is not None:
            out[name] = placed
    return out


def _extent(t: Attribute, offset: int) -> int:
    assert isinstance(t, BufferType)
    return offset + t.size_in_bytes


def pool_sizes(module: ModuleOp, entry: FuncOp) -> dict[str, int]:
    """Pool name -> size in bytes for running `entry` (see the module doc)."""
    reached: dict[str, int] = {}
    where: dict[str, Operation] = {}
    for op in module.walk():
        placed: list[tuple[Placement, int, Operation]] = []
        if isinstance(op, AllocateOp | AllocateConstOp):
            p = op_placement(op)
            if p is not None:
                placed.append((p, _extent(op.buffer.type, p[1]), op))
        elif isinstance(op, FuncOp):
            for name, p in param_placements(op).items():
                placed.append((p, _extent(op.param(name).type, p[1]), op))
        for (pool, _), end, at in placed:
            if end > reached.get(pool, -1):
                reached[pool], where[pool] = end, at
    declared = entry.attributes.get("pool_sizes")
    if declared is None:
        return reached
    if not isinstance(declared, DictionaryAttr):
        raise op_failure(entry, "pool_sizes must be a dictionary of integers")
    sizes: dict[str, int] = {}
    for name, size in declared.data.items():
        if not isinstance(size, IntegerAttr) or size.value.data < 0:
            raise op_failure(
                entry, f"pool_sizes entry {name!r} must be a size in bytes"
            )
        sizes[name] = size.value.data
    for pool, end in reached.items():
        if pool not in sizes:
            raise op_failure(where[pool], f"pool '{pool}' is not in pool_sizes")
        if end > sizes[pool]:
            raise op_failure(
                where[pool],
                f"placement ends at byte {end}, beyond pool '{pool}' of "
                f"{sizes[pool]} bytes",
            )
    return sizes
