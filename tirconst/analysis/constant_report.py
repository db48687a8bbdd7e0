"""The constant statistics table: one row per constant, extensible by columns.

A row (`ConstantEntry`) is a module constant (`@w`) or an inline
`tir.allocate_const` (`%w in @main`), with its data and the reads of it (see
`constant_uses`). The columns are `Column`s in `COLUMNS`; a later pass adds
its own figures by registering a column, e.g. a compression pass:

    register_column(Column(
        "compressed",
        lambda e: e.attr_int("tir.compressed_bytes"),
        total=sum_of,
    ))

Cells are ints or strings; an int column is right-aligned, and its `total`
(if any) fills the totals row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, IntegerAttr, ModuleOp
from xdsl.ir import Operation

from tirconst.analysis.constant_uses import (
    ConstantRead,
    ConstantUses,
    function_of,
    holders,
    ir_order,
)
from tirconst.dialects.tir.buffers import AllocateConstOp, ConstantOp
from tirconst.dialects.tir.types import numpy_dtype

Cell = int | str


@dataclass
class ConstantEntry:
    """One constant: a module `tir.constant` or an inline `allocate_const`."""

    name: str
    op: ConstantOp | AllocateConstOp
    data: DenseIntOrFPElementsAttr
    reads: list[ConstantRead] = field(default_factory=list)

    @property
    def dtype(self) -> str:
        return str(numpy_dtype(self.data.get_element_type()))

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.data.get_shape())

    @property
    def nbytes(self) -> int:
        return len(self.data.data.data)

    def attr_int(self, name: str) -> Cell:
        """An integer attribute a pass left on the op, or "-"."""
        attr = self.op.attributes.get(name)
        return attr.value.data if isinstance(attr, IntegerAttr) else "-"

    def users(self) -> str:
        """`@main: tir.conv2d[0:4, :, :, :]; @main: tir.buffer_load[?] x2`."""
        counts: Counter[str] = Counter()
        for r in self.reads:
            func = function_of(r.op)
            where = f"@{func.sym_name.data}: " if func is not None else ""
            counts[where + r.describe(self.shape)] += 1
        return "; ".join(f"{k} x{n}" if n > 1 else k for k, n in counts.items()) or "-"


def sum_of(values: Sequence[Cell]) -> Cell:
    return sum(v for v in values if isinstance(v, int))


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[ConstantEntry], Cell]
    total: Callable[[Sequence[Cell]], Cell] | None = None
    """Combines the column's cells into the totals row (None: blank)."""


def _shape_text(e: ConstantEntry) -> str:
    return "x".join(map(str, e.shape)) or "scalar"


COLUMNS: list[Column] = [
    Column("name", lambda e: e.name, lambda cells: f"total ({len(cells)})"),
    Column("dtype", lambda e: e.dtype),
    Column("shape", _shape_text),
    Column("bytes", lambda e: e.nbytes, sum_of),
    Column("users", lambda e: len(e.reads), sum_of),
    Column("reads", lambda e: e.users()),
]
"""The report's columns, in order; `reads` (the widest) stays last."""


def register_column(column: Column) -> None:
    """Add a column before `reads` (once: re-registering a header replaces it)."""
    for i, c in enumerate(COLUMNS):
        if c.header == column.header:
            COLUMNS[i] = column
            return
    COLUMNS.insert(len(COLUMNS) - 1, column)


def constant_entries(module: ModuleOp) -> list[ConstantEntry]:
    """Module constants first (in order), then inline constants (in IR order)."""
    uses = ConstantUses(ir_order(module))
    entries: dict[Operation, ConstantEntry] = {}
    for op in module.body.block.ops:
        if isinstance(op, ConstantOp):
            entries[op] = ConstantEntry(f"@{op.sym_name.data}", op, op.value)
    inline: list[ConstantEntry] = []
    for h in holders(module):
        reads = uses.reads(h)
        if h.value is not None:
            func = function_of(h)
            where = f" in @{func.sym_name.data}" if func is not None else ""
            inline.append(
                ConstantEntry(f"%{h.buffer.name_hint or '?'}{where}", h, h.value, reads)
            )
            continue
        const = h.constant_op()
        if const is not None and const in entries:
            entries[const].reads += reads
    return [*entries.values(), *inline]


def format_table(entries: list[ConstantEntry], columns: Sequence[Column]) -> str:
    rows: list[list[Cell]] = [[c.cell(e) for c in columns] for e in entries]
    totals: list[Cell] = [
        c.total([r[i] for r in rows]) if c.total is not None else ""
        for i, c in enumerate(columns)
    ]
    table = [[c.header for c in columns], *rows, totals]
    numeric = [
        all(isinstance(r[i], int) for r in rows) and rows for i in range(len(columns))
    ]
    widths = [max(len(str(r[i])) for r in table) for i in range(len(columns))]
    lines = []
    for r in table:
        cells = [
            str(v).rjust(w) if numeric[i] else str(v).ljust(w)
            for i, (v, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def constant_report(module: ModuleOp, columns: Sequence[Column] | None = None) -> str:
    """The table for `module` with `columns` (default: all registered). With
    Ethos-U encoded constants, `encoded_report.report` adds raw/encoded/ratio
    columns and a table per layer."""
    return format_table(
        constant_entries(module), COLUMNS if columns is None else columns
    )
