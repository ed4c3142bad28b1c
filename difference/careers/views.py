"""Career pages: role histories, the alumni overview and follow-up, cohort outcomes, the yearly refresh answered by
emailed link, and the opportunities partner trusts and schools offer alumni."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from difference.accounts.policy import deny
from difference.careers import analysis as outcome_analysis
from difference.careers import brokering, services
from difference.careers import charts as outcome_charts
from difference.careers import outcomes as outcome_definitions
from difference.careers.access import (
    alumni_from,
    get_history,
    get_history_to_edit,
    get_opportunity_for_interest,
    get_opportunity_to_broker,
    get_opportunity_to_manage,
    get_opportunity_to_read,
    interests_for,
    is_alumnus,
    is_leader_too_early,
    may_manage_careers,
    may_post_opportunities,
    require_career_analysis,
    require_career_manager,
    require_opportunity_poster,
    require_opportunity_reader,
)
from difference.careers.forms import InterestForm, OpportunityEditForm, OpportunityForm, ResultForm, RoleForm
from difference.careers.models import CareerRole, InterestState, Opportunity, RefreshRequest, RefreshState
from difference.core.errors import errors_to_form, errors_to_messages
from difference.core.stats import PROPORTION_INTERVAL, SURVIVAL_INTERVAL
from difference.people.models import Person
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


# --- Brokering: opportunities from partner trusts and schools, and alumni's interest ------------------------------
def _refuse_early_leaders(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A leader before their programme's last year is refused (audited) with a page saying when opportunities open
    to them, rather than the bare refusal page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_leader_too_early(request.user):
            deny(request, reason="opportunities open to leaders from their programme's last year")
            start = alumni_from(request.user)
            context = {"from_year": f"{start}-{(start + 1) % 100:02d}" if start else None}
            return render(request, "careers/opportunity_not_yet.html", context, status=403)
        return view(request, *args, **kwargs)

    return wrapped


@require_safe
@login_required
@_refuse_early_leaders
def opportunity_list(request: HttpRequest) -> HttpResponse:
    require_opportunity_reader(request)
    alumnus = is_alumnus(request.user)
    opportunities = (
        Opportunity.objects.for_user(request.user)  # type: ignore[arg-type]
        .select_related("trust", "school")
        .annotate(interested=Count("interests", filter=~Q(interests__state=InterestState.WITHDRAWN)))
        .order_by("status", "closes_on", "pk")
    )
    if alumnus:
        opportunities = opportunities.filter(closes_on__gte=timezone.localdate())
    own = {i.opportunity_id: i for i in interests_for(request.user)} if alumnus else {}
    rows = [(opportunity, own.get(opportunity.pk)) for opportunity in opportunities]
    context = {"rows": rows, "alumnus": alumnus, "may_post": may_post_opportunities(request.user)}
    return render(request, "careers/opportunity_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def opportunity_create(request: HttpRequest) -> HttpResponse:
    require_opportunity_poster(request)
    form = OpportunityForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = brokering.post_opportunity(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"“{opportunity.title}” is posted: alumni can now register interest.")
            return redirect(opportunity)
    status = 400 if form.errors else 200
    return render(request, "careers/opportunity_form.html", {"form": form, "opportunity": None}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_opportunity_poster(request)  # before the lookup: a leader is refused even a closed one's edit
    opportunity = get_opportunity_to_manage(request, pk)
    form = OpportunityEditForm(
        request.POST if request.method == "POST" else None, instance=opportunity, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The opportunity is saved.")
        return redirect(opportunity)
    context = {"form": form, "opportunity": opportunity}
    return render(request, "careers/opportunity_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def opportunity_close(request: HttpRequest, pk: int) -> HttpResponse:
    require_opportunity_poster(request)  # before the lookup: a leader is refused even a closed one's edit
    opportunity = get_opportunity_to_manage(request, pk)
    brokering.close_opportunity(opportunity=opportunity)
    messages.success(request, f"“{opportunity.title}” is closed to new interest.")
    return redirect(opportunity)


def _detail_context(request: HttpRequest, opportunity: Opportunity, **extra: Any) -> dict[str, Any]:
    user = request.user
    interests = interests_for(user).filter(opportunity=opportunity).order_by("created_at", "pk")
    broker = may_manage_careers(user)
    return {
        "opportunity": opportunity,
        "may_manage": may_post_opportunities(user),
        "broker": broker,
        "alumnus": is_alumnus(user),
        # Names for staff, and for the poster once staff have introduced someone; otherwise only how many.
        "named": list(interests) if not is_alumnus(user) else [],
        "interested": opportunity.interests.exclude(state=InterestState.WITHDRAWN).count(),
        "own": interests.first() if is_alumnus(user) else None,
        "interest_form": InterestForm(),
        "result_form": ResultForm(opportunity=opportunity) if broker else None,
        "result_choices": ResultForm.base_fields["state"].choices,  # type: ignore[attr-defined]
        **extra,
    }


@require_safe
@login_required
@_refuse_early_leaders
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_to_read(request, pk)
    return render(request, "careers/opportunity_detail.html", _detail_context(request, opportunity))


def _interest_answer(request: HttpRequest, opportunity: Opportunity) -> HttpResponse:
    """htmx swaps the alumnus's interest box in place; without it, back to the opportunity."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "careers/_opportunity_interest.html", _detail_context(request, opportunity))
    return redirect(opportunity)


@require_POST
@login_required
@_refuse_early_leaders
def interest_register(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for_interest(request, pk)
    form = InterestForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        brokering.register_interest(opportunity=opportunity, person=Person.objects.get(user=request.user.pk), note=note)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, "Your interest is registered: programme staff will be in touch.")
    return _interest_answer(request, opportunity)


@require_POST
@login_required
@_refuse_early_leaders
def interest_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for_interest(request, pk)
    interest = interests_for(request.user).filter(opportunity=opportunity).first()
    if interest is None:
        messages.info(request, "You had not registered interest in this opportunity.")
        return _interest_answer(request, opportunity)
    try:
        brokering.withdraw_interest(interest=interest)
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, "Your interest is withdrawn.")
    return _interest_answer(request, opportunity)


@require_POST
@login_required
def interest_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Programme staff record an introduction or its result; an appointment joins the person's role history."""
    opportunity = get_opportunity_to_broker(request, pk)
    form = ResultForm(request.POST, opportunity=opportunity)
    if form.is_valid():
        try:
            interest = brokering.record_result(
                interest=form.cleaned_data["interest"],
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"{interest.person}: {interest.get_state_display().lower()}.")
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect(opportunity)
    context = _detail_context(request, opportunity, result_form=form)
    if request.htmx:  # type: ignore[attr-defined]
        # htmx does not swap 4xx responses, so errors come back as a 200 partial.
        return render(request, "careers/_opportunity_interests.html", context)
    return render(request, "careers/opportunity_detail.html", context, status=400)
