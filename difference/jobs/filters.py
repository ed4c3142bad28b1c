from __future__ import annotations

from typing import Any

import django_filters

from difference.core.exports import Cell
from difference.core.lists import Export
from difference.jobs.models import Job, JobState


class JobFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=JobState.choices)
    kind = django_filters.CharFilter(lookup_expr="exact")
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title contains")

    class Meta:
        model = Job
        fields = ["state", "kind", "q"]


def _job_row(job: Any) -> list[Cell]:
    return [
        job.title,
        job.kind,
        job.get_state_display(),
        job.progress_done,
        job.progress_total,
        job.progress_unit,
        job.started_by.get_username() if job.started_by else "",
        job.created_at,
        job.started_at,
        job.finished_at,
    ]


# Jobs as a file, for staff looking back over a term's imports and mailings; no job's arguments or file contents.
JOB_EXPORT = Export(
    name="jobs",
    header=("Job", "Kind", "State", "Done", "Total", "Unit", "Started by", "Queued", "Started", "Finished"),
    row=_job_row,
)
