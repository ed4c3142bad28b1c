from __future__ import annotations

from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "difference.schools"
    label = "schools"
