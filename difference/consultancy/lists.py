"""The consultancy engagements list as a file, for the staff who run them."""

from __future__ import annotations

from difference.consultancy.models import Engagement
from difference.core.exports import Cell
from difference.core.lists import Export


def _engagement_row(engagement: Engagement) -> list[Cell]:
    return [
        engagement.trust.name,
        engagement.trust.uid,
        engagement.title,
        engagement.academic_year,
        engagement.get_status_display(),
        getattr(engagement, "upload_count", None),
        engagement.created_at,
    ]


# The queryset must be the list page's: trust selected and ``upload_count`` annotated.
ENGAGEMENT_EXPORT = Export(
    name="engagements",
    header=("Trust", "Trust UID", "Engagement", "Academic year", "Status", "Uploads", "Started"),
    row=_engagement_row,
)
