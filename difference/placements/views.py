from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from difference.core.lists import render_exportable
from difference.placements import queries, services
from difference.placements.access import (
    get_candidate,
    get_candidate_to_manage,
    get_candidate_to_rank,
    get_placement,
    get_placement_to_manage,
    get_round_to_manage,
    get_run_to_manage,
    get_vacancy,
    get_vacancy_to_manage,
    get_vacancy_to_rank,
    may_manage_placements,
    may_rank_candidates,
    require_placement_manager,
    require_placements,
)
from difference.placements.forms import (
    CandidateForm,
    EndPlacementForm,
    RankingForm,
    RunForm,
    VacancyForm,
    WhatIfForm,
)
from difference.placements.lists import ROUND_EXPORTS, VACANCY_EXPORT
from difference.placements.models import Candidate, Placement, PlacementRound, Vacancy


@require_safe
@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    require_placement_manager(request)
    return render(request, "placements/round_list.html", {"rounds": PlacementRound.objects.all()})


@require_safe
@login_required
def round_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The round's page; with ``?format=`` its vacancies (or, with ``?list=candidates``, its candidates) as a file."""
    placement_round = get_round_to_manage(request, year)
    overview = queries.round_overview(placement_round)
    list_name = request.GET.get("list", "vacancies")
    export = ROUND_EXPORTS.get(list_name, VACANCY_EXPORT)
    context = {"round": placement_round, "run_form": RunForm(), "candidate_form": CandidateForm(), **overview}
    return render_exportable(
        request,
        "placements/round_detail.html",
        context,
        export=export,
        objects=lambda: overview[export.name],
        object_type="placements.candidate" if export.name == "candidates" else "placements.vacancy",
    )


