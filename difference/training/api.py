"""The training API: cohorts, sessions and enrolments, the register and the ledger, under the pages' rules."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from difference.accounts.permissions import Allows, MfaSatisfied, ScopedLookup
from difference.core.api import ServiceErrorSerializer
from difference.training import ledger, services
from difference.training.access import may_manage_training, may_see_training
from difference.training.models import AttendanceStatus, Cohort, Enrolment, Session
from difference.training.services import SESSION_FIELDS

_MANAGE: list[type[BasePermission]] = [MfaSatisfied, Allows.of(may_manage_training)]


class CohortSerializer(serializers.ModelSerializer):
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Cohort
        fields = ["id", "programme", "year", "target_size"]


class SessionSerializer(serializers.ModelSerializer):
    component: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "cohort", *SESSION_FIELDS]


class EnrolmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = ["id", "person", "cohort", "status", "placement"]


class MarkSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    minutes_missed = serializers.IntegerField(min_value=0, max_value=24 * 60, default=0)


class RegisterSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, allow_empty=False)


class RegisterResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many people the register now marks.")


class ComponentLedgerSerializer(serializers.Serializer):
    component = serializers.CharField(source="component.code")
    name = serializers.CharField(source="component.name")
    unit = serializers.CharField(source="component.unit")
    required = serializers.DecimalField(max_digits=8, decimal_places=2)  # type: ignore[assignment]
    attended = serializers.DecimalField(max_digits=8, decimal_places=2)
    scheduled_ahead = serializers.DecimalField(max_digits=8, decimal_places=2)
    shortfall = serializers.DecimalField(max_digits=8, decimal_places=2)


class EnrolmentLedgerSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(source="enrolment.pk")
    person = serializers.IntegerField(source="enrolment.person_id")
    status = serializers.CharField(source="enrolment.status")
    risk = serializers.CharField()
    components = ComponentLedgerSerializer(many=True)


class CohortViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Cohorts (staff). ``ledger`` gives every enrolment's hours by component, sorted by risk."""

    serializer_class = CohortSerializer
    permission_classes = _MANAGE
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.for_user(self.request.user).select_related("programme").order_by("pk")  # type: ignore[arg-type]

    @extend_schema(responses={200: EnrolmentLedgerSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def ledger(self, request: Request, pk: str | None = None) -> Response:
        return Response(EnrolmentLedgerSerializer(ledger.cohort_ledger(self.get_object()), many=True).data)


class SessionViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Sessions: staff see all, a leader those of their cohorts. Staff POST ``register`` to save a whole register."""

    serializer_class = SessionSerializer
    permission_classes = [MfaSatisfied, Allows.of(may_see_training)]
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Session]:
        return Session.objects.for_user(self.request.user).select_related("component").order_by("starts_at", "pk")  # type: ignore[arg-type]

    @extend_schema(request=RegisterSerializer, responses={200: RegisterResultSerializer, 400: ServiceErrorSerializer})
    @action(detail=True, methods=["post"], permission_classes=_MANAGE)
    def register(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marks = {m["enrolment"]: (m["status"], m["minutes_missed"]) for m in data.validated_data["marks"]}
        saved = services.save_register(session=session, marks=marks, by=request.user)  # type: ignore[arg-type]
        return Response({"marked": saved})


class EnrolmentViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Enrolments: staff see all, a leader their own. ``ledger`` gives one enrolment's hours by component."""

    serializer_class = EnrolmentSerializer
    permission_classes = [MfaSatisfied, Allows.of(may_see_training)]
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Enrolment]:
        return Enrolment.objects.for_user(self.request.user).order_by("pk")  # type: ignore[arg-type]

    @extend_schema(responses={200: EnrolmentLedgerSerializer})
    @action(detail=True, methods=["get"])
    def ledger(self, request: Request, pk: str | None = None) -> Response:
        return Response(EnrolmentLedgerSerializer(ledger.ledger_for_enrolment(self.get_object())).data)
