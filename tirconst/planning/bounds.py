"""The lower bound of a planning problem, and an independent plan checker.

The lower bound is the peak of the live bytes over time: no plan can use less
memory than the buffers alive at the same moment. The checker verifies a plan
from first principles (it shares no code with the algorithms).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .problem import Buffer, Pool

__all__ = [
    "live_profile",
    "lower_bound",
    "check_plan",
    "plan_peak",
    "share_groups",
]


def live_profile(buffers: Sequence[Buffer]) -> list[tuple[int, int]]:
    """The live bytes over time, as ``(time, bytes live from then on)`` steps.

    A sweep over the lifetime end points that handles frees before allocations
    at equal times (lifetimes are half-open, so a buffer ending at ``t`` and
    one starting at ``t`` are never live together). Cost: O(n log n).
    """
    events: list[tuple[int, int]] = []
    for b in buffers:
        events.append((b.start, b.size))
        events.append((b.end, -b.size))
    events.sort(key=lambda event: (event[0], event[1] >= 0))
    profile: list[tuple[int, int]] = []
    live = 0
    for time, delta in events:
        live += delta
        if profile and profile[-1][0] == time:
            profile[-1] = (time, live)
        else:
            profile.append((time, live))
    return profile


def share_groups(
    buffers: Sequence[Buffer], shares: Iterable[tuple[str, str]]
) -> list[list[Buffer]]:
    """The buffers grouped by declared in-place pairs (connected components)."""
    parent = {b.id: b.id for b in buffers}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in shares:
        parent[root(a)] = root(b)
    groups: dict[str, list[Buffer]] = {}
    for b in buffers:
        groups.setdefault(root(b.id), []).append(b)
    return list(groups.values())


def lower_bound(
    buffers: Sequence[Buffer], shares: Iterable[tuple[str, str]] = ()
) -> int:
    """The peak of the live bytes: a lower bound on the peak of any plan.

    With in-place pairs, the buffers of a group (see :func:`share_groups`)
    may overlap one another but nothing else, so a group live at ``t`` holds
    at least the size of its largest member live at ``t``; the bound is the
    peak over ``t`` of those sums. Cost: O(n log n), O(n t) with pairs.
    """
    shares = list(shares)
    if shares:
        times = sorted({b.start for b in buffers})
        best = 0
        groups = share_groups(buffers, shares)
        for t in times:
            total = 0
            for group in groups:
                total += max((b.size for b in group if b.start <= t < b.end), default=0)
            best = max(best, total)
        return best
    peak = 0
    live = 0
    events = sorted(
        [(b.start, 1, b.size) for b in buffers] + [(b.end, 0, -b.size) for b in buffers]
    )
    for _time, _kind, delta in events:
        live += delta
        peak = max(peak, live)
    return peak


def plan_peak(buffers: Sequence[Buffer], offsets: Mapping[str, int]) -> int:
    """The highest address used by a plan (0 for no buffers)."""
    return max((offsets[b.id] + b.size for b in buffers), default=0)


def check_plan(
    buffers: Sequence[Buffer],
    offsets: Mapping[str, int],
    *,
    capacity: int | None = None,
    pools: Sequence[Pool] = (),
    assignment: Mapping[str, str] | None = None,
    shares: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """Every violation of a plan, as one-line messages (empty: the plan is valid).

    Checks that every buffer has a non-negative offset that is a multiple of
    its alignment (and of its pool's), that it fits the capacity (``capacity``
    for a single pool, else the capacity of its pool in ``assignment``, which
    must be one of its candidate pools), and that no two buffers live at the
    same time overlap in the same pool, except a declared in-place pair
    ``(a, b)`` in ``shares`` placed at the same offset of the same pool (any
    other overlap of a pair is an error). Zero-size buffers occupy no bytes.
    Cost: O(n log n + k) for k pairs of buffers live together.
    """
    errors: list[str] = []
    by_name = {pool.name: pool for pool in pools}
    for b in buffers:
        if b.id not in offsets:
            errors.append(f"buffer {b.id}: no offset")
            continue
        offset = offsets[b.id]
        limit = capacity
        align = b.alignment
        if assignment is not None:
            name = assignment.get(b.id)
            pool = by_name.get(name) if name is not None else None
            if pool is None:
                errors.append(f"buffer {b.id}: unknown pool {name!r}")
                continue
            if b.pools and name not in b.pools:
                errors.append(f"buffer {b.id}: pool {name} is not a candidate")
            limit = pool.capacity
            align = max(align, pool.alignment)
        if offset < 0:
            errors.append(f"buffer {b.id}: negative offset {offset}")
        if offset % align:
            errors.append(f"buffer {b.id}: offset {offset} not aligned to {align}")
        if limit is not None and offset + b.size > limit:
            errors.append(
                f"buffer {b.id}: ends at {offset + b.size}, beyond capacity {limit}"
            )
    if errors:
        return errors
    placed = sorted(
        (b for b in buffers if b.size > 0), key=lambda b: (b.start, b.end, b.id)
    )
    declared = {frozenset(pair) for pair in shares}
    live: list[Buffer] = []
    for b in placed:
        live = [a for a in live if a.end > b.start]
        lo, hi = offsets[b.id], offsets[b.id] + b.size
        pool = assignment.get(b.id) if assignment is not None else None
        for a in live:
            if assignment is not None and assignment.get(a.id) != pool:
                continue
            if offsets[a.id] < hi and lo < offsets[a.id] + a.size:
                if offsets[a.id] == lo and frozenset((a.id, b.id)) in declared:
                    continue
                errors.append(
                    f"buffers {a.id} and {b.id} are live together and overlap"
                )
        live.append(b)
    return errors
