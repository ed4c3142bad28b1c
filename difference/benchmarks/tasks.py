"""Benchmarks' background work: loading DfE statistics files (all or none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from difference.benchmarks.services import load_dfe_files
from difference.jobs import services as jobs
from difference.jobs.models import Job
from difference.jobs.runner import JobFailed, Reporter, job_task


@job_task
def load_dfe(job: Job, report: Reporter, *, paths: list[str]) -> dict[str, Any]:
    """The files are read where the worker runs: give paths it can reach (the shipped data, or shared storage)."""
    report.progress(0, len(paths), unit="files")
    say = report.as_progress(unit="rows")
    outcomes = load_dfe_files(paths=[Path(p) for p in paths], progress=say)
    summaries = [outcome.summary() for outcome in outcomes]
    if any(outcome.errors for outcome in outcomes):
        problems = [str(error) for outcome in outcomes for error in outcome.errors]
        raise JobFailed("Nothing loaded: " + " ".join(summaries), result={"problems": problems[:1000]})
    report.progress(len(paths), len(paths), unit="files")
    report.link(reverse("benchmarks:national_trends"), "Open the benchmarks")
    return {"summary": f"Loaded {len(outcomes)} DfE file{'s' if len(outcomes) != 1 else ''}.", "details": summaries}


def start_dfe_load(*, paths: list[Path], by: Any) -> Job:
    names = ", ".join(path.name for path in paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return jobs.start_job(
        task=load_dfe,
        title=f"DfE statistics: {names}",
        kind="benchmarks.load_dfe",
        by=by,
        arguments={"paths": [str(path.resolve()) for path in paths]},
    )
