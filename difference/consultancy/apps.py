from __future__ import annotations

from django.apps import AppConfig


class ConsultancyConfig(AppConfig):
    name = "difference.consultancy"
    label = "consultancy"
    verbose_name = "MAT consultancy"
