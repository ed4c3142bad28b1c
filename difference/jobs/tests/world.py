"""Jobs for the shared test ``world`` (conftest.py), as ``world.jobs`` (object kind ``job`` in the matrix):
``research_a`` (started by the research persona, about trust A, the trust partner's), ``programme_b`` (started
by the programme persona, about trust B), and ``failed_a`` (research's, about trust A, failed: it can run again)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from difference.jobs.models import JobState
from difference.jobs.tests.factories import JobFactory


def job_world(trusts: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    research_a = JobFactory(started_by=users["staff_research"], trust=trusts["trust_a"])
    research_a.result_file.save("report", ContentFile(b"%PDF-1.4 test"), save=False)
    research_a.result_file_name, research_a.result_content_type = "report.pdf", "application/pdf"
    research_a.save()
    return {
        "research_a": research_a,
        "programme_b": JobFactory(started_by=users["staff_programme"], trust=trusts["trust_b"]),
        "failed_a": JobFactory(
            started_by=users["staff_research"], trust=trusts["trust_a"], state=JobState.FAILED, error="stopped"
        ),
    }
