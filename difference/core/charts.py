"""Horizontal bar charts drawn as inline SVG, with the rows of the data table that says the same.

Framework-free: the markup is a ``str`` that also has ``__html__``, so Django (and Jinja) templates print it
without escaping, while every label and value text in it has been escaped here. The chart is an image with a
title and a description (``role="img"`` and ``aria-labelledby``); a page shows ``rows`` as a table next to it,
because a screen reader reads the table, not the bars.

A bar's length and its text are given separately: the caller decides what the bar measures (a count, a
percentage) and how the figure reads ("45% (27/60; 95% CI 33–58%)"), so the chart formats no number itself and
cannot show more precision than the caller chose. A bar can carry an interval, drawn as a whisker, and can be
withheld (suppressed), in which case no bar is drawn and its text says why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Layout, in SVG user units (the chart scales to its container through its viewBox).
WIDTH = 820
BAR_AREA = 420  # the longest bar; value texts start after it so that they line up
TEXT_GAP = 12
LABEL_HEIGHT = 18
BAR_HEIGHT = 18
ROW_GAP = 10
GROUP_HEADING = 26
TOP = 6


class SafeSVG(str):
    """SVG markup already escaped where it needs to be; templates print it as it is."""

    def __html__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Bar:
    """One bar. ``value`` is its length on the chart's scale; ``text`` is what is written beside it.

    ``low`` and ``high`` (on the same scale) draw an interval; ``suppressed`` (a reason) draws no bar.
    ``group`` puts the bar under a heading shared by the bars next to it with the same group.
    """

    label: str
    value: float
    text: str
    low: float | None = None
    high: float | None = None
    suppressed: str = ""
    group: str = ""

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppressed)

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None and not self.suppressed


@dataclass(frozen=True)
class BarChart:
    """The SVG and the bars it draws, in order, for the data table beside it."""

    chart_id: str
    title: str
    description: str
    svg: SafeSVG
    rows: tuple[Bar, ...]

    @property
    def groups(self) -> tuple[tuple[str, tuple[Bar, ...]], ...]:
        """The rows by group, in order, for a table with a heading row per group."""
        grouped: list[tuple[str, list[Bar]]] = []
        for bar in self.rows:
            if not grouped or grouped[-1][0] != bar.group:
                grouped.append((bar.group, []))
            grouped[-1][1].append(bar)
        return tuple((group, tuple(bars)) for group, bars in grouped)


_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def bar_chart(
    bars: Sequence[Bar], *, chart_id: str, title: str, description: str = "", maximum: float | None = None
) -> BarChart:
    """Draw ``bars`` as a horizontal bar chart.

    ``maximum`` is the value of a full-length bar (100 for percentages); by default the largest value or interval
    end, so the longest bar fills the width. ``chart_id`` must be unique on the page: the title and description
    are found by ids made from it.
    """
    if not _ID.match(chart_id):
        raise ValueError(f"chart_id must be a valid HTML id of letters, digits, '-' and '_', got {chart_id!r}")
    for bar in bars:
        if bar.value < 0 or (bar.low is not None and bar.low < 0):
            raise ValueError(f"bars are drawn from 0: {bar.label!r} has a negative value")
        if bar.has_interval and not (bar.low <= bar.high):  # type: ignore[operator]
            raise ValueError(f"{bar.label!r}: the interval's low end is above its high end")
    scale = _scale(bars, maximum)
    svg = _svg(bars, chart_id=chart_id, title=title, description=description, scale=scale)
    return BarChart(chart_id, title, description, svg, tuple(bars))


def _scale(bars: Sequence[Bar], maximum: float | None) -> float:
    if maximum is not None:
        if maximum <= 0:
            raise ValueError("maximum must be positive")
        return maximum
    ends = [b.value for b in bars if not b.suppressed] + [b.high for b in bars if b.has_interval and b.high]
    return max(ends, default=0) or 1.0


def _x(value: float, scale: float) -> float:
    return round(min(value, scale) / scale * BAR_AREA, 1)


def _svg(bars: Sequence[Bar], *, chart_id: str, title: str, description: str, scale: float) -> SafeSVG:
    parts: list[str] = []
    y = TOP
    group: str | None = None
    for bar in bars:
        if bar.group and bar.group != group:
            y += 4 if group is not None else 0
            parts.append(f'<text class="chart-group" x="0" y="{y + 16}">{escape(bar.group)}</text>')
            y += GROUP_HEADING
        group = bar.group
        parts.append(_row(bar, y, scale))
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = y + TOP
    labelled = f"{chart_id}-title" + (f" {chart_id}-desc" if description else "")
    desc = f'<desc id="{chart_id}-desc">{escape(description)}</desc>' if description else ""
    return SafeSVG(
        f'<svg class="bar-chart" id="{chart_id}" role="img" aria-labelledby="{labelled}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-size="13" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>{desc}'
        f'<line class="chart-axis" x1="0.5" y1="{TOP}" x2="0.5" y2="{height - TOP}" stroke="#4a4a4a"/>'
        + "".join(parts)
        + "</svg>"
    )


def _row(bar: Bar, y: int, scale: float) -> str:
    label = f'<text class="chart-label" x="4" y="{y + 13}">{escape(bar.label)}</text>'
    top = y + LABEL_HEIGHT
    middle = top + BAR_HEIGHT / 2
    text_y = top + 13
    if bar.suppressed:
        note = f'<text class="chart-value chart-suppressed" x="4" y="{text_y}">{escape(bar.suppressed)}</text>'
        return f'<g class="chart-row chart-row-suppressed">{label}{note}</g>'
    width = _x(bar.value, scale)
    shape = (
        f'<rect class="chart-bar" x="1" y="{top}" width="{width}" height="{BAR_HEIGHT}" fill="#00546b"/>'
        if width > 0
        else ""
    )
    whisker = ""
    end = width
    if bar.has_interval:
        low, high = _x(bar.low, scale), _x(bar.high, scale)  # type: ignore[arg-type]
        end = max(end, high)
        whisker = (
            f'<g class="chart-whisker" stroke="#1b1b1b" stroke-width="1.5">'
            f'<line x1="{low}" y1="{middle}" x2="{high}" y2="{middle}"/>'
            f'<line x1="{low}" y1="{top + 3}" x2="{low}" y2="{top + BAR_HEIGHT - 3}"/>'
            f'<line x1="{high}" y1="{top + 3}" x2="{high}" y2="{top + BAR_HEIGHT - 3}"/></g>'
        )
    text = f'<text class="chart-value" x="{max(BAR_AREA, end) + TEXT_GAP}" y="{text_y}">{escape(bar.text)}</text>'
    return f'<g class="chart-row">{label}{shape}{whisker}{text}</g>'
