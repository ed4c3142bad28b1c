"""Consultancy for the shared test ``world`` (conftest.py), as ``world.consultancy``: an engagement with the trust
partner's trust (A), ``own``, and one with another trust (B), ``other`` (object kind ``engagement``)."""

from __future__ import annotations

from typing import Any

from difference.consultancy.tests.factories import EngagementFactory


def consultancy_world(trusts: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    return {
        "own": EngagementFactory(trust=trusts["trust_a"], created_by=users["staff_research"]),
        "other": EngagementFactory(trust=trusts["trust_b"], title="Attendance review"),
    }
