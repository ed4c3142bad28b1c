"""Training's background work, and how it is started: a large file of register marks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File

from difference.jobs import services as jobs
from difference.jobs.models import Job
from difference.jobs.outcomes import import_result
from difference.jobs.runner import Reporter, job_task
from difference.training import imports


@job_task
def import_registers_file(job: Job, report: Reporter, **_: Any) -> dict[str, Any]:
    with job.input_file.open("rb") as handle:
        outcome = imports.import_registers(
            handle, filename=job.input_name, by=job.started_by, progress=report.as_progress()
        )
    return import_result(outcome)


def start_registers_import(*, upload: File, by: Any) -> Job:
    """Queue a file of register marks to be checked and written, all or nothing, by a job."""
    return jobs.start_job(
        task=import_registers_file,
        title=f"Register marks from “{Path(upload.name or 'file').name}”",
        kind="training.import_registers",
        by=by,
        arguments={"needs_input": True},
        upload=upload,
    )
