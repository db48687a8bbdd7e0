"""Draw a plan as SVG (written by hand, no plotting dependency).

One lane per pool: time runs across, addresses up; each buffer is a
rectangle ``[start, end) x [offset, offset + size)`` labelled with its id
where the label fits, and always with a ``<title>`` tooltip (id, lifetime,
size, offset). The lower bound is a dashed red line, the capacity (if any)
a dotted black one; the lane title gives the pool's peak and status.
"""

from __future__ import annotations

import colorsys
from html import escape as _html_escape

from .planner import Plan
from .report import PoolReport

__all__ = ["plan_svg"]


def escape(text: str) -> str:
    """XML character data: `&`, `<` and `>` escaped (html's escape; the
    xml.sax one imports urllib, http and ssl at every compile's start)."""
    return _html_escape(text, quote=False)


WIDTH = 1200  # plot area, pixels (at least; more for long programs)
STEP = 24  # pixels per distinct time, so lifetimes stay wide enough to label
MAX_WIDTH = 6000
HEIGHT = 480  # per lane
LEFT, RIGHT, TOP, GAP = 150, 20, 40, 70
FONT = 10  # label size; a character is about 0.6 * FONT wide
CHAR = 0.6 * FONT


def _width(plan: Plan) -> int:
    times = {t for b in plan.buffers for t in (b.start, b.end)}
    return max(WIDTH, min(MAX_WIDTH, STEP * len(times)))


def _color(k: int) -> str:
    """A light colour per buffer, as hex (hsl() is not read by every renderer)."""
    r, g, b = colorsys.hls_to_rgb(((k * 137) % 360) / 360, 0.72, 0.6)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _label(name: str, w: float, h: float) -> str | None:
    """The id if it fits the rectangle, else its first characters and '…'."""
    if h < FONT + 2:
        return None
    if w >= CHAR * len(name) + 4:
        return name
    keep = int((w - 4) / CHAR) - 1
    return name[:keep] + "…" if keep >= 3 else None


def _lane(plan: Plan, report: PoolReport, top: float, out: list[str]) -> None:
    names = set(report.buffers)
    buffers = [b for b in plan.buffers if b.id in names]
    offsets = plan.offsets
    t0 = min((b.start for b in plan.buffers), default=0)
    t1 = max((b.end for b in plan.buffers), default=1)
    ymax = max(report.peak, report.lower_bound, report.capacity or 0, 1)
    width = _width(plan)
    sx = width / max(t1 - t0, 1)
    sy = HEIGHT / ymax

    def y(address: float) -> float:
        return top + HEIGHT - address * sy

    held = "unbounded" if report.capacity is None else f"capacity {report.capacity:,}"
    status = "over capacity" if not report.fits else ""
    title = (
        f"pool {report.name} ({held}): peak {report.peak:,}, lower bound "
        f"{report.lower_bound:,}, {len(buffers)} buffers, {report.algorithm}"
    )
    if status:
        title += f", {status}"
    out.append(
        f'<text x="{LEFT}" y="{top - 10:.1f}" font-size="14">{escape(title)}</text>'
    )
    out.append(
        f'<rect x="{LEFT}" y="{top}" width="{width}" height="{HEIGHT}" '
        'fill="none" stroke="#999"/>'
    )
    labels: list[str] = []
    for k, b in enumerate(buffers):
        x = LEFT + (b.start - t0) * sx
        o = offsets[b.id]
        w = max((b.end - b.start) * sx, 0.5)
        h = max(b.size * sy, 0.5)
        tip = f"{b.id}: [{b.start}, {b.end}) size {b.size:,} offset {o:,}"
        out.append(
            f'<rect x="{x:.2f}" y="{y(o + b.size):.2f}" width="{w:.2f}" '
            f'height="{h:.2f}" fill="{_color(k)}" stroke="#333" '
            f'stroke-width="0.3"><title>{escape(tip)}</title></rect>'
        )
        text = _label(b.id, w, h)
        if text is not None:
            labels.append(
                f'<text x="{x + w / 2:.2f}" y="{y(o + b.size / 2) + FONT / 3:.2f}" '
                f'font-size="{FONT}" text-anchor="middle" pointer-events="none">'
                f"{escape(text)}</text>"
            )
    out.extend(labels)  # above every rectangle
    lines = [(report.lower_bound, "lower bound", "red", "6,4")]
    if report.capacity is not None:
        lines.append((report.capacity, "capacity", "black", "2,3"))
    for value, label, color, dash in lines:
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + width}" y1="{y(value):.2f}" '
            f'y2="{y(value):.2f}" stroke="{color}" stroke-dasharray="{dash}"/>'
        )
        out.append(
            f'<text x="{LEFT - 5}" y="{y(value) + 4:.2f}" font-size="11" '
            f'text-anchor="end" fill="{color}">{label} {value:,}</text>'
        )
    out.append(
        f'<text x="{LEFT - 5}" y="{y(0):.2f}" font-size="11" text-anchor="end">0</text>'
    )
    bottom = top + HEIGHT + 16
    out.append(f'<text x="{LEFT}" y="{bottom:.1f}" font-size="11">{t0}</text>')
    out.append(
        f'<text x="{LEFT + width}" y="{bottom:.1f}" font-size="11" '
        f'text-anchor="end">{t1}</text>'
    )
    out.append(
        f'<text x="{LEFT + width / 2}" y="{bottom:.1f}" font-size="11" '
        'text-anchor="middle">time</text>'
    )


def plan_svg(plan: Plan) -> str:
    """The SVG text of ``plan``: one lane per pool of ``plan.pools``."""
    lanes = list(plan.pools)
    height = TOP + max(len(lanes), 1) * (HEIGHT + GAP)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{LEFT + _width(plan) + RIGHT}" '
        f'height="{height}" font-family="sans-serif">',
        f"<title>{escape(plan.summary())}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for k, report in enumerate(lanes):
        _lane(plan, report, TOP + k * (HEIGHT + GAP), out)
    out.append("</svg>")
    return "\n".join(out) + "\n"
