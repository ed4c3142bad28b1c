"""The careers charts as inline SVG, built on the server like the projects' and the consultancy's: readable without
JavaScript, an image with a title and a description (``role="img"``, ``aria-labelledby``), every text escaped, and
told apart by fill pattern and mark shape as well as words, never by colour alone. The page puts the figures in a
table beside each chart, so the charts draw and do not explain.

* ``survival_chart``: a Kaplan–Meier curve as steps, the share still in a state (senior leadership, education)
  against years since programme end, with its band shaded and a tick where someone's follow-up ended (censored).
  A curve withheld for a small group draws nothing: the page gives the reason.
* ``outcomes_chart``: one bar per cohort, split by how each graduate's role at programme end compares with their
  baseline (promoted, same, lower, out of education, not known). Cells withheld for small numbers are drawn as one
  segment marked withheld, whose size is the cohort less the cells shown, which a reader can work out anyway.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from difference.careers.analysis import CohortOutcomes
from difference.careers.outcomes import Change
from difference.core.stats import SurvivalCurve

# --- A Kaplan–Meier curve -----------------------------------------------------------------------------------------
Scale = Callable[[float], float]
KM_WIDTH, KM_HEIGHT = 640, 360
K_LEFT, K_RIGHT, K_TOP, K_BOTTOM = 64, 24, 48, 56


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def survival_chart(curve: SurvivalCurve, *, chart_id: str, title: str, state: str) -> SafeString:
    """The curve of staying in ``state`` ("senior leadership"), from programme end, with its band and the
    censorings; empty when the curve is withheld or follows no one."""
    if curve.is_suppressed or not curve.steps:
        return mark_safe("")
    x_top = float(max(math.ceil(curve.last_time), 1))
    plot_w, plot_h = KM_WIDTH - K_LEFT - K_RIGHT, KM_HEIGHT - K_TOP - K_BOTTOM

    def x(years: float) -> float:
        return K_LEFT + plot_w * years / x_top

    def y(share: float) -> float:
        return K_TOP + plot_h * (1 - share)

    ident = escape(chart_id)
    level = round(curve.confidence * 100)
    median = f"half had left by {curve.median:.1f} years" if curve.median is not None else "more than half stayed"
    desc = (
        f"The share of the {curve.n} graduates in {state} at programme end who were still in it, by years since; "
        f"{curve.events} left and {curve.censored} were still in it when their record was last confirmed (ticks "
        f"on the line). Shaded: the {level}% band. By the last confirmation, {median}."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {KM_WIDTH} {KM_HEIGHT}" role="img" '
        f'class="chart survival" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        _km_axes(x, y, x_top, plot_w, plot_h),
        _km_legend(level),
    ]
    steps = curve.steps
    # Each step runs from its time to the next one's (the last, to the end of the longest follow-up).
    spans = list(zip(steps, [s.time for s in steps[1:]] + [curve.last_time], strict=True))
    band_top = " ".join(f"{x(s.time):.1f},{y(s.high):.1f} {x(e):.1f},{y(s.high):.1f}" for s, e in spans)
    band_bottom = " ".join(f"{x(e):.1f},{y(s.low):.1f} {x(s.time):.1f},{y(s.low):.1f}" for s, e in reversed(spans))
    parts.append(
        f'<polygon class="band" points="{band_top} {band_bottom}" fill="currentColor" fill-opacity="0.15" '
        'stroke="none"/>'
    )
    line = " ".join(f"{x(s.time):.1f},{y(s.survival):.1f} {x(e):.1f},{y(s.survival):.1f}" for s, e in spans)
    parts.append(f'<polyline class="curve" points="{line}" fill="none" stroke="currentColor" stroke-width="2"/>')
    for step in steps:
        tip = (
            f"{step.time:.1f} years: {_percent(step.survival)} still in {state} "
            f"({level}% band {_percent(step.low)}–{_percent(step.high)}); {step.at_risk} followed, "
            f"{step.events} left, {step.censored} censored"
        )
        parts.append(f'<g class="step"><title>{escape(tip)}</title>')
        if step.censored:
            cx, cy = x(step.time), y(step.survival)
            parts.append(
                f'<line class="censored" x1="{cx:.1f}" y1="{cy - 6:.1f}" x2="{cx:.1f}" y2="{cy + 6:.1f}" '
                'stroke="currentColor" stroke-width="1.5"/>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _km_axes(x: Scale, y: Scale, x_top: float, plot_w: int, plot_h: int) -> str:
    bottom, left = y(0.0), x(0.0)
    parts = [
        '<g class="axes" stroke="currentColor" font-size="10">',
        f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{x(x_top):.1f}" y2="{bottom:.1f}"/>',
        f'<line x1="{left:.1f}" y1="{y(1.0):.1f}" x2="{left:.1f}" y2="{bottom:.1f}"/>',
    ]
    step = 1 if x_top <= 10 else 2
    for tick in range(0, int(x_top) + 1, step):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{bottom:.1f}" x2="{x(tick):.1f}" y2="{bottom + 4:.1f}"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 16:.1f}" text-anchor="middle" stroke="none" '
            f'fill="currentColor">{tick}</text>'
        )
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line x1="{left - 4:.1f}" y1="{y(share):.1f}" x2="{left:.1f}" y2="{y(share):.1f}"/>'
            f'<text x="{left - 8:.1f}" y="{y(share) + 4:.1f}" text-anchor="end" stroke="none" '
            f'fill="currentColor">{_percent(share)}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{KM_HEIGHT - 12}" text-anchor="middle" stroke="none" '
        f'fill="currentColor" font-size="11">Years since programme end</text>'
        f'<text transform="translate(16 {K_TOP + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" stroke="none" '
        f'fill="currentColor" font-size="11">Share still in it</text></g>'
    )
    return "".join(parts)


def _km_legend(level: int) -> str:
    lx = K_LEFT
    return (
        '<g class="legend" font-size="11">'
        f'<line x1="{lx}" y1="18" x2="{lx + 28}" y2="18" stroke="currentColor" stroke-width="2"/>'
        f'<text x="{lx + 34}" y="22">Share still in it</text>'
        f'<rect x="{lx + 140}" y="12" width="28" height="12" fill="currentColor" fill-opacity="0.15"/>'
        f'<text x="{lx + 174}" y="22">{level}% band</text>'
        f'<line x1="{lx + 264}" y1="12" x2="{lx + 264}" y2="24" stroke="currentColor" stroke-width="1.5"/>'
        f'<text x="{lx + 272}" y="22">Record last confirmed (censored)</text></g>'
    )


# --- Outcomes at programme end, by cohort -------------------------------------------------------------------------
BAR_WIDTH = 640
B_LEFT, B_RIGHT, B_TOP, B_ROW = 150, 24, 64, 30
WITHHELD = "withheld"
# Each category's fill: a pattern as well as a shade, so no two are told apart by shade alone.
FILLS = {
    Change.PROMOTED: ("solid", "Promoted"),
    Change.SAME: ("diagonal", "Same level"),
    Change.LOWER: ("dots", "Lower level"),
    Change.OUT_OF_EDUCATION: ("horizontal", "Out of education"),
    Change.UNKNOWN: ("empty", "Not known"),
    WITHHELD: ("cross", "Withheld (small numbers)"),
}


def _patterns(ident: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{ident}-solid" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="currentColor" fill-opacity="0.8"/></pattern>'
        f'<pattern id="{ident}-diagonal" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0,6 L6,0" stroke="currentColor" stroke-width="1.5"/></pattern>'
        f'<pattern id="{ident}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle cx="3" cy="3" r="1.3" fill="currentColor"/></pattern>'
        f'<pattern id="{ident}-horizontal" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0,3 L6,3" stroke="currentColor" stroke-width="1.5"/></pattern>'
        f'<pattern id="{ident}-empty" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="none"/></pattern>'
        f'<pattern id="{ident}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0,0 L6,6 M0,6 L6,0" stroke="currentColor" stroke-width="0.8"/></pattern>'
        "</defs>"
    )


def _segments(result: CohortOutcomes) -> list[tuple[str, int]]:
    """The bar's parts in order: each category shown, then one for everything withheld."""
    shown = [(row.key, row.count) for row in result.at_end.changes if not row.share.is_suppressed and row.count]
    withheld = result.n - sum(count for _, count in shown)
    return shown + ([(WITHHELD, withheld)] if withheld else [])


