"""Memory as part of the IR: pools (`tir.pool`), placements (`#tir.place`) and
per-operand memory effects (`operand_effects`).

A pool is a module-level symbol: one flat memory of the target (SRAM, flash),
with an optional size, an alignment and an access kind. A placement names a
pool and a byte offset in it; `tir.allocate`, `tir.allocate_const`,
`tir.constant` carry one as their optional `placement` property, and
`tir.func` places its parameters with `param_placement`. The verifier checks
each placement against its pool here, so the interpreter and the backend can
trust it.
"""

from __future__ import annotations

from enum import IntFlag

from xdsl.dialects.builtin import (
    I64,
    IntAttr,
    IntegerAttr,
    StringAttr,
    SymbolRefAttr,
    UnitAttr,
)
from xdsl.ir import Operation, ParametrizedAttribute, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_attr_definition,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    traits_def,
)
from xdsl.parser import AttrParser, Parser
from xdsl.printer import Printer
from xdsl.traits import (
    MemoryAllocEffect,
    NoMemoryEffect,
    RecursiveMemoryEffect,
    SymbolOpInterface,
    SymbolTable,
)
from xdsl.utils.exceptions import VerifyException

from tirconst.dialects.tir.types import BufferType


@irdl_attr_definition
class PlacementAttr(ParametrizedAttribute):
    """Where a buffer lives: a `tir.pool` symbol and a byte offset into it.

    Syntax: `#tir.place<@sram, 128>`.
    """

    name = "tir.place"

    pool: SymbolRefAttr
    offset: IntAttr

    def __init__(self, pool: str | SymbolRefAttr, offset: int | IntAttr):
        if isinstance(pool, str):
            pool = SymbolRefAttr(pool)
        if isinstance(offset, int):
            offset = IntAttr(offset)
        super().__init__(pool, offset)

    @property
    def pool_name(self) -> str:
        return self.pool.root_reference.data

    @property
    def byte_offset(self) -> int:
        return self.offset.data

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[SymbolRefAttr, IntAttr]:
        with parser.in_angle_brackets():
            pool = parser.parse_attribute()
            if not isinstance(pool, SymbolRefAttr):
                parser.raise_error("expected a pool symbol such as @sram")
            parser.parse_punctuation(",")
            offset = parser.parse_integer(allow_boolean=False)
        return pool, IntAttr(offset)

    def print_parameters(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_attribute(self.pool)
            printer.print_string(f", {self.offset.data}")


@irdl_op_definition
class PoolOp(IRDLOperation):
    """A flat memory of the target (a module-level symbol).

    `size` (bytes) is optional; without it the pool is as large as the
    furthest byte a placement reaches. Every placement's offset must be a
    multiple of `alignment` (default 1). A `read_only` pool (flash) holds only
    constants; a read-write pool (SRAM) holds workspaces and parameters only (a
    program that wants weights in SRAM copies them there itself).

    Syntax:
        tir.pool @name [read_only] [size N] [alignment A] [{attrs}]

    Example:
        tir.pool @sram size 4096 alignment 16
        tir.pool @flash read_only
    """

    name = "tir.pool"

    sym_name = prop_def(StringAttr)
    size = opt_prop_def(IntegerAttr[I64])
    alignment = prop_def(IntegerAttr[I64])
    read_only = opt_prop_def(UnitAttr)

    traits = traits_def(SymbolOpInterface())

    def __init__(
        self,
        name: str,
        size: int | None = None,
        alignment: int = 1,
        read_only: bool = False,
    ):
        props: dict = {
            "sym_name": StringAttr(name),
            "alignment": IntegerAttr(alignment, 64),
        }
        if size is not None:
            props["size"] = IntegerAttr(size, 64)
        if read_only:
            props["read_only"] = UnitAttr()
        super().__init__(properties=props)

    @property
    def size_bytes(self) -> int | None:
        return None if self.size is None else self.size.value.data

    @property
    def align(self) -> int:
        return self.alignment.value.data

    def verify_(self) -> None:
        if self.align < 1:
            raise VerifyException(f"alignment {self.align} must be at least 1")
        if self.size_bytes is not None and self.size_bytes < 0:
            raise VerifyException(f"size {self.size_bytes} must not be negative")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        if self.read_only is not None:
            printer.print_string(" read_only")
        if self.size is not None:
            printer.print_string(f" size {self.size_bytes}")
        if self.align != 1:
            printer.print_string(f" alignment {self.align}")
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> PoolOp:
        name = parser.parse_symbol_name().data
        read_only = parser.parse_optional_keyword("read_only") is not None
        size = None
        if parser.parse_optional_keyword("size") is not None:
            size = parser.parse_integer(allow_boolean=False)
        alignment = 1
        if parser.parse_optional_keyword("alignment") is not None:
            alignment = parser.parse_integer(allow_boolean=False)
        op = cls(name, size, alignment, read_only)
        op.attributes |= parser.parse_optional_attr_dict()
        return op


def lookup_pool(user: Operation, name: str) -> PoolOp | None:
    """The `tir.pool @name` in the symbol table around `user`."""
    anchor = user.parent_op()
    while anchor is not None and not anchor.has_trait(SymbolTable):
        anchor = anchor.parent_op()
    if anchor is None:
        return None
    for o in anchor.regions[0].block.ops:
        if isinstance(o, PoolOp) and o.sym_name.data == name:
            return o
    return None


LEGACY_PLACEMENT = ("pool", "offset")
"""The old string attributes; refused so stale IR cannot pass unplaced."""


def refuse_legacy_placement(op: Operation) -> None:
    for key in LEGACY_PLACEMENT:
        if key in op.attributes:
            raise VerifyException(
                f"attribute '{key}' is not a placement; write "
                "`at <@pool, offset>` (the `placement` property)"
            )


def check_placement(
    user: Operation,
    placement: PlacementAttr,
    nbytes: int,
    what: str,
    *,
    constant: bool,
) -> PoolOp:
    """Verify `placement` of `nbytes` bytes (for `what`) against its pool."""
    if placement.pool.nested_references.data:
        raise VerifyException(f"{what}: {placement.pool} must name a tir.pool directly")
    name = placement.pool_name
    pool = lookup_pool(user, name)
    if pool is None:
        raise VerifyException(f"{what}: '@{name}' does not name a tir.pool")
    off = placement.byte_offset
    if off < 0:
        raise VerifyException(f"{what}: negative offset {off} in pool '@{name}'")
    if off % pool.align:
        raise VerifyException(
            f"{what}: offset {off} is not a multiple of pool '@{name}' "
            f"alignment {pool.align}"
        )
    if pool.size_bytes is not None and off + nbytes > pool.size_bytes:
        raise VerifyException(
            f"{what}: {nbytes} bytes at offset {off} exceed pool '@{name}' of "
            f"{pool.size_bytes} bytes"
        )
    if (pool.read_only is not None) != constant:
        raise VerifyException(
            f"{what}: pool '@{name}' is read-only; only constants go there"
            if not constant
            else f"{what}: a constant must go in a read_only pool, not '@{name}'"
        )
    return pool


def print_placement(printer: Printer, placement: PlacementAttr | None) -> None:
    """` at <@pool, offset>`, as the declarative `(`at` $placement^)?` prints."""
    if placement is not None:
        printer.print_string(" at ")
        placement.print_parameters(printer)


def parse_placement(parser: Parser) -> PlacementAttr | None:
    if parser.parse_optional_keyword("at") is None:
        return None
    return PlacementAttr(*PlacementAttr.parse_parameters(parser))


class Effect(IntFlag):
    """What an op does to the buffer behind one of its operands."""

    READ = 1
    WRITE = 2


Effects = list[tuple[SSAValue, Effect]]


def operand_effects(op: Operation) -> Effects | None:
    """(operand, READ|WRITE) pairs: what `op` reads and writes, per operand.

    An op declares its own with a method `effects()` (tir's loads, stores,
    operator ops and extern calls do; so can any dialect's). A `tir.for`,
    `tir.if` or `tir.func` has the effects of the ops in its body on values
    defined outside it. An op with the `NoMemoryEffect` trait (views,
    allocations) or without buffer operands (scalars) touches no buffer.
    None: unknown, so an analysis
    must assume every buffer operand is read and written.
    """
    declared = getattr(op, "effects", None)
    if callable(declared):
        return list(declared())
    if op.regions and op.has_trait(RecursiveMemoryEffect):
        out: Effects = []
        for inner in op.walk():
            if inner is op or inner.regions:
                continue
            effects = operand_effects(inner)
            if effects is None:
                return None
            out += [(v, e) for v, e in effects if not op.is_ancestor(_owner(v))]
        return out
    if op.has_trait(NoMemoryEffect) or op.has_trait(MemoryAllocEffect):
        return []
    if not op.regions and not any(isinstance(v.type, BufferType) for v in op.operands):
        return []  # buffers are reached only through operands
    return None


def _owner(v: SSAValue) -> Operation:
    owner = v.owner
    if isinstance(owner, Operation):
        return owner
    parent = owner.parent_op()
    assert parent is not None
    return parent


def effect_on(op: Operation, value: SSAValue) -> Effect | None:
    """The union of `op`'s effects on `value`; None when `op` is unknown."""
    effects = operand_effects(op)
    if effects is None:
        return None
    out = Effect(0)
    for v, e in effects:
        if v is value:
            out |= e
    return out
