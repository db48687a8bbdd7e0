"""Read-only packing: constants laid out one after another in a pool.

Constants (weights, biases, tables) live for the whole program, so they
cannot share bytes and need no lifetimes: they are packed in the order given,
each at the next multiple of the alignment (16 bytes for the Ethos-U NPU's
weight and scale streams). Cost: O(n).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .core import align_up
from .problem import PlanningError, is_power_of_two

__all__ = ["ConstantPacking", "pack_constants", "NPU_CONSTANT_ALIGNMENT"]

#: The alignment of constant data read by the Ethos-U NPU.
NPU_CONSTANT_ALIGNMENT = 16


@dataclass(frozen=True)
class ConstantPacking:
    """``offsets`` of each constant in the pool, and the bytes ``size`` used
    (the end of the last constant, not rounded up)."""

    offsets: dict[str, int]
    size: int
    alignment: int


def pack_constants(
    constants: Iterable[tuple[str, int]],
    *,
    alignment: int = NPU_CONSTANT_ALIGNMENT,
    capacity: int | None = None,
    pool: str = "constants",
) -> ConstantPacking:
    """Pack ``(name, size)`` constants sequentially, each aligned.

    Raises :class:`PlanningError` for a duplicate name, a negative size, an
    alignment that is not a power of two, or (with a ``capacity``) a packing
    that does not fit, naming the pool and the first constant that overflows.
    """
    if not is_power_of_two(alignment):
        raise PlanningError(f"pool {pool}: alignment {alignment} is not a power of two")
    offsets: dict[str, int] = {}
    end = 0
    for name, size in constants:
        if name in offsets:
            raise PlanningError(f"pool {pool}: duplicate constant {name!r}")
        if size < 0:
            raise PlanningError(f"pool {pool}: constant {name}: negative size {size}")
        offset = align_up(end, alignment)
        offsets[name] = offset
        end = offset + size
        if capacity is not None and end > capacity:
            raise PlanningError(
                f"pool '{pool}' needs at least {end:,} bytes but holds "
                f"{capacity:,}; constant {name} ({size:,} bytes) ends at {end:,}"
            )
    return ConstantPacking(offsets, end, alignment)
