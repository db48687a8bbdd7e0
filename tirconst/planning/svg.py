"""Draw a plan as SVG (written by hand, no plotting dependency).

Time runs across, addresses up; each buffer is a rectangle ``[start, end) x
[offset, offset + size)``. The lower bound is a dashed red line, the capacity
(if any) a dotted black one. With several pools there is one panel per pool.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .bounds import lower_bound
from .planner import Plan

__all__ = ["plan_svg"]

WIDTH = 960  # plot area, pixels
HEIGHT = 480  # per panel
LEFT, RIGHT, TOP, GAP = 90, 20, 40, 60


def _panel(plan: Plan, pool: str | None, top: float, out: list[str]) -> None:
    buffers = [
        b for b in plan.buffers if pool is None or (plan.assignment or {})[b.id] == pool
    ]
    offsets = plan.offsets
    lower = plan.lower_bound if pool is None else lower_bound(buffers)
    peak = max((offsets[b.id] + b.size for b in buffers), default=0)
    capacity = plan.capacity
    if pool is not None:
        capacity = None  # pool capacities are not kept in the plan
    t0 = min((b.start for b in plan.buffers), default=0)
    t1 = max((b.end for b in plan.buffers), default=1)
    ymax = max(peak, lower, capacity or 0, 1)
    sx = WIDTH / max(t1 - t0, 1)
    sy = HEIGHT / ymax

    def y(address: float) -> float:
        return top + HEIGHT - address * sy

    title = f"pool {pool}: " if pool is not None else ""
    title += f"peak {peak}, lower bound {lower}"
    out.append(
        f'<text x="{LEFT}" y="{top - 10:.1f}" font-size="14">{escape(title)}</text>'
    )
    out.append(
        f'<rect x="{LEFT}" y="{top}" width="{WIDTH}" height="{HEIGHT}" '
        'fill="none" stroke="#999"/>'
    )
    for k, b in enumerate(buffers):
        x = LEFT + (b.start - t0) * sx
        o = offsets[b.id]
        hue = (k * 137) % 360
        tip = f"{b.id}: [{b.start}, {b.end}) size {b.size} offset {o}"
        out.append(
            f'<rect x="{x:.2f}" y="{y(o + b.size):.2f}" '
            f'width="{max((b.end - b.start) * sx, 0.5):.2f}" '
            f'height="{max(b.size * sy, 0.5):.2f}" fill="hsl({hue},60%,70%)" '
            f'stroke="#333" stroke-width="0.3"><title>{escape(tip)}</title></rect>'
        )
    lines = [(lower, "lower bound", "red", "6,4")]
    if capacity is not None:
        lines.append((capacity, "capacity", "black", "2,3"))
    for value, label, color, dash in lines:
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + WIDTH}" y1="{y(value):.2f}" '
            f'y2="{y(value):.2f}" stroke="{color}" stroke-dasharray="{dash}"/>'
        )
        out.append(
            f'<text x="{LEFT - 5}" y="{y(value) + 4:.2f}" font-size="11" '
            f'text-anchor="end" fill="{color}">{label} {value}</text>'
        )
    out.append(
        f'<text x="{LEFT - 5}" y="{y(0):.2f}" font-size="11" text-anchor="end">0</text>'
    )
    out.append(
        f'<text x="{LEFT}" y="{top + HEIGHT + 16:.1f}" font-size="11">{t0}</text>'
    )
    out.append(
        f'<text x="{LEFT + WIDTH}" y="{top + HEIGHT + 16:.1f}" font-size="11" '
        f'text-anchor="end">{t1}</text>'
    )
    out.append(
        f'<text x="{LEFT + WIDTH / 2}" y="{top + HEIGHT + 16:.1f}" font-size="11" '
        'text-anchor="middle">time</text>'
    )


def plan_svg(plan: Plan) -> str:
    """The SVG text of ``plan``."""
    pools: list[str | None] = [None]
    if plan.assignment is not None:
        pools = list(dict.fromkeys(plan.assignment.values())) or [None]
    height = TOP + len(pools) * (HEIGHT + GAP)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LEFT + WIDTH + RIGHT}" '
        f'height="{height}" font-family="sans-serif">',
        f"<title>{escape(plan.summary())}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for k, pool in enumerate(pools):
        _panel(plan, pool, TOP + k * (HEIGHT + GAP), out)
    out.append("</svg>")
    return "\n".join(out) + "\n"