@require_http_methods(["GET", "POST"])
@login_required
def vacancy_create(request: HttpRequest, year: int) -> HttpResponse:
    placement_round = get_round_to_manage(request, year)
    form = VacancyForm(
        request.POST if request.method == "POST" else None, instance=Vacancy(placement_round=placement_round)
    )
    if request.method == "POST" and form.is_valid():
        vacancy = form.save()
        messages.success(request, f"Vacancy {vacancy.pk} added.")
        return redirect(placement_round)
    context = {"form": form, "round": placement_round, "vacancy": None}
    return render(request, "placements/vacancy_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def vacancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_vacancy_to_manage(request, pk)
    if vacancy.is_filled:
        return _refuse_filled(request, vacancy)
    form = VacancyForm(request.POST if request.method == "POST" else None, instance=vacancy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Vacancy saved.")
        return redirect(vacancy)
    context = {"form": form, "round": vacancy.placement_round, "vacancy": vacancy}
    return render(request, "placements/vacancy_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def candidate_create(request: HttpRequest, year: int) -> HttpResponse:
    """Mark a person ready for placement in this round."""
    placement_round = get_round_to_manage(request, year)
    form = CandidateForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["email"]
        candidate, created = Candidate.objects.get_or_create(
            placement_round=placement_round, person=person, defaults={"regions": form.cleaned_data["regions"]}
        )
        messages.success(request, f"{person} {'added to' if created else 'is already in'} the round.")
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(placement_round)


@require_POST
@login_required
def run_create(request: HttpRequest, year: int) -> HttpResponse:
    placement_round = get_round_to_manage(request, year)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who proposes.")
        return redirect(placement_round)
    run = services.create_run(
        placement_round=placement_round, proposing=form.cleaned_data["proposing"], by=request.user
    )
    return redirect(run)


@require_safe
@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run_to_manage(request, pk)
    matching = run.matching
    context = {
        "run": run,
        "outcomes": run.outcomes.select_related("candidate__person", "vacancy__school"),
        "vacancies": [
            (vacancy, run.vacancy_explanations.get(services.vacancy_key(vacancy.pk), ""))
            for vacancy in run.placement_round.vacancies.select_related("school").filter(
                pk__in=[services.pk_of(v) for v in run.instance["vacancies"]]
            )
        ],
        "other_side": services.compare_matchings(run.placement_round, matching, services.other_side_matching(run)),
        "parent_changes": (
            services.compare_matchings(run.placement_round, run.parent.matching, matching) if run.parent else None
        ),
        "what_if_form": WhatIfForm(placement_round=run.placement_round),
    }
    return render(request, "placements/run_detail.html", context)


@require_POST
@login_required
def run_what_if(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run_to_manage(request, pk)
    form = WhatIfForm(request.POST, placement_round=run.placement_round)
    if form.is_valid():
        try:
            return redirect(services.create_what_if(run=run, change=form.change(), by=request.user))
        except ValidationError as error:
            form.add_error(None, error)
    problems = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    messages.error(request, f"The what-if was not run: {problems}")
    return redirect(run)


@require_POST
@login_required
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run_to_manage(request, pk)
    try:
        placements = services.publish_run(run=run, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Published: {len(placements)} placements created and everyone told by email.")
    return redirect(run)


@require_safe
@login_required
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_vacancy(request, pk)
    return render(request, "placements/vacancy_detail.html", _vacancy_context(request, vacancy))


def _vacancy_context(request: HttpRequest, vacancy: Vacancy) -> dict[str, Any]:
    run = queries.published_run(vacancy.placement_round)
    context: dict[str, Any] = {
        "vacancy": vacancy,
        "school_side": may_rank_candidates(request.user),
        "can_edit": may_manage_placements(request.user) and not vacancy.is_filled,
        "filled_by": queries.placements_in(vacancy) if vacancy.is_filled else [],
    }
    if context["school_side"]:
        context["candidates"] = queries.candidates_for_vacancy(vacancy)
        context["rankings"] = vacancy.school_rankings.select_related("candidate__person")
        context["published"] = run
        context["placed"] = run.outcomes.filter(vacancy=vacancy).select_related("candidate__person") if run else []
        context["why"] = run.vacancy_explanations.get(services.vacancy_key(vacancy.pk), "") if run else ""
    return context


def _refuse_filled(request: HttpRequest, vacancy: Vacancy) -> HttpResponse:
    """A change to a filled vacancy: nothing is written, and the read-only page says why (409 Conflict)."""
    messages.error(request, services.FILLED_MESSAGE)
    return render(request, "placements/vacancy_detail.html", _vacancy_context(request, vacancy), status=409)


@require_http_methods(["GET", "POST"])
@login_required
def vacancy_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_vacancy_to_rank(request, pk)
    if vacancy.is_filled:
        return _refuse_filled(request, vacancy)
    options = list(queries.candidates_for_vacancy(vacancy))
    for option in options:
        option.label = option.person.full_name  # type: ignore[attr-defined]
    initial = {r.candidate_id: r.rank for r in vacancy.school_rankings.all()}
    form = RankingForm(request.POST if request.method == "POST" else None, options=options, initial_ranks=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_school_ranking(vacancy=vacancy, ranks=form.ranks())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Ranking saved.")
            return redirect(vacancy)
    status = 400 if form.errors else 200
    return render(request, "placements/vacancy_ranking.html", {"vacancy": vacancy, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def candidate_preferences(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_to_rank(request, pk) if request.method == "POST" else get_candidate(request, pk)
    options = list(candidate.placement_round.vacancies.open().select_related("school"))
    initial = {p.vacancy_id: p.rank for p in candidate.preferences.all()}
    form = RankingForm(request.POST if request.method == "POST" else None, options=options, initial_ranks=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_candidate_preferences(candidate=candidate, ranks=form.ranks())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your ranking is saved.")
            return redirect("placements:candidate_preferences", pk=candidate.pk)
    context = {
        "candidate": candidate,
        "form": form,
        "outcome": queries.published_outcome_for(candidate),
        "can_expand": may_manage_placements(request.user) and candidate.regions,
    }
    return render(request, "placements/candidate_preferences.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def candidate_expand_regions(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_to_manage(request, pk)
    try:
        added = services.expand_regions(candidate=candidate)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Added {added} vacancies in {candidate.regions} after the existing choices.")
    return redirect("placements:candidate_preferences", pk=candidate.pk)


@require_safe
@login_required
def my_placements(request: HttpRequest) -> HttpResponse:
    """Where a candidate or a school starts: their candidacies, vacancies and placements."""
    require_placements(request)
    user: Any = request.user
    context = {
        "candidacies": Candidate.objects.for_user(user).filter(person__user=user).select_related("placement_round"),
        "vacancies": Vacancy.objects.for_user(user).select_related("school", "placement_round"),
        "placements": Placement.objects.for_user(user).select_related("candidate__person", "vacancy__school"),
    }
    return render(request, "placements/my_placements.html", context)


@require_safe
@login_required
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_placement(request, pk)
    can_end = may_manage_placements(request.user) and placement.ends_on is None
    return render(
        request,
        "placements/placement_detail.html",
        {"placement": placement, "form": EndPlacementForm(), "can_end": can_end},
    )


@require_POST
@login_required
def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_placement_to_manage(request, pk)
    form = EndPlacementForm(request.POST)
    if form.is_valid() and request.POST.get("confirmed") != "yes":
        # Ending a placement cannot be undone: it is done only from the confirmation step, with the figures shown.
        context = {
            "action": reverse("placements:placement_end", args=[placement.pk]),
            "title": f"End {placement.candidate.person.full_name}'s placement early?",
            "consequences": f"The placement at {placement.vacancy.school.name} is recorded as ended on the last "
            "day below, with the reason. This cannot be undone.",
            "confirm_label": "Yes, end the placement",
            "cancel_url": placement.get_absolute_url(),
            "cancel_label": "No, keep the placement",
            "form": form,
        }
        return render(request, "includes/confirm_page.html", context)
    if form.is_valid():
        try:
            services.end_placement_early(
                placement=placement,
                by=request.user,
                on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The placement is recorded as ended early.")
            return redirect(placement)
    context = {"placement": placement, "form": form, "can_end": True}
    return render(request, "placements/placement_detail.html", context, status=400)
