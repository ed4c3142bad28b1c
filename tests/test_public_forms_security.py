"""The public and self-service paths, tried as an outsider who knows only someone's email address.

Each test replays a fault found on the public recruitment forms (a sign-up taking over a known person's
record; the interest register overwriting names and consents; answers that tell known addresses from
unknown ones) or checks another anonymous path for the same faults. None may come back.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from difference.accounts.models import AuditAction, AuditEvent, User
from difference.people.models import ConsentMethod, ConsentPurpose, ConsentRecord, ConsentStatus, Person
from difference.people.services import consent_withdrawal_link
from difference.people.tests.factories import DemographicsFactory, PersonFactory
from difference.recruitment.models import Application, InterestRegistration, PendingRegistration
from difference.recruitment.tests.conftest import make_round
from difference.training.models import CalendarFeed

PASSWORD = "a long and unusual passphrase"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
LINK = re.compile(r"https?://\S+")


def _signup(client: Client, email: str, **extra: str) -> Any:
    data = {
        "first_name": "Mallory",
        "last_name": "Outsider",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(reverse("recruitment:applicant_signup"), data)


def _register(client: Client, email: str, **extra: Any) -> Any:
    data = {
        "first_name": "Mallory",
        "last_name": "Outsider",
        "email": email,
        "current_role": "Teacher",
        "setting": "mainstream",
        "phase": "secondary",
        "region": "london",
        "interests": ["dlp"],
        **extra,
    }
    return client.post(reverse("recruitment:interest_register"), data)


def _links(message: Any) -> list[str]:
    return LINK.findall(message.body)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def known_leader(db: Any) -> Person:
    """A 2019 leader the charity knows, with consents, demographics and a scored application, and no login."""
    person = PersonFactory(first_name="Grace", last_name="Known", email="grace.known@example.org")
    ConsentRecord.objects.create(
        person=person, purpose=ConsentPurpose.CONTACT, status=ConsentStatus.GIVEN, method=ConsentMethod.WEB_FORM
    )
    ConsentRecord.objects.create(
        person=person, purpose=ConsentPurpose.BULLETIN, status=ConsentStatus.GIVEN, method=ConsentMethod.WEB_FORM
    )
    DemographicsFactory(person=person)
    Application.objects.create(recruitment_round=make_round(2019), person=person)
    return person


# --- Fault 1: taking over a known person's record through the sign-up ----------------------------------------------
def test_a_sign_up_with_a_known_address_gives_no_access_to_that_person_before_the_address_is_verified(
    client, known_leader, mailoutbox
):
    response = _signup(client, known_leader.email)

    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    login = User.objects.get(email=known_leader.email)
    assert not EmailAddress.objects.filter(user=login, verified=True).exists()
    known_leader.refresh_from_db()
    assert known_leader.user is None and (known_leader.first_name, known_leader.last_name) == ("Grace", "Known")
    # Not through the API, not through the pages.
    assert client.get("/api/v1/people/").status_code in (401, 403)
    assert client.get("/api/v1/applications/").status_code in (401, 403)
    assert client.get(reverse("people:person_detail", args=[known_leader.pk])).status_code == 302
    # Logging in with the password just chosen stops at "verify your address", with no session.
    attempt = client.post(reverse("account_login"), {"login": known_leader.email, "password": PASSWORD})
    assert attempt.status_code == 302 and attempt["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get("/api/v1/people/").status_code in (401, 403)


def test_even_a_session_of_the_unverified_login_reads_nothing_of_the_person(client, known_leader):
    _signup(Client(), known_leader.email)
    login = User.objects.get(email=known_leader.email)
    client.force_login(login)

    assert client.get("/api/v1/people/").json()["results"] == []
    assert client.get("/api/v1/applications/").json()["results"] == []
    assert client.get(reverse("people:person_detail", args=[known_leader.pk])).status_code in (403, 404)


def test_after_verifying_through_the_emailed_link_the_login_reads_exactly_its_own_person(
    client, known_leader, mailoutbox
):
    PersonFactory(email="someone.else@example.org")
    _signup(client, known_leader.email)
    (message,) = mailoutbox
    assert message.to == [known_leader.email]
    (link,) = [url for url in _links(message) if "/confirm-email/" in url]

    # The link shows a page with one button (a mail scanner's visit confirms nothing), then confirms.
    assert client.get(_path(link)).status_code == 200
    assert EmailAddress.objects.filter(email=known_leader.email, verified=True).count() == 0
    response = client.post(_path(link))

    assert response.status_code == 302
    known_leader.refresh_from_db()
    login = User.objects.get(email=known_leader.email)
    assert known_leader.user == login
    # The names typed at sign-up do not overwrite the record.
    assert (known_leader.first_name, known_leader.last_name) == ("Grace", "Known")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_LINKED)
    assert event.object_id == str(known_leader.pk) and "email verification" in event.detail
    people = client.get("/api/v1/people/").json()["results"]
    assert [p["id"] for p in people] == [known_leader.pk]
    applications = client.get("/api/v1/applications/").json()["results"]
    assert [a["id"] for a in applications] == list(known_leader.applications.values_list("pk", flat=True))


def test_a_sign_up_with_a_new_address_makes_its_person_only_once_verified(client, db, mailoutbox):
    _signup(client, "new.person@example.org")
    assert not Person.objects.exists()
    (link,) = [url for url in _links(mailoutbox[0]) if "/confirm-email/" in url]
    client.post(_path(link))
    person = Person.objects.get()
    assert (person.email, person.first_name, person.user.email) == ("new.person@example.org", "Mallory", person.email)


def test_a_forged_verification_link_verifies_nothing_and_links_no_one(client, known_leader, mailoutbox):
    _signup(client, known_leader.email)
    (link,) = [url for url in _links(mailoutbox[0]) if "/confirm-email/" in url]
    forged = _path(link).rstrip("/")[:-3] + "abc/"
    client.post(forged)
    known_leader.refresh_from_db()
    assert known_leader.user is None
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_a_person_who_has_a_login_keeps_it_and_the_second_login_is_refused_with_an_audit(db, mailoutbox):
    owner = User.objects.create_user(email="first.login@example.org", password=PASSWORD)
    person = PersonFactory(email="shared@example.org", user=owner)
    client = Client()
    _signup(client, "shared@example.org")
    (link,) = [url for url in _links(mailoutbox[0]) if "/confirm-email/" in url]
    client.post(_path(link))
    person.refresh_from_db()
    assert person.user == owner
    assert "not linked" in AuditEvent.objects.get(action=AuditAction.LOGIN_LINKED).detail


def test_a_sign_up_form_cannot_ask_for_a_staff_role(client, db):
    _signup(client, "climber@example.org", role="staff_admin", is_staff="on", is_superuser="on")
    login = User.objects.get(email="climber@example.org")
    assert (login.role, login.is_staff, login.is_superuser) == ("applicant", False, False)


# --- Fault 2: overwriting names and consents through the interest register -----------------------------------------
def test_a_registration_from_a_known_address_changes_nothing_until_confirmed(
    client, known_leader, mailoutbox, django_capture_on_commit_callbacks
):
    make_round(2031)
    consents_before = ConsentRecord.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, known_leader.email)  # both consent boxes unticked

    assert response.status_code == 302
    known_leader.refresh_from_db()
    assert (known_leader.first_name, known_leader.last_name) == ("Grace", "Known")
    assert ConsentRecord.objects.count() == consents_before
    assert known_leader.has_consent(ConsentPurpose.CONTACT) and known_leader.has_consent(ConsentPurpose.BULLETIN)
    assert not InterestRegistration.objects.exists()
    assert PendingRegistration.objects.awaiting().count() == 1
    # The email to the address says what confirming would change.
    (message,) = mailoutbox
    assert message.to == [known_leader.email]
    assert "Your name becomes Mallory Outsider." in message.body
    assert "bulletin is withdrawn" in message.body


def test_after_confirming_through_the_link_the_registration_changes_names_and_consents_with_an_audit(
    client, known_leader, mailoutbox, django_capture_on_commit_callbacks
):
    make_round(2031)
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, known_leader.email, consent_contact="on")
    (link,) = _links(mailoutbox[0])

    page = client.get(_path(link))
    assert page.status_code == 200 and "Your name becomes Mallory Outsider." in page.content.decode()
    known_leader.refresh_from_db()
    assert known_leader.first_name == "Grace"
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(_path(link))

    assert confirmed.status_code == 200
    known_leader.refresh_from_db()
    assert (known_leader.first_name, known_leader.last_name) == ("Mallory", "Outsider")
    assert known_leader.has_consent(ConsentPurpose.CONTACT)
    assert not known_leader.has_consent(ConsentPurpose.BULLETIN)
    assert InterestRegistration.objects.get().person == known_leader
    event = AuditEvent.objects.get(action=AuditAction.PUBLIC_CHANGE)
    assert event.object_id == str(known_leader.pk) and event.detail.startswith("interest register, confirmed")
    # The link is spent: a second use changes nothing more.
    again = client.post(_path(link))
    assert again.status_code == 400
    assert InterestRegistration.objects.get().times_registered == 1


def test_a_forged_or_expired_confirmation_link_changes_nothing(
    client, known_leader, mailoutbox, django_capture_on_commit_callbacks
):
    make_round(2031)
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, known_leader.email)
    (link,) = _links(mailoutbox[0])
    path = _path(link)
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = path.replace(token, token[:-2] + ("aa" if not token.endswith("aa") else "bb"))
    withdraw_token = consent_withdrawal_link(known_leader, "contact").rstrip("/").rsplit("/", 1)[1]
    other_purpose = reverse("recruitment:interest_confirm", args=[withdraw_token])

    assert client.post(forged).status_code == 400
    assert client.post(other_purpose).status_code == 400
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=8)):
        expired = client.post(path)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    known_leader.refresh_from_db()
    assert known_leader.first_name == "Grace" and known_leader.has_consent(ConsentPurpose.BULLETIN)
    assert not InterestRegistration.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PUBLIC_CHANGE).exists()


def test_consent_withdrawn_by_the_emailed_link_is_one_button_and_a_forged_link_withdraws_nothing(client, known_leader):
    path = consent_withdrawal_link(known_leader, ConsentPurpose.BULLETIN)
    assert client.post(path[:-3] + "xx/").status_code == 400
    assert known_leader.has_consent(ConsentPurpose.BULLETIN)

    assert client.get(path).status_code == 200
    assert known_leader.has_consent(ConsentPurpose.BULLETIN)  # looking is not withdrawing
    assert client.post(path).status_code == 200
    assert not known_leader.has_consent(ConsentPurpose.BULLETIN)
    assert known_leader.has_consent(ConsentPurpose.CONTACT)
    assert (
        AuditEvent.objects.get(action=AuditAction.PUBLIC_CHANGE).detail == "consent withdrawn by email link: bulletin"
    )


# --- Fault 3: telling a known address from an unknown one ---------------------------------------------------------
def _visible(response: Any, typed: str = "") -> tuple[int, str, bytes]:
    """What a visitor sees, without the CSRF token (and, where a form shows it back, the address typed)."""
    content = CSRF.sub(b"", response.content)
    if typed:
        content = content.replace(typed.encode(), b"ADDRESS")
    return response.status_code, response.get("Location", ""), content


def test_the_register_answers_a_known_and_an_unknown_address_byte_for_byte_alike(client, known_leader, mailoutbox):
    make_round(2031)
    answers = {}
    for address in (known_leader.email, "nobody.known@example.org"):
        visitor = Client()
        posted = _register(visitor, address)
        answers[address] = (_visible(posted), _visible(visitor.get(posted["Location"])))
    known, unknown = answers.values()
    assert known == unknown
    assert known[0][0] == 302


def test_the_sign_up_answers_a_known_and_an_unknown_address_byte_for_byte_alike(db, known_leader, mailoutbox):
    User.objects.create_user(email="has.login@example.org", password=PASSWORD).mark_email_verified()
    answers = []
    for address in ("has.login@example.org", known_leader.email, "nobody.known@example.org"):
        visitor = Client()
        posted = _signup(visitor, address)
        answers.append((_visible(posted), _visible(visitor.get(posted["Location"]))))
    assert answers[0] == answers[1] == answers[2]
    # Only the emails differ: the existing login is told it has one, the others get a link to verify.
    by_address = {m.to[0]: m.body for m in mailoutbox}
    assert "already" in by_address["has.login@example.org"]
    assert "/confirm-email/" in by_address["nobody.known@example.org"]
    assert "/confirm-email/" not in by_address["has.login@example.org"]


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting the hashes it makes: the costly step a timing probe would see."""

    algorithm = "counting_md5"
    made = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.made += 1
        return super().encode(password, salt)


