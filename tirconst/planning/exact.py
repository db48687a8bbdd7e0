"""Exact branch-and-bound over canonical placements (after MiniMalloc).

This is the algorithm of "MiniMalloc: A Lightweight Memory Allocator for
Hardware-Accelerated Machine Learning" (Moffitt, ASPLOS'23), in pure Python.
:func:`decide` answers the decision problem "do all buffers fit below
``capacity``?"; :func:`solve` builds an anytime optimiser on top of it.

Search. Time is cut into *sections*, one per distinct end time: the buffers
live just before it. Placing a buffer raises the *floor* of its sections.
Only canonical placements are explored: a buffer goes to its *minimum offset*
(the top of the highest placed buffer it lives with, aligned), and buffers are
placed in non-decreasing order of (offset, static preorder index), so every
packing is reached at most once. Pruning:

* section inference: in every section, floor + remaining bytes <= capacity,
  where the floor is at least the offset just used (offsets only grow) and at
  least the lowest minimum offset of the section's unplaced buffers;
* dominance: no buffer is placed at or above the top some other unplaced
  buffer would reach at its minimum offset (that would leave a fillable gap);
* hatless pruning: once placing a buffer that nothing unplaced lives with has
  failed, its siblings fail too;
* dynamic decomposition: when no unplaced buffer crosses a section boundary,
  the two sides are solved independently (and a side already proven
  infeasible in the same state is not searched again).

The search is restarted with geometrically growing node budgets, round-robin
over three static preorders (by width, area and section total), as MiniMalloc
does. Cost: exponential at worst; a node costs O(n + s) for s sections.
"""

from __future__ import annotations

import sys
import time
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from math import gcd

from .core import Instance

__all__ = ["SolveResult", "decide", "solve", "HEURISTICS"]

#: Static preorders tried round-robin: W = lifetime width, A = area (width *
#: size), T = the largest total of the sections the buffer lives in, Z = size;
#: all descending.
HEURISTICS = ("WAT", "TAW", "TWA")


class _NodeLimit(Exception):
    """The search used up its node budget."""


class _Deadline(Exception):
    """The search ran out of time."""


@dataclass
class SolveResult:
    """Offsets found by the exact solver.

    ``offsets`` is None when no plan better than the given upper bound was
    found; ``optimal`` is True when ``peak`` is proven minimal; ``nodes`` counts
    the search nodes over all restarts.
    """

    offsets: list[int] | None
    peak: int
    optimal: bool
    nodes: int


class _Model:
    """Sections, overlaps and section totals of an instance (no zero sizes)."""

    def __init__(self, inst: Instance, index: Sequence[int]) -> None:
        self.index = list(index)  # our buffer -> instance buffer
        self.size = [inst.sizes[i] for i in index]
        self.align = [inst.aligns[i] for i in index]
        starts = [inst.starts[i] for i in index]
        ends = [inst.ends[i] for i in index]
        times = sorted(set(ends))
        n = len(self.size)
        self.lo = [bisect_right(times, s) for s in starts]
        self.hi = [bisect_right(times, e) for e in ends]
        self.width = [e - s for s, e in zip(starts, ends, strict=True)]
        self.sections = len(times)
        self.members: list[list[int]] = [[] for _ in range(self.sections)]
        for b in range(n):
            for s in range(self.lo[b], self.hi[b]):
                self.members[s].append(b)
        self.total = [sum(self.size[b] for b in m) for m in self.members]
        self.cuts = [0] * max(self.sections - 1, 0)
        for b in range(n):
            for s in range(self.lo[b], self.hi[b] - 1):
                self.cuts[s] += 1
        ours = {i: b for b, i in enumerate(self.index)}
        self.overlaps = [
            [ours[j] for j in inst.conflicts[i] if j in ours] for i in self.index
        ]


