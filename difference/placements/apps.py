from __future__ import annotations

from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "difference.placements"
    label = "placements"
