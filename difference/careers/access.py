"""Who may do what with alumni careers.

Programme staff keep every alumnus's history, follow up those who have not replied, and broker opportunities;
research staff analyse outcomes by cohort; an alumnus sees and updates their own history and sees open
opportunities; a headteacher or trust partner posts opportunities for their school or trust and sees alumni
employed there only in aggregate. Objects outside a user's scope are a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from difference.accounts.policy import can, get_scoped, is_active, require
from difference.accounts.roles import Capability, Role
from difference.careers.models import CareerRole, Interest, InterestState, Opportunity
from difference.people.models import Person
from difference.training.models import Enrolment, EnrolmentStatus


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


# --- Brokering: who reads opportunities, registers interest and sees who registered --------------------------------
def academic_year(day: dt.date) -> int:
    """The academic year ``day`` falls in, by the year it starts (September): a cohort's year is counted so too."""
    return day.year if day.month >= 9 else day.year - 1


def alumni_from(user: Any) -> int | None:
    """The academic year from which a leader counts as an alumnus (their programme's last year, or already, 0, once
    an enrolment is completed); None for anyone with no enrolment that leads there (a withdrawn one does not)."""
    if not (is_active(user) and user.role == Role.LEADER):
        return None
    enrolments = (
        Enrolment.objects.filter(person__user=user)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .annotate(last_year=F("cohort__year") + F("cohort__programme__duration_years") - 1)
        .values_list("status", "last_year")
    )
    years = [0 if status == EnrolmentStatus.COMPLETED else last_year for status, last_year in enrolments]
    return min(years, default=None)


def is_alumnus(user: Any, today: dt.date | None = None) -> bool:
    """A leader in the last year of their programme or after it: opportunities are for the next step, so leaders
    earlier in the programme, who are still placed in their school, are not offered them."""
    start = alumni_from(user)
    return start is not None and start <= academic_year(today or timezone.localdate())


def is_leader_too_early(user: Any) -> bool:
    """A leader who is not (yet) an alumnus: refused opportunities with a page that says when they open."""
    return is_active(user) and user.role == Role.LEADER and not is_alumnus(user)


def may_read_opportunities(user: Any) -> bool:
    """The posters' side (programme staff, trust partners, headteachers) and alumni."""
    return may_post_opportunities(user) or (can(user, Capability.VIEW_OWN_CAREER) and is_alumnus(user))


def may_read_interests(user: Any) -> bool:
    return may_read_opportunities(user)


def may_read_career_roles(user: Any) -> bool:
    """Role rows: career and research staff all of them, an alumnus (a leader) their own."""
    return may_analyse_careers(user) or can(user, Capability.VIEW_OWN_CAREER)


def require_opportunity_reader(request: HttpRequest) -> None:
    require(request, may_read_opportunities(request.user), reason="opportunities are for their posters and alumni")


def require_alumnus(request: HttpRequest) -> None:
    require(request, is_alumnus(request.user), reason="only alumni register interest in opportunities")


# Once programme staff have introduced an alumnus, the poster may know their name; before that, only how many.
SHARED_WITH_POSTER = (InterestState.INTRODUCED, InterestState.APPOINTED, InterestState.NOT_APPOINTED)


def interests_for(user: Any) -> QuerySet[Interest]:
    """The interests a user may see by name: programme staff all; an alumnus their own; a poster (trust partner or
    headteacher) those in their own opportunities that staff have introduced to them."""
    base = Interest.objects.select_related("opportunity", "person")
    if not is_active(user):
        return base.none()
    if may_manage_careers(user):
        return base
    if user.role == Role.LEADER:
        return base.filter(person__user=user)
    if can(user, Capability.POST_OPPORTUNITIES):
        return base.filter(opportunity__in=Opportunity.objects.for_user(user), state__in=SHARED_WITH_POSTER)
    return base.none()


def get_opportunity_to_read(request: HttpRequest, pk: int) -> Opportunity:
    """An opportunity in the viewer's scope, for its posters and for alumni (a leader too early is refused)."""
    require_opportunity_reader(request)
    return get_opportunity(request, pk)


def get_opportunity_for_interest(request: HttpRequest, pk: int) -> Opportunity:
    """An open opportunity an alumnus registers or withdraws interest in."""
    require_alumnus(request)
    return get_opportunity(request, pk)


def get_opportunity_to_broker(request: HttpRequest, pk: int) -> Opportunity:
    """The introductions and their results are programme staff's to record."""
    require_career_manager(request)
    return get_opportunity(request, pk)


def get_career_role(request: HttpRequest, pk: int) -> CareerRole:
    require(request, may_read_career_roles(request.user), reason="role has no part in career histories")
    base = CareerRole.objects.select_related("person", "school")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]
