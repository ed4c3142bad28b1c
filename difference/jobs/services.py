"""Starting, cancelling, re-running and recovering jobs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from difference.jobs.models import FINISHED_STATES, Job, JobState

STOPPED_WORKER = (
    "The worker running this job stopped before it finished (it was stopped, or its machine restarted). "
    "Nothing it was writing was kept: run it again."
)


def _enqueue(job: Job) -> None:
    """Queue the job's task once the job's row is committed, so no worker looks for it too early."""

    def enqueue() -> None:
        from django.utils.module_loading import import_string

        result = import_string(job.task_path).enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)


def in_background(upload: File) -> bool:
    """Whether an upload is large enough to be imported by a job rather than in the request."""
    return (upload.size or 0) > settings.DIFFERENCE_BACKGROUND_IMPORT_BYTES


@transaction.atomic
def start_job(
    *,
    task: Any,
    title: str,
    kind: str,
    by: Any,
    trust: Any = None,
    arguments: dict[str, Any] | None = None,
    upload: File | None = None,
    time_limit: int | None = None,
) -> Job:
    """Record a job and queue its task. An uploaded file is kept (under a generated name) for the worker to read."""
    job = Job(
        kind=kind,
        title=title[:255],
        started_by=by if getattr(by, "pk", None) else None,
        trust=trust,
        task_path=task.module_path,
        arguments=arguments or {},
        time_limit=time_limit or settings.DIFFERENCE_JOB_TIME_LIMIT_SECONDS,
    )
    if upload is not None:
        job.input_name = Path(upload.name or "upload").name
        job.input_file.save("input", upload, save=False)
    job.save()
    _enqueue(job)
    return job


@transaction.atomic
def cancel_job(*, job: Job) -> Job:
    """A queued job is cancelled at once; a running one stops at its next progress report, keeping nothing."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.is_finished:
        raise ValidationError("This job has already finished.")
    if job.state == JobState.QUEUED:
        job.state = JobState.CANCELLED
        job.finished_at = timezone.now()
        job.stage = "Cancelled"
        if job.input_file:
            job.input_file.delete(save=False)
    job.cancel_requested = True
    job.save()
    return job


@transaction.atomic
def rerun_job(*, job: Job) -> Job:
    """Queue a failed job again, with the same arguments and file."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.state != JobState.FAILED:
        raise ValidationError("Only a failed job can be run again.")
    if job.arguments.get("needs_input") and not job.input_file:
        raise ValidationError("The file this job read is no longer kept: start it again from its page.")
    job.state = JobState.QUEUED
    job.error = job.error_detail = job.stage = ""
    job.progress_done = 0
    job.cancel_requested = False
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.save()
    _enqueue(job)
    return job


def reap_stale_jobs(*, now: dt.datetime | None = None) -> int:
    """Fail the running jobs whose worker has stopped beating: killed, or its machine gone. Returns how many.

    Safe to run from every worker at once: each job moves from running to failed in one conditional update.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.DIFFERENCE_JOB_STALE_SECONDS)
    reaped = 0
    for job in Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff):
        if Job.objects.filter(pk=job.pk, state=JobState.RUNNING, heartbeat_at__lt=cutoff).update(
            state=JobState.FAILED, finished_at=now, error=STOPPED_WORKER
        ):
            reaped += 1
            if job.task_id:
                DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(
                    status="FAILED", finished_at=now, traceback=STOPPED_WORKER
                )
    return reaped


def prune_finished_jobs(*, older_than_days: int, now: dt.datetime | None = None) -> int:
    """Delete finished jobs (and their files) older than ``older_than_days``; returns how many."""
    now = now or timezone.now()
    old = Job.objects.filter(state__in=FINISHED_STATES, finished_at__lt=now - dt.timedelta(days=older_than_days))
    count = 0
    for job in old:
        for field in (job.input_file, job.result_file):
            if field:
                field.delete(save=False)
        job.delete()
        count += 1
    return count
