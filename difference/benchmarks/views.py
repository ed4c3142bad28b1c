from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from difference.benchmarks import comparisons
from difference.benchmarks.access import get_school_to_compare, require_benchmarks
from difference.benchmarks.charts import Point, line_chart
from difference.benchmarks.models import Basis
from difference.benchmarks.rates import NOT_AVAILABLE, rate_rows
from difference.core import numbers

# measure -> (heading, what is counted)
NATIONAL_MEASURES = {
    "permanent_exclusion_rate": ("Permanent exclusions", "Permanent exclusions"),
    "suspension_rate": ("Suspensions", "Suspensions"),
    "one_plus_suspension_rate": ("Pupils with one or more suspensions", "Pupils with one or more suspensions"),
}
# A choice the page does not offer is the request's fault: 400, with the form and the reason, never a 500.
BAD_REQUEST = 400


@dataclass(frozen=True)
class Trend:
    measure: str
    heading: str
    counted: str
    rows: list[dict[str, object]]
    chart: SafeString

    @property
    def has_published(self) -> bool:
        return any(row["basis"] == Basis.PUBLISHED for row in self.rows)


def national_rows(measure: str) -> list[dict[str, object]]:
    """England, all school types, one row per year (the first loaded file by name where several cover a year)."""
    by_year: dict[str, dict[str, object]] = {}
    for row in rate_rows(measure=measure, level="national", characteristic="Total"):
        if str(row["school_type"]).lower() == "total":
            by_year.setdefault(str(row["time_period"]), row | {"basis_label": Basis(str(row["basis"])).label})
    return [by_year[year] for year in sorted(by_year)]


def national_trend(measure: str) -> Trend:
    heading, counted = NATIONAL_MEASURES[measure]
    rows = national_rows(measure)
    points = [
        Point(str(row["time_period"]), None if row["rate"] == NOT_AVAILABLE else Decimal(str(row["rate"])))
        for row in rows
    ]
    chart = line_chart(
        chart_id=f"chart-{measure}",
        title=f"{heading} per 100 pupils in England, by academic year",
        desc=_describe(heading, points),
        points=points,
        x_label="Academic year",
        y_label="Per 100 pupils",
    )
    return Trend(measure, heading, counted, rows, chart)


def _describe(heading: str, points: list[Point]) -> str:
    available = [p for p in points if p.value is not None]
    if not available:
        return f"{heading}: no rate is available for England."
    first, last = available[0], available[-1]
    first_rate, last_rate = numbers.published_rate(first.value), numbers.published_rate(last.value)
    text = f"{heading} per 100 pupils in England: {first_rate} in {first.label} and {last_rate} in {last.label}."
    missing = len(points) - len(available)
    if missing:
        text += f" Not available for {missing} year{'s' if missing > 1 else ''}."
    return text


@require_safe
@login_required
def national_trends(request: HttpRequest) -> HttpResponse:
    require_benchmarks(request)
    trends = [national_trend(measure) for measure in NATIONAL_MEASURES]
    context = {
        "trends": [trend for trend in trends if trend.rows],
        "has_published": any(trend.has_published for trend in trends),
    }
    return render(request, "benchmarks/national_trends.html", context)


@require_safe
@login_required
def area_comparison(request: HttpRequest) -> HttpResponse:
    """Every region and LA for one measure, year and school type; htmx requests get only the table back."""
    require_benchmarks(request)
    page = comparisons.area_comparison(request.GET)
    status = BAD_REQUEST if page.error else 200
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, "benchmarks/_area_table.html", {"page": page}, status=status)
    return render(request, "benchmarks/area_comparison.html", {"page": page}, status=status)


@require_safe
@login_required
def la_detail(request: HttpRequest, code: str) -> HttpResponse:
    require_benchmarks(request)
    profile = comparisons.la_profile(code, request.GET)
    if profile is None:
        raise Http404("No local authority with that code")
    status = BAD_REQUEST if profile.error else 200
    return render(request, "benchmarks/la_detail.html", {"profile": profile}, status=status)


@require_safe
@login_required
def school_benchmarks(request: HttpRequest, urn: int) -> HttpResponse:
    school = get_school_to_compare(request, urn)
    profile = comparisons.school_profile(school, request.GET, request.user)  # type: ignore[arg-type]
    status = BAD_REQUEST if profile.error else 200
    return render(request, "benchmarks/school_benchmarks.html", {"profile": profile}, status=status)
