"""Gathers every installed app's dashboard items for a user (see ``difference.core.dashboard``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps

from difference.core.dashboard import DashboardItem

ItemsFor = Callable[[Any], list[DashboardItem]]


@cache
def providers() -> tuple[ItemsFor, ...]:
    """``items_for`` of every installed app that has a ``dashboard`` module, in INSTALLED_APPS order."""
    found: list[ItemsFor] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.dashboard"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            # Only the module's own absence means "no dashboard": a broken import inside it must still fail loudly.
            if error.name != name:
                raise
            continue
        items_for = getattr(module, "items_for", None)
        if callable(items_for):
            found.append(items_for)
    return tuple(found)


@dataclass(frozen=True)
class Section:
    title: str
    items: list[DashboardItem]


def items_for(user: Any) -> list[DashboardItem]:
    """Every app's items for ``user``, most urgent first (apps' own order kept within an urgency)."""
    items = [item for provider in providers() for item in provider(user)]
    return sorted(items, key=lambda item: item.urgency)


def sections_for(user: Any) -> list[Section]:
    """The items grouped under their sections; a section comes where its most urgent item would."""
    grouped: dict[str, list[DashboardItem]] = {}
    for item in items_for(user):
        grouped.setdefault(item.section, []).append(item)
    return [Section(title, items) for title, items in grouped.items()]
