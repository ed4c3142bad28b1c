from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from difference.recruitment.models import Application, Stage


class ApplicationFilterSet(django_filters.FilterSet):
    """The one filter for applications, shared by the pipeline page, its export and the API."""

    q = django_filters.CharFilter(method="search", label="Name, email or reference")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="Any stage")

    class Meta:
        model = Application
        fields = ["q", "stage"]

    def search(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(person__first_name__icontains=text)
            | Q(person__last_name__icontains=text)
            | Q(person__email__icontains=text)
            | Q(reference__iexact=text)
        )
