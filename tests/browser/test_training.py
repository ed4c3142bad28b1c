"""Taking a 30-person register in a real browser, by keyboard only, in one submit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory
from difference.training.models import Attendance, AttendanceStatus, Component, ComponentKind, Session
from difference.training.tests.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.browser


def test_a_30_person_register_is_taken_by_keyboard_in_one_submit(
    page: Any, db: Any, login_with_session, assert_accessible
):
    cohort = CohortFactory(year=2031)
    twilights = Component.objects.create(
        programme=cohort.programme, code="twilights", name="Twilights", kind=ComponentKind.TWILIGHT
    )
    people = [PersonFactory(first_name=f"Leader{n:02d}", last_name="Register") for n in range(30)]
    enrolments = [EnrolmentFactory(person=p, cohort=cohort) for p in people]
    starts = timezone.now() - dt.timedelta(hours=3)
    session = Session.objects.create(
        cohort=cohort,
        component=twilights,
        title="Twilight: restorative conversations",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        hours=Decimal("2"),
    )
    login_with_session(UserFactory(role=Role.STAFF_PROGRAMME))
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.goto(f"/training/sessions/{session.pk}/register/")
    assert_accessible()

    # Everyone starts as present; the keyboard changes four people and moves on with Tab.
    page.get_by_label("Leader00 Register: attendance").focus()
    page.keyboard.type("Absent")  # typing an option's name selects it
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Late")
    page.keyboard.press("Tab")
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.type("Left early")
    page.keyboard.press("Tab")
    page.keyboard.type("30")
    page.keyboard.press("Tab")
    page.keyboard.type("Excused")
    for _ in range(1 + 2 * 26 + 1):  # past this person's minutes and the other 26 people, to the button
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save the register")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Register saved: 30 people marked.")
    assert len(posts) == 1
    marks = {a.enrolment_id: (a.status, a.minutes_missed) for a in Attendance.objects.filter(session=session)}
    assert len(marks) == 30
    assert marks[enrolments[0].pk] == (AttendanceStatus.ABSENT, 0)
    assert marks[enrolments[1].pk] == (AttendanceStatus.LATE, 10)
    assert marks[enrolments[2].pk] == (AttendanceStatus.LEFT_EARLY, 30)
    assert marks[enrolments[3].pk] == (AttendanceStatus.EXCUSED, 0)
    assert all(marks[e.pk] == (AttendanceStatus.PRESENT, 0) for e in enrolments[4:])
