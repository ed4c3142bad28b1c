"""Job pages: the list of recent jobs, and a page per job whose progress refreshes itself (htmx) until it ends."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from difference.accounts import audit
from difference.accounts.models import AuditAction
from difference.core.errors import errors_to_messages
from difference.core.lists import render_filtered_list
from difference.jobs import services
from difference.jobs.access import get_job, get_job_to_control, may_control_job, may_see_error_details, require_jobs
from difference.jobs.filters import JOB_EXPORT, JobFilterSet
from difference.jobs.models import Job


@require_safe
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    require_jobs(request)
    return render_filtered_list(
        request,
        queryset=Job.objects.for_user(request.user).select_related("started_by", "trust"),  # type: ignore[arg-type]
        filterset_class=JobFilterSet,
        ordering=("-created_at", "-pk"),
        template="jobs/job_list.html",
        partial="jobs/_job_rows.html",
        export=JOB_EXPORT,
    )


@require_safe
@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole page, or (for htmx's polling) only the status panel, which stops polling once the job ends."""
    job = get_job(request, pk)
    context = {
        "job": job,
        "show_detail": may_see_error_details(request.user),
        "may_control": may_control_job(request.user, job),
        "deliveries": job.deliveries.all()[:500],
    }
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, "jobs/_job_status.html", context)
    return render(request, "jobs/job_detail.html", context)


@require_POST
@login_required
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_to_control(request, pk)
    try:
        services.cancel_job(job=job)
        messages.success(request, "Cancelled: nothing the job was doing is kept.")
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(job)


@require_POST
@login_required
def job_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_to_control(request, pk)
    try:
        services.rerun_job(job=job)
        messages.success(request, "Queued again.")
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(job)


@require_safe
@login_required
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file the job produced: always a download, and audited as an export."""
    job = get_job(request, pk)
    if not job.result_file:
        raise Http404("This job produced no file")
    audit.record(AuditAction.EXPORT, request=request, obj=job, detail=f"job result: {job.result_file_name}")
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file_name or "result",
        content_type=job.result_content_type or "application/octet-stream",
    )
