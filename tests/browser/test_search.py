"""Staff search in the browser: typing shows live results, a result opens its page, and the page passes axe."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_staff_search_live_and_open_a_person(
    page: Any, live_server: Any, world: Any, login_with_session, assert_accessible
):
    login_with_session(world.users["staff_programme"])
    page.goto("/")
    page.fill("#header-q", "alpha")
    with page.expect_navigation():
        page.press("#header-q", "Enter")
    assert "/search/?q=alpha" in page.url
    page.locator("#search-schools").wait_for()
    assert_accessible()

    # Typing replaces the results without a page load (htmx), and the results are grouped by kind.
    page.fill("#id_q", "lena leader")
    person = page.get_by_role("link", name="Lena Leader")
    person.wait_for()
    assert page.locator("#search-people").is_visible()
    assert_accessible()
    with page.expect_navigation():
        person.click()
    assert page.url == f"{live_server.url}{world.people['leader_a1'].get_absolute_url()}"
