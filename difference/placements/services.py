"""Placement workflows: build the engine's input from the database, run, what-if, publish, end early."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from difference.jobs.mail import queue_mailing
from difference.placements import matching
from difference.placements.models import (
    Candidate,
    CandidatePreference,
    MatchOutcome,
    MatchRun,
    Placement,
    PlacementRound,
    Proposing,
    RunStatus,
    SchoolRanking,
    Vacancy,
    VacancyStatus,
)


def candidate_key(pk: int) -> str:
    return f"c{pk}"


def vacancy_key(pk: int) -> str:
    return f"v{pk}"


def pk_of(key: str) -> int:
    """Engine ids carry a letter so candidate and vacancy ids never collide in labels."""
    return int(key[1:])


def build_instance(placement_round: PlacementRound) -> dict[str, Any]:
    """The round's live preferences in ``match_file``'s JSON shape; withdrawn vacancies are left out."""
    vacancies = list(placement_round.vacancies.open().order_by("pk"))
    open_ids = {v.pk for v in vacancies}
    preferences: dict[str, list[str]] = {candidate_key(c.pk): [] for c in placement_round.candidates.order_by("pk")}
    for pref in CandidatePreference.objects.filter(candidate__placement_round=placement_round).order_by(
        "candidate_id", "rank"
    ):
        if pref.vacancy_id in open_ids:
            preferences[candidate_key(pref.candidate_id)].append(vacancy_key(pref.vacancy_id))
    rankings: dict[str, list[str]] = {vacancy_key(v.pk): [] for v in vacancies}
    for ranking in SchoolRanking.objects.filter(vacancy__in=vacancies, rank__isnull=False).order_by(
        "vacancy_id", "rank"
    ):
        rankings[vacancy_key(ranking.vacancy_id)].append(candidate_key(ranking.candidate_id))
    return {
        "candidates": preferences,
        "vacancies": {
            vacancy_key(v.pk): {"capacity": v.posts, "ranking": rankings[vacancy_key(v.pk)]} for v in vacancies
        },
    }


def labels_for(placement_round: PlacementRound) -> dict[str, str]:
    labels = {vacancy_key(v.pk): v.label for v in placement_round.vacancies.select_related("school")}
    labels.update(
        {candidate_key(c.pk): c.person.full_name for c in placement_round.candidates.select_related("person")}
    )
    return labels


@transaction.atomic
def create_run(
    *,
    placement_round: PlacementRound,
    proposing: str = Proposing.CANDIDATES,
    by: Any,
    instance: dict[str, Any] | None = None,
    parent: MatchRun | None = None,
    change_description: str = "",
    now: datetime | None = None,
) -> MatchRun:
    """Run the engine on the round (or on a given instance), check stability and store every explanation. ``now``
    is when the run was made (the present unless recorded after the fact)."""
    now = now or timezone.now()
    instance = build_instance(placement_round) if instance is None else instance
    try:
        parsed = matching.parse_instance(instance)
    except matching.InstanceError as error:
        raise ValidationError(str(error)) from error
    result = matching.run(parsed, proposing=proposing, labels=labels_for(placement_round))  # type: ignore[arg-type]
    run = MatchRun(
        placement_round=placement_round,
        proposing=proposing,
        parent=parent,
        change_description=change_description,
        instance=instance,
        blocking_pairs=[list(pair) for pair in result.blocking_pairs],
        stability_checked_at=now,
        vacancy_explanations=dict(result.vacancy_explanations),
        created_by=by,
        created_at=now,
    )
    run.full_clean()
    run.save()
    MatchOutcome.objects.bulk_create(
        MatchOutcome(
            run=run,
            candidate_id=pk_of(candidate_id),
            vacancy_id=pk_of(vacancy_id) if vacancy_id else None,
            choice_rank=(instance["candidates"][candidate_id].index(vacancy_id) + 1) if vacancy_id else None,
            explanation=result.candidate_explanations[candidate_id],
        )
        for candidate_id, vacancy_id in result.matching.items()
    )
    return run


class WhatIfKind:
    PREFERENCES = "preferences"
    POSTS = "posts"
    WITHDRAW = "withdraw"
    UNACCEPTABLE = "unacceptable"


@dataclass(frozen=True)
class WhatIfChange:
    """One change to a run's input: a candidate's new ranking, a vacancy's posts, a withdrawal or a refusal."""

    kind: str
    candidate: Candidate | None = None
    vacancy: Vacancy | None = None
    vacancy_order: tuple[Vacancy, ...] = ()
    posts: int | None = None

    def apply(self, instance: dict[str, Any]) -> tuple[dict[str, Any], str]:
        changed = copy.deepcopy(instance)
        if self.kind == WhatIfKind.PREFERENCES and self.candidate is not None:
            order = [vacancy_key(v.pk) for v in self.vacancy_order]
            missing = [v for v in order if v not in changed["vacancies"]]
            if missing:
                raise ValidationError("Those vacancies are not part of this run.")
            changed["candidates"][candidate_key(self.candidate.pk)] = order
            names = ", ".join(v.label for v in self.vacancy_order) or "nothing"
            return changed, f"{self.candidate} ranks {names}"
        if self.vacancy is None or vacancy_key(self.vacancy.pk) not in changed["vacancies"]:
            raise ValidationError("That vacancy is not part of this run.")
        key = vacancy_key(self.vacancy.pk)
        if self.kind == WhatIfKind.POSTS and self.posts is not None:
            changed["vacancies"][key]["capacity"] = self.posts
            return changed, f"{self.vacancy.label} has {self.posts} post(s)"
        if self.kind == WhatIfKind.WITHDRAW:
            changed["vacancies"][key]["capacity"] = 0
            return changed, f"{self.vacancy.label} is withdrawn"
        if self.kind == WhatIfKind.UNACCEPTABLE and self.candidate is not None:
            ranking = changed["vacancies"][key]["ranking"]
            changed["vacancies"][key]["ranking"] = [c for c in ranking if c != candidate_key(self.candidate.pk)]
            return changed, f"{self.vacancy.label} finds {self.candidate} unacceptable"
        raise ValidationError("Choose what to change and fill in its details.")


