"""The history chart of the scorecard: one line per organisation, scores 0–100 over the years;
inline SVG drawn on the server (no script), role="img" with a title and a description, and the
page prints the same numbers in a table."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.accounts.models import Organisation

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 140, 12, 28
# Colour-blind-safe palette (Okabe–Ito); lines also differ by their labels at the right.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def history_chart(
    years: Sequence[int], table: Sequence[tuple[Organisation, list[int]]], title: str
) -> SafeString:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(years) - 1, 1)

    def x(i: int) -> float:
        return LEFT + step * i

    def y(value: int) -> float:
        return TOP + plot_h * (1 - value / 100)

    parts = []
    for value in (0, 50, 100):
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y(value):.1f}" x2="{LEFT + plot_w}" '
            f'y2="{y(value):.1f}"/><text class="axis" x="{LEFT - 4}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{value}</text>'
        )
    for i, year in enumerate(years):
        parts.append(
            f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle">{year}</text>'
        )
    for n, (org, values) in enumerate(table):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
            f"<title>{escape(org.name)}</title></polyline>"
        )
        # The legend stacks at the right, one line per organisation: line ends may coincide.
        legend_y = TOP + 12 + 16 * n
        parts.append(
            f'<line x1="{LEFT + plot_w + 10}" y1="{legend_y - 4}" x2="{LEFT + plot_w + 24}" '
            f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="3"/>'
            f'<text class="legend" x="{LEFT + plot_w + 28}" y="{legend_y:.1f}">'
            f"{escape(org.name[:9])}</text>"
        )
    description = "；".join(
        f"{org.name}：" + "、".join(f"{year}年{v}分" for year, v in zip(years, values, strict=True))
        for org, values in table
    )
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="history-title history-desc"><title id="history-title">{escape(title)}'
        f'</title><desc id="history-desc">{escape(description)}</desc>{"".join(parts)}</svg>'
    )
