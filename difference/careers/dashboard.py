"""Careers' part of a person's page: their role history, for career staff and for the person themself."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from difference.careers.models import CareerRole
from difference.core.dashboard import PersonSection


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
