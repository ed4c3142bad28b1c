from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from difference.core.lists import Export
from difference.recruitment.exports import PIPELINE_HEADER, pipeline_row
from difference.recruitment.models import Application, Stage

# The pipeline as a file, its rows chosen by the page's filters. The queryset must select person,
# centre_decision and offer (the pipeline view does), or each row costs queries.
PIPELINE_EXPORT = Export(name="pipeline", header=PIPELINE_HEADER, row=pipeline_row)


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
