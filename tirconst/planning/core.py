"""Plain-integer view of a single-pool problem, shared by the algorithms.

Algorithms work on buffer indices ``0..n-1`` rather than on :class:`Buffer`
objects; :class:`Instance` holds the columns they need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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

    def peak(self, offsets: Sequence[int]) -> int:
        """The highest address used by ``offsets``."""
        return max((o + s for o, s in zip(offsets, self.sizes, strict=True)), default=0)
