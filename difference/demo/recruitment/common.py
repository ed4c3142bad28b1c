"""What the demo rounds share: the plans, the rounds and their questions, invented people and assessors,
and the summary line."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.test.utils import override_settings

from difference.accounts.models import User
from difference.accounts.roles import Role
from difference.demo.records import upsert
from difference.demo.recruitment.content import (
    AGE_BANDS,
    ANSWER_PARTS,
    AP_ROLES,
    DISABILITIES,
    ELIGIBILITY,
    ETHNIC_GROUPS,
    FIRST_NAMES,
    GENDERS,
    LAST_NAMES,
    PHASES,
    QUESTIONS,
    REGIONS,
    ROLES,
    SETTINGS,
    SUBJECTS,
)
from difference.people.models import Person
from difference.placements.models import Placement
from difference.recruitment.models import (
    CentreDecision,
    CompetencyQuestion,
    EligibilityQuestion,
    Interest,
    Offer,
    OfferStatus,
    Phase,
    RecruitmentRound,
    Setting,
    Stage,
)

UK = ZoneInfo("Europe/London")
LIVE_YEAR = 2022  # the round whose selection runs through the services


def no_email() -> override_settings:
    """The dummy backend, not locmem or the console: the demo neither sends to nor prints its invented people."""
    return override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")


@dataclass(frozen=True)
class RoundPlan:
    registered: int
    applied: int  # submitted, withdrawals included
    drafts: int  # started and never submitted
    withdrew_in_sift: int
    shortlisted: int  # about: ties at the threshold are shortlisted too
    assessed: int  # centre decisions; the other shortlisted withdrew before the centre
    offers: int
    declined: int  # offers declined; the rest are accepted by exactly the cohort's leaders


PLANS = {
    2019: RoundPlan(210, 58, 0, 1, 24, 20, 11, 1),
    2020: RoundPlan(340, 96, 0, 2, 36, 30, 16, 2),
    2021: RoundPlan(480, 137, 0, 2, 50, 42, 21, 2),
    2022: RoundPlan(664, 181, 35, 3, 60, 50, 27, 2),
}
# The 2022 offer-holders who were not in the cohort: candidates in the placement round with its leaders.
OFFER_HOLDER_EMAIL = "offer{year}.{n:02d}@demo.example.org"
OFFER_HOLDERS = [("Bola", "Ajayi"), ("Ciara", "Byrne"), ("Dan", "Okafor"), ("Elif", "Kaya"), ("Hugo", "Marsh"),
                 ("Ines", "Silva")]  # fmt: skip


# --- Rounds, questions and assessors ---------------------------------------------------------------------------------
def uk(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=UK)


def ensure_round(year: int, *, opens_at: dt.datetime, closes_at: dt.datetime, target: int) -> RecruitmentRound:
    """The round and its questions, as staff set them up on the round's forms (plain records, no workflow)."""
    recruitment_round = upsert(
        RecruitmentRound,
        match={"year": year},
        values={"opens_at": opens_at, "closes_at": closes_at, "target_leaders": target},
    )
    for position, text in enumerate(ELIGIBILITY, start=1):
        upsert(
            EligibilityQuestion,
            match={"recruitment_round": recruitment_round, "position": position},
            values={"text": text.format(year=year), "required_answer": True},
        )
    for position, (competency, text, guide) in enumerate(QUESTIONS, start=1):
        upsert(
            CompetencyQuestion,
            match={"recruitment_round": recruitment_round, "position": position},
            values={"competency": competency, "text": text, "marking_guide": guide, "word_limit": 400},
        )
    return recruitment_round


def invented_assessors(names: Sequence[tuple[str, str]], first_number: int) -> list[User]:
    """Invented assessors, made as staff make logins in the admin (no service makes one). They cannot log in: the
    demo's assessor login is the one in ``demo.accounts``."""
    users = []
    for number, (first, last) in enumerate(names, start=first_number):
        email = f"assessor.{number:02d}@demo.example.org"
        user, created = User.objects.get_or_create(
            email=email, defaults={"username": email, "role": Role.ASSESSOR, "first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


def serial_ranges() -> dict[int, range]:
    """Which invented educators register in each round; a few of each year's register again the next."""
    ranges, start = {}, 0
    for year, plan in PLANS.items():
        invented = plan.registered - (plan.offers - plan.declined)
        ranges[year] = range(start, start + invented)
        start = ranges[year].stop - invented // 15
    return ranges


def pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def between(rng: random.Random, start: dt.datetime, end: dt.datetime, *, late: bool = False) -> dt.datetime:
    """A moment in [start, end), bunched towards the end when ``late`` (applications come in near the deadline)."""
    share = rng.triangular(0, 1, 1) if late else rng.random()
    return start + (end - start) * min(share, 0.9999)


def registration_fields(rng: random.Random) -> dict[str, object]:
    setting, phase = pick(rng, SETTINGS), pick(rng, PHASES)
    subject = rng.choice(SUBJECTS) if phase != Phase.PRIMARY else ""
    role = rng.choice(AP_ROLES if setting == Setting.AP else ROLES[Phase(phase)]).format(subject=subject or "English")
    interests = [Interest.DLP] if rng.random() < 0.88 else []
    interests += [
        i for i, p in ((Interest.ILC, 0.25), (Interest.EVENTS, 0.35), (Interest.RESEARCH, 0.12)) if rng.random() < p
    ]
    return {
        "current_role": role,
        "setting": setting,
        "phase": phase,
        "subject": subject,
        "region": pick(rng, REGIONS),
        "interests": [str(i) for i in interests or [Interest.DLP]],
    }


def invented_person(serial: int) -> Person:
    first = FIRST_NAMES[serial * 7 % len(FIRST_NAMES)]
    last = LAST_NAMES[(serial * 11 + serial // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return Person(first_name=first, last_name=last, email=f"{first}.{last}{serial}@demo.example.org".lower())


def diversity_answers(rng: random.Random) -> dict[str, str]:
    return {
        "gender": pick(rng, GENDERS),
        "ethnic_group": pick(rng, ETHNIC_GROUPS),
        "disability": pick(rng, DISABILITIES),
        "age_band": pick(rng, AGE_BANDS),
    }


def to_score(value: float) -> int:
    return min(5, max(1, round(value)))


def answer_text(rng: random.Random, index: int) -> str:
    return " ".join(rng.choice(part) for part in ANSWER_PARTS[index])


# --- Summary ---------------------------------------------------------------------------------------------------------
def summary(year: int = LIVE_YEAR) -> str:
    """One line counted from the records, by the funnel's definitions."""
    recruitment_round = RecruitmentRound.objects.get(year=year)
    applications = recruitment_round.applications.all()
    offers = Offer.objects.filter(application__recruitment_round=recruitment_round)
    shortlisted = applications.filter(stage_changes__to_stage=Stage.SHORTLISTED).distinct().count()
    assessed = CentreDecision.objects.filter(application__recruitment_round=recruitment_round).count()
    placed = Placement.objects.filter(candidate__placement_round__year=year).count()
    return (
        f"Recruitment {year}: {recruitment_round.registrations.count()} registered, "
        f"{applications.submitted().count()} applied, {shortlisted} shortlisted, {assessed} assessed, "
        f"{offers.count()} offers ({offers.filter(status=OfferStatus.ACCEPTED).count()} accepted); "
        f"{placed} placed against a target of {recruitment_round.target_leaders}."
    )
