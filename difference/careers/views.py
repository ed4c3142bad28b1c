"""Career pages: role histories, the alumni overview and follow-up, cohort outcomes, the yearly refresh answered by
emailed link, and the opportunities partner trusts and schools offer alumni."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from difference.careers import analysis as outcome_analysis
from difference.careers import charts as outcome_charts
from difference.careers import outcomes as outcome_definitions
from difference.careers.access import require_career_analysis
from difference.core.stats import PROPORTION_INTERVAL, SURVIVAL_INTERVAL
from difference.training.models import Cohort

# --- Cohort outcomes and their analysis (research and programme staff) ------------------------------------------


def _day(text: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return default


def _outcome_charts(result: outcome_analysis.CohortOutcomes) -> dict[str, object]:
    ident = f"cohort-{result.cohort.pk}"
    return {
        "result": result,
        "senior_chart": outcome_charts.survival_chart(
            result.senior_survival,
            chart_id=f"{ident}-senior",
            title=f"{result.cohort}: staying in senior leadership",
            state="senior leadership",
        ),
        "education_chart": outcome_charts.survival_chart(
            result.education_survival,
            chart_id=f"{ident}-education",
            title=f"{result.cohort}: staying in education",
            state="education",
        ),
    }


@require_safe
@login_required
def outcomes(request: HttpRequest) -> HttpResponse:
    """Each cohort's outcomes at programme end and each year on, with n and intervals, the mainstream target, the
    survival curves, and the schools and trusts employing alumni on a day (by default today)."""
    require_career_analysis(request)
    today = timezone.localdate()
    cohorts = list(Cohort.objects.select_related("programme").order_by("-year", "programme__code"))
    results = [outcome_analysis.analyse_cohort(cohort, as_of=today) for cohort in cohorts]
    years = sorted({c.year for c in cohorts}, reverse=True)
    ended = [r for r in results if r.has_ended]
    chosen = request.GET.get("cohort_year", "")
    year = int(chosen) if chosen.isdigit() else (ended[0].cohort.year if ended else (years[0] if years else None))
    on = _day(request.GET.get("on", ""), today)
    context = {
        "years": years,
        "year": year,
        "cohorts": [_outcome_charts(r) for r in results if r.cohort.year == year],
        "ended": ended,
        "by_cohort_chart": outcome_charts.outcomes_chart(ended) if ended else "",
        "employers": outcome_analysis.employers(on),
        "on": on,
        "senior_level": outcome_definitions.SENIOR_LEADERSHIP.label,
        "proportion_interval": PROPORTION_INTERVAL,
        "survival_interval": SURVIVAL_INTERVAL,
    }
    return render(request, "careers/outcomes.html", context)
