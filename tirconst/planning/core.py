"""Plain-integer view of a single-pool problem, shared by the algorithms.

Algorithms work on buffer indices ``0..n-1`` rather than on :class:`Buffer`
objects; :class:`Instance` holds the columns they need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import gcd

from .problem import Buffer

__all__ = ["Instance", "align_up"]


def align_up(value: int, alignment: int) -> int:
    """The smallest multiple of ``alignment`` (a power of two) >= ``value``."""
    return (value + alignment - 1) & -alignment


@dataclass
class Instance:
    """Buffers as integer columns: lifetime ``[starts[i], ends[i])`` etc."""

    starts: list[int]
    ends: list[int]
    sizes: list[int]
    aligns: list[int]
    _conflicts: list[list[int]] | None = field(default=None, repr=False)

    @classmethod
    def from_buffers(cls, buffers: Sequence[Buffer], alignment: int = 1) -> Instance:
        """The instance of ``buffers``, each aligned to at least ``alignment``."""
        return cls(
            [b.start for b in buffers],
            [b.end for b in buffers],
            [b.size for b in buffers],
            [max(b.alignment, alignment) for b in buffers],
        )

    def __len__(self) -> int:
        return len(self.sizes)

    @property
    def conflicts(self) -> list[list[int]]:
        """For each buffer, the other buffers live at the same time (sorted).

        Zero-size buffers conflict with nothing. Cost: O(n log n + k) for k
        conflicting pairs, computed once.
        """
        if self._conflicts is None:
            n = len(self)
            result: list[list[int]] = [[] for _ in range(n)]
            order = sorted(range(n), key=lambda i: self.starts[i])
            live: list[int] = []
            for i in order:
                if self.sizes[i] == 0:
                    continue
                start = self.starts[i]
                live = [j for j in live if self.ends[j] > start]
                for j in live:
                    result[i].append(j)
                    result[j].append(i)
                live.append(i)
            for row in result:
                row.sort()
            self._conflicts = result
        return self._conflicts

    def aligned_bound(self) -> int:
        """A lower bound on the peak of any plan that counts alignment: every
        offset is a multiple of its buffer's alignment, so of their common
        divisor g, and of buffers live together the one placed above
        another starts at least the lower one's size rounded up to g above
        it. At each time the live buffers then span at least the sum of
        their rounded sizes less the rounding of the top one; the bound is
        the largest of those. At least the live-bytes bound (`lower_bound`),
        often above it when sizes are no multiples of the alignment (an
        exact search cannot prove optimal a plan between the two).
        Cost: O(n log n + n g)."""
        live = [i for i in range(len(self)) if self.sizes[i] > 0]
        g = 0
        for i in live:
            g = gcd(g, self.aligns[i])
        g = max(g, 1)
        events = sorted(
            [(self.ends[i], 0, i) for i in live]
            + [(self.starts[i], 1, i) for i in live]
        )
        total = 0
        slack: dict[int, int] = {}  # rounding of the live buffers -> how many
        best = 0
        for k, (_, starting, i) in enumerate(events):
            rounded = -(-self.sizes[i] // g) * g
            extra = rounded - self.sizes[i]
            if starting:
                total += rounded
                slack[extra] = slack.get(extra, 0) + 1
            else:
                total -= rounded
                slack[extra] -= 1
                if not slack[extra]:
                    del slack[extra]
            at_end = k + 1 == len(events) or events[k + 1][0] != events[k][0]
            if at_end and slack:
                best = max(best, total - max(slack))
        return best

    def peak(self, offsets: Sequence[int]) -> int:
        """The highest address used by ``offsets``."""
        return max((o + s for o, s in zip(offsets, self.sizes, strict=True)), default=0)