def outcomes_chart(results: Sequence[CohortOutcomes], *, chart_id: str = "cohort-outcomes") -> SafeString:
    """One bar per cohort in the order given, its graduates at programme end split by change against baseline."""
    ident = escape(chart_id)
    plot_w = BAR_WIDTH - B_LEFT - B_RIGHT
    bottom = B_TOP + B_ROW * max(len(results), 1)
    height = bottom + 40
    desc = (
        f"{len(results)} cohorts. Each bar is a cohort's graduates at programme end, split by how their role "
        "compared with the one they held before the programme: promoted, the same level, lower, out of education, "
        "or not known. Figures withheld for small numbers are drawn together as one cross-hatched part. The table "
        "beside the chart gives every figure."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BAR_WIDTH} {height}" role="img" '
        f'class="chart bars cohort-outcomes" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">Outcomes at programme end, each cohort</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        _patterns(ident),
        _bar_legend(ident),
    ]
    for tick in range(5):
        tx = B_LEFT + plot_w * tick / 4
        parts.append(
            f'<line x1="{tx:.1f}" y1="{bottom}" x2="{tx:.1f}" y2="{bottom + 4}" stroke="currentColor"/>'
            f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="10">{tick * 25}%</text>'
        )
    parts.append(
        f'<text x="{B_LEFT + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11">'
        "Share of the cohort's graduates</text>"
    )
    for i, result in enumerate(results):
        top = B_TOP + B_ROW * i + 5
        label = f"{result.cohort} (n={result.n})"
        parts.append(f'<text x="{B_LEFT - 8}" y="{top + 14}" text-anchor="end" font-size="11">{escape(label)}</text>')
        if not result.n:
            parts.append(
                f'<text class="not-shown" x="{B_LEFT + 6}" y="{top + 14}" font-size="10" font-style="italic">'
                "No graduates</text>"
            )
            continue
        left = float(B_LEFT)
        for key, count in _segments(result):
            width = plot_w * count / result.n
            pattern, name = FILLS[key]
            tip = f"{result.cohort}: {name}" + ("" if key == WITHHELD else f", {count} of {result.n}")
            parts.append(
                f'<g class="segment {escape(key)}"><title>{escape(tip)}</title>'
                f'<rect x="{left:.1f}" y="{top}" width="{width:.1f}" height="20" fill="url(#{ident}-{pattern})" '
                'stroke="currentColor" stroke-width="0.8"/></g>'
            )
            left += width
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _bar_legend(ident: str) -> str:
    parts = ['<g class="legend" font-size="10">']
    for i, (pattern, name) in enumerate(FILLS.values()):
        lx, ly = B_LEFT + (i % 3) * 160, 12 + (i // 3) * 18
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="14" height="12" fill="url(#{ident}-{pattern})" stroke="currentColor" '
            f'stroke-width="0.8"/><text x="{lx + 20}" y="{ly + 10}">{escape(name)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
