"""The planner's entry point: :func:`plan` and its result, :class:`Plan`."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .algorithms import DEFAULT_ALGORITHM, lookup, run
from .bounds import check_plan, lower_bound
from .core import Instance
from .pools import PoolPlacement, candidate_pools, plan_pools
from .problem import Buffer, PlanningError, Pool, check_shares, check_unique_ids
from .report import PoolReport, format_over_capacity, format_pool_table, pool_report
from .sharing import merge_shares

__all__ = ["Plan", "plan", "InvalidPlanError", "DEFAULT_TIME_LIMIT", "DEFAULT_POOL"]

#: Seconds the exact algorithm may search by default.
DEFAULT_TIME_LIMIT = 60.0

#: The name of the single address space of a plan without pools.
DEFAULT_POOL = "memory"


class InvalidPlanError(AssertionError):
    """An algorithm produced a plan that the checker rejects (a bug)."""


@dataclass(frozen=True)
class Plan:
    """Offsets (and pools) for every buffer, with how good they are.

    ``peak`` is the highest address used; with several pools it is the sum of
    the pools' peaks (``pool_peaks``). ``lower_bound`` is the peak of live
    bytes (in-place pairs counted once): no plan has a lower peak.
    ``optimal`` says the peak is proven minimal; ``fits`` that every pool's
    capacity holds. ``pools`` has one :class:`PoolReport` per pool (a single
    one named ``memory`` without pools); ``shares`` the declared in-place
    pairs.
    """

    buffers: tuple[Buffer, ...]
    offsets: dict[str, int]
    lower_bound: int
    peak: int
    algorithm: str
    optimal: bool
    fits: bool
    seconds: float
    capacity: int | None = None
    assignment: dict[str, str] | None = None
    pool_peaks: dict[str, int] | None = None
    pools: tuple[PoolReport, ...] = ()
    shares: tuple[tuple[str, str], ...] = ()

    @property
    def ratio(self) -> float:
        """``peak / lower_bound`` (1.0 when both are 0)."""
        return self.peak / self.lower_bound if self.lower_bound else 1.0

    @property
    def status(self) -> str:
        """``"optimal"``, ``"feasible"`` or ``"over-capacity"``."""
        if not self.fits:
            return "over-capacity"
        return "optimal" if self.optimal else "feasible"

    @property
    def shared(self) -> tuple[tuple[str, str], ...]:
        """The declared pairs that the plan places at the same offset."""
        where = self.assignment or {}
        return tuple(
            (a, b)
            for a, b in self.shares
            if self.offsets[a] == self.offsets[b] and where.get(a) == where.get(b)
        )

    def pool(self, name: str) -> PoolReport:
        """The report of pool ``name`` (KeyError if there is none)."""
        for report in self.pools:
            if report.name == name:
                return report
        raise KeyError(name)

    def over_capacity(self) -> list[str]:
        """One line per pool over its capacity (:func:`format_over_capacity`)."""
        return [format_over_capacity(r) for r in self.pools if not r.fits]

    def table(self) -> str:
        """The per-pool text table (:func:`format_pool_table`)."""
        return format_pool_table(self.pools)

    def summary(self) -> str:
        """The one-line summary printed by ``tirconst-plan``."""
        return (
            f"peak {self.peak} lower-bound {self.lower_bound} ratio {self.ratio:.4f} "
            f"seconds {self.seconds:.2f} {self.status} ({self.algorithm})"
        )


def _single(
    buffers: Sequence[Buffer],
    algorithm: str,
    capacity: int | None,
    time_limit: float | None,
) -> list[PoolPlacement]:
    inst = Instance.from_buffers(buffers)
    outcome = run(algorithm, inst, lower_bound(buffers), capacity, time_limit)
    pool = Pool(DEFAULT_POOL, capacity)
    return [PoolPlacement(pool, list(buffers), outcome, lookup(algorithm).name)]


def _expand(
    placements: list[PoolPlacement], members: dict[str, tuple[Buffer, ...]]
) -> tuple[dict[str, int], dict[str, str]]:
    """Offsets and pools of the original buffers from a (merged) placement."""
    offsets: dict[str, int] = {}
    assignment: dict[str, str] = {}
    for placed in placements:
        for b, o in zip(placed.members, placed.outcome.offsets, strict=True):
            for m in members[b.id]:
                offsets[m.id] = o
                assignment[m.id] = placed.pool.name
    return offsets, assignment


def _score(placements: list[PoolPlacement]) -> tuple[int, int]:
    """Lower is better: pools over capacity, then the total peak."""
    return (
        sum(not p.fits for p in placements),
        sum(p.outcome.peak for p in placements),
    )


def plan(
    buffers: Sequence[Buffer],
    *,
    algorithm: str = DEFAULT_ALGORITHM,
    capacity: int | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    pools: Sequence[Pool] | None = None,
    shares: Iterable[tuple[str, str]] = (),
) -> Plan:
    """Give every buffer an offset so that buffers live together never overlap.

    ``algorithm`` is one of :data:`~tirconst.planning.algorithms.ALGORITHMS`.
    With a ``capacity`` the exact algorithm stops at the first plan that fits
    it; without, it minimises the peak until proven optimal or ``time_limit``
    seconds pass. With ``pools``, buffers go to the first of their candidate
    pools in which they fit (see :mod:`~tirconst.planning.pools`); ``capacity``
    is then ignored in favour of the pools' own capacities. ``shares`` lists
    in-place pairs ``(a, b)``: ``b`` may be placed at ``a``'s offset (see
    :mod:`~tirconst.planning.sharing`).

    The result always passes :func:`~tirconst.planning.bounds.check_plan`
    (alignment, overlaps); ``fits`` reports whether the capacities hold.
    """
    started = time.perf_counter()
    buffers = tuple(buffers)
    check_unique_ids(buffers)
    lookup(algorithm)
    if capacity is not None and capacity < 0:
        raise PlanningError(f"negative capacity {capacity}")
    pairs = check_shares(buffers, shares)
    if pools:
        candidate_pools(buffers, pools)
    else:
        for b in buffers:
            if b.pools:
                raise PlanningError(
                    f"buffer {b.id}: names pools, but no pools are given"
                )
    deadline = started + (time_limit if time_limit is not None else 1e9)

    def attempt(problem: Sequence[Buffer], part: float = 1.0) -> list[PoolPlacement]:
        left = None
        if time_limit is not None:
            left = max(deadline - time.perf_counter(), 0.0) * part
        if pools:
            return plan_pools(problem, pools, algorithm, left)
        return _single(problem, algorithm, capacity, left)

    members = {b.id: (b,) for b in buffers}
    lower = lower_bound(buffers, pairs)
    if pairs:
        merged = merge_shares(buffers, pairs)
        # exact also tries the unmerged problem (merging may waste bytes).
        both = lookup(algorithm).name == "exact" and len(merged.buffers) < len(buffers)
        placements = attempt(merged.buffers, 0.5 if both else 1.0)
        members = merged.members
        if both and _score(placements) > (0, lower):
            plain = attempt(buffers)
            if _score(plain) < _score(placements):
                placements = plain
                members = {b.id: (b,) for b in buffers}
    else:
        placements = attempt(buffers)
    offsets, assignment = _expand(placements, members)
    # Validity (alignment, overlaps, candidates); capacities are ``fits``.
    unbounded = [Pool(p.pool.name, None, p.pool.alignment) for p in placements]
    errors = check_plan(
        buffers,
        offsets,
        pools=unbounded,
        assignment=assignment,
        shares=pairs,
    )
    if errors:
        raise InvalidPlanError(f"{algorithm} produced an invalid plan: {errors[0]}")
    reports = []
    for placed in placements:
        name = placed.pool.name
        held = [b for b in buffers if assignment[b.id] == name]
        inside = [p for p in pairs if assignment[p[0]] == assignment[p[1]] == name]
        pool_lower = lower_bound(held, inside)
        peak = max((offsets[b.id] + b.size for b in held if b.size), default=0)
        proven = placed.outcome.optimal and all(len(members[b.id]) == 1 for b in held)
        reports.append(
            pool_report(
                name,
                placed.pool.capacity,
                held,
                offsets,
                pool_lower,
                placed.algorithm,
                peak == pool_lower or proven,
            )
        )
    fits = all(r.fits for r in reports)
    peak = sum(r.peak for r in reports)
    if pools:
        optimal = peak == lower
    else:
        optimal = reports[0].optimal and (not pairs or peak == lower)
    return Plan(
        buffers=buffers,
        offsets=offsets,
        lower_bound=lower,
        peak=peak,
        algorithm=lookup(algorithm).name,
        optimal=optimal,
        fits=fits,
        seconds=time.perf_counter() - started,
        capacity=None if pools else capacity,
        assignment=assignment if pools else None,
        pool_peaks={r.name: r.peak for r in reports} if pools else None,
        pools=tuple(reports),
        shares=pairs,
    )
