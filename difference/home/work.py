"""Gathers every installed app's dashboard items for a user (see ``difference.core.dashboard``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from difference.core.dashboard import DashboardItem, contributors

ItemsFor = Callable[[Any], list[DashboardItem]]


def providers() -> tuple[ItemsFor, ...]:
    """``items_for`` of every installed app that has a ``dashboard`` module."""
    return contributors("items_for")


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
