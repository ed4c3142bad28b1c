"""Consultancy work that runs in the background: large uploads and the report files."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from difference.consultancy import tasks
from difference.consultancy.models import Engagement, UploadKind
from difference.jobs import services as jobs
from difference.jobs.models import Job


def start_upload(*, engagement: Engagement, upload: UploadedFile, kind: str, by: Any) -> Job:
    """Queue a trust's file to be checked and stored by a job; the trust's partners can follow it."""
    label = UploadKind(kind).label.split(" (")[0]
    return jobs.start_job(
        task=tasks.upload_data_file,
        title=f"{label} file “{upload.name}” for {engagement}",
        kind="consultancy.upload",
        by=by,
        trust=engagement.trust,
        arguments={"engagement_id": engagement.pk, "kind": kind, "needs_input": True},
        upload=upload,
    )


def start_report_export(*, engagement: Engagement, file_format: str, by: Any) -> Job:
    return jobs.start_job(
        task=tasks.export_report,
        title=f"{file_format.upper()} report for {engagement}",
        kind=f"consultancy.report_{file_format}",
        by=by,
        trust=engagement.trust,
        arguments={"engagement_id": engagement.pk, "file_format": file_format},
    )
