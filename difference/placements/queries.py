"""Reads behind the placement pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from difference.placements.models import Candidate, MatchRun, Placement, PlacementRound, RunStatus, Vacancy


def round_overview(placement_round: PlacementRound) -> dict[str, Any]:
    vacancies = placement_round.vacancies.select_related("school").annotate(
        ranked_by=Count("candidate_preferences", distinct=True)
    )
    candidates = placement_round.candidates.select_related("person").annotate(
        choices=Count("preferences", distinct=True)
    )
    return {
        "vacancies": vacancies,
        "candidates": candidates,
        "runs": placement_round.runs.select_related("created_by", "parent").annotate(
            matched=Count("outcomes", filter=Q(outcomes__vacancy__isnull=False))
        ),
        "posts": sum(v.posts for v in vacancies if v.status != "withdrawn"),
    }


def published_run(placement_round: PlacementRound) -> MatchRun | None:
    return placement_round.runs.filter(status=RunStatus.PUBLISHED).first()


def published_outcome_for(candidate: Candidate) -> Any:
    run = published_run(candidate.placement_round)
    return run.outcomes.select_related("vacancy__school").filter(candidate=candidate).first() if run else None


def candidates_for_vacancy(vacancy: Vacancy) -> QuerySet[Candidate]:
    """Everyone the school may rank: those who listed the vacancy, and anyone it has already ranked."""
    return (
        Candidate.objects.filter(Q(preferences__vacancy=vacancy) | Q(school_rankings__vacancy=vacancy))
        .select_related("person")
        .distinct()
        .order_by("person__last_name", "person__first_name")
    )


def placements_in(vacancy: Vacancy) -> QuerySet[Placement]:
    """Who was placed in the vacancy, and when (the run's publication) — what its read-only page shows."""
    return vacancy.placements.select_related("candidate__person", "run").order_by("starts_on", "pk")
