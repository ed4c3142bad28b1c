"""Recruitment for the shared test ``world`` (conftest.py), as ``world.recruitment``.

An open round. Ada (the applicant) and Omar have submitted; the assessor read Omar's answer; Cara is booked at a
centre day the assessor assesses (and did not sift). Scopes (object kinds ``recruitment_round``, ``recruitment``
and ``centre_candidate`` in tests/authz_matrix.yaml): ``round``, ``app_self``, ``app_b1``, ``app_cara``,
``review_own``, ``review_other``, ``centre_own``, ``centre_other``.
"""

from __future__ import annotations

from typing import Any

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory
from difference.recruitment.models import Application, Stage
from difference.recruitment.tests.factories import (
    AnswerFactory,
    CentreDayFactory,
    CentreInvitationFactory,
    CentreSlotFactory,
    CompetencyQuestionFactory,
    EligibilityQuestionFactory,
    RecruitmentRoundFactory,
    SiftReviewFactory,
    SubmittedApplicationFactory,
)


def recruitment_world(people: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    recruitment_round = RecruitmentRoundFactory(year=2030)
    other_assessors = [UserFactory(role=Role.ASSESSOR, email=f"assessor{n}@example.org") for n in (2, 3)]
    recruitment_round.assessors.add(users["assessor"], *other_assessors)
    EligibilityQuestionFactory(recruitment_round=recruitment_round, position=1)
    question = CompetencyQuestionFactory(recruitment_round=recruitment_round, position=1)
    cara = PersonFactory(first_name="Cara", last_name="Centre")
    applications = {}
    for key, person in (("app_self", people["applicant_self"]), ("app_b1", people["leader_b1"]), ("app_cara", cara)):
        application = SubmittedApplicationFactory(recruitment_round=recruitment_round, person=person)
        AnswerFactory(application=application, question=question, text=f"An answer about change ({key}).")
        applications[key] = application
    review_own = SiftReviewFactory(answer=applications["app_b1"].answers.get(), assessor=users["assessor"])
    review_other = SiftReviewFactory(answer=applications["app_self"].answers.get(), assessor=other_assessors[0])
    day = CentreDayFactory(recruitment_round=recruitment_round)
    day.assessors.add(users["assessor"])
    slot = CentreSlotFactory(day=day)
    Application.objects.filter(pk=applications["app_cara"].pk).update(stage=Stage.INVITED)
    CentreInvitationFactory(application=applications["app_cara"], slot=slot, booked_at=slot.starts_at)
    return {
        "round": recruitment_round,
        **applications,
        "review_own": review_own,
        "review_other": review_other,
        "centre_own": applications["app_cara"],
        "centre_other": applications["app_self"],
    }
