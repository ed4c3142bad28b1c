from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory
from difference.recruitment import services
from difference.recruitment.models import CompetencyQuestion, EligibilityQuestion, RecruitmentRound

QUESTIONS = [
    ("Leading change", "Tell us about a change you led in your school."),
    ("Relationships", "Describe how you built a relationship with a pupil at risk of exclusion."),
    ("Reflection", "Tell us about a time something went wrong and what you learnt."),
]


def make_round(
    year: int = 2031, *, opens_at: dt.datetime | None = None, closes_at: dt.datetime | None = None
) -> RecruitmentRound:
    now = timezone.now()
    recruitment_round = RecruitmentRound.objects.create(
        year=year,
        opens_at=opens_at or now - dt.timedelta(days=10),
        closes_at=closes_at or now + dt.timedelta(days=10),
    )
    EligibilityQuestion.objects.create(recruitment_round=recruitment_round, position=1, text="Do you hold QTS?")
    for position, (competency, text) in enumerate(QUESTIONS, start=1):
        CompetencyQuestion.objects.create(
            recruitment_round=recruitment_round,
            position=position,
            competency=competency,
            text=text,
            marking_guide=f"1: no evidence of {competency.lower()}. 3: some. 5: strong, sustained evidence.",
            word_limit=50,
        )
    return recruitment_round


def submit_for(recruitment_round: RecruitmentRound, person: Any, *, now: dt.datetime | None = None) -> Any:
    application = services.start_application(recruitment_round=recruitment_round, person=person, now=now)
    questions = list(recruitment_round.questions.all())
    services.save_draft(
        application=application,
        answers={q.pk: f"My answer on {q.competency.lower()} by applicant {person.pk}." for q in questions},
        eligibility={str(recruitment_round.eligibility_questions.get().pk): True},
    )
    return services.submit_application(application=application, by=None, now=now)


@pytest.fixture
def sift_round(db: Any) -> SimpleNamespace:
    """An open round with four assessors and six submitted applications."""
    recruitment_round = make_round()
    assessors = [UserFactory(role=Role.ASSESSOR, email=f"reader{n}@example.org") for n in range(1, 5)]
    recruitment_round.assessors.add(*assessors)
    applicants = [PersonFactory(first_name=f"Applicant{n}", last_name="Zephyrine") for n in range(6)]
    applications = [submit_for(recruitment_round, person) for person in applicants]
    return SimpleNamespace(round=recruitment_round, assessors=assessors, applications=applications)
