"""The items of work the home page lists: each app says what needs doing now in its own ``<app>/dashboard.py``.

An app contributes by defining ``items_for(user) -> list[DashboardItem]`` in a module named ``dashboard`` inside
its package; ``home`` finds those modules through the app registry, so an app adds its items without the home
view changing. Each item links to the page where the work is done, and each app decides what a user may see
with its own ``for_user`` and access helpers, the same ones its pages ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Urgency(IntEnum):
    """Most urgent first: the order the home page lists items in within a section."""

    NOW = 0
    SOON = 1
    INFO = 2

    @property
    def label(self) -> str:
        return {Urgency.NOW: "Needs doing now", Urgency.SOON: "Coming up", Urgency.INFO: "For information"}[self]


@dataclass(frozen=True)
class DashboardItem:
    """One thing to do or to follow: "3 leaders at risk", linking to where it is done.

    ``count`` is the number the title is about (``None`` when there is none to give); ``detail`` a line of
    explanation; ``done``/``total`` a progress bar ("3 of 10 readings done"); ``section`` the heading it is
    listed under on the home page (e.g. "Training")."""

    title: str
    url: str
    section: str
    count: int | None = None
    detail: str = ""
    urgency: Urgency = Urgency.SOON
    done: float | None = None
    total: float | None = None

    @property
    def has_progress(self) -> bool:
        return self.done is not None and bool(self.total)

    @property
    def percent(self) -> int:
        if not self.has_progress:
            return 0
        return min(100, round(100 * (self.done or 0) / (self.total or 1)))
