"""API plumbing shared by every app's ``api.py``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def service_error_body(error: DjangoValidationError) -> dict[str, Any]:
    """The one shape of a refused service call in every app: the whole message, and the messages by field."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    errors = {("non_field_errors" if field == NON_FIELD_ERRORS else field): list(m) for field, m in by_field.items()}
    return {"detail": " ".join(error.messages), "errors": errors}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """A Django ``ValidationError`` raised by a service (a rule it refused) is a 400 with one body in every app;
    everything else is DRF's own handling."""
    if isinstance(exc, DjangoValidationError):
        return Response(service_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class ServiceErrorSerializer(serializers.Serializer):
    """For the schema: the body of a 400 from a service's rule (see ``service_error_body``)."""

    detail = serializers.CharField()
    # DRF's metaclass takes declared fields out of the class body, so this does not shadow ``Serializer.errors``.
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]
