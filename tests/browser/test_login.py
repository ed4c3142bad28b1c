"""Logging in through the real pages, as every role, with the second factor where the role needs it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.browser

HOME_HEADING = re.compile("Welcome|Good to see you")
TOTP_ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_each_role_logs_in_and_reaches_its_home_page(page: Any, live_server: Any, world: Any, login_via_form, role):
    user = world.users[role]
    login_via_form(user, mfa=user.requires_mfa)

    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text(HOME_HEADING)


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(page: Any, live_server: Any, world: Any):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", world.users["staff_admin"].email)
    page.fill("input[name=password]", "not the right password")
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state()

    assert page.url == f"{live_server.url}/accounts/login/"
    expect(page.locator("h1")).not_to_have_text(HOME_HEADING)


@pytest.mark.parametrize("path", ["/", "/schools/", "/people/", "/people/diversity/", "/api/docs/", "/admin/", "/nope/"])
def test_mfa_role_without_totp_is_sent_to_totp_setup_whatever_the_url(
    page: Any, live_server: Any, db: Any, login_via_form, path: str
):
    user = UserFactory(role=Role.STAFF_PROGRAMME, with_totp=False)
    login_via_form(user, mfa=False)
    page.wait_for_url(f"**{TOTP_ACTIVATE}")

    page.goto(path)

    assert page.url == f"{live_server.url}{TOTP_ACTIVATE}"
    expect(page.locator("h1")).to_be_visible()
    api = page.request.get(f"{live_server.url}/api/v1/schools/")
    assert api.status == 403
    assert "two-factor" in api.text()
