"""Who may follow which job: staff and trust partners have jobs; each sees those ``Job.objects.for_user`` gives."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.policy import can, get_scoped, is_active, require
from difference.accounts.roles import STAFF_ROLES, Capability, Role
from difference.jobs.models import Job


def may_follow_jobs(user: Any) -> bool:
    return can(user, Capability.FOLLOW_JOBS)


def may_see_error_details(user: Any) -> bool:
    """A traceback is for the charity's staff; everyone else reads the plain message."""
    return is_active(user) and user.role in STAFF_ROLES


def may_control_job(user: Any, job: Job) -> bool:
    """Cancelling or re-running: the person who started the job, or staff admin; a trust partner only watches."""
    return is_active(user) and (job.started_by_id == user.pk or user.role == Role.STAFF_ADMIN)


def require_jobs(request: HttpRequest) -> None:
    require(request, may_follow_jobs(request.user), reason=f"role lacks {Capability.FOLLOW_JOBS}")


def get_job(request: HttpRequest, pk: int) -> Job:
    require_jobs(request)
    base = Job.objects.select_related("started_by", "trust")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_job_to_control(request: HttpRequest, pk: int) -> Job:
    job = get_job(request, pk)
    require(request, may_control_job(request.user, job), reason="only who started a job, or staff admin, controls it")
    return job
