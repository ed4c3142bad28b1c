"""Working out which DfE publication and layout a file is from its columns, and turning its rows into observations.

The publications this loader knows are listed in ``PUBLICATIONS``, each with the columns that identify it and its
measures as numerator column / denominator column / published-rate column:

- suspensions and permanent exclusions: EES tidy files in two terminologies, before 2021 "fixed period exclusion"
  (``fixed_excl``, ``one_plus_fixed``), since then "suspension" (``suspension``, ``one_plus_susp``), both loaded
  under the same measure names; also DfE's older long SFR layout (``year``, ``level``, ``characteristic_1``...);
- pupil absence (sessions missed per 100 possible, persistent absentees per 100 enrolments), full year or by term
  (the term is carried in ``characteristic``: "Autumn term", ..., the full year "Total");
- key stage 4 destination measures, whose counts and percentages come on paired rows (``data_type``);
- alternative provision counts (the AP census and school-arranged AP), which DfE publishes without rates: they load
  as count measures (no denominator) so that they can be listed, never as a rate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from difference.core.files import FileProblem

EXCLUSIONS = "Suspensions and permanent exclusions in England (formerly Permanent and fixed period exclusions)"
ABSENCE = "Pupil absence in schools in England"
DESTINATIONS = "Key stage 4 destination measures"
AP_CENSUS = "Schools, pupils and their characteristics: alternative provision census (LA-arranged AP)"
SCHOOL_ARRANGED_AP = "Schools, pupils and their characteristics: school-arranged alternative provision"
EES_METADATA = "EES metadata (.meta.csv)"

# DfE's symbols for values that are not available: suppressed, not applicable, not collected, low, unreliable.
SYMBOLS = {"x", "c", "z", ":", ".", "~", "low", "u", "..", "-", "n/a", "na"}
BLANK = "blank"
# The status stored as a count measure's denominator: DfE's "not applicable".
NO_DENOMINATOR = "z"


@dataclass(frozen=True)
class Measure:
    """One measure: the columns that may hold its numerator, denominator and DfE's rate, newest name first."""

    name: str
    numerators: tuple[str, ...]
    # Empty for a count DfE publishes without a rate (the AP files).
    denominators: tuple[str, ...] = ()
    rates: tuple[str, ...] = ()

    @property
    def is_count(self) -> bool:
        return not self.denominators


@dataclass(frozen=True)
class Pairing:
    """Counts and percentages published on two rows told apart by one column (KS4 destinations' ``data_type``)."""

    column: str
    counts: str
    rates: str


@dataclass(frozen=True)
class Publication:
    title: str
    # Every group must have one of its columns present for a file to be of this publication.
    signature: tuple[tuple[str, ...], ...]
    measures: tuple[Measure, ...]
    # Columns joined (their "Total" parts left out) into school_type and characteristic; "Total" if none.
    school_type: tuple[str, ...] = ("school_type",)
    characteristic: tuple[str, ...] = ()
    separator: str = ": "
    pairing: Pairing | None = None

    def expected(self) -> str:
        return ", ".join(" or ".join(group) for group in self.signature)


EXCLUSIONS_PUBLICATION = Publication(
    title=EXCLUSIONS,
    signature=(("school_type",), ("headcount",), ("perm_excl",), ("suspension", "fixed_excl")),
    measures=(
        Measure("permanent_exclusion_rate", ("perm_excl",), ("headcount",), ("perm_excl_rate",)),
        Measure(
            "suspension_rate",
            ("suspension", "fixed_excl"),
            ("headcount",),
            ("susp_rate", "suspension_rate", "fixed_excl_rate"),
        ),
        Measure(
            "one_plus_suspension_rate",
            ("one_plus_susp", "one_plus_fixed"),
            ("headcount",),
            ("one_plus_susp_rate", "one_plus_fixed_rate", "one_or_more_fixed_excl_rate"),
        ),
    ),
    characteristic=("characteristic",),
)

