from __future__ import annotations

from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "difference.careers"
    label = "careers"
    verbose_name = "Alumni careers"
