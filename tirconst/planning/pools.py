"""Planning over several pools: buffers go to the first candidate that fits.

As in TVM USMP, each buffer lists its candidate pools in order of preference
(no list: every pool, in the order given). Where a buffer goes is decided
from the chosen algorithm's own placement, so the assignment never trusts a
packing the algorithm did not produce:

1. every buffer starts in its first candidate pool; pools are planned in the
   order given (a pool that receives buffers is planned again);
2. while a pool's live bytes exceed its capacity (no placement can fit),
   a buffer live at the most crowded time that still has a next candidate
   moves on: the smallest whose move removes the excess, else the largest;
3. while the algorithm's plan of the pool exceeds its capacity, one buffer
   that still has a next candidate moves on: the largest of those the plan
   puts beyond the capacity, else of those live together with such a buffer,
   else of all; the pool is then planned again;
4. a pool whose buffers all stay and still do not fit is packed by ``exact``
   against its capacity (the pool's report then names ``exact``);
5. if some pool is still over capacity, a search over the assignments the
   candidate lists allow (largest buffer first, pruned by each pool's live
   bytes, each pool decided by ``exact``) looks for one that fits, within the
   time limit; each pool of the assignment found keeps the algorithm's own
   placement if it fits, else ``exact``'s.

So a plan is over capacity only when no allowed assignment fits (or the time
limit cut the search short). Cost: the algorithm's, once per round of moves
per pool; step 5 is exponential at worst but runs only on failure. The time
limit is shared among the pools.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

from . import exact, greedy
from .algorithms import Outcome, lookup, run
from .bounds import live_profile, lower_bound
from .core import Instance
from .problem import Buffer, PlanningError, Pool

__all__ = ["PoolPlacement", "plan_pools", "candidate_pools"]


class PoolPlacement:
    """One pool's buffers, their placement and the algorithm that placed them."""

    def __init__(
        self, pool: Pool, members: list[Buffer], outcome: Outcome, algorithm: str
    ) -> None:
        self.pool = pool
        self.members = members
        self.outcome = outcome
        self.algorithm = algorithm

    @property
    def fits(self) -> bool:
        return self.pool.capacity is None or self.outcome.peak <= self.pool.capacity


def candidate_pools(
    buffers: Sequence[Buffer], pools: Sequence[Pool]
) -> dict[str, tuple[str, ...]]:
    """Each buffer's candidate pool names, in order; checks the names."""
    names = [p.name for p in pools]
    if len(set(names)) != len(names):
        raise PlanningError("duplicate pool names")
    candidates: dict[str, tuple[str, ...]] = {}
    for b in buffers:
        cands = b.pools or tuple(names)
        unknown = [name for name in cands if name not in names]
        if unknown:
            raise PlanningError(f"buffer {b.id}: unknown pool {unknown[0]!r}")
        candidates[b.id] = cands
    return candidates


def _spill_choice(
    inst: Instance, outcome: Outcome, capacity: int, movable: Sequence[bool]
) -> list[int]:
    """The buffers to move out of an over-capacity pool (see the module doc)."""
    sizes = inst.sizes
    beyond = [
        i
        for i in range(len(inst))
        if sizes[i] and outcome.offsets[i] + sizes[i] > capacity
    ]
    chosen = {i for i in beyond if movable[i]}
    if not chosen:
        chosen = {j for i in beyond for j in inst.conflicts[i] if movable[j]}
    if not chosen:
        chosen = {i for i in range(len(inst)) if movable[i] and sizes[i]}
    if not chosen:
        return []
    return [max(chosen, key=lambda i: (sizes[i], -i))]


def _crowded(members: Sequence[Buffer], capacity: int, movable: Sequence[bool]) -> int:
    """A movable buffer live when the live bytes exceed ``capacity``, or -1 if
    they fit: at the most crowded time, the smallest buffer whose move removes
    the excess (so large buffers stay in the preferred pool), else the
    largest."""
    worst, when = capacity, None
    for t, live in live_profile(members):
        if live > worst:
            worst, when = live, t
    if when is None:
        return -1
    live_now = [
        i
        for i, b in enumerate(members)
        if movable[i] and b.size and b.start <= when < b.end
    ]
    if not live_now:
        return -1
    enough = [i for i in live_now if members[i].size >= worst - capacity]
    if enough:
        return min(enough, key=lambda i: (members[i].size, i))
    return max(live_now, key=lambda i: (members[i].size, -i))


def _place(
    pool: Pool, members: list[Buffer], algorithm: str, seconds: float
) -> PoolPlacement:
    inst = Instance.from_buffers(members, pool.alignment)
    outcome = run(algorithm, inst, lower_bound(members), pool.capacity, seconds)
    return PoolPlacement(pool, members, outcome, lookup(algorithm).name)


def _fits_exactly(
    pool: Pool, members: list[Buffer], seconds: float
) -> PoolPlacement | None:
    """An ``exact`` placement of ``members`` within the pool's capacity, or
    None if there is none (or none was found in ``seconds``): a decision, so
    a proof that it cannot fit stops the search."""
    if pool.capacity is None:
        return _place(pool, members, "exact", seconds)
    lower = lower_bound(members)
    if lower > pool.capacity:
        return None
    inst = Instance.from_buffers(members, pool.alignment)
    start = min([greedy.best_fit(inst), greedy.first_fit(inst)], key=inst.peak)
    peak = inst.peak(start)
    outcome = Outcome(start, peak, peak == lower)
    if peak > pool.capacity:
        if inst.aligned_bound() > pool.capacity:
            return None  # no plan fits: the search could only fail
        found = exact.solve(
            inst,
            lower,
            peak,
            capacity=pool.capacity,
            deadline=time.perf_counter() + seconds,
            minimise_unfit=False,
        )
        if found.offsets is None or found.peak > pool.capacity:
            return None
        outcome = Outcome(found.offsets, found.peak, found.optimal, found.nodes)
    return PoolPlacement(pool, members, outcome, "exact")


