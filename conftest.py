"""Shared personas: one user per role, in a small world of two trusts with two schools each.

Each app builds its own part of the world from its factories (``<app>/tests/world.py``); this module gives the
people, schools and users they share and puts the parts together.

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
from difference.careers.tests.world import careers_world
from difference.consultancy.tests.world import consultancy_world
from difference.jobs.tests.world import job_world
from difference.people.models import EthnicGroup, Gender
from difference.people.tests.factories import DemographicsFactory, PersonFactory
from difference.placements.tests.world import placement_world
from difference.projects.tests.world import projects_world
from difference.recruitment.tests.world import recruitment_world
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
    trusts = {"trust_a": trust_a, "trust_b": trust_b}
    return SimpleNamespace(
        placements=placement_world(schools, people),
        recruitment=recruitment_world(people, users),
        users=users,
        schools=schools,
        trusts=trusts,
        people=people,
        cohort=cohort,
        local_authorities={"la_a": la_a, "la_b": la_b},
        training=training_world(SimpleNamespace(users=users, people=people, cohort=cohort)),
        consultancy=consultancy_world(trusts, users),
        jobs=job_world(trusts, users),
        projects=projects_world(schools, people),
        careers=careers_world(schools, trusts, people),
    )


@pytest.fixture
def client_for(world: SimpleNamespace):  # type: ignore[no-untyped-def]
    """``client_for("headteacher")`` is a test client logged in as that persona (MFA already set up)."""

    def make(role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return make
