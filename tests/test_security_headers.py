"""Headers every response carries, and caching rules for personal pages."""

from __future__ import annotations

import pytest

PAGES = ["/", "/schools/", "/people/", "/accounts/login/"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_send_a_strict_content_security_policy_and_framing_rules(world, client_for, page):
    response = client_for("staff_admin").get(page)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("page", ["/", "/schools/", "/people/", "/api/v1/schools/"])
def test_pages_for_logged_in_users_are_never_cached(world, client_for, page):
    response = client_for("staff_programme").get(page)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_every_response_has_a_request_id_and_a_well_formed_upstream_one_is_kept(world, client_for):
    client = client_for("anonymous")
    assert len(client.get("/healthz")["X-Request-ID"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")["X-Request-ID"] == "abc-123-def-456"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="bad\r\nheader")["X-Request-ID"]
    assert "\n" not in forged and forged != "bad\r\nheader"


def test_the_session_is_stored_in_the_database(world, client_for, settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    from django.contrib.sessions.models import Session

    client_for("leader")
    assert Session.objects.count() == 1
