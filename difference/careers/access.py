"""Who may do what with alumni careers.

Programme staff keep every alumnus's history, follow up those who have not replied, and broker opportunities;
research staff analyse outcomes by cohort; an alumnus sees and updates their own history and sees open
opportunities; a headteacher or trust partner posts opportunities for their school or trust and sees alumni
employed there only in aggregate. Objects outside a user's scope are a 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.policy import can, get_scoped, require
from difference.accounts.roles import Capability
from difference.careers.models import Opportunity
from difference.people.models import Person


def may_manage_careers(user: Any) -> bool:
    return can(user, Capability.MANAGE_CAREERS)


def may_analyse_careers(user: Any) -> bool:
    return can(user, Capability.ANALYSE_CAREERS) or may_manage_careers(user)


def may_post_opportunities(user: Any) -> bool:
    return can(user, Capability.POST_OPPORTUNITIES) or may_manage_careers(user)


def may_see_opportunities(user: Any) -> bool:
    return may_post_opportunities(user) or can(user, Capability.VIEW_OWN_CAREER)


def may_use_careers(user: Any) -> bool:
    return may_analyse_careers(user) or may_see_opportunities(user)


def require_career_manager(request: HttpRequest) -> None:
    require(request, may_manage_careers(request.user), reason=f"role lacks {Capability.MANAGE_CAREERS}")


def require_career_analysis(request: HttpRequest) -> None:
    require(request, may_analyse_careers(request.user), reason=f"role lacks {Capability.ANALYSE_CAREERS}")


def require_opportunities(request: HttpRequest) -> None:
    require(request, may_see_opportunities(request.user), reason="role has no part in alumni opportunities")


def require_opportunity_poster(request: HttpRequest) -> None:
    require(request, may_post_opportunities(request.user), reason=f"role lacks {Capability.POST_OPPORTUNITIES}")


def get_history(request: HttpRequest, pk: int) -> Person:
    """A person whose career history the viewer may read: anyone's for career staff, only their own otherwise."""
    require(request, may_use_careers(request.user), reason="role has no part in careers")
    base = Person.objects.all()
    if may_analyse_careers(request.user):
        scoped = base
    else:
        scoped = base.filter(user=request.user.pk) if can(request.user, Capability.VIEW_OWN_CAREER) else base.none()
    return get_scoped(request, scoped, base, pk=pk)


def get_history_to_edit(request: HttpRequest, pk: int) -> Person:
    person = get_history(request, pk)
    require_career_manager(request)
    return person


def get_opportunity(request: HttpRequest, pk: int) -> Opportunity:
    require_opportunities(request)
    base = Opportunity.objects.select_related("trust", "school")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_opportunity_to_manage(request: HttpRequest, pk: int) -> Opportunity:
    """The opportunity's poster side: programme staff, or the trust partner / headteacher whose post it is."""
    opportunity = get_opportunity(request, pk)
    require_opportunity_poster(request)
    return opportunity
