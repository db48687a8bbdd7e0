"""The planner's result, :class:`Plan` (apart from :func:`plan`, so that
:mod:`.pools` and :mod:`.planner` both use it without importing each other)."""

from __future__ import annotations

from dataclasses import dataclass

from .problem import Buffer

__all__ = ["Plan", "InvalidPlanError"]


class InvalidPlanError(AssertionError):
    """An algorithm produced a plan that the checker rejects (a bug)."""


@dataclass(frozen=True)
class Plan:
    """Offsets (and pools) for every buffer, with how good they are.

    ``peak`` is the highest address used; with several pools it is the sum of
    the pools' peaks (``pool_peaks``). ``lower_bound`` is the peak of live
    bytes: no plan has a lower peak. ``optimal`` says the peak is proven
    minimal; ``fits`` that every pool's capacity holds.
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

    def summary(self) -> str:
        """The one-line summary printed by ``tirconst-plan``."""
        return (
            f"peak {self.peak} lower-bound {self.lower_bound} ratio {self.ratio:.4f} "
            f"seconds {self.seconds:.2f} {self.status} ({self.algorithm})"
        )
