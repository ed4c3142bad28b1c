"""Who may open which placement round, vacancy, candidate, match run and placement, and for what."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.policy import can, deny, get_scoped, is_active, require
from difference.accounts.roles import Capability, Role
from difference.placements.models import Candidate, MatchRun, Placement, PlacementRound, Vacancy


def may_see_placements(user: Any) -> bool:
    return can(user, Capability.VIEW_PLACEMENTS)


def may_manage_placements(user: Any) -> bool:
    return can(user, Capability.MANAGE_PLACEMENTS)


def may_rank_candidates(user: Any) -> bool:
    """Staff, and a school's headteacher for the vacancies in scope, rank the candidates of a vacancy."""
    return may_manage_placements(user) or (is_active(user) and user.role == Role.HEADTEACHER)


def may_change_preferences(user: Any, candidate: Candidate) -> bool:
    return may_manage_placements(user) or (is_active(user) and candidate.person.user_id == user.pk)


def require_placements(request: HttpRequest) -> None:
    require(request, may_see_placements(request.user), reason=f"role lacks {Capability.VIEW_PLACEMENTS}")


def require_placement_manager(request: HttpRequest) -> None:
    require(request, may_manage_placements(request.user), reason=f"role lacks {Capability.MANAGE_PLACEMENTS}")


def get_round_to_manage(request: HttpRequest, year: int) -> PlacementRound:
    require_placement_manager(request)
    return get_scoped(request, PlacementRound.objects.all(), PlacementRound.objects.all(), year=year)


def get_vacancy(request: HttpRequest, pk: int) -> Vacancy:
    require_placements(request)
    base = Vacancy.objects.select_related("school", "placement_round")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_vacancy_to_manage(request: HttpRequest, pk: int) -> Vacancy:
    vacancy = get_vacancy(request, pk)
    require_placement_manager(request)
    return vacancy


def get_vacancy_to_rank(request: HttpRequest, pk: int) -> Vacancy:
    vacancy = get_vacancy(request, pk)
    if not may_rank_candidates(request.user):
        raise deny(request, reason="only the school or staff rank candidates", object_type="placements.vacancy")
    return vacancy


def get_candidate(request: HttpRequest, pk: int) -> Candidate:
    require_placements(request)
    base = Candidate.objects.select_related("person", "placement_round")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_candidate_to_rank(request: HttpRequest, pk: int) -> Candidate:
    """A candidate's own ranking of vacancies: the candidate themself, or staff."""
    candidate = get_candidate(request, pk)
    if not may_change_preferences(request.user, candidate):
        raise deny(request, reason="only the candidate or staff change preferences", object_type="placements.candidate")
    return candidate


def get_candidate_to_manage(request: HttpRequest, pk: int) -> Candidate:
    candidate = get_candidate(request, pk)
    require_placement_manager(request)
    return candidate


def get_run_to_manage(request: HttpRequest, pk: int) -> MatchRun:
    require_placement_manager(request)
    base = MatchRun.objects.select_related("placement_round", "parent")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_placement(request: HttpRequest, pk: int) -> Placement:
    require_placements(request)
    base = Placement.objects.select_related("candidate__person", "vacancy__school", "run")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_placement_to_manage(request: HttpRequest, pk: int) -> Placement:
    placement = get_placement(request, pk)
    require_placement_manager(request)
    return placement
