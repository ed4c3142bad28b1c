"""Showing the report's estimates: always with n and interval, or the reason they are withheld."""

from __future__ import annotations

from decimal import Decimal

from django import template

from difference.core import numbers
from difference.core.stats import Estimate, Rate

register = template.Library()


@register.filter
def per_100(estimate: Estimate | None, decimals: int = 2) -> str:
    """ "0.12 per 100 pupils (6/5,000; 95% CI 0.05–0.26)"; "—" where there is no estimate."""
    if estimate is None:
        return "—"
    if isinstance(estimate, Rate):
        return estimate.per_100_text("pupils", decimals, "suspensions")
    return estimate.per_100_text("pupils", decimals)


@register.filter
def dfe_rate(rate: object) -> str:
    """A DfE rate per 100 with its basis marked: "0.11" or "0.11 (published)"; "not available" for none."""
    value = getattr(rate, "rate", None)
    if not isinstance(value, Decimal):
        return "not available"
    shown = numbers.rate(value)
    return f"{shown} (DfE's published rate)" if getattr(rate, "basis", "") == "published" else shown


@register.filter
def hundred(value: float | None, decimals: int = 2) -> str:
    return "—" if value is None else numbers.rate(value * 100, places=decimals)