# Rates per 100 sessions possible (absence) and per 100 enrolments (persistent absence: missing 10% or more).
ABSENCE_PUBLICATION = Publication(
    title=ABSENCE,
    signature=(("school_type",), ("sess_possible",), ("sess_overall",)),
    measures=(
        Measure("overall_absence_rate", ("sess_overall",), ("sess_possible",), ("sess_overall_percent",)),
        Measure("authorised_absence_rate", ("sess_authorised",), ("sess_possible",), ("sess_authorised_percent",)),
        Measure(
            "unauthorised_absence_rate", ("sess_unauthorised",), ("sess_possible",), ("sess_unauthorised_percent",)
        ),
        Measure(
            "persistent_absence_rate",
            ("enrolments_pa_10_exact",),
            ("enrolments",),
            ("enrolments_pa_10_exact_percent",),
        ),
    ),
    characteristic=("term",),
)

# Sustained destinations per 100 pupils in the KS4 cohort; the "Percentage" row's value is DfE's rate.
DESTINATIONS_PUBLICATION = Publication(
    title=DESTINATIONS,
    signature=(("data_type",), ("cohort",), ("overall",), ("institution_group",), ("breakdown_topic",)),
    measures=(
        Measure("sustained_destination_rate", ("overall",), ("cohort",), ("overall",)),
        Measure("sustained_education_rate", ("education",), ("cohort",), ("education",)),
        Measure("sustained_apprenticeship_rate", ("appren",), ("cohort",), ("appren",)),
        Measure("sustained_employment_rate", ("all_work",), ("cohort",), ("all_work",)),
        Measure("not_sustained_rate", ("all_notsust",), ("cohort",), ("all_notsust",)),
    ),
    school_type=("institution_group", "institution_type"),
    characteristic=("breakdown_topic", "breakdown"),
    pairing=Pairing("data_type", counts="number of pupils", rates="percentage"),
)

AP_CENSUS_PUBLICATION = Publication(
    title=AP_CENSUS,
    signature=(("number_of_pupils",), ("gender",), ("age",)),
    measures=(Measure("la_arranged_ap_pupils", ("number_of_pupils",)),),
    school_type=(),
    characteristic=("gender", "age", "ethnicity_minor", "fsm"),
    separator=", ",
)

SCHOOL_ARRANGED_AP_PUBLICATION = Publication(
    title=SCHOOL_ARRANGED_AP,
    signature=(("setting_type",), ("placements", "pupils")),
    measures=(
        Measure("school_arranged_ap_placements", ("placements",)),
        Measure("school_arranged_ap_pupils", ("pupils",)),
    ),
    school_type=("setting_type",),
    characteristic=("characteristic_grouping", "pupil_characteristic"),
)

PUBLICATIONS = (
    EXCLUSIONS_PUBLICATION,
    ABSENCE_PUBLICATION,
    DESTINATIONS_PUBLICATION,
    AP_CENSUS_PUBLICATION,
    SCHOOL_ARRANGED_AP_PUBLICATION,
)

# Files recognised but deliberately not loaded: signature -> why.
NOT_LOADED = {
    ("percent_bands", "enrolments_overall"): (
        "is DfE's distribution of pupil enrolments by absence-rate band (percent_bands): it publishes each band's "
        "share of enrolments, counted from enrolments rounded to the nearest 5, not a rate from counts, so nothing "
        "in it could be computed and checked; it is not loaded. Load absence_in_prus.csv or absence_by_term.csv "
        "for absence rates"
    ),
}

# Every measure of every publication, by name.
ALL_MEASURES: dict[str, Measure] = {m.name: m for p in PUBLICATIONS for m in p.measures}
COUNT_MEASURES = frozenset(name for name, m in ALL_MEASURES.items() if m.is_count)

# The exclusions measures as (numerator column names, published rate column names), newest name first: the
# vocabulary of the exclusions files (the wide SFR unpivoting reads it), kept in this shape for that reason.
MEASURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    m.name: (m.numerators, m.rates) for m in EXCLUSIONS_PUBLICATION.measures
}
DENOMINATOR = ("headcount",)

LEVELS = {"national": "National", "regional": "Regional", "local authority": "Local authority", "school": "School"}
LEVEL_ALIASES = {**{key: value for key, value in LEVELS.items()}, "region": "Regional", "la": "Local authority"}

EES_EXPECTED = "time_period, time_identifier, geographic_level, school_type, headcount, perm_excl, suspension"
SFR_MARKERS = {"year", "level"}
SFR_ALIASES = {"year": "time_period", "level": "geographic_level"}
# The SFR layout's characteristic columns (not the AP files' characteristic_grouping).
CHARACTERISTIC_N = re.compile(r"characteristic_\d+")

