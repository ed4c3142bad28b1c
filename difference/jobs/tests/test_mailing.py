"""A mailing through a real SMTP server on loopback (aiosmtpd) that refuses some recipients: transient refusals
are retried with backoff, permanent ones recorded, and every recipient's outcome kept."""

from __future__ import annotations

import socket
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.jobs.mail import queue_mailing
from difference.jobs.models import Delivery, DeliveryStatus, Job, JobState


class RefusingHandler:
    """Accepts everyone except ``gone@`` (550, for good) and ``busy@`` (451 twice, then accepted)."""

    def __init__(self) -> None:
        self.tries: Counter[str] = Counter()
        self.delivered: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook name
        self.tries[address] += 1
        if address.startswith("gone@"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("busy@") and self.tries[address] <= 2:
            return "451 4.3.2 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    handler = RefusingHandler()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    try:
        yield handler
    finally:
        controller.stop()


def test_a_mailing_retries_a_busy_recipient_records_a_refusal_and_sends_the_rest(
    db, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.DIFFERENCE_MAIL_RETRIES = 3
    staff = UserFactory(role=Role.STAFF_PROGRAMME)
    recipients = ["one@example.org", "busy@example.org", "gone@example.org", "two@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_mailing(
            title="Placements published",
            kind="placements.publication",
            by=staff,
            messages=[(address, "Your placement", f"Dear {address}") for address in recipients],
        )
    job.refresh_from_db()
    outcome = {d.recipient: (d.status, d.attempts) for d in Delivery.objects.filter(job=job)}
    assert outcome == {
        "one@example.org": (DeliveryStatus.SENT, 1),
        "busy@example.org": (DeliveryStatus.SENT, 3),
        "gone@example.org": (DeliveryStatus.REFUSED, 1),
        "two@example.org": (DeliveryStatus.SENT, 1),
    }
    assert "550" in Delivery.objects.get(recipient="gone@example.org").last_error
    assert sorted(smtp_server.delivered) == ["busy@example.org", "one@example.org", "two@example.org"]
    assert job.state == JobState.DONE
    assert job.result["summary"] == "3 of 4 sent; 1 refused by the mail server, 0 failed after retries."


def test_a_recipient_still_busy_after_the_retries_is_failed_and_a_rerun_sends_nobody_twice(
    db, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.DIFFERENCE_MAIL_RETRIES = 1
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_mailing(
            title="Bulletin",
            kind="test",
            by=None,
            messages=[("busy@example.org", "Hello", "Body"), ("one@example.org", "Hello", "Body")],
        )
    busy = Delivery.objects.get(recipient="busy@example.org")
    assert (busy.status, busy.attempts) == (DeliveryStatus.FAILED, 2)
    assert "451" in busy.last_error
    # A re-run after a crash sends only what is still pending.
    Delivery.objects.filter(pk=busy.pk).update(status=DeliveryStatus.PENDING)
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED)
    from difference.jobs import services

    with django_capture_on_commit_callbacks(execute=True):
        services.rerun_job(job=Job.objects.get(pk=job.pk))
    assert smtp_server.delivered.count("one@example.org") == 1
    assert Delivery.objects.get(pk=busy.pk).status == DeliveryStatus.SENT
