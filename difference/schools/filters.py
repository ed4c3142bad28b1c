from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from difference.core.exports import Cell
from difference.core.lists import Export
from difference.schools.models import LocalAuthority, PartnershipKind, Region, School, SchoolCategory


class SchoolFilterSet(django_filters.FilterSet):
    """The one filter for schools: the list page, its export and the API all use it."""

    q = django_filters.CharFilter(method="search", label="Name, URN or postcode")
    category = django_filters.ChoiceFilter(choices=SchoolCategory.choices, label="Type")
    region = django_filters.ChoiceFilter(choices=Region.choices)
    local_authority = django_filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(), field_name="local_authority", label="Local authority"
    )
    partnership = django_filters.ChoiceFilter(
        choices=PartnershipKind.choices, field_name="partnerships__kind", label="Partnership", distinct=True
    )

    class Meta:
        model = School
        fields = ["q", "category", "region", "local_authority", "partnership"]

    def search(self, queryset: QuerySet[School], name: str, value: str) -> QuerySet[School]:
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name__icontains=value) | Q(postcode__iexact=value)
        if value.isdigit():
            condition |= Q(urn=int(value)) | Q(laestab=int(value))
        return queryset.filter(condition)


def _school_row(school: School) -> list[Cell]:
    authority = school.local_authority
    return [
        school.urn,
        school.name,
        school.get_category_display(),
        school.phase,
        authority.name if authority else "",
        school.region,
        school.postcode,
        school.pupils,
        school.status,
    ]


SCHOOL_EXPORT = Export(
    name="schools",
    header=("URN", "Name", "Type", "Phase", "Local authority", "Region", "Postcode", "Pupils", "Status"),
    row=_school_row,
)
