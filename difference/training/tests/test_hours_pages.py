"""The training pages show the hours as "x of 290 h" with bars, and the risk as a badge with words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from difference.training.ledger import ledger_for_enrolment
from difference.training.models import Attendance, Enrolment
from difference.training.tests.factories import ComponentFactory, RequirementFactory, SessionFactory

pytestmark = pytest.mark.django_db


def leaders_enrolment(world) -> Enrolment:
    """The world's leader, needing 10 h of twilights and 4 h of residential: 2 h attended, 12 h scheduled ahead."""
    enrolment = Enrolment.objects.get(person=world.people["leader_a1"], cohort=world.cohort)
    twilights = ComponentFactory(programme=world.cohort.programme, name="Evening twilights", position=90)
    residential = ComponentFactory(programme=world.cohort.programme, name="Residential block", position=91)
    RequirementFactory(cohort=world.cohort, component=twilights, amount=Decimal(10))
    RequirementFactory(cohort=world.cohort, component=residential, amount=Decimal(4))
    now = timezone.now()
    past = SessionFactory(cohort=world.cohort, component=twilights, starts_at=now - dt.timedelta(days=7))
    Attendance.objects.create(session=past, enrolment=enrolment, status="present")
    for week in range(1, 5):
        SessionFactory(cohort=world.cohort, component=twilights, starts_at=now + dt.timedelta(days=7 * week))
    SessionFactory(cohort=world.cohort, component=residential, starts_at=now + dt.timedelta(days=30), hours=4)
    return enrolment


def test_the_hours_total_counts_only_hours_components_and_never_credit_beyond_a_requirement(world):
    ledger = ledger_for_enrolment(leaders_enrolment(world))
    twilights = next(line for line in ledger.components if line.component.name == "Evening twilights")
    assert twilights.attended == 2
    assert ledger.hours_attended <= ledger.hours_required
    assert ledger.hours_to_do == ledger.hours_required - ledger.hours_attended


def test_on_track_with_hours_still_to_do_reads_as_one_sentence_not_a_contradiction(world):
    ledger = ledger_for_enrolment(leaders_enrolment(world))
    if ledger.risk.value == "none":
        assert ledger.summary.startswith("On track: ")
        assert "still to do, with" in ledger.summary and "scheduled ahead" in ledger.summary
    assert "shortfall" not in ledger.summary.lower()


def test_the_leaders_own_page_shows_x_of_the_required_hours_with_a_bar_and_a_risk_badge(world, client_for):
    ledger = ledger_for_enrolment(leaders_enrolment(world))
    content = client_for("leader").get("/training/mine/").content.decode()
    required = f"{ledger.hours_required.normalize():f} h"
    assert f"of {required}</span> of training hours done" in content
    assert '<progress max="100"' in content
    assert 'class="badge badge-risk-' in content
    assert 'aria-label="Evening twilights: 2 h of 10 h"' in content


def test_the_enrolment_and_the_ledger_show_the_hours_total(world, client_for):
    enrolment = leaders_enrolment(world)
    client = client_for("staff_programme")
    enrolment_page = client.get(f"/training/enrolments/{enrolment.pk}/").content.decode()
    assert "of training hours done" in enrolment_page
    ledger_page = client.get(f"/training/cohorts/{world.cohort.pk}/ledger/").content.decode()
    assert 'class="badge badge-risk-' in ledger_page
    assert "<progress" in ledger_page


def test_the_cohort_page_shows_requirements_read_only_with_a_step_to_edit_them(world, client_for):
    leaders_enrolment(world)
    client = client_for("staff_programme")
    page = client.get(f"/training/cohorts/{world.cohort.pk}/").content.decode()
    assert "Edit requirements" in page
    assert 'name="amount_' not in page
    form = client.get(f"/training/cohorts/{world.cohort.pk}/requirements/")
    assert form.status_code == 200 and 'name="amount_' in form.content.decode()


def test_a_bad_requirement_is_refused_on_its_own_page_with_nothing_saved(world, client_for):
    from difference.training.models import Requirement

    leaders_enrolment(world)
    before = list(Requirement.objects.filter(cohort=world.cohort).values_list("amount", flat=True))
    component = Requirement.objects.filter(cohort=world.cohort).first().component
    response = client_for("staff_programme").post(
        f"/training/cohorts/{world.cohort.pk}/requirements/", {f"amount_{component.pk}": "-3"}
    )
    assert response.status_code == 400
    assert "0 or more" in response.content.decode()
    assert list(Requirement.objects.filter(cohort=world.cohort).values_list("amount", flat=True)) == before


def test_the_cohort_page_lists_upcoming_sessions_first_and_folds_past_months_away(world, client_for):
    leaders_enrolment(world)
    page = client_for("staff_programme").get(f"/training/cohorts/{world.cohort.pk}/").content.decode()
    assert page.index("Coming up") < page.index("Past sessions")
    assert "<details>" in page[page.index("Past sessions") :]
    assert "Register taken" in page


def test_on_track_says_how_many_weeks_are_left_until_the_last_session(world):
    ledger = ledger_for_enrolment(leaders_enrolment(world))
    assert ledger.weeks_left == 4
    assert ledger.summary.endswith(", 4 weeks left.")
