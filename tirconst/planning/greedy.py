"""Greedy baselines: the planners of TVM USMP, TFLite and TFLite Micro.

Each sorts the buffers once and then places them one by one, never moving a
placed buffer. They differ in the order and in where a buffer goes among the
already placed buffers it conflicts with (those live at the same time):

* ``top``: directly above the highest of them (TVM USMP ``greedy_by_*``);
* ``first``: in the lowest gap between them that is large enough (TFLite
  Micro's ``GreedyMemoryPlanner``);
* ``best``: in the smallest gap that is large enough, else on top (TFLite's
  ``GreedyBySize`` best fit).

Cost: O(n log n + k log k) for k conflicting pairs (O(n^2 log n) at worst).
"""

from __future__ import annotations

from collections.abc import Sequence

from .core import Instance, align_up

__all__ = [
    "greedy_by_size",
    "greedy_by_conflicts",
    "first_fit",
    "best_fit",
    "place",
    "size_order",
    "conflict_order",
]


def place(size: int, align: int, busy: Sequence[tuple[int, int]], rule: str) -> int:
    """The offset for a buffer given the ``(offset, end)`` ranges already taken.

    ``rule`` is ``"top"``, ``"first"`` or ``"best"`` (see the module doc).
    """
    if not busy:
        return 0
    if rule == "top":
        return align_up(max(end for _, end in busy), align)
    best_offset = -1
    best_gap = -1
    cursor = 0
    for lo, hi in sorted(busy):
        offset = align_up(cursor, align)
        if lo - offset >= size:
            if rule == "first":
                return offset
            gap = lo - cursor
            if best_offset < 0 or gap < best_gap:
                best_offset, best_gap = offset, gap
        cursor = max(cursor, hi)
    if best_offset >= 0:
        return best_offset
    return align_up(cursor, align)


def size_order(inst: Instance) -> list[int]:
    """Largest first; ties: more conflicts first, then input order (as TVM)."""
    conflicts = inst.conflicts
    return sorted(
        range(len(inst)), key=lambda i: (-inst.sizes[i], -len(conflicts[i]), i)
    )


def conflict_order(inst: Instance) -> list[int]:
    """Most conflicts first; ties: larger first, then input order (as TVM)."""
    conflicts = inst.conflicts
    return sorted(
        range(len(inst)), key=lambda i: (-len(conflicts[i]), -inst.sizes[i], i)
    )


def place_in_order(inst: Instance, order: Sequence[int], rule: str) -> list[int]:
    """Place the buffers one by one in ``order`` with the given ``rule``."""
    offsets = [-1] * len(inst)
    conflicts = inst.conflicts
    sizes = inst.sizes
    for i in order:
        busy = [
            (offsets[j], offsets[j] + sizes[j]) for j in conflicts[i] if offsets[j] >= 0
        ]
        offsets[i] = place(sizes[i], inst.aligns[i], busy, rule)
    return offsets


def greedy_by_size(inst: Instance) -> list[int]:
    """TVM USMP ``greedy_by_size``: largest first, above the highest conflict."""
    return place_in_order(inst, size_order(inst), "top")


def greedy_by_conflicts(inst: Instance) -> list[int]:
    """TVM USMP ``greedy_by_conflicts``: most conflicts first, on top."""
    return place_in_order(inst, conflict_order(inst), "top")


def first_fit(inst: Instance) -> list[int]:
    """TFLite Micro's greedy planner: largest first, into the lowest gap."""
    return place_in_order(inst, size_order(inst), "first")


def best_fit(inst: Instance) -> list[int]:
    """TFLite's greedy-by-size best fit: largest first, into the smallest gap."""
    return place_in_order(inst, size_order(inst), "best")