# Area and time columns read when present, besides each publication's own.
OPTIONAL = (
    "time_identifier", "country_code", "country_name", "region_code", "region_name", "old_la_code", "la_code",
    "new_la_code", "la_name", "laestab", "urn", "school_name", "characteristic",
)  # fmt: skip


class LayoutNotSupported(FileProblem):
    """A layout we recognise but cannot load yet."""


class Columns(NamedTuple):
    """The columns one measure is read from in a given file; "" where the file has none."""

    numerator: str
    denominator: str
    rate: str


@dataclass(frozen=True)
class Layout:
    publication: str
    name: str
    measures: dict[str, Columns]
    columns: list[str]
    school_type: tuple[str, ...] = ("school_type",)
    characteristic: tuple[str, ...] = ()
    separator: str = ": "
    pairing: Pairing | None = None


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
            f"{name} is not a DfE statistics file this loader knows: expected the EES tidy layout (time_period, "
            f"geographic_level, ... and the columns of one of: {_publications_expected()}) or the older SFR layout "
            f"(year, level, ...); its columns are: {', '.join(list(columns)[:12])}."
        )
    for signature, reason in NOT_LOADED.items():
        if set(signature) <= cols:
            raise LayoutNotSupported(f"{name} {reason}.")
    publication = next((p for p in PUBLICATIONS if all(cols & set(group) for group in p.signature)), None)
    if publication is None or (sfr and publication is not EXCLUSIONS_PUBLICATION):
        if sfr:
            raise LayoutNotSupported(
                f"{name} is in DfE's older SFR layout (year, level, ...) but without the columns school_type, "
                "headcount, perm_excl and fixed_excl (long form) or <measure>_<Characteristic> columns such as "
                f"perm_excl_Gender_male (wide form). Expected the EES tidy layout: {EES_EXPECTED}, ..."
            )
        raise FileProblem(
            f"{name} is an EES tidy file but not of a publication this loader knows: expected time_period, "
            f"time_identifier, geographic_level and the columns of one of: {_publications_expected()}; its columns "
            f"are: {', '.join(list(columns)[:16])}."
        )
    measures = {}
    for measure in publication.measures:
        numerator = _first(measure.numerators, cols)
        denominator = _first(measure.denominators, cols)
        if numerator and (measure.is_count or denominator):
            measures[measure.name] = Columns(numerator, denominator, _first(measure.rates, cols))
    wanted = ["year", "level"] if sfr else ["time_period", "geographic_level"]
    dimensions = [*publication.school_type, *publication.characteristic, *OPTIONAL]
    if publication.pairing:
        dimensions.append(publication.pairing.column)
    wanted += list(dict.fromkeys(c for c in dimensions if c in cols and c not in wanted))
    wanted += sorted(c for c in cols if CHARACTERISTIC_N.fullmatch(c))
    wanted += list(dict.fromkeys(c for columns_ in measures.values() for c in columns_ if c and c not in wanted))
    return Layout(
        publication=publication.title,
        name=_layout_name(publication, measures, cols, sfr),
        measures=measures,
        columns=wanted,
        school_type=publication.school_type,
        characteristic=publication.characteristic,
        separator=publication.separator,
        pairing=publication.pairing,
    )


def _first(names: tuple[str, ...], cols: set[str]) -> str:
    return next((c for c in names if c in cols), "")


def _publications_expected() -> str:
    return "; ".join(f"{p.title} ({p.expected()})" for p in PUBLICATIONS)


def _layout_name(publication: Publication, measures: dict[str, Columns], cols: set[str], sfr: bool) -> str:
    form = "SFR" if sfr else "EES tidy"
    if publication is EXCLUSIONS_PUBLICATION:
        terminology = (
            "suspension" if measures["suspension_rate"].numerator == "suspension" else "fixed period exclusion"
        )
        return f"{form} ({terminology} terminology)"
    if publication is ABSENCE_PUBLICATION:
        return f"{form} ({'by term' if 'term' in cols else 'full year'})"
    if publication.pairing:
        return f"{form} (counts and percentages on paired rows, by {publication.pairing.column})"
    return f"{form} (counts only: DfE publishes no rates)"


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


def joined(values: Iterable[str], separator: str) -> str:
    """Dimension values as one label, "Total" parts left out: ("Gender", "Male") "Gender: Male"; all Total "Total"."""
    parts = [" ".join(v.split()) for v in values]
    return separator.join(p for p in parts if p and p.lower() != "total") or "Total"


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


