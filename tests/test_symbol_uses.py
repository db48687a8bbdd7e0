"""One answer to "who references this symbol": passes that erase or rename
module constants keep (and rename) references from any op, not only from
`tir.allocate_const`."""

from __future__ import annotations

from tests.helpers import assert_equivalent
from tirconst.analysis.symbol_uses import (
    referenced_symbols,
    rename_symbols,
    symbol_uses,
)
from tirconst.core.context import context, load
from tirconst.dialects.tir import CallExternOp, ConstantOp
from tirconst.transforms.extract_constants import ExtractConstantsPass
from tirconst.transforms.fold_constants import FoldConstantsPass
from tirconst.transforms.slice_constants import SliceConstantsPass

# @w is read at constant indices only (fold removes the read, slice keeps two
# elements), and an extern call names it in an attribute.
NAMED = """
tir.pool @sram
tir.constant @w = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8>
tir.func @main(%out : !tir.buffer<2xi8>)
    attributes {param_placement = {out = #tir.place<@sram, 0>}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %w = tir.allocate_const @w : !tir.buffer<8xi8>
  %a = tir.buffer_load %w[%c1] : !tir.buffer<8xi8>
  %b = tir.buffer_load %w[%c2] : !tir.buffer<8xi8>
  tir.buffer_store %a, %out[%c0] : !tir.buffer<2xi8>
  tir.buffer_store %b, %out[%c1] : !tir.buffer<2xi8>
  tir.call_extern "trace"() {tir.tables = [{table = @w}]} : () -> ()
}
"""
EXTERNS = {"trace": lambda: None}


def constants(module) -> list[str]:
    return [op.sym_name.data for op in module.ops if isinstance(op, ConstantOp)]


def test_symbol_uses_finds_every_kind_of_reference():
    module = load(NAMED)
    assert [op.name for op in symbol_uses(module, "w")] == [
        "tir.allocate_const",
        "tir.call_extern",
    ]
    # The placement attribute references its pool.
    assert [op.name for op in symbol_uses(module, "sram")] == ["tir.func"]
    assert referenced_symbols(module) == {"w", "sram"}


def test_fold_and_slice_keep_a_constant_another_op_names():
    for p in (FoldConstantsPass(), SliceConstantsPass()):
        module = load(NAMED)
        p.apply(context(), module)
        module.verify()
        assert "w" in constants(module), p.name
        assert_equivalent(NAMED, module, externs=EXTERNS)
    # Without the extern's reference, both erase @w once its reads are gone.
    unnamed = NAMED.replace(" {tir.tables = [{table = @w}]}", "")
    module = load(unnamed)
    FoldConstantsPass().apply(context(), module)
    assert "w" not in constants(module)


def test_merging_duplicates_renames_every_reference():
    text = NAMED.replace(
        "tir.constant @w",
        "tir.constant @v = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8>\n"
        "tir.constant @w",
    )
    module = load(text)
    ExtractConstantsPass().apply(context(), module)
    module.verify()
    assert constants(module) == ["v"]
    call = next(op for op in module.walk() if isinstance(op, CallExternOp))
    assert str(call.attributes["tir.tables"]) == "[{table = @v}]"


def test_rename_symbols_keeps_nested_references_and_placements():
    module = load(NAMED)
    changed = rename_symbols(module, {"sram": "tcm", "w": "w2"})
    assert sorted(op.name for op in changed) == [
        "tir.allocate_const",
        "tir.call_extern",
        "tir.func",
    ]
    text = str(module)
    assert "#tir.place<@tcm, 0>" in text and "{table = @w2}" in text
    assert referenced_symbols(module) == {"tcm", "w2"}
