"""The projects' charts as inline SVG, built on the server like the consultancy's: readable without JavaScript, an
image with a title and a description (``role="img"``, ``aria-labelledby``), every text escaped, and told apart by
line and marker shape as well as words, never by colour alone. A page puts the data table beside each chart (the
pupils' tests; each project's ratio gain, or why it has none), so the charts draw and do not explain.

* ``pupil_chart``: each pupil's reading age against their chronological age at each test, one line per pupil, with
  the line where reading age equals chronological age. A line climbing more steeply than that line is progress
  faster than the ordinary rate; below it, a reading age behind the pupil's age.
* ``projects_chart``: one row per project (by school), its ratio gain with the 95% interval, a line at 1 (progress
  at the ordinary rate) and Brooks' band boundaries; a project not yet measured is listed with the reason instead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from difference.projects.analysis import ORDINARY_RATE, RATIO_GAIN_BANDS, ProjectAnalysis, PupilSeries

# --- Each pupil's reading age against chronological age -----------------------------------------------------------
Scale = Callable[[float], float]
PUPIL_WIDTH, PUPIL_HEIGHT = 640, 440
P_LEFT, P_RIGHT, P_TOP, P_BOTTOM = 64, 24, 48, 56


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _years(months: float) -> str:
    return f"{months / 12:g}"


def _age_text(months: float) -> str:
    """12 years 7 months, as reading ages are written (to the nearest month)."""
    whole = round(months)
    return f"{whole // 12}y {whole % 12}m"


def _value_text(analysis: ProjectAnalysis, value: float) -> str:
    return _age_text(value) if analysis.is_reading_age else f"{value:g}"


def _year_ticks(low: float, high: float) -> list[float]:
    step = 12 if high - low <= 96 else 24
    first = math.ceil(low / step) * step
    return [float(t) for t in range(int(first), int(high) + 1, step)]


def pupil_chart(analysis: ProjectAnalysis) -> SafeString:
    """Each pupil's tests as a line from test to test, chronological age across and the result up (reading age
    in years; another measure in its own unit, without the diagonal). Pupils who have left are dashed. Empty when
    there is nothing a viewer may see: no tests, or a viewer who sees aggregates only (the series are not kept)."""
    series = [s for s in analysis.series if s.points]
    if not series:
        return mark_safe("")
    reading = analysis.is_reading_age
    ages = [p.age for s in series for p in s.points]
    values = [p.value for s in series for p in s.points]
    x_low, x_high = math.floor(min(ages) / 12) * 12, math.ceil(max(ages) / 12) * 12
    y_low: float
    y_high: float
    if reading:
        y_low = math.floor(min([*values, x_low]) / 12) * 12
        y_high = math.ceil(max([*values, x_high]) / 12) * 12
    else:
        y_low, y_high = _padded(min(values), max(values))
    x_high = max(x_high, x_low + 12)
    y_high = max(y_high, y_low + (12 if reading else 1))
    plot_w, plot_h = PUPIL_WIDTH - P_LEFT - P_RIGHT, PUPIL_HEIGHT - P_TOP - P_BOTTOM

    def x(age: float) -> float:
        return P_LEFT + plot_w * (age - x_low) / (x_high - x_low)

    def y(value: float) -> float:
        return P_TOP + plot_h * (1 - (value - y_low) / (y_high - y_low))

    ident = escape(f"project-{analysis.project.pk}-pupils")
    measure = analysis.measure.name if analysis.measure is not None else "Result"
    title = f"{measure} against chronological age, each pupil: {analysis.school_name}"
    two = sum(1 for s in series if len(s.points) >= 2)
    desc = (
        f"One line per pupil from test to test: {len(series)} pupils tested, {two} of them twice or more. "
        + (
            "The diagonal is where reading age equals chronological age: points below it are reading ages behind "
            "the pupil's age, and a line steeper than it is progress faster than the ordinary rate. "
            if reading
            else ""
        )
        + "Dashed lines are pupils who have left. The table beside the chart gives every test."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {PUPIL_WIDTH} {PUPIL_HEIGHT}" role="img" '
        f'class="chart pupils" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        f'<clipPath id="{ident}-plot"><rect x="{P_LEFT}" y="{P_TOP}" width="{plot_w}" height="{plot_h}"/></clipPath>',
        _pupil_axes(x, y, x_low, x_high, y_low, y_high, reading, measure),
        _pupil_legend(reading),
    ]
    if reading:
        low, high = max(x_low, y_low), min(x_high, y_high)
        parts.append(
            f'<line class="reading-equals-age" clip-path="url(#{ident}-plot)" x1="{x(low):.1f}" y1="{y(low):.1f}" '
            f'x2="{x(high):.1f}" y2="{y(high):.1f}" stroke="currentColor" stroke-width="1.5" stroke-opacity="0.6"/>'
        )
    for pupil in series:
        parts.append(_pupil_line(analysis, pupil, x, y))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _padded(low: float, high: float) -> tuple[float, float]:
    span = (high - low) or abs(high) or 1.0
    return math.floor(low - span * 0.1), math.ceil(high + span * 0.1)


def _pupil_axes(
    x: Scale, y: Scale, x_low: float, x_high: float, y_low: float, y_high: float, reading: bool, measure: str
) -> str:
    bottom, left = y(y_low), x(x_low)
    parts = [
        '<g class="axes" stroke="currentColor" font-size="10">',
        f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{x(x_high):.1f}" y2="{bottom:.1f}"/>',
        f'<line x1="{left:.1f}" y1="{y(y_high):.1f}" x2="{left:.1f}" y2="{bottom:.1f}"/>',
    ]
    for tick in _year_ticks(x_low, x_high):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{bottom:.1f}" x2="{x(tick):.1f}" y2="{bottom + 4:.1f}"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 16:.1f}" text-anchor="middle" stroke="none" '
            f'fill="currentColor">{_years(tick)}</text>'
        )
    y_ticks = _year_ticks(y_low, y_high) if reading else _even_ticks(y_low, y_high)
    for tick in y_ticks:
        label = _years(tick) if reading else f"{tick:g}"
        parts.append(
            f'<line x1="{left - 4:.1f}" y1="{y(tick):.1f}" x2="{left:.1f}" y2="{y(tick):.1f}"/>'
            f'<text x="{left - 8:.1f}" y="{y(tick) + 4:.1f}" text-anchor="end" stroke="none" '
            f'fill="currentColor">{escape(label)}</text>'
        )
    y_label = "Reading age (years)" if reading else measure
    parts.append(
        f'<text x="{(left + x(x_high)) / 2:.1f}" y="{PUPIL_HEIGHT - 12}" text-anchor="middle" stroke="none" '
        f'fill="currentColor" font-size="11">Chronological age (years)</text>'
        f'<text transform="translate(16 {(P_TOP + bottom) / 2:.1f}) rotate(-90)" text-anchor="middle" stroke="none" '
        f'fill="currentColor" font-size="11">{escape(y_label)}</text></g>'
    )
    return "".join(parts)


def _even_ticks(low: float, high: float) -> list[float]:
    step = _nice_step((high - low) / 5)
    first = math.ceil(low / step) * step
    count = int(math.floor((high - first) / step + 1e-9)) + 1
    return [round(first + i * step, 10) for i in range(count)]


def _nice_step(raw: float) -> float:
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 2.5, 5, 10) if raw <= m * power)


def _pupil_legend(reading: bool) -> str:
    parts = ['<g class="legend" font-size="11">']
    lx = P_LEFT
    if reading:
        parts.append(
            f'<line x1="{lx}" y1="18" x2="{lx + 28}" y2="18" stroke="currentColor" stroke-width="1.5" '
            f'stroke-opacity="0.6"/><text x="{lx + 34}" y="22">Reading age equals chronological age</text>'
        )
        lx += 280
    parts.append(
        f'<line x1="{lx}" y1="18" x2="{lx + 28}" y2="18" stroke="currentColor"/>'
        f'<circle cx="{lx + 14}" cy="18" r="3" fill="currentColor"/><text x="{lx + 34}" y="22">A pupil</text>'
        f'<line x1="{lx + 100}" y1="18" x2="{lx + 128}" y2="18" stroke="currentColor" stroke-dasharray="5 3"/>'
        f'<text x="{lx + 134}" y="22">A pupil who has left</text></g>'
    )
    return "".join(parts)


def _pupil_line(analysis: ProjectAnalysis, pupil: PupilSeries, x: Scale, y: Scale) -> str:
    tests = "; ".join(f"{_date(p.on)}: aged {_age_text(p.age)}, {_value_text(analysis, p.value)}" for p in pupil.points)
    left = f" (left {_date(pupil.left_on)})" if pupil.left_on else ""
    tip = f"{pupil.code}{left}: {tests}"
    dash = ' stroke-dasharray="5 3"' if pupil.left_on else ""
    css = "pupil left" if pupil.left_on else "pupil"
    coords = " ".join(f"{x(p.age):.1f},{y(p.value):.1f}" for p in pupil.points)
    parts = [f'<g class="{css}"><title>{escape(tip)}</title>']
    if len(pupil.points) >= 2:
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="currentColor" stroke-width="1.2" '
            f'stroke-opacity="0.75"{dash}/>'
        )
    for p in pupil.points:
        parts.append(f'<circle cx="{x(p.age):.1f}" cy="{y(p.value):.1f}" r="3" fill="currentColor"/>')
    parts.append("</g>")
    return "".join(parts)


# --- One row per project: ratio gain with its interval ---------------------------------------------------------------
FOREST_WIDTH = 640
F_LEFT, F_RIGHT, F_TOP, F_ROW = 250, 24, 40, 24
LABEL_CHARS = 38


def _row_note(analysis: ProjectAnalysis) -> str:
    """Why a project's row has no point."""
    if not analysis.status.measured:
        return f"Not yet measured: {analysis.status.reason}"
    if analysis.ratio_gain is None:
        measure = analysis.measure.name if analysis.measure is not None else "another measure"
        return f"Measured on {measure}: no ratio gain"
    if analysis.ratio_gain.suppressed_reason:
        return analysis.ratio_gain.suppressed_reason
    return ""


