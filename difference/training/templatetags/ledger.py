from __future__ import annotations

from decimal import Decimal

from django import template

from difference.training.ledger import format_amount

register = template.Library()


@register.filter
def amount(value: Decimal, unit: str) -> str:
    """``{{ line.attended|amount:line.unit }}`` → "24.8 h" or "3 sessions"."""
    return format_amount(value, unit)
