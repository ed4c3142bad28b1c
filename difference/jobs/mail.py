"""Mailings: many messages sent by a job, one delivery record per recipient, retried on transient errors.

A single transactional message (a receipt, a confirmation link) is sent straight away; anything sent to a list
goes through ``send_mailing``, so a slow or failing mail server never holds up a page and every recipient's
outcome is kept.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from difference.jobs.models import Delivery, DeliveryStatus, Job

# Errors after which the same message may well go through if tried again later.
TRANSIENT_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


def _is_transient(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, TRANSIENT_ERRORS)


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for code, message in error.recipients.values()
        )[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {message}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


def deliver(delivery: Delivery, *, connection: Any = None) -> Delivery:
    """Send one delivery, retrying transient errors with exponential backoff; record the final outcome."""
    retries = settings.DIFFERENCE_MAIL_RETRIES
    delay = settings.DIFFERENCE_MAIL_RETRY_SECONDS
    while True:
        delivery.attempts += 1
        try:
            EmailMessage(delivery.subject, delivery.body, None, [delivery.recipient], connection=connection).send()
        except Exception as error:  # noqa: BLE001 - every failure is recorded against the recipient
            delivery.last_error = _describe(error)
            if _is_transient(error) and delivery.attempts <= retries:
                time.sleep(delay * 2 ** (delivery.attempts - 1))
                continue
            delivery.status = DeliveryStatus.FAILED if _is_transient(error) else DeliveryStatus.REFUSED
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
        delivery.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return delivery


def queue_mailing(*, title: str, kind: str, by: Any, messages: Iterable[tuple[str, str, str]]) -> Job:
    """Record one delivery per (recipient, subject, body) and start the job that sends them."""
    from difference.jobs import services, tasks

    job = services.start_job(task=tasks.send_mailing, title=title, kind=kind, by=by)
    Delivery.objects.bulk_create(
        [Delivery(job=job, recipient=recipient, subject=subject, body=body) for recipient, subject, body in messages]
    )
    return job


def close_quietly(connection: Any) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 - closing a broken connection must not hide the deliveries' outcome
        pass


def open_connection() -> Any:
    return get_connection()
