"""Tests of planning over several pools (first candidate pool that fits)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirconst.planning import ALGORITHMS, Buffer, PlanningError, Pool, check_plan, plan


def test_everything_fits_the_first_pool():
    pools = [Pool("sram", 100), Pool("dram")]
    buffers = [Buffer("a", 0, 2, 60), Buffer("b", 1, 3, 40)]
    result = plan(buffers, pools=pools)
    assert result.assignment == {"a": "sram", "b": "sram"}
    assert result.pool_peaks == {"sram": 100, "dram": 0}
    assert result.fits and result.status == "optimal"


def test_overflow_goes_to_the_next_candidate():
    pools = [Pool("sram", 100), Pool("dram", 1000, alignment=64)]
    buffers = [Buffer("a", 0, 2, 60), Buffer("b", 1, 3, 50), Buffer("c", 0, 3, 30)]
    result = plan(buffers, pools=pools)
    assert result.fits
    assert result.pool_peaks["sram"] <= 100
    assert sorted(result.assignment.values()).count("dram") == 1
    errors = check_plan(
        buffers, result.offsets, pools=pools, assignment=result.assignment
    )
    assert errors == []
    for b in buffers:
        if result.assignment[b.id] == "dram":
            assert result.offsets[b.id] % 64 == 0


def test_candidate_lists_are_respected():
    pools = [Pool("a", 10), Pool("b", 10)]
    buffers = [Buffer("x", 0, 1, 8, pools=("b",)), Buffer("y", 0, 1, 8)]
    result = plan(buffers, pools=pools)
    assert result.assignment == {"x": "b", "y": "a"}


def test_no_candidate_left_is_over_capacity():
    pools = [Pool("only", 10)]
    result = plan([Buffer("x", 0, 1, 8), Buffer("y", 0, 1, 8)], pools=pools)
    assert not result.fits
    assert result.status == "over-capacity"


def test_bad_pools():
    with pytest.raises(PlanningError, match="unknown pool 'c'"):
        plan([Buffer("x", 0, 1, 8, pools=("c",))], pools=[Pool("a")])
    with pytest.raises(PlanningError, match="duplicate pool"):
        plan([Buffer("x", 0, 1, 8)], pools=[Pool("a"), Pool("a")])
    with pytest.raises(PlanningError, match="no pools are given"):
        plan([Buffer("x", 0, 1, 8, pools=("c",))])


@st.composite
def pooled(draw):
    pools = [
        Pool("p0", draw(st.integers(0, 120))),
        Pool("p1", draw(st.integers(0, 120)), alignment=draw(st.sampled_from([1, 8]))),
        Pool("p2", None, alignment=4),
    ]
    names = [p.name for p in pools]
    buffers = []
    for i in range(draw(st.integers(0, 10))):
        start = draw(st.integers(0, 8))
        cands = draw(st.lists(st.sampled_from(names), unique=True, max_size=3))
        buffers.append(
            Buffer(
                str(i),
                start,
                start + draw(st.integers(1, 5)),
                draw(st.integers(0, 60)),
                pools=tuple(cands),
            )
        )
    return buffers, pools


@pytest.mark.parametrize("algorithm", list(ALGORITHMS))
@settings(max_examples=40, deadline=None)
@given(case=pooled())
def test_every_algorithm_is_valid_with_pools(algorithm, case):
    buffers, pools = case
    result = plan(buffers, pools=pools, algorithm=algorithm, time_limit=5)
    unbounded = [Pool(p.name, None, p.alignment) for p in pools]
    assert (
        check_plan(
            buffers, result.offsets, pools=unbounded, assignment=result.assignment
        )
        == []
    )
    if result.fits:
        assert (
            check_plan(
                buffers, result.offsets, pools=pools, assignment=result.assignment
            )
            == []
        )
    assert result.lower_bound <= result.peak
    if all(not b.pools or "p2" in b.pools for b in buffers):
        # Every buffer can fall back to the unbounded pool.
        assert result.fits
