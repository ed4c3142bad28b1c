"""Working out which DfE publication and layout a file is from its columns, and turning its rows into observations.

Only the exclusions/suspensions publication is known so far. Its EES tidy files come in two terminologies: before
2021 "fixed period exclusion" (``fixed_excl``, ``one_plus_fixed``), since then "suspension" (``suspension``,
``one_plus_susp``); both are loaded under the same measure names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from difference.benchmarks.reading import FileProblem

EXCLUSIONS = "Suspensions and permanent exclusions in England (formerly Permanent and fixed period exclusions)"
EES_METADATA = "EES metadata (.meta.csv)"

# DfE's symbols for values that are not available: suppressed, not applicable, not collected, low, unreliable.
SYMBOLS = {"x", "c", "z", ":", ".", "~", "low", "u", "..", "-", "n/a", "na"}
BLANK = "blank"

DENOMINATOR = ("headcount",)
# measure -> (numerator column names, published rate column names), newest name first.
MEASURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "permanent_exclusion_rate": (("perm_excl",), ("perm_excl_rate",)),
    "suspension_rate": (("suspension", "fixed_excl"), ("susp_rate", "suspension_rate", "fixed_excl_rate")),
    "one_plus_suspension_rate": (
        ("one_plus_susp", "one_plus_fixed"),
        ("one_plus_susp_rate", "one_plus_fixed_rate", "one_or_more_fixed_excl_rate"),
    ),
}

LEVELS = {"national": "National", "regional": "Regional", "local authority": "Local authority", "school": "School"}
LEVEL_ALIASES = {**{key: value for key, value in LEVELS.items()}, "region": "Regional", "la": "Local authority"}

EES_EXPECTED = "time_period, time_identifier, geographic_level, school_type, headcount, perm_excl, suspension"
SFR_MARKERS = {"year", "level"}
SFR_ALIASES = {"year": "time_period", "level": "geographic_level"}

# Columns read when present, besides the measures'.
OPTIONAL = (
    "time_identifier", "country_code", "country_name", "region_code", "region_name", "old_la_code", "la_code",
    "new_la_code", "la_name", "laestab", "urn", "school_name", "characteristic",
)  # fmt: skip


class LayoutNotSupported(FileProblem):
    """A layout we recognise but cannot load yet."""


@dataclass(frozen=True)
class Layout:
    publication: str
    name: str
    # measure -> (numerator column, published rate column or "")
    measures: dict[str, tuple[str, str]]
    columns: list[str]


def identify(columns: Sequence[str], name: str) -> Layout:
    """The publication and layout the header belongs to; FileProblem naming what was expected otherwise."""
    cols = set(columns)
    if {"col_name", "col_type"} <= cols:
        return Layout("", EES_METADATA, {}, [])
    sfr = SFR_MARKERS <= cols
    if sfr:
        # DfE's pre-EES "SFR" underlying data: year/level for time_period/geographic_level, and the pupil
        # characteristic spread over characteristic_1, characteristic_2, ...
        cols = {SFR_ALIASES.get(c, c) for c in cols}
    if not {"time_period", "geographic_level"} <= cols:
        raise FileProblem(
            f"{name} is not a DfE statistics file this loader knows: expected the EES tidy layout ({EES_EXPECTED}, "
            f"...) or the older SFR layout (year, level, ...); its columns are: {', '.join(list(columns)[:12])}."
        )
    measures = {}
    for measure, (numerators, rates) in MEASURES.items():
        numerator = next((c for c in numerators if c in cols), None)
        if numerator:
            measures[measure] = (numerator, next((c for c in rates if c in cols), ""))
    missing = [c for c in ("school_type", *DENOMINATOR) if c not in cols]
    if "permanent_exclusion_rate" not in measures or "suspension_rate" not in measures or missing:
        if sfr:
            raise LayoutNotSupported(
                f"{name} is in DfE's older SFR layout (year, level, ...) but without the columns school_type, "
                "headcount, perm_excl and fixed_excl: its wide per-characteristic form (e.g. Gender_male columns) is "
                f"recognised but not supported yet. Expected the EES tidy layout: {EES_EXPECTED}, ..."
            )
        raise FileProblem(
            f"{name} is an EES tidy file but not one of the exclusions/suspensions files this loader knows: expected "
            f"the columns {EES_EXPECTED} (or fixed_excl for suspension, as before 2021)."
        )
    terminology = "suspension" if measures["suspension_rate"][0] == "suspension" else "fixed period exclusion"
    wanted = ["year", "level"] if sfr else ["time_period", "geographic_level"]
    wanted += ["school_type", *DENOMINATOR, *(c for c in OPTIONAL if c in cols)]
    wanted += sorted(c for c in cols if re.fullmatch(r"characteristic_\d+", c))
    wanted += [c for pair in measures.values() for c in pair if c]
    layout = f"SFR ({terminology} terminology)" if sfr else f"EES tidy ({terminology} terminology)"
    return Layout(EXCLUSIONS, layout, measures, wanted)


def academic_year(value: str) -> str | None:
    """ "201617", "2016/17", "2016/2017" or "2016-17" as "2016/17"; None if it is not one academic year."""
    match = re.fullmatch(r"(\d{4})\s*[/-]?\s*(\d{2}|\d{4})", value.strip())
    if not match:
        return None
    start, end = int(match[1]), int(match[2][-2:])
    if (start + 1) % 100 != end:
        return None
    return f"{start}/{end:02d}"


def level_name(value: str) -> str | None:
    return LEVEL_ALIASES.get(" ".join(value.strip().lower().split()))


def school_type_name(value: str) -> str:
    value = " ".join(value.split())
    return value[:1].upper() + value[1:]


@dataclass(frozen=True)
class Value:
    number: Decimal | None
    status: str


def parse_value(raw: str | None) -> Value:
    """A number, or a DfE symbol / blank as "not available". ValueError for anything else."""
    text = (raw or "").strip()
    if not text:
        return Value(None, BLANK)
    if text.lower() in SYMBOLS:
        return Value(None, text.lower())
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return Value(number, "")


def count_value(raw: str | None) -> tuple[int | None, str]:
    """A whole, non-negative count (a denominator), or None and the DfE symbol."""
    value = numerator_value(raw)
    if value[0] is not None and value[0] != value[0].to_integral_value():
        raise _Skip("is not a whole number", raw or "")
    return (None if value[0] is None else int(value[0])), value[1]


def numerator_value(raw: str | None) -> tuple[Decimal | None, str]:
    """A non-negative count, fractional allowed (DfE's older estimated counts), or None and the DfE symbol."""
    try:
        value = parse_value(raw)
    except ValueError:
        raise _Skip("is neither a number nor a DfE symbol (x, c, z, :, ., ~, low, u)", raw or "") from None
    if value.number is not None and value.number < 0:
        raise _Skip("is negative", raw or "")
    return value.number, value.status


@dataclass
class ParsedRow:
    time_period: str
    geographic_level: str
    area_code: str
    old_la_code: str
    area_name: str
    school_type: str
    characteristic: str
    # measure -> (numerator, numerator status, rate, rate status)
    values: dict[str, tuple[Decimal | None, str, Decimal | None, str]]
    denominator: int | None
    denominator_status: str


@dataclass
class Parsed:
    rows: list[ParsedRow] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    # reason -> the first offending value, to show alongside the count
    examples: dict[str, str] = field(default_factory=dict)
    rate_decimals: int = 2
    rounded_levels: set[str] = field(default_factory=set)


def parse_rows(layout: Layout, rows: Sequence[tuple[str | None, ...]]) -> Parsed:
    """Every row as a ParsedRow, or skipped with a reason; which levels' counts are rounded; the rates' rounding."""
    parsed = Parsed()
    position = {column: index for index, column in enumerate(layout.columns)}
    decimals = 0
    for row in rows:
        record = {SFR_ALIASES.get(column, column): (row[index] or "").strip() for column, index in position.items()}
        parts = [record[c] for c in sorted(record) if c.startswith("characteristic_") and record[c]]
        if parts:
            record["characteristic"] = " ".join(p for p in parts if p.lower() != "total") or "Total"
        try:
            item = _parse_row(layout, record)
        except _Skip as skip:
            parsed.skipped[skip.reason] += 1
            parsed.examples.setdefault(skip.reason, skip.example)
            continue
        for _, _, rate, _ in item.values.values():
            if rate is not None:
                decimals = max(decimals, -int(rate.as_tuple().exponent))
        parsed.rows.append(item)
    parsed.rate_decimals = decimals or 2
    parsed.rounded_levels = _rounded_levels(parsed.rows)
    return parsed


class _Skip(Exception):
    def __init__(self, reason: str, example: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.example = example

    def in_column(self, column: str) -> _Skip:
        return _Skip(f"{column} {self.reason}", self.example)


def _parse_row(layout: Layout, record: dict[str, str]) -> ParsedRow:
    period = academic_year(record["time_period"])
    if period is None:
        raise _Skip("time_period is not an academic year such as 201617 or 2016/17", record["time_period"])
    identifier = record.get("time_identifier", "academic year").lower()
    if identifier and identifier != "academic year":
        raise _Skip("time_identifier is not “Academic year”", record["time_identifier"])
    level = level_name(record["geographic_level"])
    if level is None:
        raise _Skip(f"geographic_level is not one of {', '.join(LEVELS.values())}", record["geographic_level"])
    code, name = _area(level, record)
    old_code = next((c for c in (record.get("old_la_code", ""), record.get("la_code", "")) if OLD_CODE.match(c)), "")
    column = "headcount"
    try:
        denominator, denominator_status = count_value(record[column])
        values = {}
        for measure, (numerator_column, rate_column) in layout.measures.items():
            column = numerator_column
            numerator, numerator_status = numerator_value(record[numerator_column])
            column = rate_column
            rate = numerator_value(record[rate_column]) if rate_column else (None, BLANK)
            values[measure] = (numerator, numerator_status, rate[0], rate[1])
    except _Skip as skip:
        raise skip.in_column(column) from None
    return ParsedRow(
        time_period=period,
        geographic_level=level,
        area_code=code,
        old_la_code=old_code,
        area_name=name,
        school_type=school_type_name(record["school_type"]) or "Total",
        characteristic=record.get("characteristic") or "Total",
        values=values,
        denominator=denominator,
        denominator_status=denominator_status,
    )


ONS_CODE = re.compile(r"[EWSN]\d{8}\Z")
OLD_CODE = re.compile(r"\d{3}\Z")


def _area(level: str, record: dict[str, str]) -> tuple[str, str]:
    if level == "National":
        return record.get("country_code", ""), record.get("country_name", "") or "England"
    if level == "Regional":
        return record.get("region_code", ""), record.get("region_name", "")
    if level == "Local authority":
        # Former LAs (e.g. Cheshire before 2009) have no ONS code: DfE writes "x" there, so fall back to the old code.
        new_code = next(
            (c for c in (record.get("new_la_code", ""), record.get("la_code", "")) if ONS_CODE.match(c)), ""
        )
        old_code = next(
            (c for c in (record.get("old_la_code", ""), record.get("la_code", "")) if OLD_CODE.match(c)), ""
        )
        return new_code or old_code, record.get("la_name", "")
    return record.get("urn") or record.get("laestab", ""), record.get("school_name", "")


# Fewer non-zero counts than this at a level are too few to tell rounding from chance.
MIN_COUNTS_FOR_ROUNDING = 10


def _rounded_levels(rows: list[ParsedRow]) -> set[str]:
    """The levels at which every non-zero count is a multiple of 5: DfE rounded them (as its national tables do)."""
    seen: Counter[str] = Counter()
    unrounded: set[str] = set()
    for row in rows:
        counts: list[Decimal | int | None] = [row.denominator, *(values[0] for values in row.values.values())]
        for count in counts:
            if count:
                seen[row.geographic_level] += 1
                if count % 5:
                    unrounded.add(row.geographic_level)
    return {level for level, n in seen.items() if n >= MIN_COUNTS_FOR_ROUNDING and level not in unrounded}


def observation_fields(parsed: Parsed) -> Iterator[dict[str, Any]]:
    for row in parsed.rows:
        rounded = row.geographic_level in parsed.rounded_levels
        for measure, (numerator, numerator_status, rate, rate_status) in row.values.items():
            yield {
                "time_period": row.time_period,
                "geographic_level": row.geographic_level,
                "area_code": row.area_code,
                "old_la_code": row.old_la_code,
                "area_name": row.area_name,
                "school_type": row.school_type,
                "characteristic": row.characteristic,
                "measure": measure,
                "numerator": numerator,
                "numerator_status": numerator_status,
                "denominator": row.denominator,
                "denominator_status": row.denominator_status,
                "published_rate": rate,
                "published_rate_status": rate_status,
                "counts_rounded": rounded,
            }
