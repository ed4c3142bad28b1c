"""Staff exports of a round's applications.

The pipeline export is for running the round: who is at which stage and how they scored. It carries no
diversity data: that is special-category data, read row by row only by staff admin on audited pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.utils import timezone

from difference.core.exports import Cell, ExportFormat, safe_filename
from difference.recruitment.models import Application, RecruitmentRound

UK = ZoneInfo("Europe/London")
PIPELINE_HEADER = [
    "Reference",
    "First name",
    "Last name",
    "Email",
    "Stage",
    "Submitted at (UK time)",
    "Sift score",
    "Centre score",
    "Centre decision",
    "Offer status",
]


def pipeline_rows(recruitment_round: RecruitmentRound) -> tuple[list[str], Iterator[list[Cell]]]:
    """The header and, lazily, one row per application in the round (drafts included), by name."""
    applications = (
        Application.objects.filter(recruitment_round=recruitment_round)
        .select_related("person", "centre_decision", "offer")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    return list(PIPELINE_HEADER), (pipeline_row(application) for application in applications.iterator(chunk_size=500))


def pipeline_row(application: Application) -> list[Cell]:
    person = application.person
    # Reverse one-to-ones raise when absent; select_related has already fetched them, so hasattr costs nothing.
    decision = application.centre_decision if hasattr(application, "centre_decision") else None
    offer = application.offer if hasattr(application, "offer") else None
    submitted_at = application.submitted_at
    return [
        application.reference,
        person.first_name,
        person.last_name,
        person.email or "",
        application.get_stage_display(),
        # Written as the UK wall-clock time (spreadsheets have no time zones), whatever zone is active.
        timezone.localtime(submitted_at, UK).replace(tzinfo=None) if submitted_at else None,
        application.sift_score,
        application.centre_score,
        decision.get_decision_display() if decision else "",
        offer.get_status_display() if offer else "",
    ]


def pipeline_filename(recruitment_round: RecruitmentRound, file_format: ExportFormat) -> str:
    return safe_filename(f"pipeline-{recruitment_round.year}", file_format)
