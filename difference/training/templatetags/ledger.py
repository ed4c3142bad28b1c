from __future__ import annotations

from decimal import Decimal

from django import template

from difference.training.ledger import format_amount

register = template.Library()


@register.filter
def amount(value: Decimal, unit: str) -> str:
    """``{{ line.attended|amount:line.unit }}`` → "24.8 h" or "3 sessions"."""
    return format_amount(value, unit)


@register.filter
def bare_hours(value: Decimal) -> str:
    """``{{ ledger.hours_attended|bare_hours }} of {{ ledger.hours_required|amount:"hours" }}`` → "120 of 290 h"."""
    return format_amount(value, "hours").removesuffix(" h")


@register.filter
def percent_of(value: Decimal, total: Decimal) -> int:
    """A bar's fill: ``value`` as a whole percentage of ``total``, 0 to 100 (over-attendance fills the bar)."""
    if not total:
        return 100
    return max(0, min(100, round(100 * value / total)))
