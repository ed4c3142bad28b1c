from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from difference.accounts import audit
from difference.accounts.models import AuditAction
from difference.core import signed_links
from difference.people.models import ConsentMethod, ConsentPurpose, ConsentRecord, ConsentStatus, Person


@transaction.atomic
def record_consent(*, person: Person, purpose: str, status: str, method: str, note: str = "", by: Any) -> ConsentRecord:
    """Append a consent statement; earlier statements stay as the history."""
    record = ConsentRecord(person=person, purpose=purpose, status=status, method=method, note=note, recorded_by=by)
    record.full_clean()
    record.save()
    return record


# --- Logins and people: linked only on a proven address -------------------------------------------------------
@transaction.atomic
def link_login_to_person(*, user: Any, email: str, source: str, request: HttpRequest | None = None) -> Person | None:
    """Tie a login to the person record with ``email``, once that address is proven to be the login's.

    Called only after the address is verified (a link sent to it was followed), never at sign-up: until
    then a login is tied to nobody and reads nothing. A person with no record yet gets one from the names
    given at sign-up. A person whose record already has another login keeps it; the new login stays
    unlinked and the refusal is audited for staff to resolve.
    """
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    email = email.strip().lower()
    person = Person.objects.select_for_update().filter(email__iexact=email).first()
    if person is not None and person.user_id is not None:
        audit.record(
            AuditAction.LOGIN_LINKED,
            request=request,
            actor=user,
            obj=person,
            detail=f"not linked: the person already has another login ({source})",
        )
        return None
    if person is None:
        person = Person.objects.create(first_name=user.first_name, last_name=user.last_name, email=email, user=user)
        detail = f"new person record for a verified address ({source})"
    else:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        detail = f"existing person record, address verified ({source})"
    audit.record(AuditAction.LOGIN_LINKED, request=request, actor=user, obj=person, detail=detail)
    return person


# --- Consent withdrawn by an emailed link ---------------------------------------------------------------------
WITHDRAW_LINK = "consent-withdraw"


def consent_withdrawal_link(person: Person, purpose: str) -> str:
    """The path of a one-click link that withdraws one consent; it goes in every email sent under that consent."""
    token = signed_links.sign(WITHDRAW_LINK, {"person": person.pk, "purpose": purpose})
    return reverse("people:consent_withdraw", kwargs={"token": token})


def read_withdrawal_link(token: str) -> tuple[Person, str]:
    """The person and purpose a withdrawal link names; ``LinkError`` when it is forged or names no one."""
    value = signed_links.unsign(WITHDRAW_LINK, token)
    purpose = value.get("purpose") if isinstance(value, dict) else None
    person = Person.objects.filter(pk=value.get("person")).first() if purpose in ConsentPurpose.values else None
    if person is None:
        raise signed_links.LinkError("This link is not valid any more. Nothing has been changed.")
    return person, str(purpose)


@transaction.atomic
def withdraw_consent_by_link(*, token: str, request: HttpRequest | None = None) -> tuple[Person, str]:
    """Withdraw the consent a link names (the law asks that withdrawing be as easy as giving). Idempotent."""
    person, purpose = read_withdrawal_link(token)
    if person.has_consent(purpose):
        record_consent(
            person=person,
            purpose=purpose,
            status=ConsentStatus.WITHDRAWN,
            method=ConsentMethod.EMAIL,
            note="Withdrawn through the link in an email",
            by=None,
        )
        audit.record(
            AuditAction.PUBLIC_CHANGE,
            request=request,
            actor=None,
            obj=person,
            detail=f"consent withdrawn by email link: {purpose}",
        )
    return person, purpose
