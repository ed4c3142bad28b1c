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

from difference.core.numbers import decimal2

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


@dataclass(frozen=True)
class Series:
    """One line of a chart with several: its values follow the chart's labels, None where not available."""

    name: str
    values: Sequence[Decimal | None]


# Lines are told apart by dash and marker shape as well as by name in the legend, never by colour alone.
DASHES = ("", "7 4", "2 3")
LEGEND_HEIGHT = 24
LEGEND_CHARS = 24


def line_chart(
    *, chart_id: str, title: str, desc: str, points: Sequence[Point], x_label: str, y_label: str
) -> SafeString:
    series = [Series("", [p.value for p in points])]
    return lines_chart(
        chart_id=chart_id,
        title=title,
        desc=desc,
        labels=[p.label for p in points],
        series=series,
        x_label=x_label,
        y_label=y_label,
    )


def lines_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
) -> SafeString:
    """One line per series (at most three, each with its own dash and marker) over the same labels."""
    if len(series) > len(DASHES):
        raise ValueError(f"at most {len(DASHES)} series can be told apart; got {len(series)}")
    top_margin = TOP + (LEGEND_HEIGHT if len(series) > 1 else 0)
    values = [v for line in series for v in line.values if v is not None]
    top = nice_top(max(values, default=Decimal(0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - top_margin - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(labels) > 1 else plot_w / 2)

    def y(value: Decimal) -> float:
        return top_margin + plot_h * (1 - float(value / top))

    ident = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        axes(top, plot_w, plot_h, x_label, y_label, top_margin),
    ]
    every = ceil(len(labels) / MAX_X_LABELS) if labels else 1
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            # The first and last labels hang inwards from their tick, so "2022/23" is never cut at the edge.
            anchor = "start" if i == 0 and len(labels) > 1 else "end" if i == len(labels) - 1 else "middle"
            if len(labels) == 1:
                anchor = "middle"
            parts.append(
                f'<text x="{x(i):.1f}" y="{top_margin + plot_h + 18}" text-anchor="{anchor}" font-size="11">'
                f"{escape(label)}</text>"
            )
    for number, line in enumerate(series):
        dash = f' stroke-dasharray="{DASHES[number]}"' if DASHES[number] else ""
        points = [Point(label, value) for label, value in zip(labels, line.values, strict=True)]
        for run in _runs(points):
            coords = " ".join(f"{x(i):.1f},{y(value):.1f}" for i, value in run)
            parts.append(f'<polyline points="{coords}" fill="none" stroke="currentColor" stroke-width="2"{dash}/>')
        prefix = f"{line.name}, " if line.name else ""
        for i, point in enumerate(points):
            if point.value is not None:
                tip = f"<title>{escape(prefix)}{escape(point.label)}: {escape(decimal2(point.value))}</title>"
                parts.append(_marker(number, x(i), y(point.value), tip))
    if len(series) > 1:
        parts.append(_legend(series))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _marker(number: int, cx: float, cy: float, tip: str, css: str = "point") -> str:
    """A circle, a square or a diamond: the marker tells the lines apart where they cross or overlap."""
    if number == 1:
        return (
            f'<rect class="{css}" x="{cx - 3.5:.1f}" y="{cy - 3.5:.1f}" width="7" height="7" '
            f'fill="currentColor">{tip}</rect>'
        )
    if number == 2:
        diamond = f"{cx:.1f},{cy - 4.5:.1f} {cx + 4.5:.1f},{cy:.1f} {cx:.1f},{cy + 4.5:.1f} {cx - 4.5:.1f},{cy:.1f}"
        return f'<polygon class="{css}" points="{diamond}" fill="currentColor">{tip}</polygon>'
    return f'<circle class="{css}" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="currentColor">{tip}</circle>'


def _legend(series: Sequence[Series]) -> str:
    parts = ['<g class="legend">']
    width = (WIDTH - LEFT - RIGHT) / len(series)
    for number, line in enumerate(series):
        left = LEFT + number * width
        dash = f' stroke-dasharray="{DASHES[number]}"' if DASHES[number] else ""
        parts.append(
            f'<line x1="{left:.1f}" y1="{TOP:.1f}" x2="{left + 28:.1f}" y2="{TOP:.1f}" stroke="currentColor" '
            f'stroke-width="2"{dash}/>'
        )
        parts.append(_marker(number, left + 14, TOP, "", css="legend-mark"))
        parts.append(f'<text x="{left + 34:.1f}" y="{TOP + 4:.1f}" font-size="12">{escape(_short(line.name))}</text>')
    parts.append("</g>")
    return "".join(parts)


def _short(name: str) -> str:
    """A legend entry has a third of the width: long names are cut (the table beside the chart has them whole)."""
    return name if len(name) <= LEGEND_CHARS else name[: LEGEND_CHARS - 1].rstrip() + "…"


def axes(
    top: Decimal,
    plot_w: int,
    plot_h: int,
    x_label: str,
    y_label: str,
    top_margin: int = TOP,
    *,
    height: int = HEIGHT,
    x_top: Decimal | None = None,
) -> str:
    """Both axes, five ticks on the vertical one from 0 to ``top``; five on the horizontal one too when it is a
    scale (``x_top``) rather than labelled categories."""
    bottom = top_margin + plot_h
    parts = [
        f'<line x1="{LEFT}" y1="{top_margin}" x2="{LEFT}" y2="{bottom}" stroke="currentColor"/>',
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + plot_w}" y2="{bottom}" stroke="currentColor"/>',
    ]
    for tick in range(5):
        value = top * tick / 4
        ty = top_margin + plot_h * (1 - tick / 4)
        parts.append(f'<line x1="{LEFT - 4}" y1="{ty:.1f}" x2="{LEFT}" y2="{ty:.1f}" stroke="currentColor"/>')
        parts.append(
            f'<text x="{LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end" font-size="11">{escape(_tick(value))}</text>'
        )
        if x_top is not None:
            tx = LEFT + plot_w * tick / 4
            parts.append(f'<line x1="{tx:.1f}" y1="{bottom}" x2="{tx:.1f}" y2="{bottom + 4}" stroke="currentColor"/>')
            parts.append(
                f'<text x="{tx:.1f}" y="{bottom + 18}" text-anchor="middle" font-size="11">'
                f"{escape(_tick(x_top * tick / 4))}</text>"
            )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="12">'
        f"{escape(x_label)}</text>"
    )
    parts.append(
        f'<text x="14" y="{top_margin + plot_h / 2:.1f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {top_margin + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    return "".join(parts)


def _tick(value: Decimal) -> str:
    # A quarter of a nice top can have more places (0.0625): the one number format's 2 at most.
    text = f"{value.normalize():f}"
    return decimal2(value) if "." in text and len(text.split(".")[1]) > 2 else text


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
