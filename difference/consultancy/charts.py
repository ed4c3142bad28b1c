"""The funnel plot as inline SVG, built on the server like the benchmark charts: readable without JavaScript, with a
title, a description and labelled axes, and every text escaped. The report puts a data table beside it with each
school's figures, so the chart stays simple: the expected rate, its 95% and 99.8% limits, and one point per school.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from statistics import median

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from difference.benchmarks.charts import axes, nice_top
from difference.consultancy.analysis import FunnelPoint, Measure, get_measure
from difference.core.stats import funnel_limits

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 40, 56
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
    for point in plotted:
        assert point.rate_per_100 is not None
        label = (
            f"{point.name}: {point.rate_per_100:.{m.decimals}f} per 100 {m.unit} ({point.n:,} pupils), {point.wording}"
        )
        band = escape(point.band.value if point.band else "")
        parts.append(
            f'<circle class="point {band}" cx="{x(point.n):.1f}" cy="{y(point.rate_per_100):.1f}" r="4" '
            f'fill="currentColor" fill-opacity="0.6"><title>{escape(label)}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _legend(centre_label: str) -> str:
    # Told apart by dash pattern as well as words, so the legend does not depend on colour.
    items = ((centre_label, ""), ("95% limits", "6 4"), ("99.8% limits", "2 3"))
    parts = []
    for i, (text, dash) in enumerate(items):
        lx = LEFT + i * 170
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="16" x2="{lx + 28}" y2="16" stroke="currentColor"{dash_attr}/>'
            f'<text x="{lx + 34}" y="20" font-size="11">{escape(text)}</text>'
        )
    return "".join(parts)
