"""The home page's work items: how apps contribute them, and what each role is shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from difference.core.dashboard import DashboardItem, Urgency
from difference.home import work
from difference.recruitment.models import ReviewKind, SiftReview
from difference.training.models import Attendance, Cohort
from difference.training.tests.factories import (
    CohortFactory,
    ComponentFactory,
    LeaderEnrolmentFactory,
    RequirementFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def cohort_with_leaders_who_cannot_meet(year: int, leaders: int) -> Cohort:
    """A cohort needing 10 h of twilights with one past 2-hour session its leaders missed and nothing ahead."""
    cohort = CohortFactory(year=year)
    component = ComponentFactory(programme=cohort.programme)
    RequirementFactory(cohort=cohort, component=component, amount=Decimal(10))
    session = SessionFactory(cohort=cohort, component=component, starts_at=timezone.now() - dt.timedelta(days=3))
    for _ in range(leaders):
        enrolment = LeaderEnrolmentFactory(cohort=cohort)
        Attendance.objects.create(session=session, enrolment=enrolment, status="absent")
    return cohort


def titles(items: list[DashboardItem]) -> list[str]:
    return [item.title for item in items]


def test_every_app_with_a_dashboard_module_contributes_without_the_home_view_naming_it():
    modules = {provider.__module__ for provider in work.providers()}
    assert {
        "difference.training.dashboard",
        "difference.recruitment.dashboard",
        "difference.placements.dashboard",
        "difference.consultancy.dashboard",
        "difference.jobs.dashboard",
    } <= modules
    assert "difference.home.work" not in modules and "difference.core.dashboard" not in modules


def test_items_are_listed_most_urgent_first_and_grouped_by_section(monkeypatch):
    def later(user: Any) -> list[DashboardItem]:
        return [DashboardItem(title="Later", url="/b/", section="B", urgency=Urgency.INFO)]

    def now(user: Any) -> list[DashboardItem]:
        return [DashboardItem(title="Now", url="/a/", section="A", urgency=Urgency.NOW)]

    monkeypatch.setattr(work, "providers", lambda: (later, now))
    assert titles(work.items_for(None)) == ["Now", "Later"]
    assert [section.title for section in work.sections_for(None)] == ["A", "B"]


def test_staff_programme_see_leaders_at_risk_from_every_cohort_on_the_home_page(world, client_for):
    from difference.training.dashboard import leaders_at_risk

    before = sum(len(warnings) for _, warnings in leaders_at_risk(world.users["staff_programme"]))
    cohort_with_leaders_who_cannot_meet(2030, 2)
    cohort_with_leaders_who_cannot_meet(2031, 1)
    response = client_for("staff_programme").get("/")
    assert response.status_code == 200
    assert f"{before + 3} leaders at risk of missing a requirement" in response.content.decode()


def test_the_at_risk_item_links_to_the_early_warning_of_the_cohort_with_most_at_risk(world):
    cohort_with_leaders_who_cannot_meet(2030, 1)
    biggest = cohort_with_leaders_who_cannot_meet(2031, 2)
    [headline, *_] = [i for i in work.items_for(world.users["staff_programme"]) if "at risk" in i.title]
    assert headline.url == f"/training/cohorts/{biggest.pk}/early-warning/"
    assert headline.urgency == Urgency.NOW


def test_staff_programme_see_registers_not_yet_taken(world):
    cohort = CohortFactory(year=2032)
    SessionFactory(cohort=cohort, starts_at=timezone.now() - dt.timedelta(days=1), title="Twilight on exclusions")
    items = work.items_for(world.users["staff_programme"])
    register = next(i for i in items if "not yet taken" in i.title)
    assert "Twilight on exclusions" in register.detail


def test_staff_research_see_no_training_or_recruitment_work(world):
    sections = {item.section for item in work.items_for(world.users["staff_research"])}
    assert "Training" not in sections and "Recruitment" not in sections


def test_an_assessor_reads_how_many_of_their_readings_are_done(world):
    assessor = world.users["assessor"]
    reviews = SiftReview.objects.filter(assessor=assessor, kind=ReviewKind.FIRST)
    total = reviews.count()
    assert total
    item = next(i for i in work.items_for(assessor) if i.section == "Recruitment")
    assert item.title == f"0 of {total} readings done"
    assert (item.done, item.total) == (0, total)


def test_an_assessor_sees_nothing_of_staff_work(world):
    assert all(item.section == "Recruitment" for item in work.items_for(world.users["assessor"]))


def test_a_leader_sees_their_hours_as_x_of_the_requirement_with_a_bar(world, client_for):
    content = client_for("leader").get("/").content.decode()
    items = work.items_for(world.users["leader"])
    hours = [i for i in items if " of " in i.title and i.has_progress]
    assert hours, titles(items)
    assert hours[0].title in content
    assert "<progress" in content


def test_a_trust_partner_in_two_trusts_sees_each_trusts_schools_under_its_name(world, client_for):
    from difference.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=world.users["trust_partner"], trust=world.trusts["trust_b"])
    content = client_for("trust_partner").get("/").content.decode()
    assert "Trust A: schools" in content and "Trust B: schools" in content

    def section(heading: str) -> str:
        start = content.index(heading)
        end = content.find("<h2", start)
        return content[start : end if end != -1 else None]

    assert "Alpha PRU" in section("Trust A: schools") and "Beta AP Academy" not in section("Trust A: schools")
    assert "Beta AP Academy" in section("Trust B: schools") and "Alpha PRU" not in section("Trust B: schools")
    assert "Your trust&#x27;s schools" not in content


def test_every_roles_items_link_to_a_page_that_opens_for_them(world, client_for):
    cohort_with_leaders_who_cannot_meet(2030, 1)
    for role in ("staff_admin", "staff_programme", "staff_research", "assessor", "leader", "headteacher"):
        client = client_for(role)
        for item in work.items_for(world.users[role]):
            assert client.get(item.url).status_code == 200, (role, item)


def test_the_staff_home_pages_minute_refresh_brings_the_work_items_too(world, client_for):
    cohort_with_leaders_who_cannot_meet(2030, 1)
    response = client_for("staff_programme").get("/", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert "at risk of missing a requirement" in content
