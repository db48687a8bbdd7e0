"""The constant passes on placed programs and strided views: placements go
with the data (inline), slices are unplaced, a strided view keeps its
constant whole, folds through it read the right elements, and duplicates in
different places stay two constants. Each rewrite is interpreter-equivalent."""

from __future__ import annotations

from tests.helpers import assert_equivalent
from tirconst.core.context import context, load
from tirconst.dialects.tir import AllocateConstOp, ConstantOp, PlacementAttr
from tirconst.transforms.extract_constants import ExtractConstantsPass
from tirconst.transforms.fold_constants import FoldConstantsPass
from tirconst.transforms.inline_constants import InlineConstantsPass
from tirconst.transforms.slice_constants import SliceConstantsPass

PLACED = """
tir.pool @flash read_only alignment 4
tir.pool @sram
tir.constant @w = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8> at <@flash, 8>
tir.constant @u = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8> at <@flash, 16>
tir.func @main(%x : !tir.buffer<4xi8>, %y : !tir.buffer<4xi8>)
    attributes {param_placement = {x = #tir.place<@sram, 0>}} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %w = tir.allocate_const @w : !tir.buffer<8xi8>
  %u = tir.allocate_const @u : !tir.buffer<8xi8>
  %odd = tir.decl_buffer %w[1] strides [2] : !tir.buffer<8xi8> -> !tir.buffer<4xi8>
  %t = tir.allocate at <@sram, 4> : !tir.buffer<4xi8>
  tir.for %i = %c0 to %c4 {
    %a = tir.buffer_load %x[%i] : !tir.buffer<4xi8>
    %b = tir.buffer_load %odd[%i] : !tir.buffer<4xi8>
    %c = tir.buffer_load %u[%i] : !tir.buffer<8xi8>
    %s = arith.addi %a, %b : i8
    %r = arith.addi %s, %c : i8
    tir.buffer_store %r, %t[%i] : !tir.buffer<4xi8>
  }
  tir.copy ins(%t : !tir.buffer<4xi8>) outs(%y : !tir.buffer<4xi8>)
}
"""


def applied(p, text: str = PLACED):
    module = load(text)
    p.apply(context(), module)
    module.verify()
    assert_equivalent(text, module)
    return module


def holders(module) -> list[AllocateConstOp]:
    return [op for op in module.walk() if isinstance(op, AllocateConstOp)]


def test_inlining_keeps_the_placement():
    module = applied(InlineConstantsPass())
    assert [h.placement for h in holders(module)] == [
        PlacementAttr("flash", 8),
        PlacementAttr("flash", 16),
    ]


def test_duplicates_in_two_places_stay_two_constants():
    module = applied(ExtractConstantsPass())
    names = [op.sym_name.data for op in module.ops if isinstance(op, ConstantOp)]
    assert names == ["w", "u"]


def test_slicing_leaves_a_strided_view_whole_and_unplaces_slices():
    module = applied(SliceConstantsPass(quiet=True))
    consts = {op.sym_name.data: op for op in module.ops if isinstance(op, ConstantOp)}
    assert consts["w"].placement == PlacementAttr("flash", 8)  # whole: the view
    assert set(consts) == {"w", "u_slice0"}
    assert consts["u_slice0"].placement is None
    assert consts["u_slice0"].data.tolist() == [1, 2, 3, 4]


FOLD = """
tir.func @main(%y : !tir.buffer<2xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %w = tir.allocate_const dense<[[1, 2, 3], [4, 5, 6], [7, 8, 9]]> : !tir.buffer<3x3xi8>
  %col = tir.decl_buffer %w[1] strides [3] : !tir.buffer<3x3xi8> -> !tir.buffer<3xi8>
  %a = tir.buffer_load %col[%c2] : !tir.buffer<3xi8>
  %b = tir.buffer_load %col[%c1] : !tir.buffer<3xi8>
  tir.buffer_store %a, %y[%c0] : !tir.buffer<2xi8>
  tir.buffer_store %b, %y[%c1] : !tir.buffer<2xi8>
}
"""


def test_folding_through_a_strided_view_reads_its_elements():
    module = applied(FoldConstantsPass(), FOLD)
    text = str(module)
    # %col[2] is w[2, 1] = 8 and %col[1] is w[1, 1] = 5; the constant is gone.
    assert "arith.constant 8 : i8" in text and "arith.constant 5 : i8" in text
    assert not holders(module)
