"""MAT consultancy pages: engagements, the trust's data uploads, and the report with its exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from difference.consultancy import exports, imports, tasks
from difference.consultancy.access import (
    get_engagement,
    get_engagement_to_manage,
    may_manage_consultancy,
    require_consultancy,
    require_consultant,
)
from difference.consultancy.forms import EngagementForm, UploadForm
from difference.consultancy.lists import ENGAGEMENT_EXPORT
from difference.consultancy.models import Engagement, UploadKind
from difference.consultancy.report import build_report
from difference.core.exports import ExportFormat, export_response
from difference.core.lists import render_exportable
from difference.jobs.services import in_background


@require_safe
@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    require_consultancy(request)
    engagements = (
        Engagement.objects.for_user(request.user)  # type: ignore[arg-type]
        .select_related("trust")
        .annotate(upload_count=Count("uploads"))
    )
    context = {
        "engagements": engagements,
        "can_manage": may_manage_consultancy(request.user),
    }
    return render_exportable(
        request,
        "consultancy/engagement_list.html",
        context,
        export=ENGAGEMENT_EXPORT,
        objects=lambda: engagements.iterator(chunk_size=1000),
        object_type="consultancy.engagement",
    )


@require_http_methods(["GET", "POST"])
@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    require_consultant(request)
    form = EngagementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        engagement = form.save(commit=False)
        engagement.created_by = request.user
        engagement.save()
        messages.success(request, f"Engagement created for {engagement.trust}. Upload the trust's data next.")
        return redirect(engagement)
    return render(request, "consultancy/engagement_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest, engagement: Engagement, form: UploadForm, result: object, status: int
) -> HttpResponse:
    context = {
        "engagement": engagement,
        "uploads": engagement.uploads.select_related("uploaded_by"),
        "pupils": engagement.pupil_returns.count(),
        "school_rows": engagement.school_returns.count(),
        "form": form,
        "result": result,
        "can_manage": may_manage_consultancy(request.user),
        "templates": [(kind, label, imports.TEMPLATE_COLUMNS[UploadKind(kind)]) for kind, label in UploadKind.choices],
    }
    return render(request, "consultancy/engagement_detail.html", context, status=status)


@require_safe
@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_engagement(request, pk)
    return _detail(request, engagement, UploadForm(), None, 200)


@require_POST
@login_required
def engagement_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A trust's file, checked row by row: all of it stored (replacing that kind's rows), or none of it."""
    engagement = get_engagement_to_manage(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, engagement, form, None, 400)
    upload = form.cleaned_data["file"]
    dry_run = request.POST.get("dry_run") == "on"
    if in_background(upload) and not dry_run:
        job = tasks.start_upload(engagement=engagement, upload=upload, kind=form.cleaned_data["kind"], by=request.user)
        messages.info(request, "The file is large, so it is being checked and stored in the background.")
        return redirect(job)
    result = imports.upload_data(
        engagement,
        upload,
        kind=form.cleaned_data["kind"],
        filename=upload.name,
        by=request.user,
        dry_run=dry_run,
    )
    if result.ok and not result.dry_run:
        messages.success(request, result.summary())
        return redirect(engagement)
    return _detail(request, engagement, form, result, 200 if result.ok else 400)


@require_safe
@login_required
def upload_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The blank template of a kind, with one invented example row, as CSV (or XLSX with ?format=xlsx)."""
    require_consultancy(request)
    if kind not in UploadKind.values:
        raise Http404("No such template")
    file_format: ExportFormat = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    header, rows = imports.template_rows(kind)
    return export_response(header, rows, filename=f"{kind}-level-template", file_format=file_format, title=kind)


@require_safe
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_engagement(request, pk)
    return render(request, "consultancy/report.html", {"engagement": engagement, "report": build_report(engagement)})


@require_safe
@login_required
def report_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The report as a file; every export is written to the audit log. The HTML downloads at once; the PDF and
    the workbook take a while, so this page asks for them and a job makes them (``report_prepare``)."""
    engagement = get_engagement(request, pk)
    if file_format == "html":
        return exports.report_response(request, engagement, build_report(engagement), file_format)
    context = {"engagement": engagement, "file_format": file_format, "label": file_format.upper()}
    return render(request, "consultancy/report_prepare.html", context)


@require_POST
@login_required
def report_prepare(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    engagement = get_engagement(request, pk)
    job = tasks.start_report_export(engagement=engagement, file_format=file_format, by=request.user)
    return redirect(job)
