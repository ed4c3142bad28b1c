"""The recruitment API: the same records and rules as the pages.

Assessors reach only ``sift-reviews``, whose serializer carries the answer text, the question and its marking
guide, and their own score — nothing that identifies the applicant, and not the other assessor's score.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from difference.accounts.permissions import Allows, MfaSatisfied, ScopedLookup
from difference.core.api import ServiceErrorSerializer
from difference.recruitment import analysis, services
from difference.recruitment.access import (
    may_assess,
    may_manage_recruitment,
    may_open_applications,
    may_read_recruitment_aggregates,
)
from difference.recruitment.filters import ApplicationFilterSet
from difference.recruitment.models import Application, RecruitmentRound, SiftReview, Stage

_MANAGE: list[type[BasePermission]] = [MfaSatisfied, Allows.of(may_manage_recruitment)]


class RecruitmentRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecruitmentRound
        fields = ["year", "opens_at", "closes_at", "target_leaders", "shortlist_threshold"]


class ApplicationSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="recruitment_round.year", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "round",
            "person",
            "stage",
            "stage_label",
            "submitted_at",
            "withdrawn_at",
            "sift_score",
            "centre_score",
            "imported",
        ]
        read_only_fields = fields


class MoveSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(max_length=300)


class SiftReviewSerializer(serializers.ModelSerializer):
    question_position = serializers.IntegerField(source="answer.question.position", read_only=True)
    competency = serializers.CharField(source="answer.question.competency", read_only=True)
    question = serializers.CharField(source="answer.question.text", read_only=True)
    marking_guide = serializers.CharField(source="answer.question.marking_guide", read_only=True)
    answer = serializers.CharField(source="answer.text", read_only=True)

    class Meta:
        model = SiftReview
        fields = [
            "id",
            "kind",
            "question_position",
            "competency",
            "question",
            "marking_guide",
            "answer",
            "score",
            "comment",
            "scored_at",
        ]
        read_only_fields = ["id", "kind", "scored_at"]


class ScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


# --- The selection funnel, as the page shows it: suppressed cells carry their reason and no counts ---------------
class ProportionSerializer(serializers.Serializer):
    text = serializers.CharField(source="as_text")
    numerator = serializers.IntegerField(allow_null=True)
    n = serializers.IntegerField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    suppressed_reason = serializers.CharField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.is_suppressed:
            data.update(numerator=None, n=None, low=None, high=None)
        return data  # type: ignore[no-any-return]


class FunnelStageSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    conversion = ProportionSerializer(allow_null=True)


class GroupStageSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    conversion = ProportionSerializer()
    reached = ProportionSerializer()
    # The group's share of everyone at the stage, as the page's chart draws it.
    share = ProportionSerializer(allow_null=True)


class StageNotAnsweredSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(source="as_text")
    suppressed_reason = serializers.CharField()


class AdverseImpactSerializer(serializers.Serializer):
    text = serializers.CharField(source="as_text")
    ratio = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    reading = serializers.CharField()
    is_reference = serializers.BooleanField()
    suppressed_reason = serializers.CharField()


class GroupFunnelSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    applicants = ProportionSerializer()
    stages = GroupStageSerializer(many=True)
    adverse_impact = AdverseImpactSerializer()


class DimensionFunnelSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    reference_label = serializers.CharField()
    groups = GroupFunnelSerializer(many=True)
    not_answered = StageNotAnsweredSerializer(many=True)


class FunnelSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.IntegerField()
    placed = serializers.IntegerField()
    cohort_running = serializers.BooleanField()
    stages = FunnelStageSerializer(many=True)
    dimensions = DimensionFunnelSerializer(many=True)


class RecruitmentRoundViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Recruitment rounds (staff). ``funnel`` gives the selection funnel, which research staff may read too."""

    serializer_class = RecruitmentRoundSerializer
    permission_classes = _MANAGE
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{4}"

    def get_queryset(self) -> QuerySet[RecruitmentRound]:
        return RecruitmentRound.objects.order_by("-year")

    @extend_schema(responses={200: FunnelSerializer})
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[MfaSatisfied, Allows.of(may_read_recruitment_aggregates)],
    )
    def funnel(self, request: Request, year: str | None = None) -> Response:
        recruitment_round = self.get_object()
        return Response(FunnelSerializer(analysis.funnel_report(recruitment_round)).data)


class ApplicationViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Applications: staff see every one, an applicant their own. Staff can move one to another stage."""

    serializer_class = ApplicationSerializer
    permission_classes = [MfaSatisfied, Allows.of(may_open_applications)]
    filterset_class = ApplicationFilterSet
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Application]:
        return (
            Application.objects.for_user(self.request.user)  # type: ignore[arg-type]
            .select_related("recruitment_round")
            .order_by("pk")
        )

    @extend_schema(request=MoveSerializer, responses={200: ApplicationSerializer, 400: ServiceErrorSerializer})
    @action(detail=True, methods=["post"], permission_classes=_MANAGE)
    def move(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.move_stage(application=application, by=request.user, **data.validated_data)
        return Response(ApplicationSerializer(application).data)


class SiftReviewViewSet(ScopedLookup, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own sift readings, in their own order. POST ``score`` records a score (1 to 5)."""

    serializer_class = SiftReviewSerializer
    permission_classes = [MfaSatisfied, Allows.of(may_assess)]
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[SiftReview]:
        return (
            SiftReview.objects.for_user(self.request.user)  # type: ignore[arg-type]
            .filter(answer__application__stage=Stage.SUBMITTED)
            .select_related("answer__question")
            .in_assessor_order()
        )

    @extend_schema(request=ScoreSerializer, responses={200: SiftReviewSerializer, 400: ServiceErrorSerializer})
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        data = ScoreSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.score_review(review=review, by=request.user, **data.validated_data)
        return Response(SiftReviewSerializer(review).data)
