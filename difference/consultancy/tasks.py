"""The consultancy's background work, and how it is started: a trust's large data files, and the report as
PDF or XLSX."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.urls import reverse

from difference.accounts.audit import record
from difference.accounts.models import AuditAction
from difference.consultancy import exports, imports
from difference.consultancy.models import Engagement, UploadKind
from difference.consultancy.report import build_report
from difference.jobs import services as jobs
from difference.jobs.models import Job
from difference.jobs.outcomes import import_result
from difference.jobs.runner import Reporter, job_task


@job_task
def upload_data_file(job: Job, report: Reporter, *, engagement_id: int, kind: str, **_: Any) -> dict[str, Any]:
    """Check and store a trust's file, all or nothing, as the upload page does for a small one."""
    engagement = Engagement.objects.select_related("trust").get(pk=engagement_id)
    report.link(reverse("consultancy:report", kwargs={"pk": engagement.pk}), "Open the report")
    with job.input_file.open("rb") as handle:
        outcome = imports.upload_data(
            engagement, handle, kind=kind, filename=job.input_name, by=job.started_by, progress=report.as_progress()
        )
    return import_result(outcome)


@job_task
def export_report(job: Job, report: Reporter, *, engagement_id: int, file_format: str) -> dict[str, Any]:
    """The report as a file, kept on the job for whoever may follow it; the export is audited in the name of the
    person who asked for it."""
    engagement = Engagement.objects.select_related("trust").get(pk=engagement_id)
    report.stage_is("Gathering the figures")
    built = build_report(engagement)
    report.stage_is(f"Drawing the {file_format.upper()}")
    export = exports.report_file(engagement, built, file_format)
    record(AuditAction.EXPORT, actor=job.started_by, obj=engagement, detail=export.audit_detail)
    report.attach_file(export.filename, export.content, export.content_type)
    report.link(reverse("consultancy:report", kwargs={"pk": engagement.pk}), "Open the report on screen")
    return {"summary": f"The {file_format.upper()} report is ready: {export.filename}."}


def start_upload(*, engagement: Engagement, upload: File, kind: str, by: Any) -> Job:
    """Queue a trust's file to be checked and stored by a job; the trust's partners can follow it."""
    label = UploadKind(kind).label.split(" (")[0]
    return jobs.start_job(
        task=upload_data_file,
        title=f"{label} file “{upload.name}” for {engagement}",
        kind="consultancy.upload",
        by=by,
        trust=engagement.trust,
        arguments={"engagement_id": engagement.pk, "kind": kind, "needs_input": True},
        upload=upload,
    )


def start_report_export(*, engagement: Engagement, file_format: str, by: Any) -> Job:
    return jobs.start_job(
        task=export_report,
        title=f"{file_format.upper()} report for {engagement}",
        kind=f"consultancy.report_{file_format}",
        by=by,
        trust=engagement.trust,
        arguments={"engagement_id": engagement.pk, "file_format": file_format},
    )
