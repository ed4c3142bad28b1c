"""One number format for every page, chart, PDF and text export.

The conventions follow the DfE's statistical releases, so a figure reads the same here as in the source:

- rates per 100 (exclusion and suspension rates) to 2 decimals, or 1 where the caller says so;
- a rate stored per pupil (0.06273) is shown per 100 (6.27) when the caller asks, otherwise to 2 decimals;
- percentages whole, except under 10 where a whole number would hide the difference (4.6%, not 5%);
- counts of people as whole numbers with thousands separators; a count that is an estimate (a rate times a roll
  gives 5,741.02 exclusions) is rounded and marked "≈" so nobody reads it as a head count;
- a missing value is an en dash, never "None", "nan" or a blank that looks like zero.

Nothing here knows Django: templates use the filters in ``core/templatetags/numbers.py``, Python code calls these
functions. Rounding is half-up (as the DfE's tables), not Python's banker's rounding.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = int | float | Decimal
MISSING = "–"  # en dash, the DfE's and ONS's mark for "no figure"
ESTIMATED = "≈"
# Under this a percentage keeps one decimal: 4.6% and 5% are different stories.
SMALL_PERCENT = 10


def as_decimal(value: Number | str | None) -> Decimal | None:
    """The value as a finite Decimal, or None when there is no usable number (None, "", NaN, infinity, text)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number


def _fixed(number: Decimal, places: int) -> str:
    """Half-up rounding to ``places`` decimals with thousands separators; never "-0.00"."""
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{places}f}"


def decimal2(value: Number | str | None) -> str:
    """Any measure to at most 2 decimals: 18.89525 -> "18.90"."""
    number = as_decimal(value)
    return MISSING if number is None else _fixed(number, 2)


def rate(value: Number | str | None, *, places: int = 2, per_pupil: bool = False) -> str:
    """A rate per 100 pupils to the DfE's 2 decimals (or 1): 18.89525 -> "18.90".

    ``per_pupil=True`` says the stored value is a fraction of the roll (0.06273) and shows it per 100 ("6.27").
    """
    number = as_decimal(value)
    if number is None:
        return MISSING
    if per_pupil:
        number *= 100
    return _fixed(number, 1 if places == 1 else 2)


def published_rate(value: Number | str | None) -> str:
    """A DfE rate at DfE's own precision, capped at 2 decimals: absence's "26.4" stays 1 place, exclusions'
    "1.56409" becomes "1.56"."""
    number = as_decimal(value)
    if number is None:
        return MISSING
    exponent = number.as_tuple().exponent
    return rate(number, places=1 if isinstance(exponent, int) and exponent == -1 else 2)


def percent(value: Number | str | None, *, fraction: bool = False, sign: bool = True) -> str:
    """A percentage: whole numbers, one decimal under 10 ("4.6%", "47%"); ``fraction=True`` for 0.47 -> "47%"."""
    number = as_decimal(value)
    if number is None:
        return MISSING
    if fraction:
        number *= 100
    places = 1 if abs(number) < SMALL_PERCENT else 0
    text = _fixed(number, places)
    if places and text.endswith(".0") and abs(number) >= Decimal("9.95"):
        text = _fixed(number, 0)  # 9.96 rounds to 10.0: show it as the whole number it has become
    return f"{text}%" if sign else text


def count(value: Number | str | None, *, estimated: bool = False, word: bool = False) -> str:
    """A count as a whole number with thousands separators: 5741.02 -> "5,741".

    An estimated count (a rate times a roll) is marked "≈5,741", or "5,741 (estimated)" with ``word=True``
    where a symbol would be lost (screen readers, CSV). A fractional count not declared as an estimate is still
    rounded: a page must never show a fraction of a person.
    """
    number = as_decimal(value)
    if number is None:
        return MISSING
    text = _fixed(number, 0)
    if not estimated:
        return text
    return f"{text} (estimated)" if word else f"{ESTIMATED}{text}"


def signed(value: Number | str | None, *, places: int = 2) -> str:
    """A difference with its sign, to at most 2 decimals: +1.25, −0.40 (a true minus sign), 0.00."""
    number = as_decimal(value)
    if number is None:
        return MISSING
    text = _fixed(abs(number), min(max(places, 0), 2))
    if number.quantize(Decimal(1).scaleb(-min(max(places, 0), 2)), rounding=ROUND_HALF_UP) == 0:
        return text
    return f"+{text}" if number > 0 else f"−{text}"


def ratio(value: Number | str | None) -> str:
    """A ratio (risk ratio, rate ratio) to 2 decimals, as the disproportionality literature prints them."""
    return decimal2(value)


def is_number(value: object) -> bool:
    """True for a finite int, float or Decimal (not bool): what the formatters would show as a figure."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return math.isfinite(value) if isinstance(value, float) else as_decimal(value) is not None


def export_value(value: Number | str | None, *, places: int = 2) -> Number | str | None:
    """A number for a text export (CSV), rounded to at most 2 decimals; other values unchanged.

    A spreadsheet keeps the rounded number as a number (sortable); whole numbers stay ints.
    """
    if not is_number(value):
        return value
    assert value is not None and not isinstance(value, str)
    if isinstance(value, int):
        return value
    number = as_decimal(value)
    assert number is not None
    rounded = number.quantize(Decimal(1).scaleb(-min(max(places, 0), 2)), rounding=ROUND_HALF_UP)
    return float(rounded)
