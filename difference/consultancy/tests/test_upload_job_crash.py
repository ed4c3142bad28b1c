"""A 50,000-row pupil file imported by a worker that is killed (``kill -9``) ten times at random points: after
each kill no row is kept and the job says why; run again, it imports every row exactly once."""

from __future__ import annotations

import random
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from difference.consultancy import tasks
from difference.consultancy.imports import PUPIL_COLUMNS
from difference.consultancy.models import DataUpload, PupilReturn
from difference.consultancy.tests.factories import EngagementFactory
from difference.jobs import services as jobs
from difference.jobs.models import Job, JobState
from difference.jobs.tests.workers import DATABASE_TASKS, start_worker, stop, wait_until
from difference.schools.tests.factories import SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 50_000
KILLS = 10


def _file(urns: list[int]) -> bytes:
    lines = [",".join(PUPIL_COLUMNS)]
    lines += [f"K{n:06d},{urns[n % len(urns)]},{7 + n % 5},none,no,white,{n % 3},no,320,{n % 40}" for n in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def _checked(job: Job) -> float:
    """The share of the file's rows the job has checked so far."""
    job.refresh_from_db()
    return job.progress_done / job.progress_total if job.progress_total else 0.0


def test_a_killed_import_keeps_no_rows_says_why_and_a_rerun_imports_every_row_once(settings):
    settings.TASKS = DATABASE_TASKS
    rng = random.Random(20221103)
    trust = TrustFactory()
    urns = [SchoolFactory(trust=trust).urn for _ in range(8)]
    engagement = EngagementFactory(trust=trust)
    upload = SimpleUploadedFile("pupils.csv", _file(urns), content_type="text/csv")
    job = tasks.start_upload(engagement=engagement, upload=upload, kind="pupil", by=None)

    for trial in range(KILLS):
        # Most kills land while rows are being checked, at a random point; some once writing has begun.
        writing = trial % 4 == 3
        point = rng.uniform(0.05, 0.95)
        worker = start_worker()
        try:
            if writing:
                wait_until(lambda: Job.objects.get(pk=job.pk).stage.startswith("Writing"), what="the write")
            else:
                wait_until(lambda point=point: _checked(job) >= point, what=f"{point:.0%} of the rows checked")
        finally:
            stop(worker, signal.SIGKILL)
        kept = PupilReturn.objects.filter(engagement=engagement).count()
        if kept == ROWS:
            # Killed between the commit and the job's own record: the file is in whole, and a re-run replaces it.
            assert DataUpload.objects.filter(engagement=engagement, replaced=False).count() == 1
        else:
            assert kept == 0 and not DataUpload.objects.filter(engagement=engagement).exists(), f"trial {trial}"
        # The next worker's check finds the job its dead worker left running.
        Job.objects.filter(pk=job.pk).update(heartbeat_at=Job.objects.get(pk=job.pk).started_at.replace(year=2000))
        assert jobs.reap_stale_jobs() == 1
        job.refresh_from_db()
        assert job.state == JobState.FAILED and "stopped before it finished" in job.error and job.input_file
        jobs.rerun_job(job=job)

    worker = start_worker()
    try:
        wait_until(lambda: Job.objects.get(pk=job.pk).state == JobState.DONE, timeout=600, what="the full import")
    finally:
        stop(worker)
    rows = PupilReturn.objects.filter(engagement=engagement)
    assert rows.count() == ROWS and rows.values("pupil_ref").distinct().count() == ROWS
    assert DataUpload.objects.filter(engagement=engagement, replaced=False).count() == 1
    job.refresh_from_db()
    assert job.attempts == KILLS + 1 and not job.input_file
