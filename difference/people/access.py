"""Who may open which person record, record consent for them, or read their special-category answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts import audit
from difference.accounts.models import AuditAction
from difference.accounts.policy import can, get_scoped, require
from difference.accounts.roles import Capability
from difference.people.models import Demographics, Person


def may_see_people(user: Any) -> bool:
    return can(user, Capability.VIEW_PEOPLE)


def may_see_people_aggregates(user: Any) -> bool:
    return can(user, Capability.VIEW_PEOPLE_AGGREGATES)


def may_record_consent(user: Any) -> bool:
    return can(user, Capability.MANAGE_CONSENT)


def may_read_demographics_rows(user: Any) -> bool:
    return can(user, Capability.VIEW_DEMOGRAPHICS_ROWS)


def require_people(request: HttpRequest) -> None:
    require(request, may_see_people(request.user), reason=f"role lacks {Capability.VIEW_PEOPLE}")


def require_people_aggregates(request: HttpRequest) -> None:
    require(request, may_see_people_aggregates(request.user), reason=f"role lacks {Capability.VIEW_PEOPLE_AGGREGATES}")


def get_person(request: HttpRequest, pk: int) -> Person:
    require_people(request)
    base = Person.objects.select_related("school", "user")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_person_to_record_consent(request: HttpRequest, pk: int) -> Person:
    """The person must be in scope (404 otherwise) before the role's right to record consent is asked (403)."""
    person = get_person(request, pk)
    require(request, may_record_consent(request.user), reason=f"role lacks {Capability.MANAGE_CONSENT}")
    return person


def read_demographics(request: HttpRequest, person: Person) -> Demographics | None:
    """Special-category data, row by row: staff admin only, and every read is audited."""
    require(request, may_read_demographics_rows(request.user), reason=f"role lacks {Capability.VIEW_DEMOGRAPHICS_ROWS}")
    demographics = Demographics.objects.filter(person=person).first()
    audit.record(AuditAction.SENSITIVE_READ, request=request, obj=person, object_type="people.demographics")
    return demographics
