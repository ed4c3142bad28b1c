from __future__ import annotations

import django_filters

from difference.jobs.models import Job, JobState


class JobFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=JobState.choices)
    kind = django_filters.CharFilter(lookup_expr="exact")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title contains")

    class Meta:
        model = Job
        fields = ["state", "kind", "q"]
