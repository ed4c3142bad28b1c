"""Recruitment's background work, and how it is started: a large file of past applications."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.urls import reverse

from difference.jobs import services as jobs
from difference.jobs.models import Job
from difference.jobs.outcomes import import_result
from difference.jobs.runner import Reporter, job_task
from difference.recruitment import imports


@job_task
def import_applications_file(job: Job, report: Reporter, *, may_write_demographics: bool, **_: Any) -> dict[str, Any]:
    report.link(reverse("recruitment:round_list"), "Open the recruitment rounds")
    with job.input_file.open("rb") as handle:
        outcome = imports.import_applications(
            handle,
            filename=job.input_name,
            may_write_demographics=may_write_demographics,
            by=job.started_by,
            progress=report.as_progress(),
        )
    return import_result(outcome)


def start_applications_import(*, upload: File, by: Any, may_write_demographics: bool) -> Job:
    """Queue a file of past applications to be checked and written, all or nothing, by a job."""
    return jobs.start_job(
        task=import_applications_file,
        title=f"Past applications from “{Path(upload.name or 'file').name}”",
        kind="recruitment.import_applications",
        by=by,
        arguments={"may_write_demographics": may_write_demographics, "needs_input": True},
        upload=upload,
    )
