"""Staff search: one box finds people, schools and applications, never beyond the searcher's scope."""

from __future__ import annotations

import pytest

from difference.accounts.models import AuditAction, AuditEvent
from difference.recruitment.tests.factories import SubmittedApplicationFactory


@pytest.fixture
def application(world):  # type: ignore[no-untyped-def]
    return SubmittedApplicationFactory(person=world.people["applicant_self"])


def test_staff_find_a_person_by_full_name_and_the_result_links_to_their_record(world, client_for):
    response = client_for("staff_programme").get("/search/", {"q": "lena leader"})
    assert response.status_code == 200
    assert f'href="{world.people["leader_a1"].get_absolute_url()}"'.encode() in response.content
    assert b"Omar Other" not in response.content


def test_staff_find_a_school_by_its_urn(world, client_for):
    school = world.schools["b1"]
    response = client_for("staff_research").get("/search/", {"q": str(school.urn)})
    assert f'href="{school.get_absolute_url()}"'.encode() in response.content


def test_programme_staff_find_an_application_by_its_reference(world, client_for, application):
    response = client_for("staff_admin").get("/search/", {"q": application.reference.lower()})
    assert f'href="{application.get_absolute_url()}"'.encode() in response.content


def test_research_staff_find_schools_but_no_person_or_application(world, client_for, application):
    content = client_for("staff_research").get("/search/", {"q": "ada"}).content
    assert b"Ada Applicant" not in content
    assert application.reference.encode() not in content
    assert b"Schools" in content


def test_htmx_gets_only_the_results_grouped_by_kind(world, client_for):
    response = client_for("staff_admin").get("/search/", {"q": "alpha"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"Alpha PRU" in response.content and b"Alpha High" in response.content
    assert b'id="search-schools"' in response.content and b'id="search-people"' in response.content


@pytest.mark.parametrize("role", ["assessor", "leader", "applicant", "headteacher", "trust_partner"])
def test_search_is_refused_to_anyone_but_staff_and_the_refusal_audited(world, client_for, role):
    assert client_for(role).get("/search/", {"q": "lena"}).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.AUTHZ_DENIED, actor=world.users[role]).exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 5000, b"at most 100 characters"),
        ("a", b"at least 2 characters"),
        ("", b"at least 2 characters"),
        ("\x00\x00", b"Null characters are not allowed"),
        ("99999999999999999999999", b"No schools match"),
        ("%_'\";--<script>", b"No people match"),
        ("lena\tleader\r\n", b"Lena Leader"),
    ],
)
def test_odd_queries_answer_a_page_with_a_message_never_an_error(world, client_for, query, message):
    response = client_for("staff_admin").get("/search/", {"q": query})
    assert response.status_code == 200
    assert message in response.content
    assert b"<script>" not in response.content


def test_the_header_offers_the_search_box_to_staff_only(world, client_for):
    assert b'id="header-q"' in client_for("staff_programme").get("/").content
    assert b'id="header-q"' not in client_for("leader").get("/").content