class MeasureValue(NamedTuple):
    numerator: Decimal | None
    numerator_status: str
    denominator: int | None
    denominator_status: str
    rate: Decimal | None
    rate_status: str


@dataclass
class ParsedRow:
    time_period: str
    geographic_level: str
    area_code: str
    old_la_code: str
    area_name: str
    school_type: str
    characteristic: str
    values: dict[str, MeasureValue]


@dataclass
class Parsed:
    rows: list[ParsedRow] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    # reason -> the first offending value, to show alongside the count
    examples: dict[str, str] = field(default_factory=dict)
    rate_decimals: int = 2
    # (geographic level, measure) pairs whose counts are rounded
    rounded: set[tuple[str, str]] = field(default_factory=set)

    @property
    def rounded_levels(self) -> set[str]:
        return {level for level, _ in self.rounded}


Record = dict[str, str]


def parse_rows(layout: Layout, rows: Sequence[tuple[str | None, ...]]) -> Parsed:
    """Every row as a ParsedRow, or skipped with a reason; which counts are rounded; the rates' rounding."""
    parsed = Parsed()
    position = {column: index for index, column in enumerate(layout.columns)}
    records = (
        {SFR_ALIASES.get(column, column): (row[index] or "").strip() for column, index in position.items()}
        for row in rows
    )
    pairs: Iterable[tuple[Record, Record]]
    pairs = _paired(layout.pairing, layout, records, parsed) if layout.pairing else ((r, r) for r in records)
    # The SFR layout's characteristic_1, characteristic_2, ... in order, joined into one characteristic.
    numbered = sorted(c for c in position if CHARACTERISTIC_N.fullmatch(c))
    decimals = 0
    for record, rates in pairs:
        parts = [record[c] for c in numbered if record[c]]
        if parts:
            record["characteristic"] = " ".join(p for p in parts if p.lower() != "total") or "Total"
        try:
            item = _parse_row(layout, record, rates)
        except _Skip as skip:
            _count_skip(parsed, skip)
            continue
        for value in item.values.values():
            if value.rate is not None:
                decimals = max(decimals, -int(value.rate.as_tuple().exponent))
        parsed.rows.append(item)
    parsed.rate_decimals = decimals or 2
    parsed.rounded = _rounded(layout, parsed.rows)
    return parsed


def _count_skip(parsed: Parsed, skip: _Skip) -> None:
    parsed.skipped[skip.reason] += 1
    parsed.examples.setdefault(skip.reason, skip.example)


def _paired(
    pairing: Pairing, layout: Layout, records: Iterable[Record], parsed: Parsed
) -> Iterator[tuple[Record, Record]]:
    """(counts row, rates row) for each breakdown: KS4 destinations publish the numbers of pupils on one row and
    the percentages on the next, with the same time, area, institution and breakdown; an unmatched row is skipped."""
    indicators = {c for columns in layout.measures.values() for c in columns if c}
    groups: dict[tuple[str, ...], dict[str, Record]] = {}
    for record in records:
        kind = " ".join(record[pairing.column].lower().split())
        if kind not in (pairing.counts, pairing.rates):
            _count_skip(parsed, _Skip(f"{pairing.column} is neither “{pairing.counts}” nor “{pairing.rates}”", kind))
            continue
        key = tuple(v for c, v in record.items() if c != pairing.column and c not in indicators)
        group = groups.setdefault(key, {})
        if kind in group:
            _count_skip(parsed, _Skip(f"repeats a “{kind}” row for the same breakdown", ", ".join(key)))
            continue
        group[kind] = record
    for group in groups.values():
        counts, rates = group.get(pairing.counts), group.get(pairing.rates)
        if counts is None or rates is None:
            have, lacking = (pairing.counts, pairing.rates) if rates is None else (pairing.rates, pairing.counts)
            only = counts or rates
            assert only is not None
            example = ", ".join(v for c, v in only.items() if c not in indicators)
            _count_skip(parsed, _Skip(f"is a “{have}” row without its “{lacking}” row", example))
            continue
        yield counts, rates


