"""The planning algorithms, selectable by name, on a single address space.

Every algorithm maps an :class:`~tirconst.planning.core.Instance` (plus an
optional capacity and a deadline) to offsets. ``exact`` is the default; the
others are the greedy baselines of TVM USMP, TFLite Micro and TFLite.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from . import exact, greedy
from .core import Instance

__all__ = ["ALGORITHMS", "DEFAULT_ALGORITHM", "Outcome", "run", "algorithm_names"]

DEFAULT_ALGORITHM = "exact"


@dataclass(frozen=True)
class Algorithm:
    """A named algorithm: ``solve(inst, capacity, deadline) -> Outcome``."""

    name: str
    summary: str
    cost: str
    solve: Callable[[Instance, int, int | None, float], Outcome]


@dataclass(frozen=True)
class Outcome:
    """Offsets of one address space, and whether their peak is proven minimal."""

    offsets: list[int]
    peak: int
    optimal: bool
    nodes: int = 0


def _greedy(fn: Callable[[Instance], list[int]]):
    def solve(inst: Instance, lower: int, capacity: int | None, deadline: float):
        offsets = fn(inst)
        peak = inst.peak(offsets)
        return Outcome(offsets, peak, peak == lower)

    return solve


def _exact(inst: Instance, lower: int, capacity: int | None, deadline: float):
    start = [greedy.best_fit(inst), greedy.first_fit(inst)]
    offsets = min(start, key=inst.peak)
    peak = inst.peak(offsets)
    lower = max(lower, inst.aligned_bound())
    if peak <= lower:  # no plan is lower: proven
        return Outcome(offsets, peak, True)
    found = exact.solve(inst, lower, peak, capacity=capacity, deadline=deadline)
    if found.offsets is None:
        return Outcome(offsets, peak, found.optimal, found.nodes)
    return Outcome(found.offsets, found.peak, found.optimal, found.nodes)


ALGORITHMS: dict[str, Algorithm] = {
    a.name: a
    for a in [
        Algorithm(
            "exact",
            "branch-and-bound over canonical placements (MiniMalloc); anytime",
            "exponential at worst, O(n + s) per node; stops at the time limit",
            _exact,
        ),
        Algorithm(
            "greedy_by_size",
            "TVM USMP: largest first, above the highest conflicting buffer",
            "O(n log n + k)",
            _greedy(greedy.greedy_by_size),
        ),
        Algorithm(
            "greedy_by_conflicts",
            "TVM USMP: most conflicts first, above the highest conflicting buffer",
            "O(n log n + k)",
            _greedy(greedy.greedy_by_conflicts),
        ),
        Algorithm(
            "first_fit",
            "TFLite Micro: largest first, into the lowest gap that fits",
            "O(n log n + k log k)",
            _greedy(greedy.first_fit),
        ),
        Algorithm(
            "best_fit",
            "TFLite: largest first, into the smallest gap that fits",
            "O(n log n + k log k)",
            _greedy(greedy.best_fit),
        ),
    ]
}


def algorithm_names() -> list[str]:
    """The names accepted by :func:`run` (``-`` may be written for ``_``)."""
    return list(ALGORITHMS)


def lookup(name: str) -> Algorithm:
    """The algorithm called ``name``; raises ValueError for an unknown name."""
    key = name.strip().lower().replace("-", "_")
    if key not in ALGORITHMS:
        raise ValueError(
            f"unknown algorithm {name!r}; choose from {', '.join(ALGORITHMS)}"
        )
    return ALGORITHMS[key]


def run(
    name: str,
    inst: Instance,
    lower: int,
    capacity: int | None = None,
    time_limit: float | None = None,
) -> Outcome:
    """Run algorithm ``name`` on ``inst`` whose lower bound is ``lower``."""
    deadline = time.perf_counter() + (time_limit if time_limit is not None else 1e9)
    return lookup(name).solve(inst, lower, capacity, deadline)
