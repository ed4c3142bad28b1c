"""A leader enters a test round by keyboard; their headteacher reads what changed, chart and figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from difference.accounts.roles import Role
from difference.accounts.tests.factories import MembershipFactory, UserFactory
from difference.people.tests.factories import PersonFactory
from difference.projects.models import Assessment
from difference.projects.tests.factories import AssessmentFactory, MeasureFactory, ProjectFactory, PupilFactory
from difference.schools.tests.factories import SchoolFactory
from difference.training.tests.factories import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.browser

# Six pupils tested in October 2022, then again six months later; reading ages in months.
FIRST = {"SW-01": 110, "SW-02": 98, "SW-03": 121, "SW-04": 104, "SW-05": 115, "SW-06": 92}
SECOND = ["9:11", "9:02", "11:01", "", "10:11", "8:09"]  # SW-04 absent


def test_a_leader_enters_a_test_round_by_keyboard_and_the_headteacher_reads_the_chart(
    page: Any, db: Any, login_with_session, assert_accessible
):
    school = SchoolFactory(name="Southway SEMH School")
    leader = UserFactory(role=Role.LEADER)
    person = PersonFactory(first_name="Lena", last_name="Leader", user=leader, school=school)
    project = ProjectFactory(enrolment=EnrolmentFactory(person=person, cohort=CohortFactory(year=2021)), school=school)
    measure = MeasureFactory(project=project)
    for code, months in FIRST.items():
        pupil = PupilFactory(project=project, code=code, birth_year=2010, birth_month=5)
        AssessmentFactory(measure=measure, pupil=pupil, assessed_on=dt.date(2022, 10, 4), value=Decimal(months))

    login_with_session(leader)
    page.goto(f"/projects/{project.pk}/rounds/new/")
    assert_accessible()
    page.get_by_label("Date of the test").focus()
    page.keyboard.type("04042023")  # Chromium's date field takes the digits day, month, year
    # Chromium's date field keeps one more Tab stop (its calendar button) before the next field.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Test form or version")).to_be_focused()
    page.keyboard.type("B")
    for value in SECOND:
        page.keyboard.press("Tab")
        if value:
            page.keyboard.type(value)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save the round")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Test round saved")
    assert Assessment.objects.filter(measure=measure, assessed_on=dt.date(2023, 4, 4)).count() == 5
    assert Assessment.objects.get(pupil__code="SW-01", assessed_on=dt.date(2023, 4, 4)).value == Decimal(119)

    head = UserFactory(role=Role.HEADTEACHER)
    MembershipFactory(user=head, school=school)
    page.context.clear_cookies()
    login_with_session(head)
    page.goto(f"/projects/{project.pk}/")
    chart = page.get_by_role("img", name="against chronological age, each pupil")
    expect(chart).to_be_visible()
    expect(page.get_by_text("5 of 6 on the project")).to_be_visible()
    expect(page.locator(".caveats")).to_contain_text("comparison group")
    assert_accessible()
