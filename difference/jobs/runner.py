"""Running a job: the wrapper every app's background task goes through.

An app writes its work as ``@job_task def do_it(job, report, **arguments) -> dict`` in its ``tasks.py``; the
wrapper claims the job (queued → running, at most once however many workers there are), keeps its heartbeat
while it runs, stops it at its time limit, and records how it ended. ``report`` is how the work tells people how
far it has got; those writes are made only outside a transaction, so they show while the work is still running.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError, close_old_connections, connection
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from difference.jobs.models import Job, JobState

logger = logging.getLogger(__name__)

# Set by the worker process, so a job records which worker ran it.
WORKER_ID = "inline"
# How often a running job's worker says it is alive.
HEARTBEAT_SECONDS = 5.0
# Progress is written at most this often (plus at the end), so a tight loop does not become a write loop.
PROGRESS_EVERY_SECONDS = 0.5


class JobFailed(Exception):
    """A failure the person who started the job should read: its message is shown as it is, and ``result`` (say,
    an import's faults row by row) beside it."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = result or {}


class JobCancelled(Exception):
    pass


class TimeLimitExceeded(Exception):
    pass


class Reporter:
    """What a job's work uses to say how far it has got, what it is doing, and what it produced."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_write = 0.0

    def _write(self, force: bool = False, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self.job, name, value)
        now = timezone.now().timestamp()
        # Inside the work's own transaction a write would stay invisible until it commits: keep it for later.
        if connection.in_atomic_block or (not force and now - self._last_write < PROGRESS_EVERY_SECONDS):
            return
        self._last_write = now
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=self.job.progress_done,
            progress_total=self.job.progress_total,
            progress_unit=self.job.progress_unit,
            stage=self.job.stage,
            log=self.job.log,
        )
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled()

    def progress(self, done: int, total: int | None = None, *, unit: str | None = None) -> None:
        fields: dict[str, Any] = {"progress_done": done}
        if total is not None:
            fields["progress_total"] = total
        if unit is not None:
            fields["progress_unit"] = unit
        self._write(force=total is not None and done >= total, **fields)

    def stage_is(self, text: str) -> None:
        self._write(force=True, stage=text[:120])

    def as_progress(self, unit: str = "rows") -> Callable[[str], None]:
        """An import's ``progress`` callback: each message becomes the job's stage, and a message that carries
        its figures ("Validated 100 of 250 rows") moves the bar."""

        def progress(message: str) -> None:
            done, total = getattr(message, "done", None), getattr(message, "total", None)
            if done is not None and total is not None:
                self._write(
                    force=done >= total,
                    stage=str(message)[:120],
                    progress_done=done,
                    progress_total=total,
                    progress_unit=unit,
                )
            else:
                self.stage_is(str(message))

        return progress

    def message(self, text: str) -> None:
        entry = {"at": timezone.now().isoformat(), "text": text[:500]}
        self._write(force=True, log=[*self.job.log, entry])

    def attach_file(self, name: str, content: bytes, content_type: str) -> None:
        """The file the job produced (a report), downloadable from its page by whoever may see the job."""
        self.job.result_file.save(name, ContentFile(content), save=False)
        self.job.result_file_name = name
        self.job.result_content_type = content_type

    def link(self, url: str, label: str) -> None:
        """A page the job produced or changed, linked from the job's page."""
        self.job.result_url = url
        self.job.result_link_label = label


class _Heartbeat:
    """One thread per process that stamps whichever job this process is running, every few seconds, on its own
    database connection (started on first use, so a process that runs no job has none)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job_id: int | None = None
        self._thread: threading.Thread | None = None

    def _beat(self) -> None:
        while True:
            time.sleep(HEARTBEAT_SECONDS)
            job_id = self._job_id
            if job_id is None:
                continue
            try:
                Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(heartbeat_at=timezone.now())
            except OperationalError:
                # SQLite is locked while the work commits; the next beat will do.
                close_old_connections()

    @contextlib.contextmanager
    def running(self, job_id: int) -> Iterator[None]:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._beat, name="job-heartbeat", daemon=True)
                self._thread.start()
        self._job_id = job_id
        try:
            yield
        finally:
            self._job_id = None


_heartbeat = _Heartbeat()


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop the work after ``seconds`` (an alarm in the worker's main thread; elsewhere, no limit is possible)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _finish(job: Job, state: str, **fields: Any) -> None:
    job.state = state
    job.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    if state != JobState.FAILED and job.input_file:
        # Done or cancelled: the uploaded file has served its purpose. A failed job keeps it, to be run again.
        job.input_file.delete(save=False)
    job.save()


def execute(job_id: int, work: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """Claim the job and run ``work`` on it; returns the job's result (also kept on the job)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now, worker_id=WORKER_ID, attempts=F("attempts") + 1
    )
    if not claimed:
        # Cancelled while queued, or already taken: never run a job twice at once.
        return {"skipped": True}
    job = Job.objects.get(pk=job_id)
    report = Reporter(job)
    try:
        with _heartbeat.running(job.pk), _time_limit(job.time_limit):
            result = work(job, report, **job.arguments)
    except JobCancelled:
        _finish(job, JobState.CANCELLED, stage="Cancelled", error="Cancelled at your request. Nothing was kept.")
        return {"cancelled": True}
    except TimeLimitExceeded:
        minutes = max(1, job.time_limit // 60)
        _finish(job, JobState.FAILED, error=f"Stopped after its time limit ({minutes} min). Nothing was kept.")
        return {"failed": True}
    except JobFailed as error:
        _finish(job, JobState.FAILED, error=str(error), result=error.result)
        return {"failed": True}
    except Exception as error:
        logger.exception("Job %s failed", job_id)
        _finish(
            job,
            JobState.FAILED,
            error="The job failed unexpectedly and nothing was kept. The charity's staff can see the details.",
            error_detail="".join(traceback.format_exception(error))[-20000:],
        )
        raise
    if job.progress_total is not None:
        job.progress_done = job.progress_total
    _finish(job, JobState.DONE, stage="Done", result=result)
    return result


def job_task(work: Callable[..., dict[str, Any]]) -> Any:
    """Make ``work(job, report, **arguments) -> dict`` a django-tasks task that takes a job's id."""

    @functools.wraps(work)
    def run(job_id: int) -> dict[str, Any]:
        return execute(job_id, work)

    # The task is stored by its module path: keep the work's own name, so the module attribute is this task.
    return task(queue_name=settings.DIFFERENCE_JOBS_QUEUE)(run)