def create_what_if(*, run: MatchRun, change: WhatIfChange, by: Any) -> MatchRun:
    """Copy a run's input, apply one change, and run again; the live preferences are untouched."""
    instance, description = change.apply(run.instance)
    return create_run(
        placement_round=run.placement_round,
        proposing=run.proposing,
        by=by,
        instance=instance,
        parent=run,
        change_description=description,
    )


@dataclass(frozen=True)
class OutcomeChange:
    candidate: Candidate
    before: Vacancy | None
    after: Vacancy | None


def compare_matchings(
    placement_round: PlacementRound, before: dict[str, str | None], after: dict[str, str | None]
) -> list[OutcomeChange]:
    """The people whose outcome differs between two matchings, with the vacancies resolved."""
    changes = matching.differences(before, after)
    candidates = Candidate.objects.select_related("person").in_bulk([pk_of(c) for c, _, _ in changes])
    vacancy_ids = {pk_of(v) for _, a, b in changes for v in (a, b) if v}
    vacancies = Vacancy.objects.select_related("school").in_bulk(vacancy_ids)
    return [
        OutcomeChange(
            candidates[pk_of(c)], vacancies.get(pk_of(a)) if a else None, vacancies.get(pk_of(b)) if b else None
        )
        for c, a, b in changes
    ]


def other_side_matching(run: MatchRun) -> dict[str, str | None]:
    """The same input solved with the other side proposing, for comparison on the run page."""
    other = Proposing.SCHOOLS if run.proposing == Proposing.CANDIDATES else Proposing.CANDIDATES
    return matching.match(matching.parse_instance(run.instance), proposing=other)  # type: ignore[arg-type]


@transaction.atomic
def publish_run(*, run: MatchRun, by: Any, now: datetime | None = None) -> list[Placement]:
    """Turn a checked, stable run into placements and tell candidates and schools by email. ``now`` is when it was
    published (the present unless recorded after the fact)."""
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.status == RunStatus.PUBLISHED:
        raise ValidationError("This run is already published.")
    if MatchRun.objects.filter(placement_round=run.placement_round, status=RunStatus.PUBLISHED).exists():
        raise ValidationError("Another run of this round is already published.")
    if not run.is_stable:
        raise ValidationError("Only a run whose stability check passed can be published.")
    if run.instance != build_instance(run.placement_round):
        raise ValidationError(
            "This run's preferences or vacancies differ from the live ones (a what-if, or changes since). "
            "Publish a run of the live preferences."
        )
    outcomes = list(run.outcomes.filter(vacancy__isnull=False).select_related("candidate__person", "vacancy__school"))
    placements = [
        Placement(candidate=o.candidate, vacancy=o.vacancy, run=run, starts_on=o.vacancy.starts_on)  # type: ignore[union-attr]
        for o in outcomes
    ]
    for placement in placements:
        placement.full_clean(validate_unique=False)
    Placement.objects.bulk_create(placements)
    filled: dict[int, int] = {}
    for o in outcomes:
        assert o.vacancy_id is not None
        filled[o.vacancy_id] = filled.get(o.vacancy_id, 0) + 1
    for vacancy in Vacancy.objects.filter(pk__in=filled):
        if filled[vacancy.pk] >= vacancy.posts:
            vacancy.status = VacancyStatus.FILLED
            vacancy.save(update_fields=["status"])
    run.status, run.published_at, run.published_by = RunStatus.PUBLISHED, now or timezone.now(), by
    run.save(update_fields=["status", "published_at", "published_by"])
    # A mailing job: it is queued with this transaction, so nobody is told of a publication that did not happen,
    # and each recipient's outcome is kept on the job's page.
    queue_mailing(
        title=f"Placements published for {run.placement_round.year}: the candidates and schools told",
        kind="placements.publication",
        by=by,
        messages=[(to[0], subject, body) for subject, body, _, to in _publication_emails(run)],
    )
    return placements


