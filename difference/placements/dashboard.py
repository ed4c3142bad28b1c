"""Placements' items on the home page: the schools' rankings still awaited in rounds not yet published, for
programme staff (all of them) and for a headteacher (their own vacancies)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse

from difference.core.dashboard import DashboardItem, PersonSection, Urgency
from difference.placements.access import may_manage_placements, may_rank_candidates, may_see_placements
from difference.placements.models import MatchRun, Placement, RunStatus, SchoolRanking, Vacancy

SECTION = "Placements"


def awaiting_rankings(user: Any) -> Any:
    """Open vacancies of rounds with no published run that nobody has ranked any candidate for yet."""
    published = MatchRun.objects.filter(placement_round=OuterRef("placement_round"), status=RunStatus.PUBLISHED)
    return (
        Vacancy.objects.for_user(user)
        .open()
        .exclude(Exists(published))
        .exclude(Exists(SchoolRanking.objects.filter(vacancy=OuterRef("pk"))))
        .select_related("school", "placement_round")
    )


def items_for(user: Any) -> list[DashboardItem]:
    if not may_rank_candidates(user):
        return []
    waiting = list(awaiting_rankings(user)[:50])
    if not waiting:
        return []
    if may_manage_placements(user):
        count = len(waiting)
        return [
            DashboardItem(
                title=f"{count} vacanc{'ies' if count != 1 else 'y'} awaiting the school's ranking",
                count=count,
                detail="Schools rank the candidates they interviewed before the match is run.",
                url=reverse("placements:round_detail", args=[waiting[0].placement_round.year]),
                section=SECTION,
                urgency=Urgency.SOON,
            )
        ]
    return [
        DashboardItem(
            title=f"Rank the candidates for {vacancy.title}",
            detail=f"{vacancy.school.name}, {vacancy.placement_round}.",
            url=reverse("placements:vacancy_ranking", args=[vacancy.pk]),
            section=SECTION,
            urgency=Urgency.NOW,
        )
        for vacancy in waiting
    ]


def person_sections(user: Any, person: Any) -> list[PersonSection]:
    """The person's placements, for staff, the school they are placed at, and the leader themself."""
    if not may_see_placements(user):
        return []
    placements = list(
        Placement.objects.for_user(user)
        .filter(candidate__person=person)
        .select_related("vacancy__school", "vacancy__placement_round")
    )
    if not placements:
        return []
    return [
        PersonSection(
            title="Placement",
            template="placements/_person_placements.html",
            order=20,
            context={"placements": placements},
        )
    ]
