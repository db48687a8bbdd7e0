"""Tests of planning over several pools (first candidate pool that fits)."""

from __future__ import annotations

import itertools
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tirconst.planning import ALGORITHMS, Buffer, PlanningError, Pool, check_plan, plan
from tirconst.planning.core import Instance
from tirconst.planning.greedy import place

ISSUE_17_BUFFERS = [
    Buffer("0", 0, 2, 1),
    Buffer("1", 1, 3, 1),
    Buffer("2", 0, 1, 0),
    Buffer("3", 0, 1, 0),
    Buffer("4", 0, 1, 1),
    Buffer("5", 2, 3, 24),
]
ISSUE_17_POOLS = [
    Pool("p0", capacity=0),
    Pool("p1", capacity=25),
    Pool("p2", capacity=None, alignment=4),
]


@pytest.mark.parametrize("algorithm", list(ALGORITHMS))
def test_issue_17_fallback_pool_takes_the_overflow(algorithm):
    """greedy_by_conflicts needs 26 bytes in p1 (capacity 25): the buffer it
    puts beyond the capacity must move to the unbounded p2, not stay."""
    result = plan(ISSUE_17_BUFFERS, pools=ISSUE_17_POOLS, algorithm=algorithm)
    assert result.fits, result.table()
    assert result.status != "over-capacity"
    assert result.pool_peaks["p1"] <= 25
    assert (
        check_plan(
            ISSUE_17_BUFFERS,
            result.offsets,
            pools=ISSUE_17_POOLS,
            assignment=result.assignment,
        )
        == []
    )


def test_issue_17_the_greedy_really_overflows_alone():
    """The regression above is a real one: alone in p1, greedy_by_conflicts
    does not fit 25 bytes while best_fit does (so the fix must move a buffer)."""
    inside = [b for b in ISSUE_17_BUFFERS if b.size]
    assert plan(inside, algorithm="greedy_by_conflicts", capacity=25).peak == 26
    assert plan(inside, algorithm="best_fit", capacity=25).peak == 25
    moved = plan(
        ISSUE_17_BUFFERS, pools=ISSUE_17_POOLS, algorithm="greedy_by_conflicts"
    )
    assert moved.assignment["5"] == "p2"
    kept = plan(ISSUE_17_BUFFERS, pools=ISSUE_17_POOLS, algorithm="best_fit")
    assert kept.assignment["5"] == "p1"


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
@settings(max_examples=300, deadline=None)
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


def _fits_alone(buffers: tuple[Buffer, ...], pool: Pool) -> bool:
    """Brute force: some first-fit order packs ``buffers`` within the pool."""
    if pool.capacity is None:
        return True
    inst = Instance.from_buffers(buffers, pool.alignment)
    for order in itertools.permutations(range(len(buffers))):
        offsets = [-1] * len(buffers)
        for i in order:
            busy = [
                (offsets[j], offsets[j] + inst.sizes[j])
                for j in inst.conflicts[i]
                if offsets[j] >= 0
            ]
            offsets[i] = place(inst.sizes[i], inst.aligns[i], busy, "first")
        if max(
            (o + s for o, s in zip(offsets, inst.sizes, strict=True) if s), default=0
        ) <= (pool.capacity):
            return True
    return False


def some_assignment_fits(buffers: list[Buffer], pools: list[Pool]) -> bool:
    """Brute force over every assignment the candidate lists allow."""
    fits = cache(_fits_alone)
    names = [p.name for p in pools]
    choices = [b.pools or tuple(names) for b in buffers]
    for assignment in itertools.product(*choices):
        if all(
            fits(
                tuple(
                    b for b, a in zip(buffers, assignment, strict=True) if a == p.name
                ),
                p,
            )
            for p in pools
        ):
            return True
    return False


@st.composite
def tight(draw):
    """Bounded pools only, so that some instances cannot fit at all."""
    pools = [
        Pool("p0", draw(st.integers(0, 40))),
        Pool("p1", draw(st.integers(0, 60)), alignment=draw(st.sampled_from([1, 8]))),
    ]
    names = [p.name for p in pools]
    buffers = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, 4))
        cands = draw(st.lists(st.sampled_from(names), unique=True, max_size=2))
        buffers.append(
            Buffer(
                str(i),
                start,
                start + draw(st.integers(1, 3)),
                draw(st.integers(0, 30)),
                pools=tuple(cands),
            )
        )
    return buffers, pools


@pytest.mark.parametrize("algorithm", list(ALGORITHMS))
@settings(max_examples=150, deadline=None)
@given(case=tight())
def test_over_capacity_only_when_no_assignment_fits(algorithm, case):
    buffers, pools = case
    result = plan(buffers, pools=pools, algorithm=algorithm, time_limit=10)
    assert result.fits == some_assignment_fits(buffers, pools)
    if result.fits:
        errors = check_plan(
            buffers, result.offsets, pools=pools, assignment=result.assignment
        )
        assert errors == []


def test_moves_follow_the_preference_order():
    """A buffer that does not fit its first pool goes to its second, not its
    third; the one that stays is the larger (the smallest move suffices)."""
    pools = [Pool("a", 64), Pool("b", 40), Pool("c")]
    buffers = [Buffer("x", 0, 2, 60), Buffer("y", 1, 3, 30), Buffer("z", 0, 3, 2)]
    result = plan(buffers, pools=pools)
    assert result.assignment == {"x": "a", "y": "b", "z": "a"}
    assert result.pool("c").buffers == ()


def test_impossible_assignment_is_over_capacity_with_a_report():
    pools = [Pool("sram", 100, alignment=16), Pool("flash", 10)]
    buffers = [
        Buffer("conv3_out", 0, 4, 64, pools=("sram",)),
        Buffer("conv2_out", 2, 6, 48, pools=("sram",)),
        Buffer("w", 0, 6, 8, pools=("sram", "flash")),
    ]
    result = plan(buffers, pools=pools)
    assert not result.fits and result.status == "over-capacity"
    assert not result.pool("sram").fits and result.pool("flash").fits
    assert result.assignment["w"] == "flash"
    (line,) = result.over_capacity()
    assert line == (
        "pool 'sram' needs 112 bytes (lower bound 112) but holds 100; "
        "largest live at t=2: conv3_out 64, conv2_out 48"
    )
