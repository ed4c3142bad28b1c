"""Work for the jobs' own tests, importable by a worker process as any app's tasks are."""

from __future__ import annotations

import os
import time
from typing import Any

from difference.jobs.models import Job
from difference.jobs.runner import JobFailed, Reporter, job_task


@job_task
def count_steps(job: Job, report: Reporter, *, steps: int = 3, pause: float = 0.0, log_to: str = "") -> dict[str, Any]:
    """Report ``steps`` steps; with ``log_to``, append "<job id> <pid>" to that file once per run (O_APPEND, so
    runs in several processes never interleave a line)."""
    if log_to:
        fd = os.open(log_to, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{job.pk} {os.getpid()}\n".encode())
        finally:
            os.close(fd)
    for step in range(1, steps + 1):
        time.sleep(pause)
        report.progress(step, steps, unit="steps")
    report.message(f"Counted {steps} steps.")
    return {"summary": f"Counted {steps} steps.", "steps": steps}


@job_task
def refuse(job: Job, report: Reporter, *, reason: str) -> dict[str, Any]:
    raise JobFailed(reason)


@job_task
def crash(job: Job, report: Reporter) -> dict[str, Any]:
    raise RuntimeError("secret internal detail")


@job_task
def run_forever(job: Job, report: Reporter, *, started_file: str = "") -> dict[str, Any]:
    if started_file:
        with open(started_file, "w", encoding="utf-8") as fh:
            fh.write(str(os.getpid()))
    while True:
        time.sleep(0.05)
        report.progress(0)
