"""Questions about a user's second factor, asked by the middleware and the API."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_mfa_setup(user: Any) -> bool:
    """True for a logged-in user whose role requires MFA and who has no TOTP authenticator yet.

    allauth's login flow already asks for the code of anyone who has an
    authenticator, so "has one" also means "this session passed the MFA stage".
    """
    if user is None or not user.is_authenticated:
        return False
    return bool(getattr(user, "requires_mfa", False)) and not has_totp(user)
