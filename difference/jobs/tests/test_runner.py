"""Jobs run in the test's own thread (the immediate backend): how a job starts, reports, ends and is recovered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.jobs import services
from difference.jobs.models import Job, JobState
from difference.jobs.tests import work


def _start(task, by=None, **arguments):
    return services.start_job(task=task, title="A test job", kind="test", by=by, arguments=arguments)


def test_a_job_runs_once_committed_and_keeps_its_progress_result_and_timings(db, django_capture_on_commit_callbacks):
    staff = UserFactory(role=Role.STAFF_PROGRAMME)
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(work.count_steps, by=staff, steps=4)
        assert job.state == JobState.QUEUED
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert (job.progress_done, job.progress_total, job.percent) == (4, 4, 100)
    assert job.result == {"summary": "Counted 4 steps.", "steps": 4}
    assert [entry["text"] for entry in job.log] == ["Counted 4 steps."]
    assert job.started_at <= job.finished_at and job.attempts == 1 and job.task_id


def test_a_failure_the_work_explains_is_shown_as_it_is(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(work.refuse, reason="Row 3: the school is not in the trust.")
    job.refresh_from_db()
    assert (job.state, job.error, job.error_detail) == (JobState.FAILED, "Row 3: the school is not in the trust.", "")


def test_an_unexpected_error_keeps_its_traceback_apart_from_the_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(work.crash)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "secret internal detail" not in job.error
    assert "RuntimeError: secret internal detail" in job.error_detail


def test_a_job_cancelled_while_queued_never_runs(db, tmp_path, django_capture_on_commit_callbacks):
    log = tmp_path / "runs.log"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _start(work.count_steps, log_to=str(log))
    services.cancel_job(job=job)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and not log.exists()


def test_a_job_over_its_time_limit_is_stopped_and_says_so(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(task=work.run_forever, title="Forever", kind="test", by=None, time_limit=1)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "time limit" in job.error


def test_a_running_job_whose_worker_stopped_beating_is_failed_with_a_message(db):
    now = timezone.now()
    stale = Job.objects.create(
        kind="test", title="Stale", task_path="x", time_limit=60, state=JobState.RUNNING, heartbeat_at=now
    )
    alive = Job.objects.create(
        kind="test", title="Alive", task_path="x", time_limit=60, state=JobState.RUNNING, heartbeat_at=now
    )
    Job.objects.filter(pk=stale.pk).update(heartbeat_at=now - dt.timedelta(minutes=5))
    assert services.reap_stale_jobs() == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.state == JobState.FAILED and "stopped before it finished" in stale.error
    assert alive.state == JobState.RUNNING
    assert services.reap_stale_jobs() == 0


def test_a_failed_job_runs_again_with_its_arguments(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(work.count_steps, steps=2)
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error="stopped")
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.rerun_job(job=job)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (JobState.DONE, 2, "")


def test_only_a_failed_job_can_be_run_again(db, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks(execute=True):
        job = _start(work.count_steps, steps=1)
    with pytest.raises(ValidationError):
        services.rerun_job(job=job)
