"""Every error a visitor can meet is a page in the site's layout saying what happened and where to go."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client, override_settings

from difference.core import views

SITE_HEADER = b'<header class="site-header">'


def test_an_unknown_address_gives_a_404_page_in_the_site_layout(client_for):
    response = client_for("staff_programme").get("/no-such-page/")
    assert response.status_code == 404
    assert SITE_HEADER in response.content
    assert b"We cannot find that page" in response.content
    assert b"Your home page" in response.content


def test_a_refused_page_gives_a_403_page_with_the_account_and_a_way_back(client_for):
    response = client_for("headteacher").get("/training/")
    assert response.status_code == 403
    assert SITE_HEADER in response.content
    assert b"This page is not open to your account" in response.content
    assert b'href="/"' in response.content


def test_the_403_page_offers_the_page_the_visitor_came_from(client_for):
    response = client_for("leader").get("/training/", HTTP_REFERER="http://testserver/people/")
    assert response.status_code == 403
    assert b"The page you came from" in response.content


def test_an_unreadable_request_gives_a_400_page_in_the_site_layout(client_for):
    response = client_for("staff_programme").get("/", HTTP_HOST="not a host")
    assert response.status_code == 400
    assert SITE_HEADER in response.content
    assert b"We could not read that request" in response.content


def test_a_failed_csrf_check_says_the_form_expired_and_nothing_was_saved(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff_programme"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert SITE_HEADER in response.content
    assert b"That form had expired" in response.content
    assert b"Nothing was saved" in response.content


@override_settings(ROOT_URLCONF="difference.core.tests.urls_with_fault")
def test_a_fault_in_a_view_gives_a_500_page_in_the_layout_with_a_reference(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["staff_programme"])
    response = client.get("/fault-for-tests/", HTTP_X_REQUEST_ID="ref-0123456789")
    assert response.status_code == 500
    assert SITE_HEADER in response.content
    assert b"Something went wrong on our side" in response.content
    assert b"ref-0123456789" in response.content


def test_the_500_page_falls_back_to_a_bare_page_when_the_layout_itself_fails(monkeypatch, rf):
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("the template engine is broken")

    monkeypatch.setattr(views.loader, "render_to_string", broken)
    request: HttpRequest = rf.get("/")
    response = views.server_error(request)
    assert response.status_code == 500
    assert SITE_HEADER in response.content
    assert b"Something went wrong on our side" in response.content


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "500.html", "403_csrf.html"])
def test_every_error_page_renders_for_an_anonymous_visitor_with_a_login_link(template, rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.template import loader

    request = rf.get("/")
    request.user = AnonymousUser()
    body = loader.render_to_string(template, request=request)
    assert '<header class="site-header">' in body
    assert "Log in" in body
