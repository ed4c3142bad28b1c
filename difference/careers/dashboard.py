"""Careers on the home page (for programme staff, the alumni who have not answered this year's refresh) and its
part of a person's page (their role history, for career staff and for the person themself)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from difference.careers.access import may_manage_careers
from difference.careers.models import CareerRole, RefreshRequest, RefreshState
from difference.core.dashboard import DashboardItem, PersonSection, Urgency


def items_for(user: Any) -> list[DashboardItem]:
    if not may_manage_careers(user):
        return []
    waiting = RefreshRequest.objects.filter(state=RefreshState.SENT, expires_at__gt=timezone.now()).count()
    if not waiting:
        return []
    return [
        DashboardItem(
            title=f"{waiting} alumn{'i have' if waiting != 1 else 'us has'} not answered the career refresh",
            count=waiting,
            detail="Follow up by phone or email, and record what you hear on their career history.",
            url=reverse("careers:alumni") + "?refresh=waiting",
            section="Alumni careers",
            urgency=Urgency.SOON,
        )
    ]


def person_sections(user: Any, person: Any) -> list[PersonSection]:
    roles = list(CareerRole.objects.for_user(user).filter(person=person).select_related("school")[:20])
    if not roles:
        return []
    return [
        PersonSection(
            title="Career",
            template="careers/_person_career.html",
            url=reverse("careers:history", args=[person.pk]),
            link_text="The whole career history",
            order=60,
            context={"roles": sorted(roles, key=lambda role: role.starts_on, reverse=True)},
        )
    ]
