"""An import's outcome as a job keeps it: the summary and details on success; on faults, a failure whose message
is the summary and whose result lists the faults row by row (the first thousand, and how many more)."""

from __future__ import annotations

from typing import Any

from difference.core.imports import ImportOutcome
from difference.jobs.runner import JobFailed

MAX_PROBLEMS = 1000


def import_result(outcome: ImportOutcome) -> dict[str, Any]:
    """The job's result for an import that wrote (or, in a dry run, would write) its rows; raises ``JobFailed``
    for one with faults, which wrote nothing."""
    result: dict[str, Any] = {
        "summary": outcome.summary(),
        "details": outcome.details(),
        "rows_read": outcome.rows_read,
        "rows_written": outcome.rows_written,
    }
    if outcome.errors:
        result["problems"] = [str(error) for error in outcome.errors[:MAX_PROBLEMS]]
        result["more_problems"] = max(0, len(outcome.errors) - MAX_PROBLEMS)
        raise JobFailed(outcome.summary(), result=result)
    return result
