from __future__ import annotations

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "difference.projects"
    label = "projects"
    verbose_name = "Research-action projects"
