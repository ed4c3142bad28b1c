"""Line charts as inline SVG, built on the server: readable without JavaScript, with a title, a description and
labelled axes. Every text is escaped; the page puts a data table beside each chart for the exact figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from math import ceil, floor, log10

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56
MAX_X_LABELS = 9


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | None  # None: not available; the line breaks there and no point is drawn


def nice_top(highest: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``highest`` (1 for an empty or all-zero chart)."""
    if highest <= 0:
        return Decimal(1)
    power = Decimal(10) ** floor(log10(highest))
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if highest <= step * power:
            return (step * power).normalize()
    return 10 * power  # pragma: no cover - the loop always returns


def line_chart(
    *, chart_id: str, title: str, desc: str, points: Sequence[Point], x_label: str, y_label: str
) -> SafeString:
    values = [p.value for p in points if p.value is not None]
    top = nice_top(max(values, default=Decimal(0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(points) > 1 else plot_w / 2)

    def y(value: Decimal) -> float:
        return TOP + plot_h * (1 - float(value / top))

    ident = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        _axes(top, plot_w, plot_h, x_label, y_label),
    ]
    every = ceil(len(points) / MAX_X_LABELS) if points else 1
    for i, point in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" font-size="11">'
                f"{escape(point.label)}</text>"
            )
    for run in _runs(points):
        coords = " ".join(f"{x(i):.1f},{y(value):.1f}" for i, value in run)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="currentColor" stroke-width="2"/>')
    for i, point in enumerate(points):
        if point.value is not None:
            parts.append(
                f'<circle class="point" cx="{x(i):.1f}" cy="{y(point.value):.1f}" r="3.5" fill="currentColor">'
                f"<title>{escape(point.label)}: {escape(str(point.value))}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _axes(top: Decimal, plot_w: int, plot_h: int, x_label: str, y_label: str) -> str:
    bottom = TOP + plot_h
    parts = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="currentColor"/>',
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + plot_w}" y2="{bottom}" stroke="currentColor"/>',
    ]
    for tick in range(5):
        value = top * tick / 4
        ty = TOP + plot_h * (1 - tick / 4)
        parts.append(f'<line x1="{LEFT - 4}" y1="{ty:.1f}" x2="{LEFT}" y2="{ty:.1f}" stroke="currentColor"/>')
        parts.append(
            f'<text x="{LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end" font-size="11">{escape(_tick(value))}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="12">'
        f"{escape(x_label)}</text>"
    )
    parts.append(
        f'<text x="14" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {TOP + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    return "".join(parts)


def _tick(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _runs(points: Sequence[Point]) -> list[list[tuple[int, Decimal]]]:
    """Consecutive available points, so the line breaks where a year is not available."""
    runs: list[list[tuple[int, Decimal]]] = [[]]
    for i, point in enumerate(points):
        if point.value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, point.value))
    return [run for run in runs if run]
