"""Two-factor enforcement for the roles that can see other people's data."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from difference.accounts.mfa import needs_mfa_setup

# Paths a user who still has to set up MFA may use: the setup pages themselves
# (allauth's 2fa views, which also ask for reauthentication), logging out,
# static assets and the health check.
_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/static/",
    "/healthz",
)


class RequireMfaMiddleware:
    """Send users whose role requires MFA to the TOTP setup page until they have set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_mfa_setup(request.user) and not request.path.startswith(_ALLOWED_PREFIXES):
            if request.path.startswith(("/api/v1/", "/api/schema/")):
                return JsonResponse({"detail": "Set up two-factor authentication before using the API."}, status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
