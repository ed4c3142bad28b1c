from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "difference.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        # Login auditing listens to Django's and allauth's authentication
        # signals: they are the only place every login path passes through.
        from difference.accounts import audit  # noqa: F401
