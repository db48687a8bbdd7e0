"""tir-stage-weights{by-cost}: a copy gains what the ops it runs under hide
(`block_choice.staging_gain` with the cycles they cover)."""

from __future__ import annotations

from tests.test_feature_layouts import chain_model, run_pipeline_text
from tirconst.analysis.block_choice import (
    copy_cycles,
    cost_config,
    duration_floor,
    staging_gain,
)
from tirconst.dialects.tir import Conv2DOp
from tirconst.formats.tflite.reader import read_tflite_bytes
from tirconst.frontend.importer import import_tflite

ACC = "ethos-u55-128"
CFG = cost_config(ACC)


def _convs() -> list[Conv2DOp]:
    module = import_tflite(read_tflite_bytes(chain_model(24)))
    run_pipeline_text(
        module,
        f"tir-tabulate,tir-legalize-npu,tir-encode-weights{{accelerator={ACC}}}",
    )
    return [o for o in module.walk() if isinstance(o, Conv2DOp)]


def test_gain_counts_only_the_unhidden_copy() -> None:
    for conv in _convs():
        attr = conv.encoded_weights
        assert attr is not None
        copy = copy_cycles(attr.nbytes, CFG)
        hidden, bare = staging_gain(conv, CFG, True), staging_gain(conv, CFG, False)
        assert bare == hidden - copy
        assert staging_gain(conv, CFG, copy) == hidden
        assert staging_gain(conv, CFG, 2 * copy) == hidden  # no credit past it
        assert staging_gain(conv, CFG, copy / 4) == hidden - copy * 3 / 4
        assert staging_gain(conv, CFG, 0.0) == bare


def test_duration_floor_is_a_lower_bound() -> None:
    """At most the cycle model's duration of the op (its MACs at the
    array's rate, its feature maps at the arena's bandwidth)."""
    from tirconst.analysis.block_choice import tir_op_cycles

    for conv in _convs():
        floor = duration_floor(conv, CFG)
        assert 0 < floor <= tir_op_cycles(conv, {}, CFG)[0]
        assert floor >= conv.macs() / 128


def test_copy_right_before_its_op_where_no_earlier_one_fits() -> None:
    """rock_paper_scissors: the second conv's weights do not fit beside the
    first pool within the SRAM peak, but do beside the conv itself, where
    the unhidden copy still beats reading flash once per OFM block: the
    copy goes right before the conv, and the peak does not move."""
    from tests.tflite_patch import MODELS
    from tirconst.analysis.sram import sram_peak
    from tirconst.dialects.tir import CopyOp, FuncOp, OperatorOp
    from tirconst.tools.compile import pipeline_text

    module = import_tflite(MODELS / "rock_paper_scissors.tflite")
    text = pipeline_text(ACC)
    before, stage = text.split(",tir-stage-weights")
    run_pipeline_text(module, before)
    func = next(f for f in module.ops if isinstance(f, FuncOp))
    peak = sram_peak(func, reuse_io=True).bytes
    run_pipeline_text(module, "tir-stage-weights" + stage.split(",tir-plan")[0])
    assert sram_peak(func, reuse_io=True).bytes == peak
    ops = list(func.body.block.ops)
    readers = {v: o for o in ops if isinstance(o, Conv2DOp) for v in o.operands}
    right_before = []
    for i, c in enumerate(ops):
        if isinstance(c, CopyOp) and c.output in readers:
            conv = readers[c.output]
            between = ops[i + 1 : ops.index(conv)]
            if not any(
                isinstance(o, OperatorOp) and not isinstance(o, CopyOp) for o in between
            ):
                right_before.append(conv)
    assert right_before


def test_growth_pays_one_to_one() -> None:
    """The cycles saved must be at least the same share of the cycles as
    the added bytes are of the SRAM held then; nothing saved never pays."""
    from tirconst.analysis.block_choice import growth_pays

    # 25% of the cycles saved: pays for bytes up to 25% of what is held then
    assert growth_pays(1000.0, 750.0, 1000, 3000)  # 1000 of 4000: 25%
    assert not growth_pays(1000.0, 750.0, 1001, 3000)
    assert growth_pays(1000.0, 750.0, 100, 3000)
    # scale-free: the same shares at any size
    assert growth_pays(10.0, 7.5, 10, 30) == growth_pays(1e6, 7.5e5, 10**5, 3 * 10**5)
    assert not growth_pays(1000.0, 1000.0, 0, 3000)  # nothing saved
    assert not growth_pays(1000.0, 1200.0, 16, 3000)  # slower


def _peaks_around_staging(path) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(SRAM peak before tir-stage-weights, the most op-weights may grow it
    to by `staging_grows`, the peak after) of the Performance compile."""
    from tirconst.analysis.block_choice import staging_grows
    from tirconst.analysis.sram import ALIGNMENT, sram_by_op, sram_peak
    from tirconst.dialects.tir import FuncOp, WeightedOp
    from tirconst.tools.compile import pipeline_text
    from tirconst.transforms.stage_weights import _stageable, _staged_operands

    module = import_tflite(path)
    text = pipeline_text(ACC)
    before, stage = text.split(",tir-stage-weights")
    run_pipeline_text(module, before)
    func = next(f for f in module.ops if isinstance(f, FuncOp))
    peak = sram_peak(func, reuse_io=True).bytes
    bound = sram_by_op(func, reuse_io=True)
    most = peak
    for op in func.body.block.ops:
        if (
            isinstance(op, WeightedOp)
            and _stageable(op, False)
            and staging_grows(op, CFG)
        ):
            own = sum(
                -(-v.type.size_in_bytes // ALIGNMENT) * ALIGNMENT
                for v in _staged_operands(op)
            )  # type: ignore[attr-defined]
            most = max(most, bound[op] + own)
    run_pipeline_text(module, "tir-stage-weights" + stage.split(",tir-plan")[0])
    return peak, most, sram_peak(func, reuse_io=True).bytes


def test_performance_grows_sram_only_where_it_pays() -> None:
    """Performance mode without an SRAM limit: staging raises the SRAM peak
    only as far as an op whose staging `growth_pays` needs. conv1d's second
    conv (at the peak) runs 1.3k cycles from SRAM against 3.9k from flash,
    but the 2.2k-cycle copy mostly waits (the pool before it takes 0.4k):
    21% of its cycles saved for 41% more SRAM, so the peak stays (Vela's
    reads them from flash too); audio_example1's second conv saves more
    than half its cycles for 18% more: the peak grows for it."""
    from tests.tflite_patch import MODELS

    peak, most, after = _peaks_around_staging(MODELS / "networks" / "conv1d.tflite")
    assert most == peak and after == peak
    peak, most, after = _peaks_around_staging(MODELS / "audio_example1.tflite")
    assert peak < after <= most
