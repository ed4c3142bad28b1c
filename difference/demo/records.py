"""The demo's plain records: rows of one model with no workflow behind them (a programme, a cohort, a vacancy, a
membership…), which staff enter in the admin or a one-model form and no service exists for.

Each is validated with ``full_clean`` before it is saved, as the admin and the forms would validate it, so a demo
record that breaks a rule fails loudly; and it is saved only when it is new or differs, so a second load leaves
it as it is. Anything with a workflow goes through its app's services instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def upsert(
    model: type[M],
    *,
    match: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> M:
    """The row of ``model`` that ``match`` finds, created with ``values`` and ``defaults`` if there is none, or
    brought up to ``values`` if it differs (``defaults`` are for a new row only)."""
    values, defaults = values or {}, defaults or {}
    record = model._default_manager.filter(**match).first()
    if record is None:
        record = model(**match, **defaults, **values)
    elif all(_same(record, name, value) for name, value in values.items()):
        return record
    else:
        for name, value in values.items():
            setattr(record, name, value)
    record.full_clean()
    record.save()
    return record


def _same(record: models.Model, name: str, value: Any) -> bool:
    field = record._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        # Compared by key, so that checking a foreign key does not load the related row.
        return bool(getattr(record, field.attname) == (value.pk if isinstance(value, models.Model) else value))
    return bool(getattr(record, name) == value)
