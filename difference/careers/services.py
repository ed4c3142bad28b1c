"""Changes to a person's role history made on the pages: a role recorded by staff (or a headteacher's word)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from difference.careers.models import CareerRole, Sector, Source
from difference.schools.models import School, SchoolCategory

# Where a role is at a school, its sector is the school's type in the registry on the day it is recorded.
SECTOR_OF_CATEGORY = {
    SchoolCategory.PRU: Sector.AP,
    SchoolCategory.AP_ACADEMY: Sector.AP,
    SchoolCategory.SPECIAL: Sector.SPECIAL,
    SchoolCategory.MAINSTREAM: Sector.MAINSTREAM,
}


def sector_of(school: School | None, chosen: str = "") -> str:
    if school is not None and school.category in SECTOR_OF_CATEGORY:
        return SECTOR_OF_CATEGORY[SchoolCategory(school.category)]
    if not chosen:
        raise ValidationError({"sector": "Choose the sector: the school's type does not say it."})
    return chosen


@transaction.atomic
def record_role(*, person: Any, data: dict[str, Any], source: str = Source.STAFF, by: Any = None) -> CareerRole:
    """Add a role to ``person``'s history. A new current role ends the current one the day before it starts; a
    role that would overlap another current role of the person otherwise is refused."""
    school = data.get("school")
    role = CareerRole(
        person=person,
        title=data["title"],
        level=data["level"],
        school=school,
        employer="" if school else data.get("employer", ""),
        sector=sector_of(school, data.get("sector", "")),
        starts_on=data["starts_on"],
        ends_on=data.get("ends_on"),
        is_baseline=bool(data.get("is_baseline")),
        source=source,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if role.ends_on is None:
        for current in person.career_roles.select_for_update().filter(ends_on__isnull=True):
            if current.starts_on >= role.starts_on:
                raise ValidationError(
                    {"starts_on": f"The current role ({current}) starts on or after this one: end it first."}
                )
            current.ends_on = role.starts_on - dt.timedelta(days=1)
            current.save(update_fields=["ends_on"])
    if role.is_baseline:
        person.career_roles.filter(is_baseline=True).update(is_baseline=False)
    role.full_clean()
    role.save()
    return role
