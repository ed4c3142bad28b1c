"""The consultancy's background work: a trust's large data files, and the report as PDF or XLSX."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from difference.accounts.audit import record
from difference.accounts.models import AuditAction
from difference.consultancy import exports, imports
from difference.consultancy.models import Engagement
from difference.consultancy.report import build_report
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
