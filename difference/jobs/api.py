"""Jobs in the API: what people see on the job pages, under the same rules."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.request import Request

from difference.accounts.permissions import Allows, MfaSatisfied, ScopedLookup
from difference.jobs.access import may_follow_jobs, may_see_error_details
from difference.jobs.filters import JobFilterSet
from difference.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    started_by = serializers.SlugRelatedField(slug_field="email", read_only=True)  # type: ignore[var-annotated]
    trust = serializers.SlugRelatedField(slug_field="uid", read_only=True)  # type: ignore[var-annotated]
    has_file = serializers.SerializerMethodField()
    error_detail = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "state",
            "stage",
            "progress_done",
            "progress_total",
            "progress_unit",
            "percent",
            "log",
            "result",
            "result_url",
            "has_file",
            "error",
            "error_detail",
            "started_by",
            "trust",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_has_file(self, job: Job) -> bool:
        return bool(job.result_file)

    def get_error_detail(self, job: Job) -> str:
        request: Request | None = self.context.get("request")
        user: Any = request.user if request is not None else None
        return job.error_detail if may_see_error_details(user) else ""


class JobViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Background jobs the caller may follow: their own (a trust partner's: those about their trust; staff admin:
    all), with progress, messages and result."""

    serializer_class = JobSerializer
    permission_classes = [MfaSatisfied, Allows.of(may_follow_jobs)]
    filterset_class = JobFilterSet
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.for_user(self.request.user).select_related("started_by", "trust").order_by("-pk")  # type: ignore[arg-type]
