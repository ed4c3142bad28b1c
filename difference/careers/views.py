"""Career pages: role histories, the alumni overview and follow-up, cohort outcomes, the yearly refresh answered by
emailed link, and the opportunities partner trusts and schools offer alumni."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from difference.careers import analysis as outcome_analysis
from difference.careers import charts as outcome_charts
from difference.careers import outcomes as outcome_definitions
from difference.careers import services
from difference.careers.access import (
    get_history,
    get_history_to_edit,
    may_manage_careers,
    require_career_analysis,
    require_career_manager,
)
from difference.careers.forms import RoleForm
from difference.careers.models import CareerRole, RefreshRequest, RefreshState
from difference.core.errors import errors_to_form
from difference.core.stats import PROPORTION_INTERVAL, SURVIVAL_INTERVAL
from difference.training.models import Cohort


# --- Role histories, the alumni overview and follow-up (programme staff; an alumnus their own) ----------------
@require_safe
@login_required
def alumni(request: HttpRequest) -> HttpResponse:
    """Every alumnus with the role they hold today and where: the list staff keep current."""
    require_career_manager(request)
    today = timezone.localdate()
    people = outcome_analysis.alumni()
    roles: dict[int, list[CareerRole]] = {}
    for role in CareerRole.objects.filter(person__in=people).select_related("school"):
        roles.setdefault(role.person_id, []).append(role)
    waiting = set(
        RefreshRequest.objects.filter(state=RefreshState.SENT, expires_at__gt=timezone.now()).values_list(
            "person_id", flat=True
        )
    )
    only_waiting = request.GET.get("refresh") == "waiting"
    rows = [
        (person, outcome_definitions.role_at(roles.get(person.pk, []), today), person.pk in waiting)
        for person in people
        if not only_waiting or person.pk in waiting
    ]
    rows.sort(key=lambda row: (row[0].last_name, row[0].first_name))
    context = {"rows": rows, "today": today, "only_waiting": only_waiting, "waiting": len(waiting)}
    return render(request, "careers/alumni.html", context)


def _history(request: HttpRequest, person: object, form: RoleForm, status: int) -> HttpResponse:
    roles = CareerRole.objects.for_user(request.user).filter(person=person).select_related("school")  # type: ignore[arg-type,misc]
    today = timezone.localdate()
    context = {
        "person": person,
        "roles": roles.order_by("-starts_on", "-pk"),
        "current": outcome_definitions.role_at(list(roles), today),
        "form": form,
        "may_edit": may_manage_careers(request.user),
    }
    return render(request, "careers/history.html", context, status=status)


@require_safe
@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_history(request, pk)
    return _history(request, person, RoleForm(), 200)


@require_POST
@login_required
def role_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_history_to_edit(request, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            role = services.record_role(person=person, data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Role added: {role}.")
            return redirect("careers:history", pk=person.pk)
    return _history(request, person, form, 400)


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
