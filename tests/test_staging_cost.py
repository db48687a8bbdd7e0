"""tir-stage-weights{by-cost}: a copy gains what the ops it runs under hide
(`block_choice.staging_gain` with the cycles they cover)."""

from __future__ import annotations

from tests.test_feature_layouts import chain_model, run_pipeline_text
from tirconst.analysis.block_choice import copy_cycles, duration_floor, staging_gain
from tirconst.dialects.tir import Conv2DOp
from tirconst.formats.tflite.reader import read_tflite_bytes
from tirconst.frontend.importer import import_tflite

ACC = "ethos-u55-128"


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
        copy = copy_cycles(attr.nbytes, ACC)
        hidden, bare = staging_gain(conv, ACC, True), staging_gain(conv, ACC, False)
        assert bare == hidden - copy
        assert staging_gain(conv, ACC, copy) == hidden
        assert staging_gain(conv, ACC, 2 * copy) == hidden  # no credit past it
        assert staging_gain(conv, ACC, copy / 4) == hidden - copy * 3 / 4
        assert staging_gain(conv, ACC, 0.0) == bare


def test_duration_floor_is_a_lower_bound() -> None:
    """At most the cycle model's duration of the op (its MACs at the
    array's rate, its feature maps at the arena's bandwidth)."""
    from tirconst.analysis.block_choice import tir_op_cycles

    for conv in _convs():
        floor = duration_floor(conv, ACC)
        assert 0 < floor <= tir_op_cycles(conv, {}, ACC)[0]
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
