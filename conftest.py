"""Shared personas: one user per role, in a small world of two trusts with two schools each.

Scope names are concrete objects, so the authorisation matrix can say exactly
which object a role may reach: schools ``a1`` (the headteacher's and leader's
school, in trust A), ``a2`` (same trust) and ``b1`` (another trust); people
``leader_a1`` (the leader placed at a1), ``leader_b1`` and ``applicant_self``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from difference.accounts.roles import Role
from difference.accounts.tests.factories import MembershipFactory, UserFactory
from difference.people.models import EthnicGroup, Gender
from difference.people.tests.factories import DemographicsFactory, PersonFactory
from difference.schools.models import SchoolCategory
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory
from difference.training.tests.factories import CohortFactory, EnrolmentFactory
from difference.training.tests.world import training_world


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    la_a = LocalAuthorityFactory(code="202", name="Camden", region="London")
    la_b = LocalAuthorityFactory(code="925", name="Lincolnshire", region="East Midlands")
    trust_a = TrustFactory(name="Trust A")
    trust_b = TrustFactory(name="Trust B")
    schools = {
        "a1": SchoolFactory(name="Alpha PRU", category=SchoolCategory.PRU, trust=trust_a, local_authority=la_a),
        "a2": SchoolFactory(name="Alpha High", trust=trust_a, local_authority=la_a),
        "b1": SchoolFactory(
            name="Beta AP Academy", category=SchoolCategory.AP_ACADEMY, trust=trust_b, local_authority=la_b
        ),
        "b2": SchoolFactory(name="Beta Primary", trust=trust_b, local_authority=la_b),
    }
    cohort = CohortFactory(year=2022, target_size=20)
    users = {role.value: UserFactory(role=role, email=f"{role.value}@example.org") for role in Role}
    people = {
        "leader_a1": PersonFactory(first_name="Lena", last_name="Leader", school=schools["a1"], user=users["leader"]),
        "leader_b1": PersonFactory(first_name="Omar", last_name="Other", school=schools["b1"]),
        "applicant_self": PersonFactory(first_name="Ada", last_name="Applicant", user=users["applicant"]),
    }
    for key in ("leader_a1", "leader_b1"):
        EnrolmentFactory(person=people[key], cohort=cohort)
    DemographicsFactory(person=people["leader_a1"], gender=Gender.WOMAN, ethnic_group=EthnicGroup.BLACK)
    MembershipFactory(user=users["leader"], school=schools["a1"])
    MembershipFactory(user=users["leader"], cohort=cohort)
    MembershipFactory(user=users["headteacher"], school=schools["a1"])
    MembershipFactory(user=users["trust_partner"], trust=trust_a)
    placements = _placement_world(schools, people, users)
    recruitment = _recruitment_world(people, users)
    return SimpleNamespace(
        placements=placements,
        recruitment=recruitment,
        users=users,
        schools=schools,
        trusts={"trust_a": trust_a, "trust_b": trust_b},
        people=people,
        cohort=cohort,
        local_authorities={"la_a": la_a, "la_b": la_b},
        training=training_world(SimpleNamespace(users=users, people=people, cohort=cohort)),
        consultancy=_consultancy_world(trust_a, trust_b, users),
    )


def _consultancy_world(trust_a: Any, trust_b: Any, users: dict[str, Any]) -> dict[str, Any]:
    """An engagement with the trust partner's trust (A) and one with another trust (B)."""
    from difference.consultancy.models import Engagement

    return {
        "own": Engagement.objects.create(
            trust=trust_a, title="Suspensions review", academic_year="2022/23", created_by=users["staff_research"]
        ),
        "other": Engagement.objects.create(trust=trust_b, title="Attendance review", academic_year="2022/23"),
    }


