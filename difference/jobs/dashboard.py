"""Jobs' items on the home page: the background jobs the user follows that are still queued or running."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from difference.core.dashboard import DashboardItem, Urgency
from difference.jobs.access import may_follow_jobs
from difference.jobs.models import Job, JobState

SECTION = "Background jobs"
LISTED = 5


def items_for(user: Any) -> list[DashboardItem]:
    if not may_follow_jobs(user):
        return []
    running = Job.objects.for_user(user).unfinished().order_by("-pk")
    items = []
    for job in running[:LISTED]:
        percent = job.percent
        items.append(
            DashboardItem(
                title=f"{job.title}: {job.get_state_display().lower()}",
                detail=f"{percent}% done." if percent is not None else "",
                url=job.get_absolute_url(),
                section=SECTION,
                urgency=Urgency.INFO,
                done=percent if job.state == JobState.RUNNING and percent is not None else None,
                total=100 if job.state == JobState.RUNNING and percent is not None else None,
            )
        )
    more = running.count() - len(items)
    if more > 0:
        items.append(
            DashboardItem(
                title=f"{more} more job{'s' if more != 1 else ''} unfinished",
                count=more,
                url=reverse("jobs:job_list"),
                section=SECTION,
                urgency=Urgency.INFO,
            )
        )
    return items
