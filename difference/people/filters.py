from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from difference.core.exports import Cell
from difference.core.lists import Export
from difference.people.models import Person


class PersonFilterSet(django_filters.FilterSet):
    """The one filter for people, shared by the list page and the API."""

    q = django_filters.CharFilter(method="search", label="Name or email")
    # Bounded: SQLite cannot compare with integers past 64 bits and would fail instead of finding nothing.
    cohort = django_filters.NumberFilter(
        field_name="enrolments__cohort", label="Cohort", distinct=True, min_value=1, max_value=2**31 - 1
    )

    class Meta:
        model = Person
        fields = ["q", "cohort"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.search(value)  # type: ignore[attr-defined,no-any-return]


def _person_row(person: Person) -> list[Cell]:
    school = person.school
    return [
        person.first_name,
        person.last_name,
        person.email or "",
        person.job_title,
        school.name if school else "",
        school.urn if school else None,
    ]


# The people list as a file: contact details, no special-category data (that has its own audited page).
PERSON_EXPORT = Export(
    name="people", header=("First name", "Last name", "Email", "Job title", "School", "School URN"), row=_person_row
)
