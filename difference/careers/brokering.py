"""Brokering the next career step: partner trusts and schools post senior-leadership opportunities, alumni register
interest, programme staff introduce them to the poster and record what came of it.

An appointment is the one result that reaches beyond the opportunity: it adds the new post to the person's role
history (recorded by staff, dated from the post's start or, without one, the day it is recorded) and ends the role
they held until then the day before, so the history stays one current role at a time.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import Capability
from difference.careers import services
from difference.careers.models import (
    CareerRole,
    Interest,
    InterestState,
    Opportunity,
    OpportunityStatus,
    Sector,
    Source,
)
from difference.careers.services import SECTOR_OF_CATEGORY

if TYPE_CHECKING:
    from difference.accounts.models import User
    from difference.people.models import Person
    from difference.schools.models import School, Trust

# What staff may record of an interest, and from which states: an alumnus is introduced before any result.
RESULTS_FROM = {
    InterestState.INTRODUCED: (InterestState.REGISTERED,),
    InterestState.APPOINTED: (InterestState.INTRODUCED,),
    InterestState.NOT_APPOINTED: (InterestState.INTRODUCED,),
}
WITHDRAWABLE = (InterestState.REGISTERED, InterestState.INTRODUCED)


def sector_for_school(school: School) -> Sector:
    """A school's sector as its registry type says today (a role keeps the one it had when it was recorded)."""
    return SECTOR_OF_CATEGORY.get(school.category, Sector.OTHER_EDUCATION)  # type: ignore[call-overload]


def may_post_for(user: Any, *, trust: Trust | None, school: School | None) -> bool:
    """Programme staff post for any trust or school; a trust partner for their own trust; a headteacher for their
    own school."""
    if not is_active(user):
        return False
    if user.can(Capability.MANAGE_CAREERS):
        return True
    if not user.can(Capability.POST_OPPORTUNITIES):
        return False
    if trust is not None:
        return school is None and trust.pk in membership_ids(user, "trust")
    return school is not None and school.pk in membership_ids(user, "school")


@transaction.atomic
def post_opportunity(
    *,
    by: User,
    title: str,
    closes_on: dt.date,
    trust: Trust | None = None,
    school: School | None = None,
    level: int | None = None,
    description: str = "",
    starts_on: dt.date | None = None,
) -> Opportunity:
    """Post an opportunity for one trust or one school, as its poster or on their behalf."""
    if (trust is None) == (school is None):
        raise ValidationError("Post the opportunity for one trust or for one school.")
    if not may_post_for(by, trust=trust, school=school):
        field = "trust" if trust is not None else "school"
        raise ValidationError({field: ["You may post opportunities only for your own trust or school."]})
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": ["The closing date has passed: give one from today on."]})
    opportunity = Opportunity(
        trust=trust,
        school=school,
        title=title,
        description=description,
        starts_on=starts_on,
        closes_on=closes_on,
        posted_by=by,
    )
    if level is not None:
        opportunity.level = level
    opportunity.full_clean()
    opportunity.save()
    return opportunity


def close_opportunity(*, opportunity: Opportunity) -> Opportunity:
    """Close it to new interest; what staff have recorded of the interests in it stays."""
    if opportunity.status != OpportunityStatus.CLOSED:
        opportunity.status = OpportunityStatus.CLOSED
        opportunity.save(update_fields=["status"])
    return opportunity


@transaction.atomic
def register_interest(*, opportunity: Opportunity, person: Person, note: str = "") -> Interest:
    """One click: register (or, after a withdrawal, register again) an alumnus's interest in an open opportunity.

    Registering twice changes nothing, so a double click or a resent form does no harm.
    """
    if opportunity.status != OpportunityStatus.OPEN or opportunity.closes_on < timezone.localdate():
        raise ValidationError("This opportunity has closed: interest can no longer be registered.")
    # The row lock makes two clicks at once one interest (the unique constraint backs it up).
    interest = Interest.objects.select_for_update().filter(opportunity=opportunity, person=person).first()
    if interest is None:
        interest = Interest(opportunity=opportunity, person=person, note=note)
        interest.full_clean()
        interest.save()
    elif interest.state == InterestState.WITHDRAWN:
        interest.state = InterestState.REGISTERED
        interest.note = note or interest.note
        interest.save(update_fields=["state", "note", "updated_at"])
    return interest


@transaction.atomic
def withdraw_interest(*, interest: Interest) -> Interest:
    """An alumnus withdraws before the post is decided; a recorded appointment or refusal is history."""
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.state == InterestState.WITHDRAWN:
        return interest
    if interest.state not in WITHDRAWABLE:
        raise ValidationError(f"The result is already recorded ({interest.get_state_display().lower()}).")
    interest.state = InterestState.WITHDRAWN
    interest.save(update_fields=["state", "updated_at"])
    return interest


@transaction.atomic
def record_result(
    *, interest: Interest, state: str, by: User, note: str = "", today: dt.date | None = None
) -> Interest:
    """Record an introduction or its result. An appointment adds the post to the person's role history."""
    interest = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("opportunity__school", "opportunity__trust")
        .get(pk=interest.pk)
    )
    allowed_from = RESULTS_FROM.get(state)  # type: ignore[call-overload]
    if allowed_from is None:
        raise ValidationError({"state": ["Record an introduction, an appointment or that they were not appointed."]})
    if interest.state not in allowed_from:
        wanted = InterestState(state).label.lower()
        raise ValidationError(
            {"state": [f"{interest.person} is {interest.get_state_display().lower()}: they cannot be {wanted} now."]}
        )
    if state == InterestState.APPOINTED:
        _add_appointment(interest, by=by, today=today or timezone.localdate())
    interest.state = state
    if note:
        interest.note = f"{interest.note}\n{note}".strip()
    interest.save(update_fields=["state", "note", "updated_at"])
    return interest


def _add_appointment(interest: Interest, *, by: User, today: dt.date) -> CareerRole:
    """The new post as the person's current role, and the role before it ended the day before it starts."""
    opportunity = interest.opportunity
    starts_on = opportunity.starts_on or today
    school = opportunity.school
    data = {
        "title": opportunity.title,
        "level": opportunity.level,
        "school": school,
        "employer": "" if school else (opportunity.trust.name if opportunity.trust else ""),
        "sector": sector_for_school(school) if school else Sector.OTHER_EDUCATION,
        "starts_on": starts_on,
    }
    # The history's own rule: the current role ends the day before, and a post starting first is refused.
    return services.record_role(person=interest.person, data=data, source=Source.STAFF, by=by)
