"""Demo data for placements: the 2022 round as the impact report tells it.

About 25 offer-holders and 20 posts (the target) in partner AP schools, 5 of
them new partners. The preferences are built so that the published,
candidate-proposing run places 19 leaders — the DLP 2022 cohort — and one post
stays empty: the second post at one school, whose only other applicants it
found unacceptable. The people are invented; the schools are real.

The candidates are the offer-holders the recruitment demo's 2022 round made ready for placement (run it first);
the run is made and published through the placement services in May 2022, and the placed leaders are then
enrolled in the DLP 2022 cohort from their placements through the training services, as staff do once a round is
published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.test.utils import override_settings

from difference.demo.records import upsert
from difference.people.models import Person
from difference.placements import services
from difference.placements.models import (
    Candidate,
    Focus,
    MatchRun,
    Placement,
    PlacementRound,
    RunStatus,
    SettingType,
    Vacancy,
)
from difference.schools.models import Partnership, PartnershipKind, School, SchoolCategory
from difference.training import services as training_services
from difference.training.models import Cohort

YEAR = 2022
STARTS_ON = dt.date(2022, 9, 1)
# The match was run, checked and published in May 2022, ahead of the posts starting in September.
RUN_AT = dt.datetime(2022, 5, 16, 10, tzinfo=dt.UTC)
PUBLISHED_AT = dt.datetime(2022, 5, 20, 9, tzinfo=dt.UTC)
# 16 vacancies: the first four have two posts, the rest one; 20 posts in all.
POSTS = [2, 2, 2, 2] + [1] * 12
TITLES = ["Assistant Headteacher", "Associate Senior Leader", "Head of Inclusion", "Assistant Head (Curriculum)"]
FOCI = [Focus.TEACHING_LEARNING, Focus.WELLBEING_SAFEGUARDING, Focus.SEND, Focus.BEHAVIOUR_ATTENDANCE]
HALF_EMPTY = 3  # the vacancy whose second post stays empty


@dataclass
class DemoRound:
    placement_round: PlacementRound
    run: MatchRun | None
    placed: int
    new_partners: int


def load_round(
    *, cohort: Cohort, leaders: Sequence[Person], leader_schools: Sequence[School], say: Callable[[str], None]
) -> DemoRound:
    """The 2022 round matched and published, its placed leaders working in their placements' schools and enrolled
    in ``cohort``. A round already published is left as it is."""
    # Made when the first 2022 offer was accepted; made here only if the recruitment demo has not run.
    placement_round, _ = PlacementRound.objects.get_or_create(year=YEAR, defaults={"target_posts": 20})
    run = placement_round.runs.filter(status=RunStatus.PUBLISHED).first()
    if run is None:
        schools, new_partners = _schools(leader_schools)
        if not schools or not leaders:
            say("Placements demo skipped: no AP schools or no 2022 leaders.")
            return DemoRound(placement_round, None, 0, 0)
        vacancies = _vacancies(placement_round, schools, new_partners)
        candidates = _candidates(placement_round, leaders)
        _preferences(vacancies, candidates[: len(leaders)], candidates[len(leaders) :])
        run = services.create_run(placement_round=placement_round, by=None, now=RUN_AT)
        # The demo does not email its invented people.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            services.publish_run(run=run, by=None, now=PUBLISHED_AT)
    placements = list(run.placements.select_related("candidate__person", "vacancy__school"))
    _start_in_post(placements, cohort)
    partners_since = Partnership.objects.filter(kind=PartnershipKind.LEADER_SCHOOL, since=STARTS_ON).count()
    return DemoRound(placement_round, run, len(placements), partners_since)


def _candidates(placement_round: PlacementRound, leaders: Sequence[Person]) -> list[Candidate]:
    """The round's candidates, the leaders first in their order and then the other offer-holders by email. Each
    became a candidate by accepting an offer; one who did not is an error in the demo, not something to mend."""
    by_person = {c.person_id: c for c in placement_round.candidates.select_related("person")}
    missing = [str(leader) for leader in leaders if leader.pk not in by_person]
    if missing:
        raise ValueError(f"Not candidates in the {YEAR} placement round (no accepted offer): {', '.join(missing)}")
    chosen = [by_person.pop(leader.pk) for leader in leaders]
    return chosen + sorted(by_person.values(), key=lambda c: c.person.email or "")


def _start_in_post(placements: list[Placement], cohort: Cohort) -> None:
    """Each placed leader works at their placement's school from then on, and is enrolled in the cohort."""
    for placement in placements:
        # The person's school is a plain field of their record, edited by staff; no service owns it.
        upsert(Person, match={"pk": placement.candidate.person_id}, values={"school": placement.vacancy.school})
    training_services.enrol_placed_leaders(cohort=cohort, by=None, on=STARTS_ON)


