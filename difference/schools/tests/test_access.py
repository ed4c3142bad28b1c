"""The schools' scope and lookup rules, tested directly on generated worlds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from difference.accounts.models import Membership
from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.schools.access import get_school
from difference.schools.models import School
from difference.schools.tests.factories import SchoolFactory, TrustFactory


class ScopeProperties(TestCase):
    """Whatever memberships a user holds, they see exactly the schools those memberships allow."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.trusts = [TrustFactory() for _ in range(3)]
        cls.schools = [SchoolFactory(trust=cls.trusts[i % 3] if i % 4 else None) for i in range(9)]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        role=st.sampled_from([Role.HEADTEACHER, Role.TRUST_PARTNER, Role.ASSESSOR, Role.APPLICANT]),
        school_ix=st.sets(st.integers(0, 8), max_size=3),
        trust_ix=st.sets(st.integers(0, 2), max_size=2),
        ended=st.booleans(),
    )
    def test_a_user_sees_only_the_schools_their_current_memberships_allow(self, role, school_ix, trust_ix, ended):
        user = UserFactory(role=role)
        today = dt.date.today()
        ends_on = today - dt.timedelta(days=1) if ended else None
        starts_on = today - dt.timedelta(days=30)
        for i in school_ix:
            Membership.objects.create(user=user, school=self.schools[i], starts_on=starts_on, ends_on=ends_on)
        for i in trust_ix:
            Membership.objects.create(user=user, trust=self.trusts[i], starts_on=starts_on, ends_on=ends_on)

        seen = set(School.objects.for_user(user).values_list("pk", flat=True))

        expected: set[int] = set()
        if not ended and role == Role.HEADTEACHER:
            expected = {self.schools[i].pk for i in school_ix}
        if not ended and role == Role.TRUST_PARTNER:
            expected = {s.pk for s in self.schools if s.trust_id in {self.trusts[i].pk for i in trust_ix}}
        assert seen == expected


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_school_helper_refuses_roles_without_the_capability_before_looking(world):
    with pytest.raises(PermissionDenied):
        get_school(_request(world.users["assessor"]), world.schools["a1"].urn)


def test_the_school_helper_hides_schools_outside_scope_as_not_found(world):
    request = _request(world.users["trust_partner"])
    assert get_school(request, world.schools["a2"].urn) == world.schools["a2"]
    with pytest.raises(Http404):
        get_school(request, world.schools["b1"].urn)
