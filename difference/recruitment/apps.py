from __future__ import annotations

from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "difference.recruitment"
    label = "recruitment"