def _placement_world(schools: dict[str, Any], people: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """A 2022 round: vacancies at a1 and b1; the leader and Omar ranked them; a run placed the leader at a1."""
    import datetime as dt

    from difference.placements.models import (
        Candidate,
        CandidatePreference,
        MatchOutcome,
        MatchRun,
        Placement,
        PlacementRound,
        SchoolRanking,
        Vacancy,
    )

    placement_round = PlacementRound.objects.create(year=2022, target_posts=2)
    common = {"placement_round": placement_round, "starts_on": dt.date(2022, 9, 1), "focus": "send"}
    vac_a1 = Vacancy.objects.create(school=schools["a1"], title="Assistant Head", setting_type="pru", **common)
    vac_b1 = Vacancy.objects.create(school=schools["b1"], title="Head of SEND", setting_type="ap_academy", **common)
    cand_leader = Candidate.objects.create(placement_round=placement_round, person=people["leader_a1"])
    cand_b1 = Candidate.objects.create(placement_round=placement_round, person=people["leader_b1"])
    cand_applicant = Candidate.objects.create(placement_round=placement_round, person=people["applicant_self"])
    CandidatePreference.objects.create(candidate=cand_leader, vacancy=vac_a1, rank=1)
    CandidatePreference.objects.create(candidate=cand_b1, vacancy=vac_b1, rank=1)
    SchoolRanking.objects.create(vacancy=vac_a1, candidate=cand_leader, rank=1)
    SchoolRanking.objects.create(vacancy=vac_b1, candidate=cand_b1, rank=1)
    run = MatchRun.objects.create(placement_round=placement_round, instance={"candidates": {}, "vacancies": {}})
    MatchOutcome.objects.create(run=run, candidate=cand_leader, vacancy=vac_a1, choice_rank=1, explanation="1st choice")
    placement = Placement.objects.create(candidate=cand_leader, vacancy=vac_a1, run=run, starts_on=dt.date(2022, 9, 1))
    return {
        "round": placement_round,
        "vac_a1": vac_a1,
        "vac_b1": vac_b1,
        "cand_leader": cand_leader,
        "cand_b1": cand_b1,
        "cand_applicant": cand_applicant,
        "run": run,
        "placement_a1": placement,
    }


def _recruitment_world(people: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """An open round. Ada (the applicant) and Omar have submitted; the assessor read Omar's answer; Cara is booked
    at a centre day the assessor assesses (and did not sift)."""
    import datetime as dt

    from django.utils import timezone

    from difference.recruitment.models import (
        Answer,
        Application,
        CentreDay,
        CentreInvitation,
        CentreSlot,
        CompetencyQuestion,
        EligibilityQuestion,
        RecruitmentRound,
        SiftReview,
        Stage,
    )

    now = timezone.now()
    recruitment_round = RecruitmentRound.objects.create(
        year=2030, opens_at=now - dt.timedelta(days=30), closes_at=now + dt.timedelta(days=30)
    )
    other_assessors = [UserFactory(role=Role.ASSESSOR, email=f"assessor{n}@example.org") for n in (2, 3)]
    recruitment_round.assessors.add(users["assessor"], *other_assessors)
    EligibilityQuestion.objects.create(recruitment_round=recruitment_round, position=1, text="Do you hold QTS?")
    question = CompetencyQuestion.objects.create(
        recruitment_round=recruitment_round,
        position=1,
        competency="Leading change",
        text="Tell us about a change you led.",
        marking_guide="5: sustained change with evidence of impact.",
    )
    cara = PersonFactory(first_name="Cara", last_name="Centre")
    applications = {}
    for key, person in (("app_self", people["applicant_self"]), ("app_b1", people["leader_b1"]), ("app_cara", cara)):
        application = Application.objects.create(
            recruitment_round=recruitment_round, person=person, stage=Stage.SUBMITTED, submitted_at=now
        )
        Answer.objects.create(application=application, question=question, text=f"An answer about change ({key}).")
        applications[key] = application
    salt = recruitment_round.order_salt
    review_own = SiftReview.objects.create(
        answer=applications["app_b1"].answers.get(),
        assessor=users["assessor"],
        order_key=SiftReview.order_key_for(salt, users["assessor"].pk, 1),
    )
    review_other = SiftReview.objects.create(
        answer=applications["app_self"].answers.get(),
        assessor=other_assessors[0],
        order_key=SiftReview.order_key_for(salt, other_assessors[0].pk, 2),
    )
    day = CentreDay.objects.create(recruitment_round=recruitment_round, date=now.date(), venue="Online")
    day.assessors.add(users["assessor"])
    slot = CentreSlot.objects.create(day=day, starts_at=now, capacity=4)
    Application.objects.filter(pk=applications["app_cara"].pk).update(stage=Stage.INVITED)
    CentreInvitation.objects.create(application=applications["app_cara"], slot=slot, booked_at=now)
    return {
        "round": recruitment_round,
        **applications,
        "review_own": review_own,
        "review_other": review_other,
        "centre_own": applications["app_cara"],
        "centre_other": applications["app_self"],
    }


@pytest.fixture
def client_for(world: SimpleNamespace):  # type: ignore[no-untyped-def]
    """``client_for("headteacher")`` is a test client logged in as that persona (MFA already set up)."""

    def make(role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return make