def _schools(leader_schools: Sequence[School]) -> tuple[list[School], list[School]]:
    """The existing AP partners, then five AP schools from other local authorities as new partners."""
    existing = [s for s in leader_schools if s.category in (SchoolCategory.PRU, SchoolCategory.AP_ACADEMY)]
    used_las = {s.local_authority_id for s in existing}
    new: list[School] = []
    candidates = (
        School.objects.alternative_provision()
        .exclude(pk__in=[s.pk for s in existing])
        .exclude(Q(local_authority__isnull=True) | Q(partnerships__isnull=False))
        .order_by("urn")
    )
    for school in candidates.iterator():
        if school.local_authority_id not in used_las:
            new.append(school)
            used_las.add(school.local_authority_id)
        if len(new) == 5:
            break
    return existing + new, new


def _vacancies(placement_round: PlacementRound, schools: list[School], new_partners: list[School]) -> list[Vacancy]:
    """Partnerships with the new partner schools and the round's vacancies: plain records, kept in the admin and
    the vacancy form, with no service behind them."""
    for school in new_partners:
        upsert(
            Partnership, match={"school": school, "kind": PartnershipKind.LEADER_SCHOOL}, defaults={"since": STARTS_ON}
        )
    vacancies = []
    for i, posts in enumerate(POSTS):
        school = schools[i % len(schools)]
        title = TITLES[i % len(TITLES)] if i < len(schools) else f"{TITLES[i % len(TITLES)]} ({i + 1})"
        vacancy = upsert(
            Vacancy,
            match={"placement_round": placement_round, "school": school, "title": title},
            values={
                "posts": posts,
                "focus": FOCI[i % len(FOCI)],
                "starts_on": STARTS_ON,
                "setting_type": SettingType.PRU if school.category == SchoolCategory.PRU else SettingType.AP_ACADEMY,
                "phase": "Secondary",
                "contact_name": "Headteacher",
            },
        )
        vacancies.append(vacancy)
    return vacancies


def _preferences(vacancies: list[Vacancy], leaders: list[Candidate], extras: list[Candidate]) -> None:
    """Leader i is meant for slot i; every fourth leader first tries a post that prefers someone else."""
    slots = [v for v, posts in zip(vacancies, POSTS, strict=True) for _ in range(posts)]
    slots.remove(vacancies[HALF_EMPTY])  # one post left for no one
    popular = vacancies[len(POSTS) - 1]
    school_lists: dict[int, list[Candidate]] = {v.pk: [] for v in vacancies}
    for i, (leader, target) in enumerate(zip(leaders, slots, strict=False)):
        choices = [target, vacancies[(i + 5) % len(vacancies)]]
        if i % 4 == 1 and target != popular:
            choices.insert(0, popular)
        _set_candidate_choices(leader, choices)
        school_lists[target.pk].insert(0, leader)  # the school ranks the leader meant for it first
        for other in choices:
            if other != target and leader not in school_lists[other.pk]:
                school_lists[other.pk].append(leader)
    for n, extra in enumerate(extras):
        choices = [vacancies[4 + (n * 2) % 12], vacancies[4 + (n * 2 + 1) % 12], vacancies[HALF_EMPTY]]
        _set_candidate_choices(extra, choices)
        for vacancy in choices[:2]:
            school_lists[vacancy.pk].append(extra)
    for vacancy in vacancies:
        ranks: dict[Candidate, int | None] = {
            c: r for r, c in enumerate(dict.fromkeys(school_lists[vacancy.pk]), start=1)
        }
        if vacancy == vacancies[HALF_EMPTY]:
            ranks |= {c: None for c in extras if c not in ranks}  # found unacceptable
        services.save_school_ranking(vacancy=vacancy, ranks=ranks)


def _set_candidate_choices(candidate: Candidate, choices: list[Vacancy]) -> None:
    ranks: dict[Vacancy, int | None] = {v: r for r, v in enumerate(dict.fromkeys(choices), start=1)}
    services.save_candidate_preferences(candidate=candidate, ranks=ranks)
