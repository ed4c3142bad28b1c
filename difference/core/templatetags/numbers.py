"""Template filters for the one number format (``{% load numbers %}``); the rules live in ``core/numbers.py``.

{{ value|rate }}            18.90        rate per 100, 2 decimals
{{ value|rate:1 }}          18.9         rate per 100, 1 decimal
{{ value|rate:"pupil" }}    6.27         a per-pupil fraction (0.06273) shown per 100
{{ value|percent }}         47% / 4.6%   whole unless under 10
{{ value|percent:"fraction" }}           0.47 -> 47%
{{ value|count }}           5,741        whole, with separators
{{ value|count:"estimated" }}  ≈5,741    a rounded estimate, marked
{{ value|decimal2 }}        0.06         any measure, at most 2 decimals
{{ value|signed }}          +1.25        a difference with its sign
"""

from __future__ import annotations

from django import template

from difference.core import numbers

register = template.Library()


def _text(value: object) -> str | None:
    """A word already standing in for a figure ("not available", "withheld") passes through unchanged."""
    if isinstance(value, str) and value.strip() and numbers.as_decimal(value) is None:
        return value
    return None


@register.filter(name="rate")
def rate(value: numbers.Number | str | None, arg: str | int | None = None) -> str:
    option = str(arg) if arg is not None else ""
    if (text := _text(value)) is not None:
        return text
    if option == "dfe":
        return numbers.published_rate(value)
    if option == "pupil":
        return numbers.rate(value, per_pupil=True)
    return numbers.rate(value, places=1 if option == "1" else 2)


@register.filter(name="percent")
def percent(value: numbers.Number | str | None, arg: str | None = None) -> str:
    if (text := _text(value)) is not None:
        return text
    return numbers.percent(value, fraction=arg == "fraction")


@register.filter(name="count")
def count(value: numbers.Number | str | None, arg: str | None = None) -> str:
    """``count:"estimated"`` marks the count "≈"; ``count:"auto"`` marks it only when it is fractional (DfE's
    older estimated counts, 565.079), since no head count has a fraction."""
    if (text := _text(value)) is not None:
        return text
    estimated = arg in ("estimated", "estimated_word")
    if arg == "auto":
        number = numbers.as_decimal(value)
        estimated = number is not None and number != number.to_integral_value()
    return numbers.count(value, estimated=estimated, word=arg == "estimated_word")


@register.filter(name="decimal2")
def decimal2(value: numbers.Number | str | None) -> str:
    if (text := _text(value)) is not None:
        return text
    return numbers.decimal2(value)


@register.filter(name="signed")
def signed(value: numbers.Number | str | None, arg: int | str = 2) -> str:
    try:
        places = int(arg)
    except (TypeError, ValueError):
        places = 2
    return numbers.signed(value, places=places)