def decide(
    model: _Model,
    capacity: int,
    heuristic: str,
    node_limit: int,
    deadline: float,
    infeasible: dict[tuple, bool],
    stats: list[int],
) -> list[int] | None:
    """Search for offsets that fit every buffer of ``model`` below ``capacity``.

    Returns the offsets, or None if there are none (a proof). Raises
    ``_NodeLimit`` / ``_Deadline``. ``infeasible`` caches sub-problems proven
    infeasible at this capacity; ``stats[0]`` accumulates the node count.
    """
    n = len(model.size)
    size = model.size
    lo = model.lo
    hi = model.hi
    members = model.members
    overlaps = model.overlaps
    width = model.width
    off = [-1] * n
    sol = [-1] * n
    minoff = [0] * n
    tot = list(model.total)
    cuts = list(model.cuts)
    align = model.align
    aligned = any(a > 1 for a in align)
    nodes = 0
    if max(tot, default=0) > capacity:
        return None

    def preorder(bufs: list[int]) -> list[int]:
        keys = []
        for b in bufs:
            key = []
            for c in heuristic:
                if c == "W":
                    key.append(-width[b])
                elif c == "A":
                    key.append(-width[b] * size[b])
                elif c == "T":
                    key.append(-max(tot[lo[b] : hi[b]]))
                elif c == "Z":
                    key.append(-size[b])
            key.append(b)
            keys.append((tuple(key), b))
        keys.sort()
        return [b for _, b in keys]

    def subsolve(bufs: list[int], a: int, z: int) -> bool:
        ordered = sorted(bufs)
        key = (a, z, tuple(ordered), tuple([minoff[b] for b in ordered]))
        if key in infeasible:
            return False
        order = preorder(bufs)
        rank = {b: i for i, b in enumerate(order)}
        if search(order, rank, a, z, -1, -1):
            return True
        infeasible[key] = True
        return False

    def search(
        order: list[int],
        rank: dict[int, int],
        a: int,
        z: int,
        last_off: int,
        last_rank: int,
    ) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes >= node_limit:
            raise _NodeLimit
        if not nodes & 255 and time.perf_counter() > deadline:
            raise _Deadline
        rem = [b for b in order if off[b] < 0]
        if not rem:
            return True
        min_height = min([minoff[b] + size[b] for b in rem])
        cands = [b for b in rem if minoff[b] < min_height]
        if len(cands) > 1:
            cands.sort(key=minoff.__getitem__)
        # Section inference with a monotonic floor: every section keeps room
        # for its remaining bytes above the offset used now (offsets only grow
        # along a branch), so no offset above this one can succeed.
        highest = capacity - max(tot[a:z])
        for b in cands:
            o = minoff[b]
            if o > highest:
                break
            if o < last_off or (o == last_off and rank[b] < last_rank):
                continue
            sz = size[b]
            h = o + sz
            lb = lo[b]
            hb = hi[b]
            tot[lb:hb] = [t - sz for t in tot[lb:hb]]
            off[b] = o
            sol[b] = o
            # Raise the minimum offsets of the unplaced buffers above b.
            changed = []
            hatless = True
            first = lb  # the sections of the buffers raised: [first, last)
            last = hb
            for c in overlaps[b]:
                if off[c] < 0:
                    hatless = False
                    if minoff[c] < h:
                        changed.append(c)
                        changed.append(minoff[c])
                        if aligned:
                            al = align[c]
                            minoff[c] = (h + al - 1) & -al
                        else:
                            minoff[c] = h
                        if lo[c] < first:
                            first = lo[c]
                        if hi[c] > last:
                            last = hi[c]
            # Unallocated floor: in every section touched, some unplaced buffer
            # must start low enough for the remaining bytes to fit above it.
            ok = True
            if changed:
                for s in range(first, last):
                    t = tot[s]
                    if t:
                        threshold = capacity - t
                        for x in members[s]:
                            if off[x] < 0 and minoff[x] <= threshold:
                                break
                        else:
                            ok = False
                            break
            found = False
            if ok:
                # Dynamic decomposition at boundaries no unplaced buffer crosses.
                cutpoints = []
                for s in range(lb, hb - 1):
                    cuts[s] -= 1
                    if not cuts[s]:
                        cutpoints.append(s + 1)
                try:
                    if not cutpoints:
                        found = search(rem, rank, a, z, o, rank[b])
                    else:
                        found = True
                        bounds = [a, *cutpoints, z]
                        for k in range(len(bounds) - 1):
                            sub_a, sub_z = bounds[k], bounds[k + 1]
                            sub = [
                                c
                                for c in rem
                                if off[c] < 0 and lo[c] < sub_z and sub_a < hi[c]
                            ]
                            if sub and not subsolve(sub, sub_a, sub_z):
                                found = False
                                break
                finally:
                    for s in range(lb, hb - 1):
                        cuts[s] += 1
            tot[lb:hb] = [t + sz for t in tot[lb:hb]]
            for i in range(len(changed) - 2, -1, -2):
                minoff[changed[i]] = changed[i + 1]
            off[b] = -1
            if found:
                return True
            if hatless:
                break
        return False

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * n + 1000))
    try:
        bounds = [0] + [s + 1 for s, c in enumerate(cuts) if not c] + [model.sections]
        for k in range(len(bounds) - 1):
            a, z = bounds[k], bounds[k + 1]
            sub = [b for b in range(n) if lo[b] < z and a < hi[b]]
            if sub and not subsolve(sub, a, z):
                return None
        return sol
    finally:
        stats[0] += nodes
        sys.setrecursionlimit(limit)


