"""What each app adds to the pages that gather every app: its own ``<app>/dashboard.py``.

An app contributes by defining, in a module named ``dashboard`` inside its package,

* ``items_for(user) -> list[DashboardItem]``: what needs doing now, for the home page;
* ``person_sections(user, person) -> list[PersonSection]``: its part of a person's story, for their page.

``contributors`` finds those functions through the app registry (no static import, so ``core`` still knows no
domain app), so an app adds its part without the gathering views changing. Each item and section links to the
app's own page, and each app decides what a user may see with its own ``for_user`` and access helpers, the same
ones its pages ask.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache
from types import ModuleType
from typing import Any

from django.apps import apps


@cache
def dashboard_modules() -> tuple[ModuleType, ...]:
    """The ``dashboard`` module of every installed app that has one, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.dashboard"
        if name == __name__:  # This module gathers the others; it contributes nothing itself.
            continue
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            # Only the module's own absence means "no dashboard": a broken import inside it must still fail loudly.
            if error.name != name:
                raise
    return tuple(found)


def contributors(attribute: str) -> tuple[Callable[..., Any], ...]:
    """Each app's function named ``attribute`` (``items_for``, ``person_sections``), where it defines one."""
    return tuple(
        getattr(module, attribute) for module in dashboard_modules() if callable(getattr(module, attribute, None))
    )


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


@dataclass(frozen=True)
class PersonSection:
    """One app's part of a person's page, drawn by the app's own ``template`` with ``context``; ``url`` is the
    app's page for it. ``order`` puts the story in the order it happens (application, placement, training)."""

    title: str
    template: str
    url: str = ""
    link_text: str = ""
    order: int = 50
    context: dict[str, Any] = field(default_factory=dict)


def person_sections(user: Any, person: Any) -> list[PersonSection]:
    """Every app's sections of ``person``'s story that ``user`` may see, in story order."""
    sections = [section for contribute in contributors("person_sections") for section in contribute(user, person)]
    return sorted(sections, key=lambda section: section.order)
