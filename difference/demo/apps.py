from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo charity. The top floor: it may import every app, and no app imports it."""

    name = "difference.demo"
    label = "demo"
    verbose_name = "Demo charity"
