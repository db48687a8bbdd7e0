"""In-place sharing: buffers that may reuse another buffer's bytes.

A declared pair ``(a, b)`` says ``b`` may be placed at ``a``'s offset while
both are live (an elementwise op or a reshape whose output reuses its input;
``a`` dies where ``b`` is born). Every algorithm handles pairs the same way:
the buffers of a group of pairs become one *merged* buffer, live from the
first birth to the last death, as large as the largest member, aligned to
the strictest; the merged buffer is planned like any other and every member
gets its offset. ``exact`` also plans the unmerged problem and keeps the
better plan, because merging wastes bytes when the sizes differ.

A pair is merged only if every two buffers of the resulting group that live
together form a declared pair (so the plan never overlaps buffers that were
not declared), and the members have a candidate pool in common.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .problem import Buffer

__all__ = ["Merged", "merge_shares"]


@dataclass(frozen=True)
class Merged:
    """The merged problem: ``buffers`` to plan, and each one's members."""

    buffers: tuple[Buffer, ...]
    members: dict[str, tuple[Buffer, ...]]
    pairs: tuple[tuple[str, str], ...]  # the declared pairs that were merged


def _common_pools(group: Sequence[Buffer]) -> tuple[str, ...] | None:
    """The candidate pools every member allows (``()``: any), None if none."""
    common: tuple[str, ...] = ()
    for b in group:
        if not b.pools:
            continue
        common = b.pools if not common else tuple(p for p in common if p in b.pools)
        if not common:
            return None
    return common


def merge_shares(
    buffers: Sequence[Buffer], shares: Sequence[tuple[str, str]]
) -> Merged:
    """Merge the groups of declared pairs (see the module doc), in pair order."""
    declared = {frozenset(pair) for pair in shares}
    group_of = {b.id: [b] for b in buffers}
    merged_pairs = []
    for a_id, b_id in shares:
        ga, gb = group_of[a_id], group_of[b_id]
        if ga is gb:
            merged_pairs.append((a_id, b_id))
            continue
        union = ga + gb
        clash = any(
            x.size
            and y.size
            and x.lives_with(y)
            and frozenset((x.id, y.id)) not in declared
            for k, x in enumerate(union)
            for y in union[k + 1 :]
        )
        if clash or _common_pools(union) is None:
            continue
        for b in union:
            group_of[b.id] = union
        merged_pairs.append((a_id, b_id))
    out: list[Buffer] = []
    members: dict[str, tuple[Buffer, ...]] = {}
    seen: set[int] = set()
    for b in buffers:
        group = group_of[b.id]
        if id(group) in seen:
            continue
        seen.add(id(group))
        if len(group) == 1:
            out.append(b)
            members[b.id] = (b,)
            continue
        pools = _common_pools(group) or ()
        merged = Buffer(
            b.id,
            min(x.start for x in group),
            max(x.end for x in group),
            max(x.size for x in group),
            max(x.alignment for x in group),
            pools,
        )
        out.append(merged)
        members[merged.id] = tuple(group)
    return Merged(tuple(out), members, tuple(merged_pairs))
