"""The access kernel every app's rules stand on: memberships, audited refusals and scoped lookups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from difference.accounts.models import AuditAction, AuditEvent, Membership
from difference.accounts.policy import deny, get_scoped, is_active, membership_ids, require, require_capability
from difference.accounts.roles import Capability, Role
from difference.accounts.tests.factories import UserFactory
from difference.people.models import Person
from difference.schools.models import School
from difference.schools.tests.factories import SchoolFactory


def _request(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_inactive_users_see_nothing(world):
    user = world.users["staff_admin"]
    user.is_active = False
    user.save()
    assert not is_active(user)
    assert not School.objects.for_user(user).exists()
    assert not Person.objects.for_user(user).exists()


def test_only_current_memberships_count(db):
    user = UserFactory(role=Role.HEADTEACHER)
    today = dt.date.today()
    current, ended, future = SchoolFactory(), SchoolFactory(), SchoolFactory()
    Membership.objects.create(user=user, school=current, starts_on=today - dt.timedelta(days=9))
    Membership.objects.create(
        user=user, school=ended, starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1)
    )
    Membership.objects.create(user=user, school=future, starts_on=today + dt.timedelta(days=1))
    assert membership_ids(user, "school") == [current.pk]
    assert membership_ids(user, "trust") == []


def test_a_refusal_is_audited_with_its_reason_and_path(db):
    user = UserFactory(role=Role.APPLICANT)
    error = deny(_request(user), reason="role may not do this", object_type="schools.school", object_id="7")
    assert isinstance(error, PermissionDenied)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.detail, event.path) == (
        AuditAction.AUTHZ_DENIED,
        user,
        "role may not do this",
        "/somewhere/",
    )
    assert (event.object_type, event.object_id) == ("schools.school", "7")


def test_require_refuses_with_403_and_lets_through_silently(db):
    user = UserFactory(role=Role.ASSESSOR)
    require(_request(user), True, reason="unused")
    assert not AuditEvent.objects.exists()
    with pytest.raises(PermissionDenied):
        require_capability(_request(user), Capability.VIEW_SCHOOLS)
    assert AuditEvent.objects.get().detail == "role lacks view_schools"


def test_a_lookup_outside_the_scope_is_not_found_and_audited_only_when_the_object_exists(db):
    user = UserFactory(role=Role.HEADTEACHER)
    school = SchoolFactory()
    with pytest.raises(Http404):
        get_scoped(_request(user), School.objects.none(), School.objects.all(), urn=school.urn)
    event = AuditEvent.objects.get()
    assert (event.object_type, event.object_id) == ("schools.school", str(school.pk))
    with pytest.raises(Http404):
        get_scoped(_request(user), School.objects.none(), School.objects.all(), urn=999999999)
    assert AuditEvent.objects.count() == 1
    assert get_scoped(_request(user), School.objects.all(), School.objects.all(), urn=school.urn) == school
