"""Confidential supervision and coaching notes.

Reading goes through ``training.access.readable_notes`` (the leader, their coach and supervisor; staff admin,
audited). Writing is narrower still: the enrolment's coach writes coaching notes, its supervisor supervision notes,
and nobody else writes any.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from difference.training.models import Enrolment, NoteKind, SupervisionNote

if TYPE_CHECKING:
    from difference.accounts.models import User


def kinds_for(enrolment: Enrolment, user: Any) -> list[str]:
    """The kinds of note ``user`` may write on this enrolment: coaching as its coach, supervision as its
    supervisor; none for anyone else, staff included."""
    pk = getattr(user, "pk", None)
    if pk is None or not getattr(user, "is_active", False):
        return []
    kinds = []
    if enrolment.coach_id == pk:
        kinds.append(NoteKind.COACHING.value)
    if enrolment.supervisor_id == pk:
        kinds.append(NoteKind.SUPERVISION.value)
    return kinds


def add_note(*, enrolment: Enrolment, author: User, kind: str, held_on: dt.date, text: str) -> SupervisionNote:
    """Record a note of a conversation that has taken place. Refuses with ValidationError an author who is not the
    enrolment's coach (for coaching notes) or supervisor (for supervision notes), an empty note and a future date."""
    allowed = kinds_for(enrolment, author)
    if kind not in NoteKind.values:
        raise ValidationError({"kind": "Choose coaching or supervision."})
    if kind not in allowed:
        who = "coach" if kind == NoteKind.COACHING else "supervisor"
        raise ValidationError(
            f"Only this leader's {who} may write {NoteKind(kind).label.lower()} notes.", code="not_author"
        )
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Write the note."
    if held_on is None:
        errors["held_on"] = "Give the date of the conversation."
    elif held_on > timezone.localdate():
        errors["held_on"] = "The conversation cannot be in the future."
    if errors:
        raise ValidationError(errors)
    note = SupervisionNote(enrolment=enrolment, author=author, kind=kind, held_on=held_on, text=text.strip())
    note.full_clean()
    with transaction.atomic():
        note.save()
    return note
