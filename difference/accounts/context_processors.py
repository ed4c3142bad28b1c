from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.navigation import links_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"nav_links": links_for(user) if user is not None and user.is_authenticated else []}
