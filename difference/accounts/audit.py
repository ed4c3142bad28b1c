"""Writing the audit trail.

``record`` is the only way audit events are written. Login events arrive via
Django's authentication signals, which every login path (allauth, admin, API
session login) sends; that is cross-cutting bookkeeping, not business logic.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.dispatch import receiver
from django.http import HttpRequest

from difference.accounts.models import AuditAction, AuditEvent

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(text: str, limit: int) -> str:
    """Strip control characters (CR/LF, ANSI escapes) so no one can forge log lines."""
    return _CONTROL.sub(" ", text)[:limit]


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
) -> AuditEvent:
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    event = AuditEvent(
        actor=actor,
        actor_label=_clean(getattr(actor, "email", "") or "anonymous", 254),
        action=action,
        object_type=_clean(object_type, 100),
        object_id=_clean(str(object_id), 64),
        detail=_clean(detail, 500),
    )
    if request is not None:
        event.path = _clean(request.path, 500)
        event.ip_address = request.META.get("REMOTE_ADDR") or None
        event.request_id = getattr(request, "request_id", "")
    event.save()
    return event


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(AuditAction.LOGIN, request=request, actor=user, obj=user)


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditAction.LOGOUT, request=request, actor=user, obj=user)


@receiver(user_login_failed)
def _audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django already masks the password in ``credentials``; only the login name is kept.
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    record(AuditAction.LOGIN_FAILED, request=request, actor=None, detail=f"login name: {attempted}")
