"""Who may open which consultancy engagement: research staff run them all; a trust partner reads their own
trust's; nobody else has any part in consultancy."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.policy import can, get_scoped, require
from difference.accounts.roles import Capability
from difference.consultancy.models import Engagement


def may_manage_consultancy(user: Any) -> bool:
    return can(user, Capability.MANAGE_CONSULTANCY)


def may_use_consultancy(user: Any) -> bool:
    """Whether the role has any part in consultancy: running engagements, or reading its own trust's."""
    return may_manage_consultancy(user) or can(user, Capability.VIEW_CONSULTANCY)


def require_consultancy(request: HttpRequest) -> None:
    """403 for roles that have no part in consultancy at all (before any engagement is looked up)."""
    require(request, may_use_consultancy(request.user), reason="role lacks consultancy access")


def require_consultant(request: HttpRequest) -> None:
    require(request, may_manage_consultancy(request.user), reason=f"role lacks {Capability.MANAGE_CONSULTANCY}")


def get_engagement(request: HttpRequest, pk: int) -> Engagement:
    require_consultancy(request)
    base = Engagement.objects.select_related("trust", "created_by")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_engagement_to_manage(request: HttpRequest, pk: int) -> Engagement:
    engagement = get_engagement(request, pk)
    require_consultant(request)
    return engagement