def solve(
    inst: Instance,
    lower: int,
    upper: int,
    *,
    capacity: int | None,
    deadline: float,
    heuristics: Sequence[str] = HEURISTICS,
    minimise_unfit: bool = True,
) -> SolveResult:
    """Anytime search for a plan whose peak is below ``upper``.

    ``lower`` must be a lower bound (e.g. the peak of live bytes). Each round
    doubles the node budget and runs :func:`decide` once per heuristic and
    target. With a ``capacity`` >= ``lower`` the goal is to fit: the targets
    are ``lower`` and ``capacity``, and the search stops at the first plan that
    fits (after one round at ``lower`` if ``upper`` already fits). Otherwise it
    minimises the peak, bisecting between the proven bound and the best peak,
    until it is proven optimal or ``deadline`` (a ``time.perf_counter()``
    value) passes. With ``minimise_unfit`` False, a search proving that
    ``capacity`` cannot be reached stops there instead of minimising (a
    decision: "does it fit?"). Returns the best plan found below ``upper`` (offsets None
    if there is none) and whether ``upper`` or its peak is proven optimal.
    """
    index = [i for i in range(len(inst)) if inst.sizes[i] > 0]
    model = _Model(inst, index)
    # Peaks are multiples of ``step`` when sizes and alignments agree on it.
    step = 0
    for size in model.size:
        step = gcd(step, size)
    if not step or any(step % a and a % step for a in model.align):
        step = 1
    stats = [0]
    best: list[int] | None = None
    best_peak = upper
    proven = lower  # no plan has a peak below this
    fit = capacity is not None and capacity >= lower
    caches: dict[int, dict[tuple, bool]] = {}

    def finish() -> SolveResult:
        offsets = None
        if best is not None:
            offsets = [0] * len(inst)
            for k, i in enumerate(index):
                offsets[i] = best[k]
        return SolveResult(offsets, best_peak, proven >= best_peak, stats[0])

    node_limit = max(len(index), 1)
    rounds = 0
    try:
        while proven < best_peak:
            if fit and capacity is not None and best_peak <= capacity and rounds:
                break
            if time.perf_counter() > deadline:
                break
            rounds += 1
            node_limit *= 2
            for heuristic in heuristics:
                # Try the proven bound, then (when fitting) the capacity, or
                # (when minimising) bisect between the proven bound and the
                # best peak: up after a target exhausts its budget, down after
                # a success, until the gap is below 0.1%.
                target = proven
                hard = proven - 1  # highest target that exhausted its budget
                while proven <= target < best_peak:
                    cache = caches.setdefault(target, {})
                    try:
                        found = decide(
                            model, target, heuristic, node_limit, deadline, cache, stats
                        )
                    except _NodeLimit:
                        found = None
                        hard = max(hard, target)
                    else:
                        if found is None:
                            proven = -(-(target + 1) // step) * step
                            hard = max(hard, proven - 1)
                    if found is not None:
                        best = found
                        best_peak = max(
                            o + s for o, s in zip(found, model.size, strict=True)
                        )
                        if fit and capacity is not None and best_peak <= capacity:
                            return finish()
                    for stale in [t for t in caches if not proven <= t < best_peak]:
                        del caches[stale]
                    if fit and capacity is not None and capacity < proven:
                        if not minimise_unfit:
                            return finish()
                        fit = False  # it cannot fit: minimise instead
                    if fit and capacity is not None:
                        if target >= capacity:
                            break
                        target = capacity
                        continue
                    low = max(hard + 1, proven)
                    if best_peak - step - low < max(step, best_peak >> 10):
                        break
                    middle = (low + best_peak - step) // 2
                    target = max(middle - middle % step, low)
                if proven >= best_peak:
                    break
    except _Deadline:
        pass
    return finish()