def projects_chart(analyses: Sequence[ProjectAnalysis], *, chart_id: str = "projects-ratio-gains") -> SafeString:
    """A forest-style chart: one row per project in the order given, labelled by school, its mean ratio gain (a
    square) with its 95% interval (a line), a line at 1 for progress at the ordinary rate, and dotted lines at
    Brooks' band boundaries (1.4, 2 and 3). A project with no ratio gain says why in its row."""
    shown = [a for a in analyses if not _row_note(a)]
    ends = [
        v
        for a in shown
        if a.ratio_gain is not None
        for v in (a.ratio_gain.value, a.ratio_gain.low, a.ratio_gain.high)
        if v is not None
    ]
    low = min(0.0, math.floor(min(ends, default=0.0) * 2) / 2)
    high = max(3.5, math.ceil(max(ends, default=0.0) * 2) / 2)
    plot_w = FOREST_WIDTH - F_LEFT - F_RIGHT
    bottom = F_TOP + F_ROW * max(len(analyses), 1)
    height = bottom + 48

    def x(value: float) -> float:
        return F_LEFT + plot_w * (value - low) / (high - low)

    measured = sum(1 for a in analyses if a.status.measured)
    title = "Ratio gain in reading age, each project"
    desc = (
        f"{len(analyses)} projects, {measured} measured. Each measured project's mean ratio gain (reading-age gain "
        "over months elapsed) with its 95% interval; 1 is progress at the ordinary rate, and Brooks' bands start "
        "at 1.4 (useful), 2 (substantial) and 3 (remarkable). Projects not yet measured are listed with the reason. "
        "There is no comparison group."
    )
    ident = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {FOREST_WIDTH} {height}" role="img" '
        f'class="chart forest ratio-gains" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    for bound, _ in RATIO_GAIN_BANDS:
        if math.isfinite(bound) and low <= bound <= high:
            parts.append(
                f'<line class="band-boundary" x1="{x(bound):.1f}" y1="{F_TOP - 6}" x2="{x(bound):.1f}" '
                f'y2="{bottom}" stroke="currentColor" stroke-opacity="0.35" stroke-dasharray="2 3"/>'
                f'<text x="{x(bound):.1f}" y="{F_TOP - 10}" text-anchor="middle" font-size="9">{bound:g}</text>'
            )
    parts += [
        f'<line class="ordinary-rate" x1="{x(ORDINARY_RATE):.1f}" y1="{F_TOP - 20}" x2="{x(ORDINARY_RATE):.1f}" '
        f'y2="{bottom}" stroke="currentColor" stroke-width="1.5"/>',
        f'<text x="{x(ORDINARY_RATE):.1f}" y="{F_TOP - 24}" text-anchor="middle" font-size="10">'
        "1 = ordinary rate</text>",
        f'<line x1="{F_LEFT}" y1="{bottom}" x2="{F_LEFT + plot_w}" y2="{bottom}" stroke="currentColor"/>',
    ]
    tick = low
    while tick <= high + 1e-9:
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" y2="{bottom + 4}" stroke="currentColor"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 16}" text-anchor="middle" font-size="10">{tick:g}</text>'
        )
        tick += 0.5 if high - low <= 5 else 1.0
    parts.append(
        f'<text x="{F_LEFT + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="11">'
        "Mean ratio gain, with 95% interval</text>"
    )
    for i, analysis in enumerate(analyses):
        cy = F_TOP + F_ROW * i + F_ROW / 2
        parts.append(
            f'<text x="{F_LEFT - 8}" y="{cy + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(_cut(analysis.school_name, LABEL_CHARS))}</text>"
        )
        note = _row_note(analysis)
        if note:
            parts.append(
                f'<text class="not-shown" x="{F_LEFT + 6}" y="{cy + 4:.1f}" font-size="10" font-style="italic">'
                f"{escape(_cut(note, 64))}</text>"
            )
            continue
        estimate = analysis.ratio_gain
        assert estimate is not None and estimate.value is not None
        parts.append(
            f'<g class="estimate"><title>{escape(f"{analysis.school_name}: {analysis.ratio_gain_text}")}</title>'
        )
        if estimate.has_interval:
            assert estimate.low is not None and estimate.high is not None
            parts.append(
                f'<line x1="{x(estimate.low):.1f}" y1="{cy:.1f}" x2="{x(estimate.high):.1f}" y2="{cy:.1f}" '
                'stroke="currentColor" stroke-width="2"/>'
            )
        parts.append(
            f'<rect x="{x(estimate.value) - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="currentColor"/></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text above is escaped


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"
