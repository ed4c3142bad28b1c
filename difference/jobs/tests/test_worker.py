"""Real worker processes on the test database: jobs run there, at most once each however many workers there are,
a worker stops gracefully, and a worker killed mid-job leaves a failed job that says why."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from difference.jobs import services
from difference.jobs.models import Job, JobState
from difference.jobs.tests import work
from difference.jobs.tests.workers import DATABASE_TASKS, start_worker, stop, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued(settings):
    """Jobs are queued in the database, for the worker processes to claim."""
    settings.TASKS = DATABASE_TASKS
    settings.DIFFERENCE_JOB_STALE_SECONDS = 10

    def queue(task, **arguments) -> Job:
        return services.start_job(task=task, title="Worker test", kind="test", by=None, arguments=arguments)

    return queue


def _states(*jobs: Job) -> list[str]:
    return [Job.objects.get(pk=job.pk).state for job in jobs]


def test_a_worker_process_runs_a_queued_job_and_records_itself(queued, tmp_path):
    job = queued(work.count_steps, steps=2, log_to=str(tmp_path / "runs.log"))
    worker = start_worker("--worker-id", "test-worker-1")
    try:
        wait_until(lambda: _states(job) == [JobState.DONE], what="the job to finish")
    finally:
        stop(worker)
    job.refresh_from_db()
    assert job.worker_id == "test-worker-1" and job.result["steps"] == 2
    assert len((tmp_path / "runs.log").read_text().splitlines()) == 1


def test_three_workers_run_thirty_jobs_exactly_once_each(queued, tmp_path):
    log = tmp_path / "runs.log"
    jobs = [queued(work.count_steps, steps=1, pause=0.02, log_to=str(log)) for _ in range(30)]
    workers = [start_worker("--worker-id", f"w{n}") for n in range(3)]
    try:
        wait_until(lambda: set(_states(*jobs)) == {JobState.DONE}, what="every job to finish")
    finally:
        for worker in workers:
            stop(worker)
    runs = [line.split()[0] for line in log.read_text().splitlines()]
    assert sorted(runs) == sorted(str(job.pk) for job in jobs)
    assert len(set(Job.objects.filter(pk__in=[j.pk for j in jobs]).values_list("worker_id", flat=True))) >= 1


def test_sigterm_lets_the_running_job_finish_before_the_worker_stops(queued, tmp_path):
    job = queued(work.count_steps, steps=20, pause=0.1)
    worker = start_worker()
    try:
        wait_until(lambda: _states(job) == [JobState.RUNNING], what="the job to start")
    finally:
        output = stop(worker, signal.SIGTERM)
    assert worker.returncode == 0, output
    assert _states(job) == [JobState.DONE]


def test_a_worker_killed_mid_job_leaves_a_failed_job_that_the_next_worker_finds(queued, tmp_path):
    started = tmp_path / "started"
    job = queued(work.run_forever, started_file=str(started))
    worker = start_worker()
    try:
        wait_until(started.exists, what="the job to start")
    finally:
        stop(worker, signal.SIGKILL)
    assert _states(job) == [JobState.RUNNING]
    Job.objects.filter(pk=job.pk).update(heartbeat_at=Job.objects.get(pk=job.pk).heartbeat_at.replace(year=2000))
    survivor = start_worker()
    try:
        wait_until(lambda: _states(job) == [JobState.FAILED], what="the next worker to find the stopped job")
    finally:
        stop(survivor)
    job.refresh_from_db()
    assert "stopped before it finished" in job.error
    assert Path(started).read_text()
