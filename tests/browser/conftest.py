"""Browser fixtures: the system Chromium per test module, a fresh context and page per test.

Playwright never downloads a browser here: it drives Debian's ``/usr/bin/chromium``
and the tests skip (with the reason) when that is missing. Playwright's sync API
keeps an asyncio loop running in this thread, so Django's "no ORM calls from an
async context" guard has to be relaxed for as long as the browser is open.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from difference.accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
TOTP_PERIOD = 30

SKIP_REASON = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` (CI does)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests skip, with the reason, before any server or database is set up when Chromium is missing."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Module scope, not session: Playwright's event loop and the
    relaxed async guard must not outlive the browser tests, which pytest-django runs before the
    tests that need no database."""
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh page in its own context; CSP is bypassed only so axe can be injected as an inline script."""
    # Login throttling and "TOTP code already used" records live in the database
    # cache, which outlives the per-test flush: start every test from a clean slate.
    cache.clear()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


# --- TOTP -------------------------------------------------------------------
_used_codes: set[tuple[int, int]] = set()


def current_totp_code(user: Any, secret: str = TEST_TOTP_SECRET) -> str:
    """A code allauth will accept for ``user`` now: never one already used, never one about to expire.

    allauth accepts only the current 30-second step (no tolerance) and refuses a
    code it has already seen for the same user, so wait for the next step when
    needed.
    """
    while True:
        now = time.time()
        counter = int(now) // TOTP_PERIOD
        if TOTP_PERIOD - (now % TOTP_PERIOD) < 3 or (user.pk, counter) in _used_codes:
            time.sleep(TOTP_PERIOD - (now % TOTP_PERIOD) + 0.1)
            continue
        _used_codes.add((user.pk, counter))
        return format_hotp_value(hotp_value(secret, counter))


# --- Logging in ----------------------------------------------------------------
def _submit_form_with(page: Any, field: str) -> None:
    """Click the submit button of the form holding ``field`` and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(f"form:has([name={field}]) [type=submit]").first.click()


@pytest.fixture
def login_via_form(page: Any) -> Callable[..., None]:
    """Log in through the real allauth pages; with ``mfa=True`` expect and answer the TOTP step."""

    def login(user: Any, *, mfa: bool, password: str = TEST_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", password)
        _submit_form_with(page, "password")
        on_mfa_step = "/accounts/2fa/authenticate/" in page.url
        assert on_mfa_step == mfa, f"after the password: {page.url}, expected the MFA step: {mfa}"
        if mfa:
            page.fill("input[name=code]", current_totp_code(user))
            _submit_form_with(page, "code")

    return login


@pytest.fixture
def reauthenticate(page: Any) -> Callable[..., None]:
    """Answer allauth's "confirm your password" step (it guards the MFA setup pages)."""

    def confirm(password: str = TEST_PASSWORD) -> None:
        assert "/accounts/reauthenticate/" in page.url, f"not on the password check but on {page.url}"
        page.fill("input[name=password]", password)
        _submit_form_with(page, "password")

    return confirm


@pytest.fixture
def login_with_session(page: Any, live_server: Any) -> Callable[[Any], None]:
    """Skip the login pages: create a server-side session and hand its cookie to the browser."""

    def login(user: Any) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return login


# --- Accessibility ----------------------------------------------------------------
BLOCKING_IMPACTS = ("serious", "critical")


def _describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} serious/critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:240]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(page: Any) -> Callable[[], None]:
    """Run the vendored axe-core on the current page; fail, listing them, on serious or critical violations."""

    def check() -> None:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        assert not blocking, _describe(page.url, blocking)

    return check