class _Skip(Exception):
    def __init__(self, reason: str, example: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.example = example

    def in_column(self, column: str) -> _Skip:
        return _Skip(f"{column} {self.reason}", self.example)


def _parse_row(layout: Layout, record: Record, rates: Record) -> ParsedRow:
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
    column = ""
    try:
        values = {}
        for measure, columns in layout.measures.items():
            column = columns.numerator
            numerator, numerator_status = numerator_value(record[column])
            denominator: tuple[int | None, str] = (None, NO_DENOMINATOR)
            if columns.denominator:
                column = columns.denominator
                denominator = count_value(record[column])
            column = columns.rate
            rate = numerator_value(rates[column]) if column else (None, BLANK)
            values[measure] = MeasureValue(numerator, numerator_status, *denominator, *rate)
    except _Skip as skip:
        raise skip.in_column(column) from None
    characteristic = record.get("characteristic", "")
    if layout.characteristic and not characteristic:
        characteristic = joined((record.get(c, "") for c in layout.characteristic), layout.separator)
    school_type = school_type_name(joined((record.get(c, "") for c in layout.school_type), layout.separator))
    for label, text in (("school type", school_type), ("characteristic", characteristic), ("area name", name)):
        if len(text) > MAX_LABEL:
            raise _Skip(f"{label} is longer than {MAX_LABEL} characters", text[:40] + "…")
    return ParsedRow(
        time_period=period,
        geographic_level=level,
        area_code=code,
        old_la_code=old_code,
        area_name=name,
        school_type=school_type,
        characteristic=characteristic or "Total",
        values=values,
    )


# Observation.school_type, characteristic and area_name hold up to 200 characters.
MAX_LABEL = 200
ONS_CODE = re.compile(r"[EWSN]\d{8}\Z")
OLD_CODE = re.compile(r"\d{3}\Z")


def _area(level: str, record: Record) -> tuple[str, str]:
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
# The same for one measure's counts (numerator and denominator) at a level: 8 exact counts would all be multiples
# of 5 by chance once in 390,000.
MIN_MEASURE_COUNTS_FOR_ROUNDING = 8


def _rounded(layout: Layout, rows: list[ParsedRow]) -> set[tuple[str, str]]:
    """The (level, measure) pairs whose non-zero counts are all multiples of 5: DfE rounded them.

    DfE rounds either every count at a level (the exclusions releases' national tables) or only some columns: the
    PRU absence file has exact session counts but enrolments and persistent absentees rounded at national and
    regional level. So a level counts as rounded when all its counts are, and one measure at a level when its own
    numerators and denominators are. Each column's value is counted once per row (a shared denominator too).
    """
    level_seen: Counter[str] = Counter()
    level_unrounded: set[str] = set()
    measure_seen: Counter[tuple[str, str]] = Counter()
    measure_unrounded: set[tuple[str, str]] = set()
    for row in rows:
        level = row.geographic_level
        by_column: dict[str, Decimal | int | None] = {}
        for measure, value in row.values.items():
            columns = layout.measures[measure]
            by_column[columns.numerator] = value.numerator
            if columns.denominator:
                by_column[columns.denominator] = value.denominator
            for count in (value.numerator, value.denominator):
                if count:
                    measure_seen[level, measure] += 1
                    if count % 5:
                        measure_unrounded.add((level, measure))
        for count in by_column.values():
            if count:
                level_seen[level] += 1
                if count % 5:
                    level_unrounded.add(level)
    rounded_levels = {
        level for level, n in level_seen.items() if n >= MIN_COUNTS_FOR_ROUNDING and level not in level_unrounded
    }
    return {
        (level, measure)
        for (level, measure), n in measure_seen.items()
        if level in rounded_levels
        or (n >= MIN_MEASURE_COUNTS_FOR_ROUNDING and (level, measure) not in measure_unrounded)
    }


def observation_fields(parsed: Parsed) -> Iterator[dict[str, Any]]:
    for row in parsed.rows:
        for measure, value in row.values.items():
            yield {
                "time_period": row.time_period,
                "geographic_level": row.geographic_level,
                "area_code": row.area_code,
                "old_la_code": row.old_la_code,
                "area_name": row.area_name,
                "school_type": row.school_type,
                "characteristic": row.characteristic,
                "measure": measure,
                "numerator": value.numerator,
                "numerator_status": value.numerator_status,
                "denominator": value.denominator,
                "denominator_status": value.denominator_status,
                "published_rate": value.rate,
                "published_rate_status": value.rate_status,
                "counts_rounded": (row.geographic_level, measure) in parsed.rounded,
            }
