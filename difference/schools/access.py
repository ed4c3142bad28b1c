"""Who may open which school or trust: the pages and the API ask these; rows come from ``for_user``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.policy import can, get_scoped, require
from difference.accounts.roles import Capability
from difference.schools.models import School, Trust


def may_browse_schools(user: Any) -> bool:
    return can(user, Capability.VIEW_SCHOOLS)


def require_schools(request: HttpRequest) -> None:
    require(request, may_browse_schools(request.user), reason=f"role lacks {Capability.VIEW_SCHOOLS}")


def get_school(request: HttpRequest, urn: int) -> School:
    require_schools(request)
    base = School.objects.select_related("local_authority", "trust")
    return get_scoped(request, base.for_user(request.user), base, urn=urn)  # type: ignore[arg-type]


def get_trust(request: HttpRequest, uid: int) -> Trust:
    require_schools(request)
    return get_scoped(request, Trust.objects.for_user(request.user), Trust.objects.all(), uid=uid)  # type: ignore[arg-type]
