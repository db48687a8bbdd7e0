"""The memory check over decoded ops, on streams with planted problems."""

from __future__ import annotations

from ethosu.vela.api import NpuLayout, NpuPoolingOp, NpuPoolingOperation
from ethosu.vela.register_command_stream_util import get_strides

from tests.npu_api_ops import NpuKernel, NpuPadding, fmap, generate, pick_block_config
from tirconst.backend.ethos_u import (
    TensorPlacement,
    decode_operations,
    decode_words,
    read_payload,
)
from tirconst.backend.ethos_u.memcheck import (
    check_memory,
    feature_map_intervals,
    format_accesses,
)

SHAPE = (4, 4, 16)  # 256 bytes of int8


def copy(src: int, dst: int, src_region: int = 1, dst_region: int = 1):  # type: ignore[no-untyped-def]
    op = NpuPoolingOperation(NpuPoolingOp.MAX)
    op.ifm = fmap(SHAPE, base=src, region=src_region)
    op.ofm = fmap(SHAPE, base=dst, region=dst_region)
    op.kernel = NpuKernel(1, 1)
    op.padding = NpuPadding(0, 0, 0, 0)
    pick_block_config(op)
    return op


def check(ops, size=0x1000, inputs=((1, 0),), outputs=((1, 0x800),)):  # type: ignore[no-untyped-def]
    decoded = decode_operations(decode_words(read_payload(generate(ops)).words))

    def placed(ts):  # type: ignore[no-untyped-def]
        return [TensorPlacement("t", SHAPE, 1, r, o) for r, o in ts]

    return check_memory(decoded, {0: 0, 1: size}, placed(inputs), placed(outputs))


def test_clean_program_has_no_findings() -> None:
    report = check([copy(0, 0x400), copy(0, 0x600), copy(0x400, 0x800)])
    assert report.findings == []
    assert "R ifm r1 [0x0,0x100) 256B; W ofm r1 [0x400,0x500) 256B" in format_accesses(
        report
    )


def test_planted_overlap_is_a_clobber() -> None:
    # op 1 writes over the second half of op 0's output before op 2 reads it.
    report = check([copy(0, 0x400), copy(0, 0x480), copy(0x400, 0x800)])
    (f,) = report.findings
    assert f.kind == "clobber" and f.ops == (0, 1, 2)
    assert (f.region, f.start, f.end) == (1, 0x480, 0x500)


def test_reading_only_the_new_value_is_not_a_clobber() -> None:
    # op 2 reads op 1's bytes alone: it is op 1's consumer.
    report = check([copy(0, 0x400), copy(0, 0x480), copy(0x480, 0x800)])
    assert report.findings == []


def test_clobbered_output_is_reported_for_the_host() -> None:
    report = check([copy(0, 0x800), copy(0, 0x880)])
    (f,) = report.findings
    assert f.kind == "clobber" and f.ops == (0, 1, 2) and "the host" in f.message


def test_access_outside_declared_regions() -> None:
    report = check([copy(0, 0x800)], size=0x880)
    kinds = {(f.kind, f.start, f.end) for f in report.findings}
    assert ("outside", 0x800, 0x900) in kinds
    report = check([copy(0, 0x400, dst_region=5)], outputs=())
    (f,) = report.findings
    assert f.kind == "outside" and "undeclared region 5" in f.message


def test_uninitialised_read() -> None:
    report = check([copy(0xC00, 0x800)])
    (f,) = report.findings
    assert f.kind == "uninitialised" and (f.start, f.end) == (0xC00, 0xD00)


def test_nhcwb16_intervals_skip_padding_channels() -> None:
    fm = fmap((1, 2, 20), base=0x100, layout=NpuLayout.NHCWB16)
    fm.strides = get_strides(fm)
    # Brick 0 (16 channels) of x0, x1 is [0x100, 0x120); brick 1 holds 4 real
    # channels of 16 per x: [0x120, 0x124) and [0x130, 0x134).
    assert feature_map_intervals(fm) == ((0x100, 0x124), (0x130, 0x134))


def test_undeclared_regions_still_find_clobbers() -> None:
    ops = [copy(0, 0x400), copy(0, 0x480), copy(0x400, 0x800)]
    decoded = decode_operations(decode_words(read_payload(generate(ops)).words))
    report = check_memory(decoded, None, None)
    assert [(f.kind, f.ops) for f in report.findings] == [("clobber", (0, 1, 2))]
