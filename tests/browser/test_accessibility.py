"""No serious or critical axe-core violations on the pages people use most."""

from __future__ import annotations

from typing import Any

import pytest

from difference.accounts.roles import Role
from difference.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def _visit(page: Any, live_server: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    assert page.url == f"{live_server.url}{path}", f"{path} redirected to {page.url}"


def test_the_checker_itself_reports_a_known_violation(page: Any, assert_accessible):
    page.set_content('<html lang="en"><body><main><img src="x.png"><input type="text"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible()


def test_login_page(page: Any, live_server: Any, db: Any, assert_accessible):
    _visit(page, live_server, "/accounts/login/")
    assert_accessible()


def test_mfa_code_step_of_the_login(page: Any, live_server: Any, world: Any, assert_accessible):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", world.users["staff_admin"].email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("form:has([name=password]) [type=submit]").first.click()
    assert page.url == f"{live_server.url}/accounts/2fa/authenticate/"
    assert_accessible()


@pytest.mark.parametrize(
    "page_name",
    ["home", "school_list", "school_detail", "person_list", "person_detail", "diversity"],
)
def test_staff_pages(page: Any, live_server: Any, world: Any, login_with_session, assert_accessible, page_name: str):
    paths = {
        "home": "/",
        "school_list": "/schools/?q=alpha",
        "school_detail": f"/schools/{world.schools['a1'].urn}/",
        "person_list": "/people/",
        "person_detail": f"/people/{world.people['leader_a1'].pk}/",
        "diversity": "/people/diversity/",
    }
    login_with_session(world.users["staff_admin"])
    _visit(page, live_server, paths[page_name])
    assert_accessible()


def test_totp_setup_page_and_the_password_check_before_it(
    page: Any, live_server: Any, db: Any, login_via_form, reauthenticate, assert_accessible
):
    user = UserFactory(role=Role.STAFF_PROGRAMME, with_totp=False)
    login_via_form(user, mfa=False)
    assert "/accounts/reauthenticate/" in page.url
    assert_accessible()

    reauthenticate()
    assert page.url == f"{live_server.url}/accounts/2fa/totp/activate/"
    assert_accessible()


RECRUITMENT_AND_TRAINING_PAGES = {
    # name: (role, path built from the world)
    "recruitment_round": ("staff_programme", lambda w: f"/recruitment/rounds/{w.recruitment['round'].year}/"),
    "pipeline": ("staff_programme", lambda w: f"/recruitment/rounds/{w.recruitment['round'].year}/pipeline/"),
    "sift_overview": ("staff_programme", lambda w: f"/recruitment/rounds/{w.recruitment['round'].year}/sift/"),
    "centre_overview": ("staff_programme", lambda w: f"/recruitment/rounds/{w.recruitment['round'].year}/centre/"),
    "funnel": ("staff_research", lambda w: f"/recruitment/rounds/{w.recruitment['round'].year}/funnel/"),
    "validity": ("staff_research", lambda w: f"/recruitment/rounds/{w.recruitment['round'].year}/validity/"),
    "application_staff": ("staff_programme", lambda w: f"/recruitment/applications/{w.recruitment['app_b1'].pk}/"),
    "my_applications": ("applicant", lambda w: "/recruitment/apply/"),
    "diversity_form": ("applicant", lambda w: f"/recruitment/applications/{w.recruitment['app_self'].pk}/diversity/"),
    "review_queue": ("assessor", lambda w: "/recruitment/sift/"),
    "review_score": ("assessor", lambda w: f"/recruitment/sift/{w.recruitment['review_own'].pk}/"),
    "centre_candidate": ("assessor", lambda w: f"/recruitment/centre/{w.recruitment['centre_own'].reference}/"),
    "cohort": ("staff_programme", lambda w: f"/training/cohorts/{w.training['cohort'].pk}/"),
    "ledger": ("staff_programme", lambda w: f"/training/cohorts/{w.training['cohort'].pk}/ledger/"),
    "early_warning": ("staff_programme", lambda w: f"/training/cohorts/{w.training['cohort'].pk}/early-warning/"),
    "reach": ("staff_programme", lambda w: f"/training/cohorts/{w.training['cohort'].pk}/reach/"),
    "certificates": ("staff_programme", lambda w: "/training/certificates/"),
    "my_training": ("leader", lambda w: "/training/mine/"),
    "notes": ("leader", lambda w: f"/training/enrolments/{w.training['enrol_leader'].pk}/notes/"),
    "benchmarks_areas": ("staff_research", lambda w: "/benchmarks/areas/"),
    "benchmarks_la": ("staff_research", lambda w: f"/benchmarks/areas/{w.local_authorities['la_a'].code}/"),
    "benchmarks_school": ("staff_research", lambda w: f"/benchmarks/schools/{w.schools['a2'].urn}/"),
    "consultancy_list": ("trust_partner", lambda w: "/consultancy/"),
    "consultancy_new": ("staff_research", lambda w: "/consultancy/new/"),
    "engagement": ("staff_research", lambda w: f"/consultancy/{w.consultancy['own'].pk}/"),
    "engagement_report": ("trust_partner", lambda w: f"/consultancy/{w.consultancy['own'].pk}/report/"),
}


@pytest.mark.parametrize("page_name", sorted(RECRUITMENT_AND_TRAINING_PAGES))
def test_recruitment_and_training_pages(
    page: Any, live_server: Any, world: Any, login_with_session, assert_accessible, page_name: str
):
    role, path = RECRUITMENT_AND_TRAINING_PAGES[page_name]
    login_with_session(world.users[role])
    _visit(page, live_server, path(world))
    assert_accessible()
