"""Tests of per-pool reports, the over-capacity line, the pool table, the
SVG lanes, and read-only constant packing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirconst.planning import (
    Buffer,
    PlanningError,
    Pool,
    PoolReport,
    format_over_capacity,
    format_pool_table,
    pack_constants,
    plan,
    plan_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_over_capacity_line_names_the_largest_live_buffers():
    report = PoolReport(
        name="sram",
        capacity=32768,
        peak=51200,
        lower_bound=49152,
        buffers=("conv3_out", "conv2_out", "pad", "tiny"),
        algorithm="exact",
        optimal=False,
        peak_time=17,
        live_at_peak=(
            ("conv3_out", 24576),
            ("conv2_out", 16384),
            ("pad", 8192),
            ("tiny", 16),
        ),
    )
    assert format_over_capacity(report) == (
        "pool 'sram' needs 51,200 bytes (lower bound 49,152) but holds 32,768; "
        "largest live at t=17: conv3_out 24,576, conv2_out 16,384, pad 8,192, ..."
    )
    assert format_over_capacity(report, largest=4).endswith("tiny 16")


def test_single_pool_report():
    bufs = [Buffer("a", 0, 2, 60), Buffer("b", 1, 3, 50), Buffer("c", 3, 4, 5)]
    result = plan(bufs, capacity=100)
    assert not result.fits
    (report,) = result.pools
    assert report.name == "memory" and report.capacity == 100
    assert report.peak == 110 and report.lower_bound == 110
    assert report.peak_time == 1
    assert report.live_at_peak == (("a", 60), ("b", 50))
    assert result.over_capacity() == [
        "pool 'memory' needs 110 bytes (lower bound 110) but holds 100; "
        "largest live at t=1: a 60, b 50"
    ]
    assert plan(bufs).over_capacity() == []


def test_peak_time_is_where_the_top_buffer_meets_the_most_bytes():
    # d reaches the peak (offset 40 + 30); the live bytes are highest at t=3.
    bufs = [
        Buffer("a", 0, 4, 40),
        Buffer("d", 1, 6, 30),
        Buffer("e", 3, 4, 5),
        Buffer("f", 6, 9, 70),
    ]
    result = plan(bufs, algorithm="greedy_by_size")
    report = result.pools[0]
    assert report.peak == 75
    assert report.peak_time == 3
    assert [name for name, _ in report.live_at_peak] == ["a", "d", "e"]


def test_pool_table():
    pools = [Pool("sram", 100), Pool("flash")]
    bufs = [Buffer("a", 0, 2, 60), Buffer("b", 1, 3, 50), Buffer("c", 0, 3, 20)]
    result = plan(bufs, pools=pools)
    table = result.table()
    assert table == format_pool_table(result.pools)
    lines = table.splitlines()
    assert lines[0].split() == [
        "pool",
        "capacity",
        "peak",
        "lower",
        "bound",
        "buffers",
        "algorithm",
        "optimal",
        "fits",
    ]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["sram"] == ["sram", "100", "80", "80", "2", "exact", "yes", "yes"]
    assert rows["flash"] == ["flash", "none", "50", "50", "1", "exact", "yes", "yes"]


def test_svg_has_one_lane_per_pool_with_labels_where_they_fit():
    pools = [Pool("sram", 200), Pool("flash")]
    bufs = [Buffer(f"wide{i}", 0, 50, 40) for i in range(5)]
    bufs += [Buffer(f"narrow_buffer_{i}", 50 + i, 51 + i, 1) for i in range(150)]
    result = plan(bufs, pools=pools, algorithm="first_fit")
    root = ET.fromstring(plan_svg(result))
    rects = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(rects) == len(bufs)  # a tooltip on every buffer
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    lanes = [t for t in texts if t.startswith("pool ")]
    assert [t.split()[1] for t in lanes] == ["sram", "flash"]
    assert "capacity 200" in lanes[0] and "unbounded" in lanes[1]
    labels = set(texts)
    assert {f"wide{i}" for i in range(5)} & labels  # wide buffers are labelled
    assert not any(t.startswith("narrow_buffer_") for t in labels)  # too narrow


def test_constants_are_packed_in_order_and_aligned():
    packing = pack_constants([("w0", 100), ("b0", 8), ("w1", 0), ("t", 33)])
    assert packing.offsets == {"w0": 0, "b0": 112, "w1": 128, "t": 128}
    assert packing.size == 161
    assert pack_constants([("x", 3), ("y", 1)], alignment=1).offsets == {"x": 0, "y": 3}
    assert pack_constants([]).size == 0


def test_constant_packing_errors():
    with pytest.raises(
        PlanningError,
        match=r"pool 'flash' needs at least 116 bytes but holds 100; "
        r"constant b \(100 bytes\) ends at 116",
    ):
        pack_constants([("a", 10), ("b", 100)], capacity=100, pool="flash")
    with pytest.raises(PlanningError, match="duplicate constant 'a'"):
        pack_constants([("a", 1), ("a", 2)])
    with pytest.raises(PlanningError, match="not a power of two"):
        pack_constants([("a", 1)], alignment=12)
    with pytest.raises(PlanningError, match="negative size"):
        pack_constants([("a", -1)])


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 1000), max_size=30),
    alignment=st.sampled_from([1, 4, 16, 64]),
)
def test_constant_packing_properties(sizes, alignment):
    items = [(f"c{i}", s) for i, s in enumerate(sizes)]
    packing = pack_constants(items, alignment=alignment)
    end = 0
    for name, size in items:
        offset = packing.offsets[name]
        assert offset % alignment == 0
        assert end <= offset < end + alignment  # sequential, no gap beyond alignment
        end = offset + size
    assert packing.size == end
    assert packing.size <= sum(sizes) + len(sizes) * (alignment - 1)
