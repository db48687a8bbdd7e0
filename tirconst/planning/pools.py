"""Planning over several pools: buffers go to the first candidate that fits.

As in TVM USMP, each buffer lists its candidate pools in order of preference
(no list: every pool, in the order given). The pools are planned one by one,
in the order given, with the chosen algorithm:

1. every buffer starts in its first candidate pool;
2. a pool whose plan exceeds its capacity is packed again, largest buffer
   first, into the lowest gap that fits; a buffer that does not fit moves on
   to its next candidate pool (which is planned again), unless it has none;
3. the buffers that stay are planned again with the algorithm, and the better
   of that plan and the greedy packing is kept.

So a pool only loses buffers when the algorithm could not fit them all; a
buffer with no candidate left stays in its last pool, over capacity. Cost:
the chosen algorithm's, once or twice per pool per round of moves; the time
limit is shared among the pools.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

from .algorithms import Outcome, lookup, run
from .bounds import check_plan, lower_bound
from .core import Instance
from .greedy import place, size_order
from .problem import Buffer, PlanningError, Pool
from .result import InvalidPlanError, Plan

__all__ = ["plan_pools"]


def _spill(inst: Instance, capacity: int, movable: Sequence[bool]) -> list[int]:
    """The buffers that a capacity-aware first-fit packing cannot fit.

    Only ``movable`` buffers are left out; the others are placed regardless.
    """
    offsets = [-1] * len(inst)
    spilled = []
    for i in size_order(inst):
        busy = [
            (offsets[j], offsets[j] + inst.sizes[j])
            for j in inst.conflicts[i]
            if offsets[j] >= 0
        ]
        offset = place(inst.sizes[i], inst.aligns[i], busy, "first")
        if offset + inst.sizes[i] > capacity and movable[i]:
            spilled.append(i)
        else:
            offsets[i] = offset
    return spilled


def _better(a: Outcome, b: Outcome, capacity: int) -> Outcome:
    """The outcome that fits ``capacity`` (if only one does), else the lower."""
    if (a.peak <= capacity) != (b.peak <= capacity):
        return a if a.peak <= capacity else b
    return a if a.peak <= b.peak else b


def plan_pools(
    buffers: Sequence[Buffer],
    pools: Sequence[Pool],
    algorithm: str,
    time_limit: float | None,
    started: float,
) -> Plan:
    """Plan ``buffers`` over ``pools`` (see the module doc); the result's
    ``assignment`` maps every buffer id to its pool."""
    by_name = {p.name: p for p in pools}
    if len(by_name) != len(pools):
        raise PlanningError("duplicate pool names")
    candidates: dict[str, tuple[str, ...]] = {}
    for b in buffers:
        names = b.pools or tuple(by_name)
        unknown = [name for name in names if name not in by_name]
        if unknown:
            raise PlanningError(f"buffer {b.id}: unknown pool {unknown[0]!r}")
        candidates[b.id] = names
    choice = {b.id: 0 for b in buffers}
    deadline = started + (time_limit if time_limit is not None else 1e9)
    queue = deque(p.name for p in pools)
    results: dict[str, tuple[list[Buffer], Outcome]] = {}
    while queue:
        name = queue.popleft()
        pool = by_name[name]
        members = [b for b in buffers if candidates[b.id][choice[b.id]] == name]
        inst = Instance.from_buffers(members, pool.alignment)
        share = max(deadline - time.perf_counter(), 0.0) / (len(queue) + 1)
        outcome = run(algorithm, inst, lower_bound(members), pool.capacity, share)
        if pool.capacity is not None and outcome.peak > pool.capacity:
            movable = [choice[b.id] + 1 < len(candidates[b.id]) for b in members]
            spilled = set(_spill(inst, pool.capacity, movable))
            for i in spilled:
                b = members[i]
                choice[b.id] += 1
                target = candidates[b.id][choice[b.id]]
                if target not in queue:
                    queue.append(target)
            if spilled:
                members = [b for i, b in enumerate(members) if i not in spilled]
                inst = Instance.from_buffers(members, pool.alignment)
                lower = lower_bound(members)
                share = max(deadline - time.perf_counter(), 0.0) / (len(queue) + 1)
                again = run(algorithm, inst, lower, pool.capacity, share)
                packed = run("first_fit", inst, lower)
                outcome = _better(again, packed, pool.capacity)
        results[name] = (members, outcome)
    offsets: dict[str, int] = {}
    assignment: dict[str, str] = {}
    pool_peaks: dict[str, int] = {}
    for name, (members, outcome) in results.items():
        pool_peaks[name] = outcome.peak
        for b, o in zip(members, outcome.offsets, strict=True):
            offsets[b.id] = o
            assignment[b.id] = name
    # Validity (alignment, overlaps, candidates); capacities are ``fits``.
    unbounded = [Pool(p.name, None, p.alignment) for p in pools]
    errors = check_plan(buffers, offsets, pools=unbounded, assignment=assignment)
    if errors:
        raise InvalidPlanError(f"{algorithm} produced an invalid plan: {errors[0]}")
    peak = sum(pool_peaks.values())
    lower = lower_bound(buffers)
    return Plan(
        buffers=tuple(buffers),
        offsets=offsets,
        lower_bound=lower,
        peak=peak,
        algorithm=lookup(algorithm).name,
        optimal=peak == lower,
        fits=all(p.capacity is None or pool_peaks[p.name] <= p.capacity for p in pools),
        seconds=time.perf_counter() - started,
        assignment=assignment,
        pool_peaks=pool_peaks,
    )
