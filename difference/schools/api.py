from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission

from difference.accounts.permissions import Allows, MfaSatisfied, ScopedLookup
from difference.schools.access import may_browse_schools
from difference.schools.filters import SchoolFilterSet
from difference.schools.models import LocalAuthority, School, Trust

_PERMISSIONS: list[type[BasePermission]] = [MfaSatisfied, Allows.of(may_browse_schools)]


class LocalAuthoritySerializer(serializers.ModelSerializer):
    class Meta:
        model = LocalAuthority
        fields = ["code", "gss_code", "name", "region"]


class TrustSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trust
        fields = ["uid", "group_id", "name", "companies_house_number", "group_type"]


class SchoolSerializer(serializers.ModelSerializer):
    local_authority = LocalAuthoritySerializer(read_only=True)
    trust: serializers.SlugRelatedField[Trust] = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = School
        fields = [
            "urn",
            "laestab",
            "name",
            "category",
            "category_label",
            "establishment_type",
            "phase",
            "local_authority",
            "region",
            "trust",
            "pupils",
            "postcode",
            "status",
        ]


class SchoolViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Schools of England visible to the caller, filterable like the school list page."""

    serializer_class = SchoolSerializer
    permission_classes = _PERMISSIONS
    filterset_class = SchoolFilterSet
    lookup_field = "urn"
    lookup_value_regex = r"[0-9]{1,9}"

    def get_queryset(self) -> QuerySet[School]:
        return School.objects.for_user(self.request.user).select_related("local_authority", "trust").order_by("urn")  # type: ignore[arg-type]


class TrustViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    serializer_class = TrustSerializer
    permission_classes = _PERMISSIONS
    lookup_field = "uid"
    lookup_value_regex = r"[0-9]{1,9}"

    def get_queryset(self) -> QuerySet[Trust]:
        return Trust.objects.for_user(self.request.user).order_by("uid")  # type: ignore[arg-type]


class LocalAuthorityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LocalAuthoritySerializer
    permission_classes = _PERMISSIONS
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{3}"
    queryset = LocalAuthority.objects.order_by("code")
