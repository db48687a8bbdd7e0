"""Tests of the lower bound and the independent plan checker."""

from __future__ import annotations

from tirconst.planning import Buffer, Pool, check_plan, live_profile, lower_bound


def test_lower_bound_frees_before_allocations():
    # b starts when a ends: they are never live together.
    buffers = [Buffer("a", 0, 2, 10), Buffer("b", 2, 4, 30), Buffer("c", 1, 3, 5)]
    assert lower_bound(buffers) == 35
    assert live_profile(buffers) == [(0, 10), (1, 15), (2, 35), (3, 30), (4, 0)]


def test_lower_bound_empty():
    assert lower_bound([]) == 0


def test_checker_accepts_valid_plan():
    buffers = [Buffer("a", 0, 2, 10), Buffer("b", 1, 3, 20), Buffer("c", 2, 4, 10)]
    assert check_plan(buffers, {"a": 0, "b": 10, "c": 0}, capacity=30) == []


def test_checker_reports_each_violation():
    a = Buffer("a", 0, 2, 10, alignment=8)
    b = Buffer("b", 1, 3, 20)
    assert check_plan([a, b], {"a": 0}) == ["buffer b: no offset"]
    assert "negative offset" in check_plan([b], {"b": -1})[0]
    assert "not aligned to 8" in check_plan([a], {"a": 4})[0]
    assert "beyond capacity 25" in check_plan([b], {"b": 10}, capacity=25)[0]
    assert "overlap" in check_plan([a, b], {"a": 0, "b": 5})[0]


def test_checker_zero_size_and_touching_lifetimes():
    buffers = [Buffer("a", 0, 2, 10), Buffer("b", 2, 4, 10), Buffer("z", 0, 4, 0)]
    assert check_plan(buffers, {"a": 0, "b": 0, "z": 3}) == []


def test_checker_pools():
    pools = [Pool("fast", 16), Pool("slow", None, alignment=64)]
    a = Buffer("a", 0, 2, 16, pools=("fast",))
    b = Buffer("b", 0, 2, 16)
    ok = check_plan(
        [a, b], {"a": 0, "b": 0}, pools=pools, assignment={"a": "fast", "b": "slow"}
    )
    assert ok == []
    bad = check_plan(
        [a, b], {"a": 0, "b": 0}, pools=pools, assignment={"a": "slow", "b": "fast"}
    )
    assert any("not a candidate" in e for e in bad)
    assert any(
        "overlap" in e
        for e in check_plan(
            [a, b], {"a": 0, "b": 0}, pools=pools, assignment={"a": "fast", "b": "fast"}
        )
    )
    misaligned = check_plan([b], {"b": 16}, pools=pools, assignment={"b": "slow"})
    assert "not aligned to 64" in misaligned[0]
