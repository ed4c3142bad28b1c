"""DRF permission classes that apply the same rules as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from difference.accounts.mfa import needs_mfa_setup


class MfaSatisfied(BasePermission):
    """Token-authenticated calls bypass the MFA middleware, so the API checks it again."""

    message = "Set up two-factor authentication before using the API."

    def has_permission(self, request: Request, view: Any) -> bool:
        return not needs_mfa_setup(request.user)


class HasCapability(BasePermission):
    """Use as ``HasCapability.of(Capability.X)`` on a view."""

    capability: str = ""

    @classmethod
    def of(cls, capability: str) -> type[HasCapability]:
        return type(f"Has_{capability}", (cls,), {"capability": capability})

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.can(self.capability))  # type: ignore[union-attr]
