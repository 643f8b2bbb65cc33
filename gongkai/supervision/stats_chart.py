"""The month-by-month charts of the statistics page: inline SVG drawn on the server (no script, no
library; the page's CSP allows no inline script). Every chart has a text alternative: the SVG is
role="img" with a title and description, and the page prints the same numbers in a table."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.supervision.stats import Month

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28


def _scale(values: Sequence[int]) -> tuple[int, float]:
    """A round maximum for the axis and the pixels per unit."""
    top = max([*values, 1])
    step = 1 if top <= 5 else 2 if top <= 10 else 5 if top <= 25 else 10 ** (len(str(top)) - 1)
    top = -(-top // step) * step
    return top, (HEIGHT - TOP - BOTTOM) / top


def _axes(top: int, months: Sequence[Month], slot: float) -> list[str]:
    parts = []
    base = HEIGHT - BOTTOM
    for value in (0, top // 2, top):
        y = base - value * (HEIGHT - TOP - BOTTOM) / top
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for index, month in enumerate(months):
        x = LEFT + slot * (index + 0.5)
        parts.append(
            f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
            f"{month.number}月</text>"
        )
    return parts


def bars_chart(months: Sequence[Month], title: str, chart_id: str) -> SafeString:
    """New (本月新收) and concluded (本月办结) applications per month, side by side."""
    top, unit = _scale([v for m in months for v in (m.new, m.concluded)])
    slot = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    bar = slot * 0.35
    base = HEIGHT - BOTTOM
    parts = _axes(top, months, slot)
    for index, month in enumerate(months):
        x = LEFT + slot * index + slot * 0.12
        for offset, value, css, label in (
            (0, month.new, "bar-new", "新收"),
            (bar, month.concluded, "bar-done", "办结"),
        ):
            h = value * unit
            parts.append(
                f'<rect class="{css}" x="{x + offset:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}"><title>{month.number}月{label}{value}件</title></rect>'
            )
    description = "；".join(f"{m.number}月新收{m.new}件、办结{m.concluded}件" for m in months)
    return _svg(parts, title, description, chart_id)


def line_chart(months: Sequence[Month], title: str, chart_id: str) -> SafeString:
    """Applications open at each month's end (月末在办)."""
    top, unit = _scale([m.open_at_end for m in months])
    slot = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    base = HEIGHT - BOTTOM
    parts = _axes(top, months, slot)
    points = [
        (LEFT + slot * (index + 0.5), base - month.open_at_end * unit)
        for index, month in enumerate(months)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts.append(f'<polyline class="line-open" points="{path}"/>')
    for (x, y), month in zip(points, months, strict=True):
        parts.append(
            f'<circle class="dot-open" cx="{x:.1f}" cy="{y:.1f}" r="3.5">'
            f"<title>{month.number}月末在办{month.open_at_end}件</title></circle>"
        )
    description = "；".join(f"{m.number}月末在办{m.open_at_end}件" for m in months)
    return _svg(parts, title, description, chart_id)


def _svg(parts: list[str], title: str, description: str, chart_id: str) -> SafeString:
    # Safe: numbers, fixed words, and the escaped title and description only.
    return mark_safe(
        f'<svg class="stats-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
