"""The demo's home pages: each role's work first, every item opening for them."""

from __future__ import annotations

import re

from django.test import Client

from difference.accounts.models import User
from difference.home import work


def _client(email: str) -> tuple[User, Client]:
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    return user, client


def test_staff_programme_see_the_demos_leaders_at_risk_from_all_cohorts_on_the_home_page(demo: str) -> None:
    assert "3 leaders at risk" in demo
    _, client = _client("programme@demo.example.org")
    content = client.get("/").content.decode()
    assert "3 leaders at risk of missing a requirement" in content
    assert "DLP 2021: 2" in content and "DLP 2022: 1" in content


def test_the_demo_leader_reads_their_hours_as_x_of_290_h_with_a_bar(demo: str) -> None:
    _, client = _client("leader@demo.example.org")
    content = client.get("/").content.decode()
    assert " of 290 h in DLP 2022" in content
    assert "<progress" in content


def test_the_demo_assessor_reads_how_many_readings_are_done(demo: str) -> None:
    _, client = _client("assessor@demo.example.org")
    content = client.get("/").content.decode()
    assert re.search(r"\d+ of \d+ readings done", content)


def test_research_staff_see_the_demos_engagement_on_their_home_page(demo: str) -> None:
    user, _ = _client("research@demo.example.org")
    assert any(item.section == "Consultancy" for item in work.items_for(user))


def test_every_demo_roles_items_open_for_them(demo: str) -> None:
    for email in (
        "admin@demo.example.org",
        "programme@demo.example.org",
        "research@demo.example.org",
        "assessor@demo.example.org",
        "leader@demo.example.org",
        "applicant@demo.example.org",
        "head@demo.example.org",
        "trust@demo.example.org",
    ):
        user, client = _client(email)
        assert client.get("/").status_code == 200
        for item in work.items_for(user):
            assert client.get(item.url).status_code == 200, (email, item)