def test_a_sign_up_with_a_taken_address_costs_the_same_password_hash_as_a_new_one(db, settings):
    settings.PASSWORD_HASHERS = ["tests.test_public_forms_security.CountingHasher"]
    User.objects.create_user(email="has.login@example.org", password=PASSWORD).mark_email_verified()
    costs = []
    for address in ("has.login@example.org", "nobody.known@example.org"):
        CountingHasher.made = 0
        _signup(Client(), address)
        costs.append(CountingHasher.made)
    assert costs[0] == costs[1] >= 1


def test_the_login_and_password_reset_answer_a_known_and_an_unknown_address_alike(db, mailoutbox):
    User.objects.create_user(email="has.login@example.org", password=PASSWORD).mark_email_verified()
    logins, resets = [], []
    for address in ("has.login@example.org", "nobody.known@example.org"):
        visitor = Client()
        login = visitor.post(reverse("account_login"), {"login": address, "password": "wrong guess"})
        logins.append(_visible(login, typed=address))
        reset = visitor.post(reverse("account_reset_password"), {"email": address})
        resets.append((_visible(reset), _visible(visitor.get(reset["Location"]))))
    assert logins[0] == logins[1] and logins[0][0] == 200
    assert resets[0] == resets[1]
    by_address = {m.to[0]: m.body for m in mailoutbox}
    assert "/password/reset/key/" in by_address["has.login@example.org"]
    assert "/password/reset/key/" not in by_address["nobody.known@example.org"]


