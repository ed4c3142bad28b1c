from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from difference.accounts.permissions import Allows, MfaSatisfied, ScopedLookup
from difference.people.access import may_see_people
from difference.people.filters import PersonFilterSet
from difference.people.models import ConsentRecord, Person
from difference.schools.models import School


class ConsentRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsentRecord
        fields = ["purpose", "status", "method", "recorded_at", "note"]


class PersonSerializer(serializers.ModelSerializer):
    """Contact details and consents; special-category data is never part of this payload."""

    school: serializers.SlugRelatedField[School] = serializers.SlugRelatedField(slug_field="urn", read_only=True)
    consents = ConsentRecordSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name", "email", "phone", "job_title", "school", "consents"]


class PersonViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer
    permission_classes = [MfaSatisfied, Allows.of(may_see_people)]
    filterset_class = PersonFilterSet
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Person]:
        return (
            Person.objects.for_user(self.request.user)  # type: ignore[arg-type]
            .select_related("school")
            .prefetch_related("consents")
            .order_by("pk")
        )
