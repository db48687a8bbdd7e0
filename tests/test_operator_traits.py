"""What operators declare (dialects/tir/traits.py) and the class-keyed
registrations passes dispatch on (issue 21: no pass tests an operator's
concrete class): the declarations agree with the lowering, and a rewrite
registered for a class is the one the pass runs."""

from __future__ import annotations

import inspect

import pytest

import tirconst.dialects.tir as tir
from tirconst.analysis.block_choice import tir_probe
from tirconst.core.context import context
from tirconst.core.diagnostics import parse_module
from tirconst.dialects import npu
from tirconst.dialects.tir import OperatorOp, WeightedOp
from tirconst.dialects.tir.traits import (
    Elementwise,
    FlattenedFeatureMaps,
    Pointwise,
    Pooling,
    WholeFeatureMaps,
    Windowed,
)
from tirconst.transforms import data_views, legalize_npu
from tirconst.transforms.convert_tir_to_npu import LOWERINGS, Lowerer

OPERATORS = [
    c
    for _, c in inspect.getmembers(tir, inspect.isclass)
    if issubclass(c, OperatorOp) and isinstance(c.__dict__.get("name"), str)
]


def test_whole_feature_map_ops_lower_to_one_npu_op() -> None:
    """Every op declaring WholeFeatureMaps has an NPU lowering, and is one
    of the kinds `tir_probe` models (windowed weighted, pool, pointwise,
    binary elementwise with its arithmetic); flattened ones are not whole."""
    whole = [c for c in OPERATORS if c.has_trait(WholeFeatureMaps)]
    assert len(whole) == 12
    for c in whole:
        assert c in LOWERINGS, c.name
        assert not c.has_trait(FlattenedFeatureMaps), c.name
        e = c.get_trait(Elementwise)
        assert (
            (issubclass(c, WeightedOp) and c.has_trait(Windowed))
            or c.has_trait(Pooling)
            or c.has_trait(Pointwise)
            or (e is not None and e.arithmetic is not None)
        ), c.name
    flat = {c.name for c in OPERATORS if c.has_trait(FlattenedFeatureMaps)}
    assert flat == {
        "tir.arg_max",
        "tir.fully_connected",
        "tir.softmax",
        "tir.softmax_int16",
    }


def test_arithmetic_and_pool_type_are_what_the_lowering_builds() -> None:
    """Ops declaring an arithmetic lower through the elementwise lowering,
    pools through the pool lowering, by npu names the npu dialect knows."""
    for c in OPERATORS:
        e = c.get_trait(Elementwise)
        if e is not None and e.arithmetic is not None:
            assert LOWERINGS[c] is Lowerer.elementwise, c.name
            assert e.arithmetic in ("add", "sub", "mul", "max", "min")
        pooling = c.get_trait(Pooling)
        if pooling is not None:
            assert LOWERINGS[c] is Lowerer.pool, c.name
            assert pooling.kind in ("average", "max")
    tabulated = [
        c.name for c in OPERATORS if (p := c.get_trait(Pointwise)) and p.tabulated
    ]
    assert tabulated == ["tir.lookup"]


POOL = """
tir.func @f(%x : !tir.buffer<1x4x4x8xi8>, %y : !tir.buffer<1x2x2x8xi8>,
            %z : !tir.buffer<1x2x2x8xi8>, %w : !tir.buffer<1x2x2x8xi8>) {
  tir.max_pool2d ins(%x : !tir.buffer<1x4x4x8xi8>)
      outs(%y : !tir.buffer<1x2x2x8xi8>)
      {window = array<i64: 3, 3>, stride = array<i64: 2, 2>,
       pad = array<i64: 1, 1, 0, 0>, act_min = -128, act_max = 127}
  tir.maximum ins(%y, %z : !tir.buffer<1x2x2x8xi8>, !tir.buffer<1x2x2x8xi8>)
      outs(%w : !tir.buffer<1x2x2x8xi8>)
      {lhs_scale = 0.5 : f32, lhs_zp = 0, rhs_scale = 0.5 : f32, rhs_zp = 0,
       output_scale = 0.5 : f32, output_zp = 0}
}
"""


def test_probe_is_built_from_the_declarations() -> None:
    """A pool's probe is the pooling of its `Pooling` kind with its window; a
    binary elementwise op's the elementwise op of its arithmetic."""
    module = parse_module(context(), POOL, "pool.mlir")
    pool, maximum = [o for o in module.walk() if isinstance(o, OperatorOp)]
    probe = tir_probe(pool, {})
    assert isinstance(probe, npu.PoolingOp)
    assert probe.pool_type.data == "max"
    assert tuple(probe.kernel.size) == (3, 3)
    probe = tir_probe(maximum, {})
    assert isinstance(probe, npu.ElementwiseOp)
    assert probe.op_type.data == "max"


NEG = """
tir.func @f(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
  tir.neg ins(%x : !tir.buffer<8xi8>) outs(%y : !tir.buffer<8xi8>)
}
"""


@pytest.mark.parametrize("stage", legalize_npu.STAGES)
def test_legalization_registered_for_a_class_runs(stage: str) -> None:
    """A rewrite registered with `@legalizes(stage, Op)` is run by
    tir-legalize-npu on the ops of that class, in that stage."""
    seen: list[str] = []

    def rewrite(op: OperatorOp) -> bool:
        seen.append(op.name)
        return False

    assert tir.NegOp not in legalize_npu.LEGALIZATIONS[stage]
    legalize_npu.legalizes(stage, tir.NegOp)(rewrite)
    try:
        module = parse_module(context(), NEG, "neg.mlir")
        legalize_npu.LegalizeNpuPass().apply(context(), module)
    finally:
        del legalize_npu.LEGALIZATIONS[stage][tir.NegOp]
    assert seen == ["tir.neg"]


def test_data_view_rewrites_are_registered_in_order() -> None:
    """Transposes first, then concatenations, then slices; the latter two
    become addressing (they end no NPU segment)."""
    r = data_views.REWRITES
    order = sorted(r, key=lambda c: r[c].stage)
    assert order == [tir.TransposeOp, tir.ConcatenationOp, tir.StridedSliceOp]
    assert [r[c].addressing for c in order] == [False, True, True]
