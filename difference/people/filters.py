from __future__ import annotations

from collections.abc import Sequence

import django_filters
from django.db.models import QuerySet

from difference.core.exports import Cell
from difference.core.lists import Export
from difference.people.models import Person
from difference.people.queries import Breakdown, GroupShare


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


def _diversity_row(line: tuple[Breakdown, GroupShare]) -> list[Cell]:
    breakdown, group = line
    share = group.share
    if share.suppressed_reason:
        # The file keeps the page's suppression: a suppressed count is not in it, only the reason.
        return [breakdown.question, breakdown.answered, group.label, None, None, None, None, share.suppressed_reason]
    return [
        breakdown.question,
        breakdown.answered,
        group.label,
        share.numerator,
        _rounded(share.value),
        _rounded(share.low),
        _rounded(share.high),
        "",
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def diversity_lines(breakdowns: Sequence[Breakdown]) -> list[tuple[Breakdown, GroupShare]]:
    return [(breakdown, group) for breakdown in breakdowns for group in breakdown.groups]


# The diversity figures as a file: one line per answer, with its count, share and 95% interval, suppressed alike.
DIVERSITY_EXPORT = Export(
    name="diversity",
    header=("Question", "Answered", "Answer", "Count", "Share", "Interval low", "Interval high", "Suppressed"),
    row=_diversity_row,
)
