"""The projects API: projects in the caller's scope and their plan, audits, pupils and results, and the upload of a
results file, under the pages' rules.

Every object comes through ``projects.access`` (the same helpers the pages call, so a refusal is audited alike):
reading a project takes ``get_project``, its pupil rows ``get_project_pupils`` (never a trust partner's), and any
change ``get_project_to_edit`` (its leader or programme staff). Lists start from ``for_user``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from difference.accounts.permissions import Allows, MfaSatisfied
from difference.core.api import ServiceErrorSerializer
from difference.projects import services
from difference.projects.access import (
    get_project,
    get_project_pupils,
    get_project_to_edit,
    may_use_projects,
)
from difference.projects.imports import import_assessments, read_value, record_round
from difference.projects.models import Assessment, Audit, Project, Pupil
from difference.projects.serializers import (
    AssessmentSerializer,
    AuditInputSerializer,
    AuditSerializer,
    ProjectSerializer,
    PupilSerializer,
    RoundInputSerializer,
    RoundResultSerializer,
    UploadInputSerializer,
    UploadResultSerializer,
)


def _http(request: Request) -> HttpRequest:
    """The access helpers take a page's request; DRF's stands in for it, with the caller its authentication found
    (a token's user, which the wrapped request does not know)."""
    return cast(HttpRequest, request)


class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Projects: programme and research staff see every one, a leader their own, a headteacher their school's, a
    trust partner their trust's schools'. PATCH changes the plan and the stage (the leader or programme staff).
    ``audits``, ``pupils`` and ``assessments`` read (GET) and add (POST) to the project; ``upload`` imports a file."""

    serializer_class = ProjectSerializer
    permission_classes = [MfaSatisfied, Allows.of(may_use_projects)]
    lookup_value_regex = r"[0-9]{1,12}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Project]:
        return (
            Project.objects.for_user(self.request.user)  # type: ignore[arg-type]
            .select_related("school", "enrolment__person")
            .prefetch_related("measures")
            .order_by("pk")
        )

    def get_object(self) -> Project:
        pk = int(self.kwargs["pk"])
        if self.action == "partial_update" or self.request.method == "POST":
            return get_project_to_edit(_http(self.request), pk)
        if self.action in ("pupils", "assessments"):
            return get_project_pupils(_http(self.request), pk)
        return get_project(_http(self.request), pk)

    @extend_schema(methods=["GET"], responses={200: AuditSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=AuditInputSerializer, responses={201: AuditSerializer, 400: ServiceErrorSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def audits(self, request: Request, pk: str | None = None) -> Response:
        """The start and end audits with their ratings; POST rates statements of one round (its leader or staff)."""
        project = self.get_object()
        if request.method == "GET":
            audits = project.audits.prefetch_related("ratings").order_by("round")
            return Response(AuditSerializer(audits, many=True).data)
        data = AuditInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        audit = _rate_audit(project, **data.validated_data)
        return Response(AuditSerializer(audit).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: PupilSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=PupilSerializer, responses={201: PupilSerializer, 400: ServiceErrorSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def pupils(self, request: Request, pk: str | None = None) -> Response:
        """The project's pupils, by code; POST adds one (its leader or programme staff)."""
        project = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(Pupil.objects.for_user(request.user).filter(project=project))  # type: ignore[arg-type]
            return self.get_paginated_response(PupilSerializer(page, many=True).data)
        data = PupilSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pupil = Pupil(project=project, **data.validated_data)
        pupil.full_clean()  # the code's uniqueness in the project, and joined before left
        pupil.save()
        return Response(PupilSerializer(pupil).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={200: AssessmentSerializer(many=True)},
        parameters=[OpenApiParameter("measure", int, description="Only this measure's results")],
    )
    @extend_schema(
        methods=["POST"],
        request=RoundInputSerializer,
        responses={201: RoundResultSerializer, 400: ServiceErrorSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def assessments(self, request: Request, pk: str | None = None) -> Response:
        """The pupils' results; POST records one test round of a measure, checked as an import checks its rows."""
        project = self.get_object()
        if request.method == "GET":
            results = Assessment.objects.for_user(request.user).filter(pupil__project=project)  # type: ignore[arg-type]
            measure = request.query_params.get("measure", "")
            if measure.isdigit() and len(measure) <= 12:  # longer overflows the database's integers
                results = results.filter(measure_id=int(measure))
            page = self.paginate_queryset(results.select_related("pupil").order_by("measure", "assessed_on", "pk"))
            return self.get_paginated_response(AssessmentSerializer(page, many=True).data)
        data = RoundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recorded = _record_round(project, data.validated_data, by=request.user)
        return Response(
            {"assessments": recorded.assessments, "absences": recorded.absences}, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request={"multipart/form-data": UploadInputSerializer},
        responses={200: UploadResultSerializer, 201: UploadResultSerializer, 400: UploadResultSerializer},
        description="A results file (CSV or XLSX, the columns of `manage.py import_assessments`), all or nothing: "
        "201 when stored, 200 for a dry run that found no fault, 400 with every fault by row.",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        data = UploadInputSerializer(data=request.data)
        if not data.is_valid():
            problems = [f"{field}: {message}" for field, messages in data.errors.items() for message in messages]
            return Response({"summary": "Nothing was stored.", "rows": 0, "written": 0, "problems": problems}, 400)
        measures = list(project.measures.order_by("pk"))
        wanted = data.validated_data.get("measure")
        chosen = [m for m in measures if m.pk == wanted] if wanted else measures
        if len(chosen) != 1:
            listed = ", ".join(f"{m.pk} ({m})" for m in measures) or "none yet"
            problem = f"measure: say which of the project's measures: {listed}."
            return Response({"summary": "Nothing was stored.", "rows": 0, "written": 0, "problems": [problem]}, 400)
        upload, dry_run = data.validated_data["file"], data.validated_data["dry_run"]
        outcome = import_assessments(
            project=project,
            measure=chosen[0],
            path_or_file=upload,
            dry_run=dry_run,
            by=request.user,  # type: ignore[arg-type]
            filename=upload.name,
        )
        body = {
            "summary": outcome.summary(),
            "rows": outcome.rows_read,
            "written": 0 if dry_run else outcome.rows_written,
            "problems": [str(error) for error in outcome.errors],
        }
        if not outcome.ok:
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(body, status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)


def _record_round(project: Project, data: dict[str, Any], *, by: Any) -> Any:
    """Read the round's codes and typed values as the round form does, then store it through ``record_round``."""
    measure = project.measures.filter(pk=data["measure"]).first()
    if measure is None:
        raise ValidationError({"measure": [f"Project {project.pk} has no measure {data['measure']}."]})
    codes = [result["pupil"] for result in data["results"]]
    pupils = dict(Pupil.objects.filter(project=project, code__in=codes).values_list("code", "pk"))
    faults: dict[str, list[str]] = {}
    results: dict[int, Decimal | None] = {}
    for result in data["results"]:
        code = result["pupil"]
        if code not in pupils:
            faults[code] = [f"{code}: no pupil of this project has this code."]
        elif pupils[code] in results:
            faults[code] = [f"{code}: the round gives this pupil twice."]
        elif result["absent"]:
            results[pupils[code]] = None
        else:
            try:
                results[pupils[code]] = read_value(measure, result["value"])
            except ValidationError as exc:
                faults[code] = [f"{code}: {message}" for message in exc.messages]
    if faults:
        raise ValidationError(faults)
    return record_round(measure=measure, held_on=data["held_on"], test_form=data["test_form"], results=results, by=by)


@transaction.atomic
def _rate_audit(project: Project, *, round: str, ratings: list[dict[str, Any]], completed_on: Any = None) -> Audit:
    """Rate statements of the project's audit for ``round``, through the pages' own service."""
    audit = services.audit_for(project, round)
    given = {r["statement"]: (r["rating"], r.get("evidence", "")) for r in ratings}
    return services.complete_audit(audit=audit, completed_on=completed_on, ratings=given)
