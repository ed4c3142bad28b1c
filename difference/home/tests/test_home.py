from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "role",
    [
        "staff_admin",
        "staff_programme",
        "staff_research",
        "assessor",
        "leader",
        "applicant",
        "headteacher",
        "trust_partner",
    ],
)
def test_each_role_reaches_its_own_home_page(client_for, role):
    response = client_for(role).get("/")
    assert response.status_code == 200
    assert b"Welcome" in response.content or b"Good to see you" in response.content


def test_anonymous_visitors_are_sent_to_login(client_for):
    response = client_for("anonymous").get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_home_counts_refresh_as_an_htmx_partial(client_for, world):
    response = client_for("staff_programme").get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="home-counts"' in response.content
    assert b"<html" not in response.content
    assert b"DLP 2022" in response.content


def test_staff_home_counts_leaders_without_those_who_withdrew(world):
    from difference.home.queries import staff_home_counts
    from difference.people.tests.factories import PersonFactory
    from difference.training.models import EnrolmentStatus
    from difference.training.tests.factories import EnrolmentFactory

    EnrolmentFactory(person=PersonFactory(), cohort=world.cohort, status=EnrolmentStatus.WITHDRAWN)
    [cohort] = staff_home_counts().cohorts
    assert (cohort.label, cohort.leaders, cohort.withdrawn, cohort.target) == ("DLP 2022", 2, 1, 20)
