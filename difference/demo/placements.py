"""Demo data for placements: the 2022 round as the impact report tells it.

About 25 offer-holders and 20 posts (the target) in partner AP schools, 5 of
them new partners. The preferences are built so that the published,
candidate-proposing run places 19 leaders — the DLP 2022 cohort — and one post
stays empty: the second post at one school, whose only other applicants it
found unacceptable. The people are invented; the schools are real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.test.utils import override_settings

from difference.people.models import Person
from difference.placements import services
from difference.placements.models import (
    Candidate,
    Focus,
    MatchRun,
    PlacementRound,
    RunStatus,
    SettingType,
    Vacancy,
)
from difference.schools.models import Partnership, PartnershipKind, School, SchoolCategory

YEAR = 2022
STARTS_ON = dt.date(2022, 9, 1)
# 16 vacancies: the first four have two posts, the rest one; 20 posts in all.
POSTS = [2, 2, 2, 2] + [1] * 12
TITLES = ["Assistant Headteacher", "Associate Senior Leader", "Head of Inclusion", "Assistant Head (Curriculum)"]
FOCI = [Focus.TEACHING_LEARNING, Focus.WELLBEING_SAFEGUARDING, Focus.SEND, Focus.BEHAVIOUR_ATTENDANCE]
HALF_EMPTY = 3  # the vacancy whose second post stays empty
EXTRA_NAMES = [
    ("Bola", "Ajayi"),
    ("Ciara", "Byrne"),
    ("Dan", "Okafor"),
    ("Elif", "Kaya"),
    ("Hugo", "Marsh"),
    ("Ines", "Silva"),
]


@dataclass
class DemoRound:
    placement_round: PlacementRound
    run: MatchRun | None
    placed: int
    new_partners: int


def load_round(*, leaders: Sequence[Person], leader_schools: Sequence[School], say: Callable[[str], None]) -> DemoRound:
    placement_round, _ = PlacementRound.objects.get_or_create(year=YEAR, defaults={"target_posts": 20})
    published = placement_round.runs.filter(status=RunStatus.PUBLISHED).first()
    if published is not None:
        partners_since = Partnership.objects.filter(kind=PartnershipKind.LEADER_SCHOOL, since=STARTS_ON).count()
        return DemoRound(placement_round, published, published.placements.count(), partners_since)
    schools, new_partners = _schools(leader_schools)
    if not schools or not leaders:
        say("Placements demo skipped: no AP schools or no 2022 leaders.")
        return DemoRound(placement_round, None, 0, 0)
    vacancies = _vacancies(placement_round, schools, new_partners)
    extras = [
        Person.objects.update_or_create(
            email=f"offer{YEAR}.{n + 1:02d}@demo.example.org",
            defaults={"first_name": first, "last_name": last, "job_title": "Offer-holder"},
        )[0]
        for n, (first, last) in enumerate(EXTRA_NAMES)
    ]
    candidates = [Candidate.objects.get_or_create(placement_round=placement_round, person=p)[0] for p in leaders]
    others = [Candidate.objects.get_or_create(placement_round=placement_round, person=p)[0] for p in extras]
    _preferences(vacancies, candidates, others)
    run = services.create_run(placement_round=placement_round, by=None)
    # The demo does not email its invented people.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        placements = services.publish_run(run=run, by=None)
    for placement in placements:
        Person.objects.filter(pk=placement.candidate.person_id).update(school=placement.vacancy.school)
    return DemoRound(placement_round, run, len(placements), len(new_partners))


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
    for school in new_partners:
        Partnership.objects.get_or_create(
            school=school, kind=PartnershipKind.LEADER_SCHOOL, defaults={"since": STARTS_ON}
        )
    vacancies = []
    for i, posts in enumerate(POSTS):
        school = schools[i % len(schools)]
        vacancy, _ = Vacancy.objects.update_or_create(
            placement_round=placement_round,
            school=school,
            title=TITLES[i % len(TITLES)] if i < len(schools) else f"{TITLES[i % len(TITLES)]} ({i + 1})",
            defaults={
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
