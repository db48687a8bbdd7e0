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
