from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from difference.core.exports import Cell
from difference.core.lists import Export
from difference.projects.models import Project, Stage, Topic


class ProjectFilterSet(django_filters.FilterSet):
    """The one filter for projects: the list page, its export and the API all use it."""

    q = django_filters.CharFilter(method="search", label="Title, school or leader")
    topic = django_filters.ChoiceFilter(choices=Topic.choices)
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    cohort_year = django_filters.NumberFilter(field_name="enrolment__cohort__year", label="Cohort year")

    class Meta:
        model = Project
        fields = ["q", "topic", "stage", "cohort_year"]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(school__name__icontains=value)
            | Q(enrolment__person__last_name__icontains=value)
            | Q(enrolment__person__first_name__icontains=value)
        )


def _project_row(project: Any) -> list[Cell]:
    person = project.enrolment.person
    return [
        project.title,
        project.get_topic_display(),
        project.get_stage_display(),
        str(project.enrolment.cohort),
        person.first_name,
        person.last_name,
        project.school.name,
        project.school.urn,
        project.starts_on,
        project.ends_on,
        getattr(project, "pupil_count", None),
    ]


# The queryset must be the list page's: enrolment, person, cohort and school selected, ``pupil_count`` annotated.
PROJECT_EXPORT = Export(
    name="projects",
    header=(
        "Project",
        "Topic",
        "Stage",
        "Cohort",
        "Leader first name",
        "Leader last name",
        "School",
        "URN",
        "Starts",
        "Ends",
        "Pupils",
    ),
    row=_project_row,
)
