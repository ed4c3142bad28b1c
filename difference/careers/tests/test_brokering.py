"""Brokering by role: posting opportunities, alumni's interest, introductions, and appointments feeding histories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from difference.accounts.models import AuditAction, AuditEvent
from difference.accounts.roles import Role
from difference.accounts.tests.factories import MembershipFactory, UserFactory
from difference.careers import brokering
from difference.careers.access import academic_year, is_alumnus
from difference.careers.models import CareerRole, Interest, InterestState, Opportunity, OpportunityStatus, Sector
from difference.careers.tests.factories import OpportunityFactory
from difference.people.tests.factories import PersonFactory
from difference.training.models import EnrolmentStatus
from difference.training.tests.factories import CohortFactory, EnrolmentFactory


def _url(opportunity: Opportunity, tail: str = "") -> str:
    return f"/careers/opportunities/{opportunity.pk}/{tail}"


def _early_leader(year: int) -> Client:
    """A leader in a two-year DLP cohort that started in ``year``."""
    user = UserFactory(role=Role.LEADER)
    EnrolmentFactory(person=PersonFactory(user=user), cohort=CohortFactory(year=year))
    client = Client()
    client.force_login(user)
    return client


def _interest(world, state: str = InterestState.REGISTERED) -> Interest:
    return Interest.objects.create(opportunity=world.careers["opp_a"], person=world.people["leader_a1"], state=state)


# --- Who sees what --------------------------------------------------------------------------------------------------
def test_a_trust_partner_sees_only_its_own_trusts_opportunities(world, client_for):
    page = client_for("trust_partner").get("/careers/opportunities/").content.decode()
    assert "Deputy Head, Alpha High" in page
    assert "Assistant Head, Beta AP Academy" not in page
    assert client_for("trust_partner").get(_url(world.careers["opp_b1"])).status_code == 404


def test_another_trusts_opportunity_is_a_404_and_the_refusal_is_audited(world, client_for):
    before = AuditEvent.objects.filter(action=AuditAction.AUTHZ_DENIED).count()
    assert client_for("trust_partner").get(_url(world.careers["opp_b1"], "edit/")).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.AUTHZ_DENIED).count() == before + 1


def test_an_alumnus_sees_the_open_opportunities_but_not_closed_ones(world, client_for):
    world.careers["opp_b1"].status = OpportunityStatus.CLOSED
    world.careers["opp_b1"].save()
    page = client_for("leader").get("/careers/opportunities/").content.decode()
    assert "Deputy Head, Alpha High" in page
    assert "Assistant Head, Beta AP Academy" not in page


def test_a_leader_in_their_first_programme_year_is_refused_with_a_page_saying_when_they_open(world):
    this_year = academic_year(dt.date.today())
    client = _early_leader(this_year)
    response = client.get("/careers/opportunities/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "last year of your programme" in page
    assert f"{this_year + 1}-{(this_year + 2) % 100:02d}" in page
    assert client.get(_url(world.careers["opp_a"])).status_code == 403
    assert client.post(_url(world.careers["opp_a"], "interest/")).status_code == 403
    assert not Interest.objects.exists()


def test_a_leader_in_their_last_programme_year_is_an_alumnus(world):
    client = _early_leader(academic_year(dt.date.today()) - 1)
    assert client.get("/careers/opportunities/").status_code == 200


def test_a_completed_enrolment_makes_an_alumnus_whatever_its_cohorts_year(world):
    user = UserFactory(role=Role.LEADER)
    cohort = CohortFactory(year=academic_year(dt.date.today()))
    EnrolmentFactory(person=PersonFactory(user=user), cohort=cohort, status=EnrolmentStatus.COMPLETED)
    assert is_alumnus(user)


def test_a_withdrawn_enrolment_does_not_make_an_alumnus(world):
    user = UserFactory(role=Role.LEADER)
    EnrolmentFactory(person=PersonFactory(user=user), cohort=CohortFactory(year=2015), status=EnrolmentStatus.WITHDRAWN)
    assert not is_alumnus(user)


# --- Posting ----------------------------------------------------------------------------------------------------------
def test_a_trust_partner_posts_an_opportunity_for_their_trust(world, client_for):
    data = {"trust": world.trusts["trust_a"].pk, "title": "Head of School", "level": 4, "closes_on": "2099-01-31"}
    response = client_for("trust_partner").post("/careers/opportunities/new/", data)
    assert response.status_code == 302
    posted = Opportunity.objects.get(title="Head of School")
    assert posted.trust == world.trusts["trust_a"]
    assert posted.posted_by == world.users["trust_partner"]


def test_a_trust_partner_cannot_post_for_another_trust(world, client_for):
    data = {"trust": world.trusts["trust_b"].pk, "title": "Head of School", "level": 4, "closes_on": "2099-01-31"}
    response = client_for("trust_partner").post("/careers/opportunities/new/", data)
    assert response.status_code == 400
    assert not Opportunity.objects.filter(title="Head of School").exists()


def test_a_headteacher_posts_for_their_school_and_sees_it(world, client_for):
    data = {"school": world.schools["a1"].pk, "title": "Deputy Head", "level": 3, "closes_on": "2099-01-31"}
    client = client_for("headteacher")
    assert client.post("/careers/opportunities/new/", data).status_code == 302
    assert "Deputy Head" in client.get("/careers/opportunities/").content.decode()


def test_programme_staff_post_on_a_schools_behalf(world):
    opportunity = brokering.post_opportunity(
        by=world.users["staff_programme"], school=world.schools["b2"], title="AHT", closes_on=dt.date(2099, 1, 1)
    )
    assert opportunity.school == world.schools["b2"]


def test_a_closing_date_in_the_past_is_refused(world):
    with pytest.raises(ValidationError):
        brokering.post_opportunity(
            by=world.users["staff_programme"], trust=world.trusts["trust_a"], title="AHT", closes_on=dt.date(2001, 1, 1)
        )


def test_the_poster_closes_their_opportunity_and_alumni_no_longer_see_it(world, client_for):
    opportunity = world.careers["opp_a"]
    assert client_for("trust_partner").post(_url(opportunity, "close/")).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.CLOSED
    assert client_for("leader").get(_url(opportunity)).status_code == 404


# --- Interest ---------------------------------------------------------------------------------------------------------
def test_an_alumnus_registers_interest_in_one_click_with_htmx_and_twice_is_once(world, client_for):
    client = client_for("leader")
    url = _url(world.careers["opp_a"], "interest/")
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Withdraw my interest" in response.content.decode()
    client.post(url, HTTP_HX_REQUEST="true")
    assert Interest.objects.get().state == InterestState.REGISTERED


def test_an_alumnus_withdraws_and_registers_again(world, client_for):
    client = client_for("leader")
    opportunity = world.careers["opp_a"]
    client.post(_url(opportunity, "interest/"))
    client.post(_url(opportunity, "interest/withdraw/"))
    assert Interest.objects.get().state == InterestState.WITHDRAWN
    client.post(_url(opportunity, "interest/"))
    assert Interest.objects.get().state == InterestState.REGISTERED


def test_interest_after_the_closing_date_is_refused(world):
    opportunity = OpportunityFactory(trust=world.trusts["trust_a"], closes_on=dt.date(2001, 1, 1))
    with pytest.raises(ValidationError):
        brokering.register_interest(opportunity=opportunity, person=world.people["leader_a1"])


def test_the_poster_sees_how_many_registered_but_a_name_only_once_staff_introduce_them(world, client_for):
    interest = _interest(world)
    url = _url(world.careers["opp_a"])
    page = client_for("trust_partner").get(url).content.decode()
    assert "1 alumnus registered interest" in page
    assert "Lena Leader" not in page
    assert "Lena Leader" in client_for("staff_programme").get(url).content.decode()
    client_for("staff_programme").post(
        _url(interest.opportunity, "results/"), {"interest": interest.pk, "state": "introduced"}
    )
    assert "Lena Leader" in client_for("trust_partner").get(url).content.decode()


# --- Results ----------------------------------------------------------------------------------------------------------
def test_an_appointment_is_recorded_only_after_an_introduction(world):
    interest = _interest(world)
    with pytest.raises(ValidationError):
        brokering.record_result(interest=interest, state=InterestState.APPOINTED, by=world.users["staff_programme"])


def test_appointed_adds_the_post_to_the_history_and_ends_the_current_role_the_day_before(world, client_for):
    opportunity = world.careers["opp_a"]
    opportunity.starts_on = dt.date(2025, 9, 1)
    opportunity.save()
    interest = _interest(world, InterestState.INTRODUCED)
    response = client_for("staff_programme").post(
        _url(opportunity, "results/"), {"interest": interest.pk, "state": "appointed", "note": "Starts in September"}
    )
    assert response.status_code == 302
    roles = list(CareerRole.objects.filter(person=world.people["leader_a1"]).order_by("starts_on"))
    assert [r.title for r in roles] == ["Head of Year 9", "Assistant Head", "Deputy Head, Alpha High"]
    assert roles[1].ends_on == dt.date(2025, 8, 31)
    new = roles[2]
    assert (new.starts_on, new.ends_on, new.source, new.employer) == (dt.date(2025, 9, 1), None, "staff", "Trust A")
    assert new.recorded_by == world.users["staff_programme"]
    interest.refresh_from_db()
    assert interest.state == InterestState.APPOINTED


def test_an_appointment_without_a_start_date_starts_today_with_the_schools_sector(world):
    opportunity = world.careers["opp_b1"]  # at b1, an AP academy
    interest = Interest.objects.create(
        opportunity=opportunity, person=world.people["leader_a1"], state=InterestState.INTRODUCED
    )
    brokering.record_result(
        interest=interest, state=InterestState.APPOINTED, by=world.users["staff_programme"], today=dt.date(2030, 1, 6)
    )
    new = CareerRole.objects.get(person=world.people["leader_a1"], ends_on__isnull=True)
    assert (new.starts_on, new.school, new.sector) == (dt.date(2030, 1, 6), world.schools["b1"], Sector.AP)


def test_an_appointment_starting_before_the_current_role_began_is_refused_and_nothing_changes(world):
    opportunity = world.careers["opp_a"]
    opportunity.starts_on = dt.date(2020, 1, 1)  # Lena's current role began in 2022
    opportunity.save()
    interest = _interest(world, InterestState.INTRODUCED)
    with pytest.raises(ValidationError):
        brokering.record_result(interest=interest, state=InterestState.APPOINTED, by=world.users["staff_programme"])
    assert CareerRole.objects.filter(person=world.people["leader_a1"]).count() == 2
    assert CareerRole.objects.get(person=world.people["leader_a1"], title="Assistant Head").ends_on is None


def test_a_trust_partner_cannot_record_results(world, client_for):
    interest = _interest(world)
    response = client_for("trust_partner").post(
        _url(interest.opportunity, "results/"), {"interest": interest.pk, "state": "introduced"}
    )
    assert response.status_code == 403
    interest.refresh_from_db()
    assert interest.state == InterestState.REGISTERED


def test_a_second_trust_partner_of_the_same_trust_sees_its_opportunities(world):
    user = UserFactory(role=Role.TRUST_PARTNER)
    MembershipFactory(user=user, trust=world.trusts["trust_a"])
    client = Client()
    client.force_login(user)
    assert client.get(_url(world.careers["opp_a"])).status_code == 200
