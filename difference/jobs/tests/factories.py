from __future__ import annotations

import factory
from django.utils import timezone

from difference.jobs.models import Job, JobState


class JobFactory(factory.django.DjangoModelFactory):
    """A finished job, as its runner leaves one (nothing is queued)."""

    class Meta:
        model = Job

    kind = "consultancy.upload"
    title = factory.Sequence(lambda n: f"Pupil file {n}")
    task_path = "difference.jobs.tests.work.count_steps"
    state = JobState.DONE
    time_limit = 3600
    progress_done = 10
    progress_total = 10
    progress_unit = "rows"
    result = factory.LazyFunction(lambda: {"summary": "10 rows read, 10 written."})
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
