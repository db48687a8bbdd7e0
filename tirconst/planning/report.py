"""Per-pool reports of a plan: what each pool holds, and why it overflows.

:class:`PoolReport` is computed from the placed buffers alone; the pass that
uses the planner prints :func:`format_over_capacity` as its one-line error
and :func:`format_pool_table` as its summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .problem import Buffer

__all__ = ["PoolReport", "pool_report", "format_over_capacity", "format_pool_table"]


@dataclass(frozen=True)
class PoolReport:
    """One pool of a plan.

    ``peak`` is the highest address used, ``lower_bound`` the peak of its live
    bytes (in-place pairs counted once), ``buffers`` the ids placed there.
    ``peak_time`` is a time at which a buffer reaching ``peak`` is live and
    the live bytes are highest; ``live_at_peak`` lists the ``(id, size)`` of
    the non-empty buffers live then, largest first.
    """

    name: str
    capacity: int | None
    peak: int
    lower_bound: int
    buffers: tuple[str, ...]
    algorithm: str
    optimal: bool
    peak_time: int | None
    live_at_peak: tuple[tuple[str, int], ...]

    @property
    def fits(self) -> bool:
        """True when the pool is unbounded or its peak is within capacity."""
        return self.capacity is None or self.peak <= self.capacity


def pool_report(
    name: str,
    capacity: int | None,
    members: Sequence[Buffer],
    offsets: Mapping[str, int],
    lower: int,
    algorithm: str,
    optimal: bool,
) -> PoolReport:
    """The report of a pool holding ``members`` at ``offsets``."""
    sized = [b for b in members if b.size]
    peak = max((offsets[b.id] + b.size for b in sized), default=0)
    peak_time = None
    live: list[Buffer] = []
    if sized:
        top = max(sized, key=lambda b: (offsets[b.id] + b.size, b.size))
        times = {top.start} | {b.start for b in sized if top.start <= b.start < top.end}

        def live_at(t: int) -> list[Buffer]:
            return [b for b in sized if b.start <= t < b.end]

        peak_time = max(sorted(times), key=lambda t: sum(b.size for b in live_at(t)))
        live = sorted(live_at(peak_time), key=lambda b: (-b.size, b.id))
    return PoolReport(
        name=name,
        capacity=capacity,
        peak=peak,
        lower_bound=lower,
        buffers=tuple(b.id for b in members),
        algorithm=algorithm,
        optimal=optimal,
        peak_time=peak_time,
        live_at_peak=tuple((b.id, b.size) for b in live),
    )


def format_over_capacity(report: PoolReport, largest: int = 3) -> str:
    """One line saying why a pool does not fit, e.g.::

        pool 'sram' needs 51,200 bytes (lower bound 49,152) but holds 32,768;
        largest live at t=17: conv3_out 24,576, conv2_out 16,384, ...

    (on one line). Lists the ``largest`` biggest buffers live at the peak
    time, then ``...`` if there are more.
    """
    held = "unbounded" if report.capacity is None else f"{report.capacity:,}"
    line = (
        f"pool '{report.name}' needs {report.peak:,} bytes "
        f"(lower bound {report.lower_bound:,}) but holds {held}"
    )
    if report.peak_time is not None and report.live_at_peak:
        shown = ", ".join(f"{i} {s:,}" for i, s in report.live_at_peak[:largest])
        more = ", ..." if len(report.live_at_peak) > largest else ""
        line += f"; largest live at t={report.peak_time}: {shown}{more}"
    return line


def format_pool_table(reports: Sequence[PoolReport]) -> str:
    """A text table, one row per pool: pool, capacity, peak, lower bound,
    buffers, algorithm, optimal (``yes``/``no``) and fits (``yes``/``no``)."""
    header = (
        "pool",
        "capacity",
        "peak",
        "lower bound",
        "buffers",
        "algorithm",
        "optimal",
        "fits",
    )
    rows = [header]
    for r in reports:
        rows.append(
            (
                r.name,
                "none" if r.capacity is None else f"{r.capacity:,}",
                f"{r.peak:,}",
                f"{r.lower_bound:,}",
                str(len(r.buffers)),
                r.algorithm,
                "yes" if r.optimal else "no",
                "yes" if r.fits else "no",
            )
        )
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(w) if k in (0, 5, 6, 7) else cell.rjust(w)
            for k, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
