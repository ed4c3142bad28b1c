"""The access kernel: the few rules every app's ``access.py`` builds on.

Each app owns its own rules: which rows a user sees is its ``QuerySet.for_user(user)``; which object a URL
may name, and for what action, is a ``get_*`` helper in its ``access.py``; whether a role may use a part of
the platform at all is a ``may_*`` predicate there, which its pages and its API both ask. What they share
lives here and knows no domain app:

* ``is_active`` and ``membership_ids``, the facts about a user every scope starts from;
* ``deny``, which audits a refusal and returns the exception (403);
* ``require`` / ``require_capability``, the role checks (403 before any object is looked up);
* ``get_scoped``, the object lookup (404 outside the user's scope, so other organisations' ids are not
  confirmed; the refusal is audited when the object exists).

The API's permission classes and its object lookup (``accounts.permissions``) call the same functions, so
an API refusal is audited exactly as a page refusal is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from difference.accounts.models import AuditAction

if TYPE_CHECKING:
    from difference.accounts.models import User

M = TypeVar("M", bound=models.Model)


class AuthenticatedRequest(HttpRequest):
    """For type checking only: a request whose user is a signed-in ``User`` (views behind ``login_required``)."""

    user: User


def is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def membership_ids(user: Any, field: str) -> list[int]:
    """The ids of the schools, trusts or cohorts (``field``) the user holds a current membership of."""
    if not is_active(user):
        return []
    return [
        pk
        for pk in user.memberships.current().exclude(**{f"{field}__isnull": True}).values_list(field, flat=True)
        if pk is not None
    ]


def deny(request: HttpRequest, *, reason: str, object_type: str = "", object_id: str = "") -> PermissionDenied:
    """Audit a refusal and return the exception for the caller to raise."""
    from difference.accounts.audit import record

    record(AuditAction.AUTHZ_DENIED, request=request, object_type=object_type, object_id=object_id, detail=reason)
    return PermissionDenied(reason)


def require(request: HttpRequest, allowed: bool, *, reason: str) -> None:
    """403 (audited) unless ``allowed``: the outcome of one of an app's ``may_*`` predicates."""
    if not allowed:
        raise deny(request, reason=reason)


def can(user: Any, capability: str) -> bool:
    return is_active(user) and bool(user.can(capability))


def require_capability(request: HttpRequest, capability: str) -> None:
    require(request, can(request.user, capability), reason=f"role lacks {capability}")


def audit_out_of_scope(request: HttpRequest, existing: models.Model) -> None:
    deny(
        request,
        reason="object outside the user's scope",
        object_type=existing._meta.label_lower,
        object_id=str(existing.pk),
    )


def get_scoped(request: HttpRequest, scoped: models.QuerySet[M], unscoped: models.QuerySet[M], **lookup: Any) -> M:
    """The object ``lookup`` names inside ``scoped``; 404 otherwise, audited when it exists outside the scope."""
    obj = scoped.filter(**lookup).first()
    if obj is not None:
        return obj
    existing = unscoped.filter(**lookup).first()
    if existing is not None:
        audit_out_of_scope(request, existing)
    raise Http404("No such record")
