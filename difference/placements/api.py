from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from difference.accounts.permissions import Allows, MfaSatisfied, ScopedLookup
from difference.core.api import ServiceErrorSerializer
from difference.placements import services
from difference.placements.access import may_manage_placements, may_see_placements
from difference.placements.models import MatchOutcome, MatchRun, Placement, PlacementRound, Proposing, Vacancy

_VIEW: list[type[BasePermission]] = [MfaSatisfied, Allows.of(may_see_placements)]
_MANAGE: list[type[BasePermission]] = [MfaSatisfied, Allows.of(may_manage_placements)]


class VacancySerializer(serializers.ModelSerializer):
    school: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="urn", read_only=True)
    round = serializers.IntegerField(source="placement_round.year", read_only=True)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "round",
            "school",
            "title",
            "phase",
            "focus",
            "posts",
            "starts_on",
            "status",
            "setting_type",
            "test_and_learn",
        ]


class PlacementSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="candidate.person_id", read_only=True)
    school = serializers.IntegerField(source="vacancy.school.urn", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "person", "vacancy", "school", "run", "starts_on", "ends_on", "status", "end_reason"]


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchOutcome
        fields = ["candidate", "vacancy", "choice_rank", "explanation"]


class MatchRunSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="placement_round.year", read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True)
    stable = serializers.BooleanField(source="is_stable", read_only=True)

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "round",
            "proposing",
            "status",
            "parent",
            "change_description",
            "stable",
            "blocking_pairs",
            "stability_checked_at",
            "created_at",
            "published_at",
            "outcomes",
            "vacancy_explanations",
        ]


class RunRequestSerializer(serializers.Serializer):
    round = serializers.IntegerField(min_value=2000, max_value=2100)
    proposing = serializers.ChoiceField(choices=Proposing.choices, default=Proposing.CANDIDATES)


class VacancyViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Vacancies the caller may see: staff all, a school its own, a candidate those of their round."""

    serializer_class = VacancySerializer
    permission_classes = _VIEW
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Vacancy]:
        return Vacancy.objects.for_user(self.request.user).select_related("school", "placement_round").order_by("pk")  # type: ignore[arg-type]


class PlacementViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    serializer_class = PlacementSerializer
    permission_classes = _VIEW
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Placement]:
        placements = Placement.objects.for_user(self.request.user)  # type: ignore[arg-type]
        return placements.select_related("candidate", "vacancy__school").order_by("pk")


class MatchRunViewSet(ScopedLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Match runs (staff only). POST runs the engine on a round's live preferences; publish makes placements."""

    serializer_class = MatchRunSerializer
    permission_classes = _MANAGE
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[MatchRun]:
        return (
            MatchRun.objects.for_user(self.request.user)  # type: ignore[arg-type]
            .select_related("placement_round")
            .prefetch_related("outcomes")
            .order_by("pk")
        )

    @extend_schema(request=RunRequestSerializer, responses={201: MatchRunSerializer})
    def create(self, request: Request) -> Response:
        data = RunRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement_round = get_object_or_404(PlacementRound, year=data.validated_data["round"])
        run = services.create_run(
            placement_round=placement_round, proposing=data.validated_data["proposing"], by=request.user
        )
        return Response(MatchRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PlacementSerializer(many=True), 400: ServiceErrorSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        run = self.get_object()
        placements = services.publish_run(run=run, by=request.user)
        return Response(PlacementSerializer(placements, many=True).data)
