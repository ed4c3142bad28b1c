"""The funnel plot as inline SVG, built on the server like the benchmark charts: readable without JavaScript, with a
title, a description and labelled axes, and every text escaped. The report puts a data table beside it with each
school's figures, so the chart stays simple: the expected rate, its 95% and 99.8% limits, and one point per school.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from difference.benchmarks.charts import axes, nice_top
from difference.consultancy.analysis import FunnelPoint, Measure, get_measure
from difference.core.numbers import count, decimal2, rate
from difference.core.stats import funnel_limits

WIDTH, HEIGHT = 640, 380
# The right margin leaves room for the label of a school at the right-hand end; the top holds the legend, above
# the plot so it never covers a point.
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 56, 56
# A school outside the 95% limits is named on the plot; the rest are named in the table below it.
MAX_POINT_LABELS = 8
LABEL_CHARS = 30
# Labels closer than this (px) are moved apart vertically so none is written over another.
LABEL_GAP = 12
# Roughly how wide one character of 11px text is, to lay legend entries end to end without overlapping.
CHAR_WIDTH = 6.2
# Enough evaluations for the limits' steps to show where they are, without a heavy path.
CURVE_SAMPLES = 300


def funnel_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[FunnelPoint],
    measure: Measure | str,
    p0: float,
    x_label: str = "School size (pupils)",
    y_label: str | None = None,
    centre_label: str = "National rate",
) -> SafeString:
    """A funnel plot: school size across, rate per 100 up, ``p0`` (per pupil) as the centre line.

    The limits are evaluated at many sizes from SciPy's exact quantiles, so they step where the limit count
    changes. Their upper ends run very high for the smallest sizes, so the vertical scale is set by the schools
    and by the limits at the median school's size, and the curves are clipped to the plot area. Schools whose
    figures are withheld are not drawn; the description says how many.
    """
    m = get_measure(measure)
    plotted = [p for p in points if p.rate is not None]
    largest = max((p.n for p in points), default=0)
    x_scale = nice_top(Decimal(max(largest, 10)))
    x_top = float(x_scale)
    typical_n = max(round(median([p.n for p in plotted])) if plotted else 1, 1)
    highest = max(
        [p.rate * 100 for p in plotted if p.rate is not None]
        + [p0 * 100, funnel_limits(p0, typical_n, m.kind).upper_998 * 100]
    )
    y_scale = nice_top(Decimal(repr(highest)))
    y_top = float(y_scale)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(n: float) -> float:
        return LEFT + plot_w * n / x_top

    def y(per_100: float) -> float:
        return TOP + plot_h * (1 - per_100 / y_top)

    ident = escape(chart_id)
    withheld = len(points) - len(plotted)
    full_desc = desc
    if withheld:
        schools = "school is" if withheld == 1 else "schools are"
        full_desc = (
            f"{desc} {withheld} {schools} not shown: their figures are withheld (small numbers or not supplied)."
        )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart funnel" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(full_desc)}</desc>',
        f'<clipPath id="{ident}-plot"><rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}"/></clipPath>',
        axes(
            y_scale,
            plot_w,
            plot_h,
            x_label,
            y_label or f"{m.label} per 100 {m.unit}",
            TOP,
            height=HEIGHT,
            x_top=x_scale,
        ),
        _legend(centre_label),
        f'<g clip-path="url(#{ident}-plot)" fill="none" stroke="currentColor">',
        f'<line class="expected" x1="{x(0):.1f}" y1="{y(p0 * 100):.1f}" x2="{x(x_top):.1f}" '
        f'y2="{y(p0 * 100):.1f}" stroke-width="1.5"/>',
    ]
    sizes = sorted({max(1, round(x_top * i / CURVE_SAMPLES)) for i in range(CURVE_SAMPLES + 1)})
    limits = [funnel_limits(p0, n, m.kind) for n in sizes]
    for name, dash, values in (
        ("limit-95-upper", "6 4", [lim.upper_95 for lim in limits]),
        ("limit-95-lower", "6 4", [lim.lower_95 for lim in limits]),
        ("limit-998-upper", "2 3", [lim.upper_998 for lim in limits]),
        ("limit-998-lower", "2 3", [lim.lower_998 for lim in limits]),
    ):
        coords = " ".join(f"{x(n):.1f},{y(v * 100):.1f}" for n, v in zip(sizes, values, strict=True))
        parts.append(f'<polyline class="{name}" points="{coords}" stroke-dasharray="{dash}" stroke-width="1"/>')
    parts.append("</g>")
    outside = [p for p in plotted if p.band is not None and p.band.value != "within"]
    named = {p.urn for p in sorted(outside, key=lambda p: -p.n)[:MAX_POINT_LABELS]}
    labels: list[tuple[bool, float, float, str]] = []  # (right half, x, y, name) of each named point
    for point in plotted:
        assert point.rate_per_100 is not None
        label = (
            f"{point.name}: {rate(point.rate_per_100, places=m.decimals)} per 100 {m.unit} "
            f"({count(point.n)} pupils), {point.wording}"
        )
        band = escape(point.band.value if point.band else "")
        cx, cy = x(point.n), y(point.rate_per_100)
        # Outside the limits: a filled, larger point, so the few that matter stand out without colour.
        size, opacity = ("5", "0.9") if point in outside else ("3.5", "0.45")
        parts.append(
            f'<circle class="point {band}" cx="{cx:.1f}" cy="{cy:.1f}" r="{size}" '
            f'fill="currentColor" fill-opacity="{opacity}"><title>{escape(label)}</title></circle>'
        )
        if point.urn in named:
            labels.append((cx > LEFT + plot_w / 2, cx, cy, point.name))
    parts += _point_labels(labels, top=TOP + 10, bottom=TOP + plot_h - 4)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _legend(centre_label: str) -> str:
    # Told apart by dash pattern as well as words, so the legend does not depend on colour.
    items = ((centre_label, ""), ("95% limits", "6 4"), ("99.8% limits", "2 3"))
    parts = ['<g class="legend">']
    lx = float(LEFT)
    for text, dash in items:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="16" x2="{lx + 28}" y2="16" stroke="currentColor"{dash_attr}/>'
            f'<text x="{lx + 34}" y="20" font-size="11">{escape(text)}</text>'
        )
        lx += 34 + len(text) * CHAR_WIDTH + 24
    parts.append("</g>")
    return "".join(parts)


def _point_labels(labels: list[tuple[bool, float, float, str]], *, top: float, bottom: float) -> list[str]:
    """Names beside their points, hanging left of points in the right half so none runs off the edge, and
    moved down (then, at the foot, up) where two would overlap."""
    out = []
    # Spaced as one column: a label hanging left from the right half can reach one from the left half.
    ordered = sorted(labels, key=lambda lab: lab[2])
    ys: list[float] = []
    for _, _, cy, _ in ordered:
        ys.append(max(cy + 4, top, ys[-1] + LABEL_GAP if ys else top))
    overflow = (ys[-1] - bottom) if ys else 0
    if overflow > 0:
        ys = [max(top, ly - overflow) for ly in ys]
    for (right_half, cx, _, name), ly in zip(ordered, ys, strict=True):
        anchor, dx = ("end", -8) if right_half else ("start", 8)
        out.append(
            f'<text class="point-label" x="{cx + dx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="10">'
            f"{escape(_short(name))}</text>"
        )
    return out


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


# --- Forest plot: rate ratios with their intervals, a line at 1 -----------------------------------------------
FOREST_WIDTH = 640
FOREST_LEFT, FOREST_RIGHT, FOREST_TOP, FOREST_ROW = 270, 24, 28, 22
FOREST_LABEL_CHARS = 42


@dataclass(frozen=True)
class ForestRow:
    label: str
    ratio: float | None  # None: withheld or not estimable; the row says why
    low: float | None
    high: float | None
    note: str = ""


def forest_chart(*, chart_id: str, title: str, desc: str, rows: Sequence[ForestRow]) -> SafeString:
    """Each group's rate ratio against its comparison group with its 95% interval, on a log scale so that
    twice and half the rate sit the same distance from the line at 1 (no difference)."""
    shown = [r for r in rows if r.ratio is not None and r.high is not None]
    ends = [v for r in shown for v in (r.low, r.high, r.ratio) if v is not None and v > 0]
    lo = min([0.5, *ends])
    hi = max([2.0, *ends])
    lo_exp, hi_exp = math.floor(math.log2(lo)), math.ceil(math.log2(hi))
    lo_exp, hi_exp = max(lo_exp, -6), min(hi_exp, 7)
    plot_w = FOREST_WIDTH - FOREST_LEFT - FOREST_RIGHT
    height = FOREST_TOP + FOREST_ROW * max(len(rows), 1) + 48

    def x(value: float) -> float:
        value = min(max(value, 2.0**lo_exp), 2.0**hi_exp)
        return FOREST_LEFT + plot_w * (math.log2(value) - lo_exp) / (hi_exp - lo_exp)

    ident = escape(chart_id)
    bottom = FOREST_TOP + FOREST_ROW * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {FOREST_WIDTH} {height}" role="img" '
        f'class="chart forest" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        f'<line class="no-difference" x1="{x(1):.1f}" y1="{FOREST_TOP - 8}" x2="{x(1):.1f}" y2="{bottom}" '
        f'stroke="currentColor" stroke-width="1.5"/>',
        f'<line x1="{FOREST_LEFT}" y1="{bottom}" x2="{FOREST_LEFT + plot_w}" y2="{bottom}" stroke="currentColor"/>',
        f'<text x="{x(1):.1f}" y="{FOREST_TOP - 12}" text-anchor="middle" font-size="10">1 = same rate</text>',
    ]
    for e in range(lo_exp, hi_exp + 1):
        tick = 2.0**e
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{bottom}" x2="{tx:.1f}" y2="{bottom + 4}" stroke="currentColor"/>')
        parts.append(
            f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="10">{_ratio_tick(tick)}</text>'
        )
    parts.append(
        f'<text x="{FOREST_LEFT + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="11">'
        "Rate ratio (log scale), with 95% interval</text>"
    )
    for i, row in enumerate(rows):
        cy = FOREST_TOP + FOREST_ROW * i + FOREST_ROW / 2
        parts.append(
            f'<text x="{FOREST_LEFT - 8}" y="{cy + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(_cut(row.label, FOREST_LABEL_CHARS))}</text>"
        )
        if row.ratio is None or row.high is None:
            parts.append(
                f'<text x="{FOREST_LEFT + 6}" y="{cy + 4:.1f}" font-size="10" font-style="italic">'
                f"{escape(_cut(row.note or 'withheld', 60))}</text>"
            )
            continue
        low = row.low if row.low and row.low > 0 else 2.0**lo_exp
        tip = f"{row.label}: {ratio_text(row)}"
        parts.append(
            f'<g class="estimate"><title>{escape(tip)}</title>'
            f'<line x1="{x(low):.1f}" y1="{cy:.1f}" x2="{x(row.high):.1f}" y2="{cy:.1f}" stroke="currentColor" '
            f'stroke-width="2"/>'
        )
        if row.ratio > 0:
            parts.append(
                f'<rect x="{x(row.ratio) - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="currentColor"/>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def ratio_text(row: ForestRow) -> str:
    if row.ratio is None:
        return row.note or "withheld"
    return f"{decimal2(row.ratio)} (95% CI {decimal2(row.low)}–{decimal2(row.high)})"


def _ratio_tick(value: float) -> str:
    if value >= 1:
        return f"{value:g}"
    return f"1/{round(1 / value):g}"


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


# --- Dot chart: each school beside its LA and England, one measure ---------------------------------------------
DOT_WIDTH = 640
DOT_LEFT, DOT_RIGHT, DOT_TOP, DOT_ROW = 210, 24, 40, 16
DOT_LABEL_CHARS = 32


@dataclass(frozen=True)
class DotRow:
    label: str
    school: float | None  # per 100; None: withheld
    local_authority: float | None
    england: float | None
    note: str = ""


def dot_chart(*, chart_id: str, title: str, desc: str, rows: Sequence[DotRow], x_label: str) -> SafeString:
    """One row per school: the school's rate (filled circle), its LA's (open square) and England's for its type
    (a tick), so a gap reads at a glance; the marker shapes, not colour, tell them apart."""
    values = [v for r in rows for v in (r.school, r.local_authority, r.england) if v is not None]
    top = float(nice_top(Decimal(repr(max(values, default=0.0)))))
    plot_w = DOT_WIDTH - DOT_LEFT - DOT_RIGHT
    bottom = DOT_TOP + DOT_ROW * len(rows)
    height = bottom + 44

    def x(value: float) -> float:
        return DOT_LEFT + plot_w * value / top

    ident = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {DOT_WIDTH} {height}" role="img" class="chart dots" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        '<g class="legend" font-size="11">'
        f'<circle cx="{DOT_LEFT + 6}" cy="14" r="4" fill="currentColor"/>'
        f'<text x="{DOT_LEFT + 14}" y="18">School</text>'
        f'<rect x="{DOT_LEFT + 82}" y="10" width="8" height="8" fill="none" stroke="currentColor"/>'
        f'<text x="{DOT_LEFT + 96}" y="18">Local authority</text>'
        f'<line x1="{DOT_LEFT + 210}" y1="8" x2="{DOT_LEFT + 210}" y2="20" stroke="currentColor" stroke-width="2"/>'
        f'<text x="{DOT_LEFT + 218}" y="18">England (same type of school)</text></g>',
        f'<line x1="{DOT_LEFT}" y1="{bottom}" x2="{DOT_LEFT + plot_w}" y2="{bottom}" stroke="currentColor"/>',
    ]
    for tick in range(5):
        value = top * tick / 4
        tx = x(value)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{DOT_TOP}" x2="{tx:.1f}" y2="{bottom + 4}" stroke="currentColor" '
            f'stroke-opacity="0.2"/>'
            f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="{"end" if tick == 4 else "middle"}" '
            f'font-size="10">{escape(_tick(value))}</text>'
        )
    parts.append(
        f'<text x="{DOT_LEFT + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="11">'
        f"{escape(x_label)}</text>"
    )
    for i, row in enumerate(rows):
        cy = DOT_TOP + DOT_ROW * i + DOT_ROW / 2
        parts.append(
            f'<text x="{DOT_LEFT - 8}" y="{cy + 4:.1f}" text-anchor="end" font-size="10">'
            f"{escape(_cut(row.label, DOT_LABEL_CHARS))}</text>"
        )
        tip = (
            f"{row.label}: school {_dot_value(row.school, row.note)}, local authority "
            f"{_dot_value(row.local_authority, 'not available')}, England {_dot_value(row.england, 'not available')}"
        )
        parts.append(f'<g class="row"><title>{escape(tip)}</title>')
        if row.england is not None:
            ex = x(row.england)
            parts.append(
                f'<line x1="{ex:.1f}" y1="{cy - 6:.1f}" x2="{ex:.1f}" y2="{cy + 6:.1f}" stroke="currentColor" '
                'stroke-width="2"/>'
            )
        if row.local_authority is not None:
            lx = x(row.local_authority)
            parts.append(
                f'<rect x="{lx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="none" stroke="currentColor"/>'
            )
        if row.school is not None:
            parts.append(f'<circle cx="{x(row.school):.1f}" cy="{cy:.1f}" r="4" fill="currentColor"/>')
        else:
            # At the right-hand edge, clear of the LA and England markers (rates of rare events sit near 0).
            parts.append(
                f'<text x="{DOT_LEFT + plot_w}" y="{cy + 4:.1f}" text-anchor="end" font-size="9" '
                f'font-style="italic">school: {escape(_cut(row.note or "withheld", 50))}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _tick(value: float) -> str:
    """12.5, not 12.50: a scale's tick, at most 2 decimals."""
    return decimal2(value).rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _dot_value(value: float | None, missing: str) -> str:
    return missing if value is None else f"{decimal2(value)} per 100"
