from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from difference.people.models import Person


class PersonFilterSet(django_filters.FilterSet):
    """The one filter for people, shared by the list page and the API."""

    q = django_filters.CharFilter(method="search", label="Name or email")
    cohort = django_filters.NumberFilter(field_name="enrolments__cohort", label="Cohort", distinct=True)

    class Meta:
        model = Person
        fields = ["q", "cohort"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.search(value)  # type: ignore[attr-defined,no-any-return]
