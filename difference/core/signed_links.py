"""Signed links sent by email: the only credential of a public confirm or withdraw page.

A link carries its value signed with the secret key and a purpose-specific salt, so a link made for one
purpose never opens another, and a changed character makes it invalid. Whoever holds the link has
proved they can read mail at the address it was sent to, which is all these pages may ask.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing


class LinkError(Exception):
    """A link that cannot be used; ``message`` says why in words for the person who followed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sign(purpose: str, value: Any) -> str:
    return signing.dumps(value, salt=f"difference.link.{purpose}", compress=True)


def unsign(purpose: str, token: str, *, max_age: dt.timedelta | None = None) -> Any:
    """The value a link carries; raises ``LinkError`` when it is forged, damaged or older than ``max_age``."""
    try:
        return signing.loads(token, salt=f"difference.link.{purpose}", max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkError("This link has expired. Nothing has been changed.") from error
    except signing.BadSignature as error:
        raise LinkError(
            "This link is not valid: it may have been copied incompletely. Nothing has been changed."
        ) from error
