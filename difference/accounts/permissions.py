"""The API's side of the access kernel: DRF permission classes that ask the apps' own predicates, and an
object lookup that audits a miss outside the caller's scope, so the API refuses and audits as the pages do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from difference.accounts.mfa import needs_mfa_setup
from difference.accounts.policy import audit_out_of_scope, can, deny


class MfaSatisfied(BasePermission):
    """Token-authenticated calls bypass the MFA middleware, so the API checks it again."""

    message = "Set up two-factor authentication before using the API."

    def has_permission(self, request: Request, view: Any) -> bool:
        return not needs_mfa_setup(request.user)


class Allows(BasePermission):
    """``Allows.of(predicate)``: the API asks the same ``may_*`` predicate as the pages, and audits a refusal.

    An anonymous caller is refused without an audit event (DRF answers 401, as a page sends them to log in).
    """

    predicate: Callable[[Any], bool] = staticmethod(lambda user: False)
    reason: str = ""

    @classmethod
    def of(cls, predicate: Callable[[Any], bool], reason: str = "") -> type[Allows]:
        name = getattr(predicate, "__name__", "predicate")
        return type(f"Allows_{name}", (cls,), {"predicate": staticmethod(predicate), "reason": reason or name})

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if self.predicate(user):
            return True
        deny(request, reason=f"refused by {self.reason}")  # type: ignore[arg-type]
        return False


class HasCapability(Allows):
    """``HasCapability.of(Capability.X)``: the role check the pages make with ``require_capability``."""

    @classmethod
    def of(cls, capability: str, reason: str = "") -> type[Allows]:  # type: ignore[override]
        return Allows.of(lambda user: can(user, capability), reason=reason or f"role lacks {capability}")


class ScopedLookup:
    """For viewsets: the object comes from ``get_queryset()`` (the app's ``for_user``), and a miss on an object
    that exists outside the caller's scope is audited before the 404, exactly as the pages' lookup does."""

    def get_object(self) -> Any:
        try:
            return super().get_object()  # type: ignore[misc]
        except Http404:
            view: Any = self
            field = view.lookup_field
            value = view.kwargs.get(view.lookup_url_kwarg or field)
            model = view.get_queryset().model
            try:
                existing = model._base_manager.filter(**{field: value}).first()
            except (TypeError, ValueError, ValidationError):
                existing = None
            if existing is not None:
                audit_out_of_scope(view.request, existing)
            raise
