"""tir-plan-memory: every bundled model planned, checked on flat memory and
by the planner's independent checker; liveness on its own; error paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.exceptions import PassFailedException

from tests.helpers import assert_equivalent
from tirconst.analysis.liveness import analyze
from tirconst.dialects.tir import AllocateOp, FuncOp, PlacementAttr, PoolOp
from tirconst.frontend.importer import import_tflite
from tirconst.interpreter import InterpreterError, Program, check_equivalent
from tirconst.interpreter.program import inputs_for, load
from tirconst.planning import Buffer, Pool, check_plan
from tirconst.transforms.plan_memory import PlanMemoryPass

MODELS = sorted((Path(__file__).parent.parent / "models").glob("*.tflite"))


def _main(module: ModuleOp) -> FuncOp:
    return next(f for f in module.ops if isinstance(f, FuncOp))


def placed(module: ModuleOp, params: str = "call"):
    """Buffers, offsets, assignment and pools read back from the placed IR."""
    func = _main(module)
    live = analyze(func, params)
    pools = {p.sym_name.data: p for p in module.ops if isinstance(p, PoolOp)}
    buffers, offsets, assignment = [], {}, {}
    placements = func.placements()
    for value, life in live.lifetimes.items():
        if life.kind == "constant":
            continue
        if life.kind == "param":
            name = func.names[func.args.index(value)]
            p = placements[name]
        else:
            assert isinstance(value.owner, AllocateOp)
            name, p = f"{value.name_hint}@{life.start}", value.owner.placement
            assert isinstance(p, PlacementAttr), f"%{value.name_hint} is not placed"
        buffers.append(Buffer(name, life.start, life.end, life.size))
        offsets[name], assignment[name] = p.byte_offset, p.pool_name
    ps = [Pool(n, p.size_bytes, p.align) for n, p in pools.items() if not p.read_only]
    return buffers, offsets, assignment, ps


def _independent_check(module: ModuleOp, params: str = "call") -> None:
    buffers, offsets, assignment, pools = placed(module, params)
    assert check_plan(buffers, offsets, pools=pools, assignment=assignment) == []


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_every_model_planned_and_equivalent(model: Path) -> None:
    before = import_tflite(model)
    after = before.clone()
    plans = PlanMemoryPass(time_limit=5).run(after)
    load(after)  # the verifier accepts every placement and pool_sizes
    p = plans["main"]
    assert p.fits
    assert _main(after).pool_sizes.data["sram"].value.data == p.pool_peaks["sram"]
    _independent_check(after)
    assert_equivalent(before, after, trials=1)


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_reuse_io_outputs_equal(model: Path) -> None:
    """With reuse-io the input's bytes are scratch after its last read, so only
    the outputs are compared (each program is given only its inputs)."""
    before = import_tflite(model)
    after = before.clone()
    PlanMemoryPass(time_limit=5, reuse_io=True).run(after)
    _independent_check(after, "use")
    func = _main(before)
    live = analyze(func, "use")
    from tirconst.analysis.liveness import written

    outs = [
        n
        for n, a in zip(func.names, func.args, strict=True)
        if written(live.lifetimes[a])
    ]
    params = [(n, a.type) for n, a in zip(func.names, func.args, strict=True)]
    inputs = {k: v for k, v in inputs_for(params, 0).items() if k not in outs}
    rb = Program(before).function("main")(inputs)
    ra = Program(after).function("main")(inputs)
    for n in outs:
        np.testing.assert_array_equal(rb[n], ra[n])


def test_broken_plan_is_caught() -> None:
    """Swapping the offsets of two buffers live together (here the input and
    the first convolution's output) breaks the plan: both the checker and the
    flat-memory run see it."""
    model = next(m for m in MODELS if m.stem == "tflite_micro_speech")
    before = import_tflite(model)
    after = before.clone()
    PlanMemoryPass().run(after)
    func = _main(after)
    conv = next(o for o in func.walk() if isinstance(o, AllocateOp))
    assert conv.placement is not None
    inp = func.placements()["input0"]
    conv_at = conv.placement
    params = dict(func.param_placement.data)
    params["input0"] = conv_at
    from xdsl.dialects.builtin import DictionaryAttr

    func.param_placement = DictionaryAttr(params)
    conv.placement = inp
    func.pool_sizes = None  # the swapped input reaches further
    with pytest.raises(AssertionError):
        _independent_check(after)
    # The flat-memory run either computes other outputs or reads bytes the
    # overlapping buffer made undefined: both are failures of the check.
    with pytest.raises(InterpreterError, match="not equivalent|not been written"):
        check_equivalent(before, after, trials=1)


TILED = """
tir.func @main(%x : !tir.buffer<8x4xi8>, %y : !tir.buffer<8x4xi8>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1 : i8
  %a = tir.allocate : !tir.buffer<8x4xi8>
  %b = tir.allocate : !tir.buffer<8x4xi8>
  %c = tir.allocate : !tir.buffer<4x4xi8>
  tir.copy ins(%x : !tir.buffer<8x4xi8>) outs(%a : !tir.buffer<8x4xi8>)
  %top = tir.decl_buffer %a[0] : !tir.buffer<8x4xi8> -> !tir.buffer<4x4xi8>
  %bot = tir.decl_buffer %a[16] : !tir.buffer<8x4xi8> -> !tir.buffer<4x4xi8>
  %even = tir.decl_buffer %b[0] strides [8, 1]
      : !tir.buffer<8x4xi8> -> !tir.buffer<4x4xi8>
  %odd = tir.decl_buffer %b[4] strides [8, 1]
      : !tir.buffer<8x4xi8> -> !tir.buffer<4x4xi8>
  tir.copy ins(%top : !tir.buffer<4x4xi8>) outs(%even : !tir.buffer<4x4xi8>)
  tir.for %i = %c0 to %c4 {
    tir.for %j = %c0 to %c4 {
      %v = tir.buffer_load %bot[%i, %j] : !tir.buffer<4x4xi8>
      %w = arith.addi %v, %one : i8
      tir.buffer_store %w, %c[%i, %j] : !tir.buffer<4x4xi8>
    }
  }
  tir.copy ins(%c : !tir.buffer<4x4xi8>) outs(%odd : !tir.buffer<4x4xi8>)
  tir.copy ins(%b : !tir.buffer<8x4xi8>) outs(%y : !tir.buffer<8x4xi8>)
}
"""


def test_liveness_through_views_and_loops() -> None:
    module = load(TILED)
    live = analyze(_main(module))
    by = {v.name_hint: life for v, life in live.lifetimes.items()}
    order = {o: t for o, t in live.order.items()}
    loop = next(o for o in order if o.name == "tir.for")
    last_copy = [o for o in order if o.name == "tir.copy"][-2]
    # %a is read through %bot inside the loop, so it lives over the whole loop.
    assert by["a"].end >= max(order[o] for o in loop.walk()) + 1
    # %b is written through strided views and read by the last copy.
    assert by["b"].end == order[[o for o in order if o.name == "tir.copy"][-1]] + 1
    assert by["c"].end == order[last_copy] + 1
    assert by["x"].start == 0 and by["y"].end == live.end


@pytest.mark.parametrize("algorithm", ["exact", "greedy_by_size", "first_fit"])
def test_hand_tiled_program(algorithm: str) -> None:
    before = load(TILED)
    after = before.clone()
    PlanMemoryPass(algorithm=algorithm).run(after)
    _independent_check(after)
    assert_equivalent(before, after)


ADD = (
    "{lhs_zp = -5 : i64, rhs_zp = 3 : i64, output_zp = 0 : i64, left_shift = 20 : i64, "
    "lhs_multiplier = 1073741824 : i64, lhs_shift = 0 : i64, "
    "rhs_multiplier = 1073741824 : i64, rhs_shift = 0 : i64, "
    "output_multiplier = 1073741824 : i64, output_shift = -19 : i64, "
    "act_min = -128 : i64, act_max = 127 : i64}"
)


def test_in_place_add_becomes_a_view() -> None:
    src = """
tir.func @main(%x : !tir.buffer<16xi8>, %y : !tir.buffer<16xi8>) {
  %a = tir.allocate : !tir.buffer<16xi8>
  tir.copy ins(%x : !tir.buffer<16xi8>) outs(%a : !tir.buffer<16xi8>)
  %b = tir.allocate : !tir.buffer<16xi8>
  tir.add ins(%a, %a : !tir.buffer<16xi8>, !tir.buffer<16xi8>)
      outs(%b : !tir.buffer<16xi8>) ADD_PROPS
  tir.copy ins(%b : !tir.buffer<16xi8>) outs(%y : !tir.buffer<16xi8>)
}
""".replace("ADD_PROPS", ADD)
    before = load(src)
    after = before.clone()
    p = PlanMemoryPass().run(after)["main"]
    assert list(p.shared) == [("a", "b")]
    assert "tir.decl_buffer %a[0]" in str(after)
    assert_equivalent(before, after)
    plain = before.clone()
    q = PlanMemoryPass(in_place=False).run(plain)["main"]
    assert q.peak > p.peak


def test_errors_are_one_line() -> None:
    def fails(**opts) -> str:
        with pytest.raises(PassFailedException) as info:
            PlanMemoryPass(**opts).run(load(TILED))
        msg = str(info.value)
        assert "\n" not in msg and msg.startswith("tir-plan-memory: ")
        return msg

    assert "holds 64" in fails(sram_size=64)
    assert "largest live at" in fails(sram_size=64)
    assert "no tir.pool '@rom'" in fails(flash_pool="rom")
    assert "no tir.pool '@fast'" in fails(pools=("fast",))
    assert "unknown algorithm" in fails(algorithm="magic")
    assert "power of two" in fails(sram_alignment=3)


STAGED = """
tir.constant @w = dense<[3, -1, 4, 1, -5, 9, 2, -6]> : tensor<8xi8>
tir.func @main(%x : !tir.buffer<8xi8>, %y : !tir.buffer<8xi8>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %e = tir.allocate_const @w : !tir.buffer<8xi8>
  %s = tir.allocate : !tir.buffer<8xi8>
  tir.copy ins(%e : !tir.buffer<8xi8>) outs(%s : !tir.buffer<8xi8>)
  tir.for %i = %c0 to %c8 {
    %a = tir.buffer_load %x[%i] : !tir.buffer<8xi8>
    %b = tir.buffer_load %s[%i] : !tir.buffer<8xi8>
    %c = arith.muli %a, %b : i8
    tir.buffer_store %c, %y[%i] : !tir.buffer<8xi8>
  }
}
"""


def test_staged_weights_copy_goes_to_sram_constant_to_flash() -> None:
    before = load(STAGED)
    after = before.clone()
    PlanMemoryPass().run(after)
    text = str(after)
    assert "tir.constant @w = dense<" in text and "at <@flash, 0>" in text
    assert "%s = tir.allocate at <@sram," in text
    _independent_check(after)
    assert_equivalent(before, after)


def test_plot_is_written_only_on_success(tmp_path: Path) -> None:
    model = next(m for m in MODELS if m.stem == "image_example1")
    svg = tmp_path / "plan.svg"
    PlanMemoryPass(plot=str(svg)).run(import_tflite(model))
    text = svg.read_text()
    assert text.startswith("<?xml") and "</svg>" in text
    assert "hsl(" not in text  # hex colours: every renderer reads them
    assert ">op1_conv_2d</text>" in text  # labelled with its IR name
    failed = tmp_path / "over.svg"
    with pytest.raises(PassFailedException):
        PlanMemoryPass(plot=str(failed), sram_size=1024).run(import_tflite(model))
    assert not failed.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["plan.svg"]  # no temp left
