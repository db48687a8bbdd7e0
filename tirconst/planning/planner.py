"""The planner's entry point: :func:`plan` (its result is :class:`Plan`)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from .algorithms import DEFAULT_ALGORITHM, lookup, run
from .bounds import check_plan, lower_bound
from .core import Instance
from .pools import plan_pools
from .problem import Buffer, PlanningError, Pool, check_unique_ids
from .result import InvalidPlanError, Plan

__all__ = ["Plan", "plan", "InvalidPlanError", "DEFAULT_TIME_LIMIT"]

#: Seconds the exact algorithm may search by default.
DEFAULT_TIME_LIMIT = 60.0


def plan(
    buffers: Sequence[Buffer],
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    capacity: int | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    pools: Sequence[Pool] | None = None,
) -> Plan:
    """Give every buffer an offset so that buffers live together never overlap.

    ``algorithm`` is one of :data:`~tirconst.planning.algorithms.ALGORITHMS`.
    With a ``capacity`` the exact algorithm stops at the first plan that fits
    it; without, it minimises the peak until proven optimal or ``time_limit``
    seconds pass. With ``pools``, buffers go to the first of their candidate
    pools in which they fit (see :mod:`~tirconst.planning.pools`); ``capacity``
    is then ignored in favour of the pools' own capacities.

    The result always passes :func:`~tirconst.planning.bounds.check_plan`
    (alignment, overlaps); ``fits`` reports whether the capacities hold.
    """
    started = time.perf_counter()
    buffers = tuple(buffers)
    check_unique_ids(buffers)
    lookup(algorithm)
    if capacity is not None and capacity < 0:
        raise PlanningError(f"negative capacity {capacity}")
    if pools:
        return plan_pools(buffers, pools, algorithm, time_limit, started)
    for b in buffers:
        if b.pools:
            raise PlanningError(f"buffer {b.id}: names pools, but no pools are given")
    inst = Instance.from_buffers(buffers)
    lower = lower_bound(buffers)
    outcome = run(algorithm, inst, lower, capacity, time_limit)
    offsets = {b.id: o for b, o in zip(buffers, outcome.offsets, strict=True)}
    errors = check_plan(buffers, offsets)
    if errors:
        raise InvalidPlanError(f"{algorithm} produced an invalid plan: {errors[0]}")
    return Plan(
        buffers=buffers,
        offsets=offsets,
        lower_bound=lower,
        peak=outcome.peak,
        algorithm=lookup(algorithm).name,
        optimal=outcome.optimal,
        fits=capacity is None or outcome.peak <= capacity,
        seconds=time.perf_counter() - started,
        capacity=capacity,
    )