# --- Rate limits -------------------------------------------------------------------------------------------------
def test_the_public_forms_refuse_a_burst_for_one_address_from_many_clients_and_write_nothing(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "interest_register": "100/m/ip",
        "interest_register_address": "2/h/key",
        "signup_address": "2/h/key",
    }
    make_round(2031)
    register = [_register(Client(REMOTE_ADDR=f"10.0.0.{n}"), "target@example.org").status_code for n in range(3)]
    signup = [
        _signup(Client(REMOTE_ADDR=f"10.0.1.{n}"), "target@example.org", first_name=f"N{n}").status_code
        for n in range(3)
    ]
    assert register == [302, 302, 429]
    assert signup == [302, 302, 429]
    assert PendingRegistration.objects.count() == 2
    refused = _register(Client(REMOTE_ADDR="10.0.0.9"), "target@example.org")
    assert "Too many attempts" in refused.content.decode()


def test_the_public_forms_refuse_a_burst_from_one_client_across_addresses(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "interest_register": "2/m/ip"}
    make_round(2031)
    answers = [_register(client, f"person{n}@example.org").status_code for n in range(3)]
    assert answers == [302, 302, 429]
    assert PendingRegistration.objects.count() == 2


# --- Other anonymous paths ------------------------------------------------------------------------------------------
def test_a_calendar_link_is_long_random_and_a_revoked_or_unknown_one_is_not_found(client, known_leader):
    feed = CalendarFeed.objects.create(person=known_leader)
    assert len(feed.token) >= 32
    assert client.get(feed.get_absolute_url()).status_code == 200
    assert client.get(reverse("training:calendar_feed", args=[feed.token[:-1] + "x"])).status_code == 404
    feed.revoked_at = dt.datetime.now(tz=dt.UTC)
    feed.save()
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_an_unknown_email_verification_key_changes_nothing(client, db):
    response = client.post(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code in (200, 302, 404)
    assert not EmailAddress.objects.filter(verified=True).exists()
