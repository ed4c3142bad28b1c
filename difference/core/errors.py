"""Showing a service's refusal (a ``ValidationError``) to the person who asked, on a form or as messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def errors_to_form(form: Any, error: ValidationError, field: str | None = None) -> None:
    """Field errors go by field; errors for fields the form does not have, and plain errors, go on ``field``
    (the top of the form by default), so a service's key that the form lacks never becomes a server error."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, error)


def errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)
