"""Where the site lives, for links in emails: emails are also sent from commands and background jobs,
which have no request to take a host from."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    return settings.DIFFERENCE_SITE_URL.rstrip("/") + path
