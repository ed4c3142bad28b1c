from __future__ import annotations

from typing import Any

from django.db import transaction

from difference.people.models import ConsentRecord, Person


@transaction.atomic
def record_consent(*, person: Person, purpose: str, status: str, method: str, note: str = "", by: Any) -> ConsentRecord:
    """Append a consent statement; earlier statements stay as the history."""
    record = ConsentRecord(person=person, purpose=purpose, status=status, method=method, note=note, recorded_by=by)
    record.full_clean()
    record.save()
    return record
