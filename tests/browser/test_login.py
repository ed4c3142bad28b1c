"""Logging in through the real pages, as every role, with the second factor where the role needs it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

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

    assert page.url == f"{live_server.url}/"
    expect(page.locator("h1")).to_have_text(HOME_HEADING)


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(page: Any, live_server: Any, world: Any):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", world.users["staff_admin"].email)
    page.fill("input[name=password]", "not the right password")
    with page.expect_navigation():
        page.locator("form:has([name=password]) [type=submit]").first.click()

    assert page.url == f"{live_server.url}/accounts/login/"
    expect(page.locator("h1")).not_to_have_text(HOME_HEADING)


@pytest.mark.parametrize(
    "path",
    ["/", "/schools/", "/people/", "/people/diversity/", "/accounts/email/", "/api/docs/", "/admin/", "/nope/"],
)
def test_mfa_role_without_totp_is_sent_to_totp_setup_whatever_the_url(
    page: Any, live_server: Any, db: Any, login_via_form, reauthenticate, path: str
):
    user = UserFactory(role=Role.STAFF_PROGRAMME, with_totp=False)
    login_via_form(user, mfa=False)
    # Straight after logging in: the setup page, behind allauth's fresh-password check.
    assert page.url == f"{live_server.url}/accounts/reauthenticate/?next={quote(TOTP_ACTIVATE, safe='')}"
    reauthenticate()
    assert page.url == f"{live_server.url}{TOTP_ACTIVATE}"

    page.goto(path)

    assert page.url == f"{live_server.url}{TOTP_ACTIVATE}"
    expect(page.locator("h1")).to_be_visible()
    api = page.request.get(f"{live_server.url}/api/v1/schools/")
    assert api.status == 403
    assert "two-factor" in api.text()
