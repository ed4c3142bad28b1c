"""The consultancy API: engagements in the caller's scope, their report's figures, and (staff) data uploads.

The report's figures follow the pages' rules: a suppressed figure is withheld (null, with the reason), never 0.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from difference.accounts.permissions import Allows, MfaSatisfied, ScopedLookup
from difference.consultancy import analysis, tasks
from difference.consultancy.access import may_manage_consultancy, may_use_consultancy
from difference.consultancy.forms import UploadForm
from difference.consultancy.imports import upload_data
from difference.consultancy.models import Engagement, UploadKind
from difference.consultancy.report import build_report
from difference.jobs.api import JobSerializer
from difference.jobs.services import in_background


class EngagementSerializer(serializers.ModelSerializer):
    trust = serializers.SlugRelatedField(slug_field="uid", read_only=True)  # type: ignore[var-annotated]
    trust_name = serializers.CharField(source="trust.name", read_only=True)

    class Meta:
        model = Engagement
        fields = ["id", "trust", "trust_name", "title", "academic_year", "question", "status"]


class ReportRateSerializer(serializers.Serializer):
    measure = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    per_100 = serializers.FloatField(allow_null=True)
    low_per_100 = serializers.FloatField(allow_null=True, help_text="95% interval, lower end")
    high_per_100 = serializers.FloatField(allow_null=True, help_text="95% interval, upper end")
    withheld_because = serializers.CharField(help_text="Why the figures are null: suppressed or not supplied.")


class ReportSchoolSerializer(serializers.Serializer):
    urn = serializers.IntegerField()
    name = serializers.CharField()
    phase = serializers.CharField()
    rates = ReportRateSerializer(many=True)


class ReportFunnelPointSerializer(serializers.Serializer):
    urn = serializers.IntegerField()
    pupils = serializers.IntegerField()
    count = serializers.IntegerField(allow_null=True)
    per_100 = serializers.FloatField(allow_null=True)
    position = serializers.CharField(allow_null=True, help_text="well_below, below, within, above or well_above")
    wording = serializers.CharField()


class ReportFunnelSerializer(serializers.Serializer):
    measure = serializers.CharField()
    school_type = serializers.CharField()
    england_per_100 = serializers.DecimalField(max_digits=12, decimal_places=6)
    england_basis = serializers.CharField()
    year = serializers.CharField()
    points = ReportFunnelPointSerializer(many=True)


class ReportComparisonSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    comparison = serializers.CharField()
    rate_ratio = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    reading = serializers.CharField()
    withheld_because = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    year = serializers.CharField()
    data_source = serializers.CharField(help_text="pupil-level, school-level, or empty when no data is uploaded")
    small_cell_threshold = serializers.IntegerField()
    schools = ReportSchoolSerializer(many=True)
    trust = ReportRateSerializer(many=True)
    funnels = ReportFunnelSerializer(many=True)
    disproportionality = ReportComparisonSerializer(many=True)


class EngagementUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UploadKind.choices)
    file = serializers.FileField()


class EngagementUploadResultSerializer(serializers.Serializer):
    summary = serializers.CharField()
    rows = serializers.IntegerField()
    schools = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField(), help_text="Every fault; none stored if any.")


def _rate(rate: analysis.SchoolRate) -> dict[str, object]:
    per_100 = rate.per_100
    shown = rate.estimate is not None and per_100 is not None
    return {
        "measure": rate.measure.key,
        "count": rate.estimate.numerator if shown and rate.estimate else None,
        "denominator": rate.estimate.n if shown and rate.estimate else None,
        "per_100": per_100[0] if per_100 else None,
        "low_per_100": per_100[1] if per_100 else None,
        "high_per_100": per_100[2] if per_100 else None,
        "withheld_because": "" if shown else rate.withheld_because,
    }


def report_data(engagement: Engagement) -> dict[str, object]:
    report = build_report(engagement)
    return {
        "year": report.year,
        "data_source": report.source,
        "small_cell_threshold": report.threshold,
        "schools": [
            {
                "urn": line.school.urn,
                "name": line.school.name,
                "phase": line.school.phase,
                "rates": [_rate(r) for r in line.rates.rates],
            }
            for line in report.lines
        ],
        "trust": [_rate(r) for r in report.trust_total.rates] if report.trust_total else [],
        "funnels": [
            {
                "measure": f.measure.key,
                "school_type": f.school_type,
                "england_per_100": f.centre.rate,
                "england_basis": f.centre.basis,
                "year": f.centre.year,
                "points": [
                    {
                        "urn": p.urn,
                        "pupils": p.n,
                        "count": p.count,
                        "per_100": p.rate_per_100,
                        "position": p.band.value if p.band else None,
                        "wording": p.wording,
                    }
                    for p in f.points
                ],
            }
            for f in report.funnels
        ],
        "disproportionality": [
            {
                "outcome": o.outcome.key,
                "comparison": c.grouping,
                "rate_ratio": c.ratio,
                "low": c.low,
                "high": c.high,
                "reading": c.reading,
                "withheld_because": c.suppressed_reason,
            }
            for o in report.disproportionality
            for c in o.comparisons
        ],
    }


class EngagementViewSet(ScopedLookup, viewsets.ReadOnlyModelViewSet):
    """Engagements: research staff see all, a trust partner their own trust's. ``report`` gives the figures;
    staff POST ``upload`` (multipart: kind, file) to store a trust's file, all or nothing."""

    serializer_class = EngagementSerializer
    permission_classes = [MfaSatisfied, Allows.of(may_use_consultancy)]
    lookup_value_regex = r"[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Engagement]:
        return Engagement.objects.for_user(self.request.user).select_related("trust").order_by("pk")  # type: ignore[arg-type]

    @extend_schema(responses={200: ReportSerializer})
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str | None = None) -> Response:
        return Response(ReportSerializer(report_data(self.get_object())).data)

    @extend_schema(
        request={"multipart/form-data": EngagementUploadSerializer},
        responses={201: EngagementUploadResultSerializer, 202: JobSerializer, 400: EngagementUploadResultSerializer},
        description="A small file is checked and stored at once (201, or 400 with every fault); a large one is "
        "queued as a background job (202, the job: follow it at /api/v1/jobs/<id>/).",
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser],
        permission_classes=[MfaSatisfied, Allows.of(may_manage_consultancy)],
    )
    def upload(self, request: Request, pk: str | None = None) -> Response:
        engagement = self.get_object()
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [f"{field}: {message}" for field, messages in form.errors.items() for message in messages]
            return Response({"summary": "Nothing was stored.", "rows": 0, "schools": 0, "problems": errors}, status=400)
        upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
        if in_background(upload):
            job = tasks.start_upload(engagement=engagement, upload=upload, kind=kind, by=request.user)
            return Response(JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)
        outcome = upload_data(engagement, upload, kind=kind, filename=upload.name, by=request.user)
        body = {
            "summary": outcome.summary(),
            "rows": outcome.rows_read,
            "schools": outcome.totals.get("schools", 0),
            "problems": [str(error) for error in outcome.errors],
        }
        return Response(body, status=status.HTTP_201_CREATED if outcome.ok else status.HTTP_400_BAD_REQUEST)
