"""What tir-data-views remembers of the ops it walks past, never stale:
`NpuReasons`, the remembered `npu_reason` it asks of the ops between a
slice's readers (after any change to what the rule reads: an operand, the
view an operand is, a view further up the chain, an attribute, it answers
as `npu_reason` does now), and `is_view`, remembered per op class."""

from __future__ import annotations

from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, i64

from tirconst.analysis.npu_support import NpuReasons, npu_reason
from tirconst.core.context import load
from tirconst.dialects.tir import DeclBufferOp, FuncOp, SquaredDifferenceOp

PROGRAM = """
tir.func @main(%a : !tir.buffer<2x3x4xi8>, %b : !tir.buffer<4xi8>,
               %y : !tir.buffer<2x3x4xi8>, %big : !tir.buffer<2x3x8xi8>,
               %flat : !tir.buffer<48xi8>, %ws : !tir.buffer<208xi8>) {
  %v = tir.decl_buffer %big[0] strides [24, 8, 1]
      : !tir.buffer<2x3x8xi8> -> !tir.buffer<2x3x4xi8>
  %w = tir.decl_buffer %flat[0] : !tir.buffer<48xi8> -> !tir.buffer<2x3x8xi8>
  tir.squared_difference ins(%a, %b, %ws
      : !tir.buffer<2x3x4xi8>, !tir.buffer<4xi8>, !tir.buffer<208xi8>)
      outs(%y : !tir.buffer<2x3x4xi8>)
      {lhs_zp = -5, rhs_zp = 7, output_zp = 3, left_shift = 7,
       lhs_multiplier = 1073741824, lhs_shift = 0,
       rhs_multiplier = 1288490141, rhs_shift = -1,
       output_multiplier = 1073741880, output_shift = -14,
       lhs_scale = 0.05 : f32, rhs_scale = 0.03 : f32, output_scale = 0.02 : f32}
}
"""


def test_never_stale():
    module = load(PROGRAM)
    func = next(o for o in module.walk() if isinstance(o, FuncOp))
    op = next(o for o in module.walk() if isinstance(o, SquaredDifferenceOp))
    v, w = (o for o in module.walk() if isinstance(o, DeclBufferOp))
    a, b, y, _, _, ws = func.body.block.args
    reasons = NpuReasons()
    seen = []

    def check() -> None:
        assert reasons(op) == npu_reason(op)
        assert reasons(op) == npu_reason(op)  # remembered: the same answer
        seen.append(npu_reason(op))

    check()  # runs on the NPU
    op.operands = [v.results[0], b, ws, y]  # lhs a strided view: stays on the CPU
    check()
    v.properties["strides"] = DenseArrayBase.from_list(i64, [12, 4, 1])  # dense
    check()
    v.operands = [w.results[0]]  # the view's source a view in turn
    check()
    op.operands = [a, b, ws, y]
    check()
    op.properties["output_multiplier"] = IntegerAttr(2**31 - 1, i64)
    op.properties["output_shift"] = IntegerAttr(1, i64)  # multiplier above 1
    check()
    assert seen[0] is None and seen[1] is not None and seen[2] is None
    assert seen[5] is not None and seen[5] != seen[1]


def test_is_view_is_the_trait():
    """`is_view`, remembered per op class, says what `has_trait(ViewLike)`
    says of every op class the compile makes, and of an unregistered op."""
    from xdsl.dialects.builtin import UnregisteredOp

    from tirconst.analysis.views import is_view
    from tirconst.dialects.tir.traits import ViewLike

    module = load(PROGRAM)
    ops = list(module.walk())
    ops.append(UnregisteredOp.with_name("x.y").create())
    assert any(is_view(o) for o in ops) and not all(is_view(o) for o in ops[:-1])
    for o in ops:
        assert is_view(o) == o.has_trait(ViewLike)
