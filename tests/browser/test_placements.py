"""The placement round's main path in a real browser: run the match, read the check, publish, see the result."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from difference.placements.models import Placement, PlacementRound, RunStatus, Vacancy, VacancyStatus

pytestmark = pytest.mark.browser


def test_staff_run_the_match_see_it_is_stable_and_publish_it(
    page: Any, world: Any, login_with_session, assert_accessible
):
    Placement.objects.all().delete()
    login_with_session(world.users["staff_programme"])
    page.goto("/placements/2022/")
    expect(page.locator("h1")).to_have_text("2022 placement round")
    page.get_by_label("Who proposes").select_option("candidates")
    with page.expect_navigation():
        page.get_by_role("button", name="Run on the live preferences").click()

    expect(page.locator("#stability-heading + p")).to_contain_text("stable")
    expect(page.get_by_role("cell", name="Lena Leader")).to_be_visible()
    assert_accessible()

    with page.expect_navigation():
        page.get_by_role("button", name="Publish this run").click()
    expect(page.locator(".messages")).to_contain_text("Published: 2 placements")
    run = PlacementRound.objects.get(year=2022).runs.get(status=RunStatus.PUBLISHED)
    assert run.placements.count() == 2


def test_a_leader_ranks_vacancies_by_keyboard_and_saves(page: Any, world: Any, login_with_session):
    candidate = world.placements["cand_leader"]
    login_with_session(world.users["leader"])
    page.goto(f"/placements/candidates/{candidate.pk}/preferences/")
    page.get_by_label("Alpha PRU (Assistant Head)").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Your ranking is saved.")
    assert [v.title for v in candidate.ranked_vacancies()] == ["Head of SEND", "Assistant Head"]


def test_a_school_sees_a_filled_vacancy_read_only_with_who_was_placed(
    page: Any, world: Any, login_with_session, assert_accessible
):
    vacancy = world.placements["vac_a1"]
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.FILLED)
    login_with_session(world.users["headteacher"])
    page.goto(vacancy.get_absolute_url())
    expect(page.get_by_role("heading", name="Filled: this vacancy is read-only")).to_be_visible()
    expect(page.get_by_role("table", name="Placed in this vacancy")).to_contain_text("Lena Leader")
    expect(page.get_by_role("link", name="Rank candidates")).to_have_count(0)
    assert_accessible()