def _publication_emails(run: MatchRun) -> list[tuple[str, str, None, list[str]]]:
    messages: list[tuple[str, str, None, list[str]]] = []
    outcomes = list(run.outcomes.select_related("candidate__person", "vacancy__school"))
    placed_by_vacancy: dict[int, list[MatchOutcome]] = {}
    for outcome in outcomes:
        if outcome.vacancy_id is not None:
            placed_by_vacancy.setdefault(outcome.vacancy_id, []).append(outcome)
    for outcome in outcomes:
        email = outcome.candidate.person.email
        if email:
            body = render_to_string("placements/emails/candidate_result.txt", {"outcome": outcome, "run": run})
            messages.append((f"Your placement for {run.placement_round.year}", body, None, [email]))
    for vacancy in run.placement_round.vacancies.select_related("school").exclude(contact_email=""):
        body = render_to_string(
            "placements/emails/school_result.txt",
            {
                "vacancy": vacancy,
                "placed": placed_by_vacancy.get(vacancy.pk, []),
                "why": run.vacancy_explanations.get(vacancy_key(vacancy.pk), ""),
            },
        )
        messages.append((f"Difference Leaders for {vacancy.school.name}", body, None, [vacancy.contact_email]))
    return messages


@transaction.atomic
def end_placement_early(*, placement: Placement, on: date, reason: str, by: Any) -> Placement:
    if placement.ends_on is not None:
        raise ValidationError("This placement has already ended.")
    if on < placement.starts_on:
        raise ValidationError("A placement cannot end before it starts.")
    placement.end_early(on=on, reason=reason)
    return placement


def _in_rank_order(ranks: dict[Any, int | None], refusal: str) -> list[tuple[int, Any]]:
    """The ranked options, best first; ranks must run 1, 2, 3… with no gaps or repeats."""
    chosen = sorted(((rank, option) for option, rank in ranks.items() if rank is not None), key=lambda item: item[0])
    if [rank for rank, _ in chosen] != list(range(1, len(chosen) + 1)):
        raise ValidationError(refusal)
    return chosen


@transaction.atomic
def save_candidate_preferences(*, candidate: Candidate, ranks: dict[Vacancy, int | None]) -> None:
    """Replace a candidate's ranking; blank means "would not accept"; ranks must be 1, 2, 3… without gaps."""
    chosen = _in_rank_order(ranks, "Number your choices 1, 2, 3… with no gaps or repeats.")
    candidate.preferences.all().delete()
    CandidatePreference.objects.bulk_create(
        CandidatePreference(candidate=candidate, vacancy=v, rank=rank) for rank, v in chosen
    )


@transaction.atomic
def expand_regions(*, candidate: Candidate) -> int:
    """Turn "anywhere in these regions" into ranked choices: open posts there, after the ones already ranked.

    Returns how many vacancies were added. Regions are matched on the school's
    region, as written in the registry (e.g. "London, East Midlands").
    """
    regions = [r.strip() for r in candidate.regions.split(",") if r.strip()]
    if not regions:
        raise ValidationError("This candidate has not named any regions.")
    ranked = set(candidate.preferences.values_list("vacancy_id", flat=True))
    new = (
        candidate.placement_round.vacancies.open()
        .filter(school__region__in=regions)
        .exclude(pk__in=ranked)
        .order_by("school__name", "title")
    )
    start = len(ranked)
    added = CandidatePreference.objects.bulk_create(
        CandidatePreference(candidate=candidate, vacancy=v, rank=start + i) for i, v in enumerate(new, start=1)
    )
    return len(added)


FILLED_MESSAGE = (
    "This vacancy is filled, so it is read-only: its ranking and details can no longer change. "
    "If a placement has ended, the programme team can open a new vacancy."
)


def refuse_if_filled(vacancy: Vacancy) -> None:
    if vacancy.is_filled:
        raise ValidationError(FILLED_MESSAGE)


@transaction.atomic
def save_school_ranking(*, vacancy: Vacancy, ranks: dict[Candidate, int | None]) -> None:
    """Replace a vacancy's ranking of candidates; blank marks a candidate unacceptable. A filled vacancy's ranking
    is refused (read under a lock, so a publication cannot fill it between the check and the write)."""
    refuse_if_filled(Vacancy.objects.select_for_update().get(pk=vacancy.pk))
    chosen = _in_rank_order(
        ranks, "Number the candidates 1, 2, 3… with no gaps or repeats; leave unacceptable ones blank."
    )
    vacancy.school_rankings.all().delete()
    SchoolRanking.objects.bulk_create(
        [SchoolRanking(vacancy=vacancy, candidate=c, rank=rank) for rank, c in chosen]
        + [SchoolRanking(vacancy=vacancy, candidate=c, rank=None) for c, rank in ranks.items() if rank is None]
    )
