from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import Client
from rest_framework.authtoken.models import Token

from difference.accounts.roles import MFA_REQUIRED_ROLES, Role
from difference.accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory

MFA_ROLES = sorted(MFA_REQUIRED_ROLES)
SETUP_URL = "/accounts/2fa/totp/activate/"
PAGES = ["/", "/schools/", "/people/", "/people/diversity/", "/admin/", "/accounts/email/", "/api/docs/"]


def current_code() -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, counter))


@pytest.mark.django_db
@pytest.mark.parametrize("role", MFA_ROLES)
def test_a_user_whose_role_requires_mfa_reaches_only_the_setup_page_until_it_is_set_up(role):
    user = UserFactory(role=role, with_totp=False)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == SETUP_URL, page
    # Setting up a second factor asks for the password once more, then shows the QR code.
    response = client.get(SETUP_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": TEST_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == SETUP_URL
    assert b"Authenticator" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", MFA_ROLES)
def test_the_api_refuses_a_user_whose_role_requires_mfa_until_it_is_set_up(role):
    user = UserFactory(role=role, with_totp=False)
    session_client = Client()
    session_client.force_login(user)
    assert session_client.get("/api/v1/schools/").status_code == 403
    token = Token.objects.create(user=user)
    token_client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = token_client.get("/api/v1/schools/")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.LEADER, Role.APPLICANT])
def test_leaders_and_applicants_may_work_without_mfa(role):
    client = Client()
    client.force_login(UserFactory(role=role, with_totp=False))
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_once_totp_is_activated_the_pages_open():
    user = UserFactory(role=Role.STAFF_PROGRAMME, with_totp=False)
    client = Client()
    client.force_login(user)
    assert client.get("/schools/").status_code == 302
    TOTP.activate(user, TEST_TOTP_SECRET)
    assert client.get("/schools/").status_code == 200


@pytest.mark.django_db
def test_logging_in_with_totp_takes_a_password_then_a_code():
    user = UserFactory(role=Role.HEADTEACHER, email="head@example.org")
    client = Client()
    response = client.post("/accounts/login/", {"login": "head@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    # The password alone is not a login.
    assert client.get("/").status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/login/")
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200  # wrong code: the form again
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_the_admin_login_goes_through_the_same_two_step_login():
    response = Client().get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
