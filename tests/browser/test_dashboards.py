"""Each role's home page in a browser: axe finds nothing serious, and every work item opens for that user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from difference.training.models import Attendance
from difference.training.tests.factories import (
    CohortFactory,
    ComponentFactory,
    LeaderEnrolmentFactory,
    RequirementFactory,
    SessionFactory,
)

pytestmark = pytest.mark.browser

ROLES = [
    "staff_admin",
    "staff_programme",
    "staff_research",
    "assessor",
    "leader",
    "applicant",
    "headteacher",
    "trust_partner",
]


def _work_to_do() -> None:
    """A cohort with a leader who can no longer meet a requirement and a register not yet taken."""
    cohort = CohortFactory(year=2030)
    component = ComponentFactory(programme=cohort.programme)
    RequirementFactory(cohort=cohort, component=component, amount=Decimal(10))
    now = timezone.now()
    marked = SessionFactory(cohort=cohort, component=component, starts_at=now - dt.timedelta(days=3))
    SessionFactory(cohort=cohort, component=component, starts_at=now - dt.timedelta(days=1))
    Attendance.objects.create(session=marked, enrolment=LeaderEnrolmentFactory(cohort=cohort), status="absent")


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_home_page_is_accessible_and_every_item_opens_for_them(
    page: Any, live_server: Any, world: Any, login_with_session, assert_accessible, role: str
):
    _work_to_do()
    login_with_session(world.users[role])
    response = page.goto("/")
    assert response is not None and response.ok
    assert_accessible()
    links = page.eval_on_selector_all(".dashboard-item > a", "links => links.map(a => a.getAttribute('href'))")
    if role in ("staff_programme", "staff_admin"):
        assert page.get_by_text("at risk of missing a requirement").count() >= 1
        assert links
    for href in links:
        opened = page.goto(href)
        assert opened is not None and opened.ok, f"{role}: {href} answered {opened and opened.status}"
        assert "/accounts/login/" not in page.url, f"{role}: {href} sent to log in"


@pytest.mark.parametrize("path", ["person", "ledger", "enrolment", "cohort", "requirements"])
def test_the_story_and_training_pages_are_accessible(
    page: Any, live_server: Any, world: Any, login_with_session, assert_accessible, path: str
):
    from difference.training.models import Enrolment

    enrolment = Enrolment.objects.get(person=world.people["leader_a1"], cohort=world.cohort)
    paths = {
        "person": world.people["leader_a1"].get_absolute_url(),
        "ledger": f"/training/cohorts/{world.cohort.pk}/ledger/",
        "enrolment": f"/training/enrolments/{enrolment.pk}/",
        "cohort": f"/training/cohorts/{world.cohort.pk}/",
        "requirements": f"/training/cohorts/{world.cohort.pk}/requirements/",
    }
    login_with_session(world.users["staff_programme"])
    response = page.goto(paths[path])
    assert response is not None and response.ok
    assert_accessible()


def test_the_leaders_own_training_page_is_accessible(
    page: Any, live_server: Any, world: Any, login_with_session, assert_accessible
):
    login_with_session(world.users["leader"])
    response = page.goto("/training/mine/")
    assert response is not None and response.ok
    assert_accessible()
