"""Who may read the DfE benchmarks. The figures are public statistics, but the pages are for the roles that use
them; a school's benchmark page also needs that school to be in the user's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.policy import can, require
from difference.accounts.roles import Capability
from difference.schools import access as schools_access
from difference.schools.models import School


def may_see_benchmarks(user: Any) -> bool:
    return can(user, Capability.VIEW_BENCHMARKS)


def require_benchmarks(request: HttpRequest) -> None:
    require(request, may_see_benchmarks(request.user), reason=f"role lacks {Capability.VIEW_BENCHMARKS}")


def get_school_to_compare(request: HttpRequest, urn: int) -> School:
    # The benchmarks check first: a role without it is refused (403) before any school is looked up.
    require_benchmarks(request)
    return schools_access.get_school(request, urn)
