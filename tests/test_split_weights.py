"""tir-split-weights: a conv whose weight copy the ops before cannot hide
becomes two OFM-depth halves whose copies hide in turn."""

from __future__ import annotations

from pathlib import Path

from tests.test_feature_layouts import run_pipeline_text
from tirconst.frontend.importer import import_tflite
from tirconst.transforms.split_weights import split_cycles

ACC = "ethos-u55-128"
NETWORKS = Path(__file__).resolve().parent.parent / "models" / "networks"


def test_split_cycles() -> None:
    """Whole: the copy's unhidden part then the op; halves: the first
    half waits for its half of the copy, the second for the whole copy
    (one DMA engine) or the first half, whichever ends later."""
    # copy 20, staged 10 (halves 5 each), 12 cycles of cover either way
    flash, whole, halves = split_cycles(40.0, 10.0, 5.0, 20.0, 12.0, 12.0)
    assert (flash, whole) == (40.0, 18.0)
    assert halves == max(0.0 + 5.0, 20.0 - 12.0) + 5.0  # 13: the copy bounds
    # a copy the cover hides whole: halves gain nothing but their overhead
    _, whole, halves = split_cycles(40.0, 10.0, 6.0, 8.0, 12.0, 12.0)
    assert whole == 10.0 and halves == 12.0
    # more cover for a half (a smaller copy fits beside more ops)
    _, whole, halves = split_cycles(40.0, 10.0, 5.0, 20.0, 0.0, 20.0)
    assert whole == 30.0 and halves == 10.0


def test_resnet8_conv_staged_in_halves() -> None:
    """resnet8's 3x3 stride-2 conv to 8x8x64 (22 KiB of encoded weights,
    read from flash before) runs as two 32-deep halves, the second reading
    its weights from an SRAM copy, and the SRAM measure does not grow."""
    from tirconst.analysis.sram import sram_peak
    from tirconst.dialects.tir import Conv2DOp, CopyOp, FuncOp
    from tirconst.tools.compile import pipeline_text

    text = pipeline_text(ACC)
    assert "tir-split-weights" in text
    unsplit = ",".join(p for p in text.split(",") if "split-weights" not in p)
    peaks = []
    for pipeline in (text, unsplit):
        module = import_tflite(NETWORKS / "resnet8.tflite")
        run_pipeline_text(module, pipeline.split(",tir-plan-memory")[0])
        func = next(f for f in module.ops if isinstance(f, FuncOp))
        peaks.append(sram_peak(func, reuse_io=True).bytes)
        copied = {o.output for o in func.body.block.ops if isinstance(o, CopyOp)}
        convs = [
            o
            for o in func.body.block.ops
            if isinstance(o, Conv2DOp)
            and o.npu_geometry().kernel == (3, 3)
            and o.npu_geometry().stride == (2, 2)
            and o.npu_geometry().ofm[:2] == (8, 8)
        ]
        if pipeline is text:
            assert [c.npu_geometry().ofm[2] for c in convs] == [32, 32]
            # the second half's copy runs under the ops before and the first
            # half; the first half's under the add before `tir-stage-weights`
            # does not count as hiding it (`duration_floor`): from flash
            assert convs[1].filter in copied
        else:
            assert [c.npu_geometry().ofm[2] for c in convs] == [64]
            assert convs[0].filter not in copied
    assert peaks[0] == peaks[1]