def _search(
    buffers: Sequence[Buffer],
    pools: Sequence[Pool],
    candidates: dict[str, tuple[str, ...]],
    deadline: float,
) -> dict[str, PoolPlacement] | None:
    """An assignment in which every pool fits (``exact`` placements), or None.

    Depth-first over the buffers, largest first, each in its candidate pools
    in order; a pool is pruned when its live bytes exceed its capacity, and
    decided by ``exact`` once all its buffers are assigned.
    """
    by_name = {p.name: p for p in pools}
    order = sorted(buffers, key=lambda b: (-b.size, b.id))
    times = sorted({t for b in buffers for t in (b.start, b.end)})
    index = {t: k for k, t in enumerate(times)}
    live = {p.name: [0] * len(times) for p in pools}
    members: dict[str, list[Buffer]] = {p.name: [] for p in pools}
    # Position of the last buffer that may go to each pool: a pool is final
    # (can be decided) once the search is past it.
    last = {p.name: -1 for p in pools}
    for k, b in enumerate(order):
        for name in candidates[b.id]:
            last[name] = k
    decided: dict[tuple[str, frozenset[str]], PoolPlacement | None] = {}

    def decide(name: str) -> PoolPlacement | None:
        key = (name, frozenset(b.id for b in members[name]))
        if key not in decided:
            seconds = max(deadline - time.perf_counter(), 0.0)
            decided[key] = _fits_exactly(by_name[name], list(members[name]), seconds)
        return decided[key]

    def go(k: int) -> bool:
        if time.perf_counter() > deadline:
            raise TimeoutError
        if k == len(order):
            return True
        b = order[k]
        lo, hi = index[b.start], index[b.end]
        for name in candidates[b.id]:
            cap = by_name[name].capacity
            row = live[name]
            if cap is not None and any(row[s] + b.size > cap for s in range(lo, hi)):
                continue
            for s in range(lo, hi):
                row[s] += b.size
            members[name].append(b)
            ok = all(
                by_name[p].capacity is None or decide(p) is not None
                for p in members
                if last[p] == k
            )
            if ok and go(k + 1):
                return True
            members[name].pop()
            for s in range(lo, hi):
                row[s] -= b.size
        return False

    try:
        if not go(0):
            return None
    except TimeoutError:
        return None
    result = {}
    for p in pools:
        chosen = members[p.name]
        placed = decide(p.name) if p.capacity is not None else None
        result[p.name] = placed or _place(p, chosen, "exact", 0.0)
    return result


def plan_pools(
    buffers: Sequence[Buffer],
    pools: Sequence[Pool],
    algorithm: str,
    time_limit: float | None,
) -> list[PoolPlacement]:
    """Place ``buffers`` over ``pools`` (see the module doc), one entry per pool
    in the order given."""
    by_name = {p.name: p for p in pools}
    candidates = candidate_pools(buffers, pools)
    choice = {b.id: 0 for b in buffers}
    started = time.perf_counter()
    deadline = started + (time_limit if time_limit is not None else 1e9)

    def share(waiting: int) -> float:
        return max(deadline - time.perf_counter(), 0.0) / (waiting + 1)

    queue = deque(p.name for p in pools)
    results: dict[str, PoolPlacement] = {}
    while queue:
        name = queue.popleft()
        pool = by_name[name]
        members = [b for b in buffers if candidates[b.id][choice[b.id]] == name]

        def move(members: list[Buffer], i: int) -> None:
            b = members.pop(i)
            choice[b.id] += 1
            target = candidates[b.id][choice[b.id]]
            if target not in queue:
                queue.append(target)

        def movable(members: list[Buffer]) -> list[bool]:
            return [choice[b.id] + 1 < len(candidates[b.id]) for b in members]

        # No placement can fit while the live bytes exceed the capacity.
        while pool.capacity is not None:
            i = _crowded(members, pool.capacity, movable(members))
            if i < 0:
                break
            move(members, i)
        placed = _place(pool, members, algorithm, share(len(queue)))
        while not placed.fits:
            assert pool.capacity is not None
            inst = Instance.from_buffers(members, pool.alignment)
            spilled = _spill_choice(
                inst, placed.outcome, pool.capacity, movable(members)
            )
            if not spilled:
                if placed.algorithm != "exact":
                    placed = _fits_exactly(pool, members, share(len(queue))) or placed
                break
            move(members, spilled[0])
            placed = _place(pool, members, algorithm, share(len(queue)))
        results[name] = placed
    if not all(r.fits for r in results.values()):
        found = _search(buffers, pools, candidates, deadline)
        if found is not None:
            # Keep the algorithm's own placement wherever it fits.
            for name, exact_placed in found.items():
                own = exact_placed
                if lookup(algorithm).name != "exact":
                    own = _place(by_name[name], exact_placed.members, algorithm, 0.0)
                results[name] = own if own.fits else exact_placed
    return [results[p.name] for p in pools]
