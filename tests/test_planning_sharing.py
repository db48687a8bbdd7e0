"""Tests of in-place pairs: ``b`` may reuse ``a``'s bytes when ``a`` dies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirconst.planning import (
    ALGORITHMS,
    Buffer,
    PlanningError,
    Pool,
    check_plan,
    lower_bound,
    plan,
)
from tirconst.planning.sharing import merge_shares

# conv -> relu (in place) -> reshape (in place); a skip buffer lives across.
CHAIN = [
    Buffer("conv", 0, 2, 64),
    Buffer("relu", 1, 3, 64),
    Buffer("reshape", 2, 4, 64),
    Buffer("skip", 0, 4, 32),
]
CHAIN_PAIRS = [("conv", "relu"), ("relu", "reshape")]


@pytest.mark.parametrize("algorithm", list(ALGORITHMS))
def test_declared_pairs_share_bytes(algorithm):
    result = plan(CHAIN, algorithm=algorithm, shares=CHAIN_PAIRS)
    assert result.lower_bound == 96
    assert result.peak == 96 and result.optimal
    assert result.shared == tuple(CHAIN_PAIRS)
    assert result.offsets["conv"] == result.offsets["relu"] == result.offsets["reshape"]
    assert check_plan(CHAIN, result.offsets, shares=CHAIN_PAIRS) == []
    # The same offsets without the declaration are overlaps.
    errors = check_plan(CHAIN, result.offsets)
    assert errors == [
        "buffers conv and relu are live together and overlap",
        "buffers relu and reshape are live together and overlap",
    ]


def test_without_pairs_the_same_problem_needs_more():
    assert lower_bound(CHAIN) == 160
    assert plan(CHAIN).peak == 160
    assert lower_bound(CHAIN, CHAIN_PAIRS) == 96


def test_checker_accepts_exactly_the_declared_overlaps():
    a, b, c = Buffer("a", 0, 2, 16), Buffer("b", 1, 3, 16), Buffer("c", 1, 3, 16)
    same = {"a": 0, "b": 0, "c": 16}
    assert check_plan([a, b, c], same, shares=[("a", "b")]) == []
    # A shifted overlap of a declared pair is not in-place reuse.
    shifted = {"a": 0, "b": 8, "c": 32}
    assert check_plan([a, b, c], shifted, shares=[("a", "b")]) == [
        "buffers a and b are live together and overlap"
    ]
    # An undeclared pair may not overlap, even next to a declared one.
    undeclared = {"a": 0, "b": 0, "c": 0}
    assert check_plan([a, b, c], undeclared, shares=[("a", "b")]) == [
        "buffers a and c are live together and overlap",
        "buffers b and c are live together and overlap",
    ]


def test_bad_pairs():
    a, b = Buffer("a", 0, 2, 16), Buffer("b", 1, 3, 16)
    with pytest.raises(PlanningError, match="unknown buffer 'z'"):
        plan([a, b], shares=[("a", "z")])
    with pytest.raises(PlanningError, match="cannot share with itself"):
        plan([a, b], shares=[("a", "a")])
    with pytest.raises(PlanningError, match=r"share b -> a: b \[1, 3\) must end"):
        plan([a, b], shares=[("b", "a")])


def test_a_merge_that_would_overlap_undeclared_buffers_is_skipped():
    """a -> b and a -> c, with b and c live together: only the first pair is
    merged (b and c were not declared), and the plan stays valid."""
    bufs = [Buffer("a", 0, 2, 16), Buffer("b", 1, 3, 16), Buffer("c", 1, 3, 16)]
    pairs = [("a", "b"), ("a", "c")]
    merged = merge_shares(bufs, pairs)
    assert merged.pairs == (("a", "b"),)
    assert [b.id for b in merged.buffers] == ["a", "c"]
    for algorithm in ALGORITHMS:
        result = plan(bufs, algorithm=algorithm, shares=pairs)
        assert check_plan(bufs, result.offsets, shares=pairs) == []
        assert result.peak == 32 and result.shared == (("a", "b"),)


def test_exact_beats_the_merged_greedy_when_sizes_differ():
    """Merging a large input with a small long-lived output wastes bytes: the
    greedy (merged) plan needs 190, exact keeps the unmerged 110."""
    bufs = [Buffer("a", 0, 2, 100), Buffer("b", 1, 10, 10), Buffer("c", 2, 10, 90)]
    pairs = [("a", "b")]
    greedy = plan(bufs, algorithm="greedy_by_size", shares=pairs)
    exact = plan(bufs, shares=pairs)
    assert greedy.peak == 190
    assert exact.peak == 110 and exact.shared == ()
    assert exact.lower_bound == 100 and not exact.optimal
    for result in (greedy, exact):
        assert check_plan(bufs, result.offsets, shares=pairs) == []


def test_pairs_with_pools():
    pools = [Pool("sram", 64, alignment=16), Pool("dram")]
    bufs = [
        Buffer("in", 0, 2, 64),
        Buffer("out", 1, 3, 64),
        Buffer("other", 0, 3, 8, pools=("dram",)),
    ]
    result = plan(bufs, pools=pools, shares=[("in", "out")])
    assert result.fits and result.assignment["in"] == result.assignment["out"] == "sram"
    assert result.shared == (("in", "out"),)
    # Pairs whose candidate pools differ cannot share.
    apart = [
        Buffer("in", 0, 2, 8, pools=("sram",)),
        Buffer("out", 1, 3, 8, pools=("dram",)),
    ]
    result = plan(apart, pools=pools, shares=[("in", "out")])
    assert result.shared == () and result.fits


@st.composite
def shared_instances(draw):
    buffers = []
    pairs = []
    for i in range(draw(st.integers(1, 9))):
        previous = buffers[-1] if buffers else None
        if previous is not None and draw(st.booleans()):
            # An op whose output may reuse its input: born before it dies.
            start = draw(st.integers(previous.start, previous.end))
            end = draw(st.integers(max(previous.end, start + 1), previous.end + 5))
            pairs.append((previous.id, str(i)))
        else:
            start = draw(st.integers(0, 8))
            end = start + draw(st.integers(1, 5))
        size = draw(st.integers(0, 48))
        alignment = draw(st.sampled_from([1, 1, 4, 16]))
        buffers.append(Buffer(str(i), start, end, size, alignment))
    return buffers, pairs


@pytest.mark.parametrize("algorithm", list(ALGORITHMS))
@settings(max_examples=150, deadline=None)
@given(case=shared_instances())
def test_every_algorithm_honours_pairs(algorithm, case):
    buffers, pairs = case
    result = plan(buffers, algorithm=algorithm, shares=pairs, time_limit=5)
    assert check_plan(buffers, result.offsets, shares=pairs) == []
    # The lower bound with pairs is valid and never above the one without.
    assert result.lower_bound == lower_bound(buffers, pairs)
    assert result.lower_bound <= result.peak
    assert result.lower_bound <= lower_bound(buffers)
    # Every overlap in the plan is a declared pair at one offset.
    for x in buffers:
        for y in buffers:
            if x.id < y.id and x.size and y.size and x.lives_with(y):
                ox, oy = result.offsets[x.id], result.offsets[y.id]
                if ox < oy + y.size and oy < ox + x.size:
                    assert ox == oy
                    assert (x.id, y.id) in pairs or (y.id, x.id) in pairs
    if algorithm == "exact":
        # Never worse than ignoring the pairs.
        assert result.peak <= plan(buffers, time_limit=5).peak


@pytest.mark.parametrize("algorithm", list(ALGORITHMS))
@settings(max_examples=80, deadline=None)
@given(
    case=shared_instances(),
    capacity=st.integers(0, 120),
    candidates=st.lists(st.sampled_from([(), ("sram",), ("dram",)]), max_size=9),
)
def test_pairs_with_pools_stay_valid(algorithm, case, capacity, candidates):
    buffers, pairs = case
    buffers = [
        Buffer(b.id, b.start, b.end, b.size, b.alignment, c)
        for b, c in zip(buffers, candidates + [()] * len(buffers), strict=False)
    ]
    pools = [Pool("sram", capacity, alignment=8), Pool("dram")]
    result = plan(buffers, pools=pools, algorithm=algorithm, shares=pairs, time_limit=5)
    unbounded = [Pool("sram", None, 8), Pool("dram")]
    assert (
        check_plan(
            buffers,
            result.offsets,
            pools=unbounded,
            assignment=result.assignment,
            shares=pairs,
        )
        == []
    )
    for a, b in result.shared:
        assert result.assignment[a] == result.assignment[b]
    if all("sram" not in b.pools for b in buffers if b.pools):
        # dram is a candidate of every buffer, so everything fits.
        assert result.fits
