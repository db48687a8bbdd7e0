"""The constant report's figures for Ethos-U encoded weights.

Shown when a module holds encoded constants (`tir-encode-weights`; a
constant is encoded when a weighted op reading it has `encoded_weights`): per
constant, raw bytes (what it replaced: the weight slice and its bias, the
`tir.raw_bytes` attribute; a raw constant is its own size), encoded bytes
and their ratio, with totals; then one row per layer (weighted op) reading
encoded weights: its constant, the constant's raw bytes, the encoded bytes
the layer reads (its records and stream: less than the constant when ops
share a stream), ratio, block config and traversal.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import IntegerAttr, ModuleOp

from tirconst.analysis import constant_report
from tirconst.analysis.constant_report import (
    Cell,
    Column,
    ConstantEntry,
    constant_entries,
    format_table,
    sum_of,
)
from tirconst.analysis.constant_uses import function_of
from tirconst.analysis.views import root_of
from tirconst.dialects.tir import AllocateConstOp, EncodedWeightsAttr, WeightedOp


def is_encoded(e: ConstantEntry) -> bool:
    """Whether the constant holds encoded weights: an op reading it as its
    filter says so with its `encoded_weights` property (the constant itself
    does not carry the encoding)."""
    return any(
        isinstance(getattr(r.op, "encoded_weights", None), EncodedWeightsAttr)
        for r in e.reads
    )


def raw_bytes(e: ConstantEntry) -> Cell:
    return e.attr_int("tir.raw_bytes") if is_encoded(e) else e.nbytes


def encoded_bytes(e: ConstantEntry) -> Cell:
    return e.nbytes if is_encoded(e) else "-"


def ratio(encoded: Cell, raw: Cell) -> Cell:
    if isinstance(encoded, int) and isinstance(raw, int) and raw:
        return f"{encoded / raw:.3f}"
    return "-"


def encoded_columns(entries: Sequence[ConstantEntry]) -> list[Column]:
    """raw, encoded, ratio (the totals' ratio is over the encoded constants)."""
    enc = [e for e in entries if is_encoded(e)]
    total_ratio = ratio(
        sum_of([e.nbytes for e in enc]), sum_of([raw_bytes(e) for e in enc])
    )
    return [
        Column("raw", raw_bytes, sum_of),
        Column("encoded", encoded_bytes, sum_of),
        Column(
            "ratio",
            lambda e: ratio(encoded_bytes(e), raw_bytes(e)),
            lambda _: total_ratio,
        ),
    ]


def layer_rows(module: ModuleOp) -> list[dict[str, Cell]]:
    rows: list[dict[str, Cell]] = []
    for op in module.walk():
        if not isinstance(op, WeightedOp):
            continue
        attr = op.encoded_weights
        if not isinstance(attr, EncodedWeightsAttr):
            continue
        holder = root_of(op.filter).owner  # a view of a shared constant
        const = holder.constant_op() if isinstance(holder, AllocateConstOp) else None
        raw = const.attributes.get("tir.raw_bytes") if const is not None else None
        func = function_of(op)
        out = op.output
        rows.append(
            {
                "layer": f"@{func.sym_name.data if func else '?'}: {op.name} "
                f"%{out.name_hint or '?'}",
                "constant": f"@{const.sym_name.data}"
                if const is not None
                else "(copy)",
                "raw": raw.value.data if isinstance(raw, IntegerAttr) else "-",
                "encoded": attr.op_bytes,
                "block": "x".join(map(str, attr.block)),
                "traversal": attr.weight_encodings()[0].traversal,
            }
        )
    return rows


def layer_table(module: ModuleOp) -> str:
    """One row per weighted op reading encoded weights, with totals."""
    rows = layer_rows(module)

    class _Row:
        def __init__(self, r: dict[str, Cell]):
            self.r = r

    total_ratio = ratio(
        sum_of([r["encoded"] for r in rows]), sum_of([r["raw"] for r in rows])
    )
    columns = [
        Column("layer", lambda e: e.r["layer"], lambda c: f"total ({len(c)} layers)"),
        Column("constant", lambda e: e.r["constant"]),
        Column("raw", lambda e: e.r["raw"], sum_of),
        Column("encoded", lambda e: e.r["encoded"], sum_of),
        Column(
            "ratio", lambda e: ratio(e.r["encoded"], e.r["raw"]), lambda _: total_ratio
        ),
        Column("block", lambda e: e.r["block"]),
        Column("traversal", lambda e: e.r["traversal"]),
    ]
    return format_table([_Row(r) for r in rows], columns)  # type: ignore[arg-type]


def report(module: ModuleOp) -> str:
    """`tir-constant-report`'s text: the constant table with every registered
    column; with encoded constants, also raw, encoded and ratio columns and
    the per-layer table."""
    entries = constant_entries(module)
    columns = constant_report.COLUMNS  # read now: passes may register more
    if not any(is_encoded(e) for e in entries):
        return format_table(entries, columns)
    extra = encoded_columns(entries)
    table = format_table(entries, [*columns[:-1], *extra, columns[-1]])
    return table + "\n" + layer_table(module)
