"""The public interest register: kept pending until the address confirms, then written by ``register_interest``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from difference.people.models import ConsentPurpose, Person
from difference.recruitment import services
from difference.recruitment.models import InterestRegistration, PendingRegistration
from difference.recruitment.tests.conftest import make_round
from difference.recruitment.tests.test_workflow import registration


def test_a_new_address_gets_a_link_to_confirm_and_nothing_is_kept_before(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    make_round()
    data = {**registration().__dict__, "interests": ["dlp"], "consent_contact": "on", "consent_bulletin": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("recruitment:interest_register"), data, follow=True)
    assert "Check your email" in response.content.decode()
    assert not Person.objects.exists() and not InterestRegistration.objects.exists()
    (message,) = mailoutbox
    assert message.to == ["rhiannon@example.org"]
    assert "Please confirm that this is your email address" in message.body
    assert "Your name becomes" not in message.body


def test_confirming_a_new_address_registers_it_and_the_receipt_carries_a_withdrawal_link(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    make_round()
    with django_capture_on_commit_callbacks(execute=True):
        pending = services.submit_interest(registration())
    token = mailoutbox[0].body.split("/recruitment/register/confirm/")[1].split("/")[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_interest(token=token)
    pending.refresh_from_db()
    person = Person.objects.get(email="rhiannon@example.org")
    assert pending.confirmed_at is not None and pending.registration.person == person
    assert person.has_consent(ConsentPurpose.CONTACT) and not person.has_consent(ConsentPurpose.BULLETIN)
    receipt = mailoutbox[-1]
    assert receipt.subject == "Thank you for registering your interest"
    assert "/people/consent/withdraw/" in receipt.body and "To stop hearing from us" in receipt.body
    assert "the bulletin" not in receipt.body.split("To stop")[-1]


def test_unconfirmed_submissions_are_removed_once_their_link_has_expired(db):
    make_round()
    old = services.submit_interest(registration(), now=timezone.now() - dt.timedelta(days=8))
    recent = services.submit_interest(
        registration(email="someone@example.org"), now=timezone.now() - dt.timedelta(days=1)
    )
    services.submit_interest(registration(email="third@example.org"))
    remaining = set(PendingRegistration.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and recent.pk in remaining


def test_the_changes_a_confirmation_would_make_are_said_in_words(db):
    person = Person.objects.create(first_name="Rhiannon", last_name="Quarrington", email="rhiannon@example.org")
    changes = services.registration_changes(person, registration(last_name="Jones", consent_contact=True))
    assert changes == [
        "Your name becomes Rhiannon Jones.",
        "Your consent to contact about the programme is given.",
        "Your registration of interest is updated with the answers you sent.",
    ]
    assert services.registration_changes(None, registration()) == ["A new registration of interest under this address."]
