"""DfE's older *wide* SFR layout: the pupil characteristics spread across the columns, unpivoted to the long SFR form.

Before Explore Education Statistics, DfE's exclusions releases (SFR underlying data) used ``year`` and ``level``
where EES has ``time_period`` and ``geographic_level`` (values such as ``201516`` and ``NATIONAL``, ``REGIONAL``,
``LOCAL AUTHORITY``). The long form has one row per characteristic (``characteristic_1``, ``characteristic_2``)
and is read by ``loaders.identify`` directly. The wide form has one row per year, area and school type, with a
column per characteristic. Two wide forms are supported; both are turned into the long form, one row per source
row and characteristic (the ``Total`` included), so that ``identify`` and ``parse_rows`` load them unchanged.

1. **Measure and characteristic in the column name**, ``<measure>_<Characteristic_value>``::

       year,level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,school_type,
       headcount,headcount_Gender_male,headcount_Gender_female,perm_excl,perm_excl_Gender_male,...,
       perm_excl_rate_Gender_male,...,fixed_excl_Gender_male,...,one_plus_fixed_rate_Gender_female

   ``<measure>`` is one of the loader's column names: ``headcount``, ``perm_excl``, ``perm_excl_rate``,
   ``fixed_excl``, ``fixed_excl_rate``, ``one_plus_fixed``, ``one_plus_fixed_rate``, ``one_or_more_fixed_excl_rate``,
   ``suspension``, ``suspension_rate``, ``susp_rate``, ``one_plus_susp``, ``one_plus_susp_rate`` (the longest name
   that prefixes the column wins, so ``perm_excl_rate_Gender_male`` is the rate, not ``perm_excl`` of "rate Gender
   male"). The rest, underscores read as spaces, is the characteristic as the EES files spell it: ``Gender_male`` is
   "Gender male", ``Age_4_and_under_Male`` is "Age 4 and under Male" (as in ``data/exclusions_by_characteristic.csv``;
   the header's own capitals are kept, the first letter capitalised). The Total is either the bare column
   (``perm_excl``) or ``perm_excl_Total``, not both. Every characteristic needs ``headcount_<C>``, ``perm_excl_<C>``
   and ``fixed_excl_<C>`` (or ``suspension_<C>``); rate columns are optional. Other columns (``num_schools``,
   ``estab``, ...) are ignored, and ``characteristic_1``... columns are refused (the characteristic is in the names).

2. **Characteristic-value columns, with a column naming what is counted**: ``measure``, or failing that
   ``characteristic_1``::

       year,level,country_code,country_name,school_type,measure,Total,Gender_male,Gender_female
       201516,NATIONAL,E92000001,England,Total,headcount,7915155,4035510,3879645
       201516,NATIONAL,E92000001,England,Total,perm_excl,6685,5175,1510

   The naming column holds a loader column name (``headcount``, ``perm_excl``, ``fixed_excl_rate``, ...) or its
   label in DfE's EES metadata (``Number of pupils``, ``Number of permanent exclusions``, ``Permanent exclusion
   rate``, ``Number of fixed period exclusions``, ``Fixed period exclusion rate``, ``Number of pupils with one or
   more fixed period exclusions``, ``Percentage of pupils with one or more fixed period exclusions``); ``num_schools``
   / ``Number of schools`` rows are ignored. The rows of one year, area and school type are gathered into one long
   row per characteristic column; a measure missing for some of them is "not available" there. Every column besides
   the area, time and school-type columns (and ``num_schools``, ``estab``, ``academy_type``, ``academy_open_date``,
   ``characteristic_group``) is a characteristic.

In both forms a file without ``school_type`` is taken as all schools (``Total``). Only the exclusions publication
comes in these wide forms here. Any other header with ``year`` and ``level`` but none of the columns a long layout
reads (``headcount``, ``perm_excl``, ``sess_overall``, ...) is refused with a FileProblem naming the columns
expected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import replace

from difference.benchmarks.loaders import (
    ALL_MEASURES,
    DENOMINATOR,
    MEASURES,
    OPTIONAL,
    SFR_MARKERS,
    Layout,
    identify,
)
from difference.core.files import FileProblem

Row = tuple[str | None, ...]

# Every measure column the loader reads, longest first so that a prefix match takes the most specific.
MEASURE_COLUMNS = sorted(
    {*DENOMINATOR, *(c for numerators, rates in MEASURES.values() for c in (*numerators, *rates))},
    key=lambda c: (-len(c), c),
)
# The labels DfE's EES metadata gives these columns (data/*.meta.csv), for files naming measures in words.
LABELS = {
    "number of pupils": "headcount",
    "number of permanent exclusions": "perm_excl",
    "permanent exclusion rate": "perm_excl_rate",
    "number of fixed period exclusions": "fixed_excl",
    "fixed period exclusion rate": "fixed_excl_rate",
    "number of pupils with one or more fixed period exclusions": "one_plus_fixed",
    "percentage of pupils with one or more fixed period exclusions": "one_plus_fixed_rate",
}
IGNORED_MEASURES = {"num_schools", "number of schools"}
REQUIRED = "headcount, perm_excl and fixed_excl (or suspension)"
# Columns that describe the row (time, area, school type) rather than a characteristic.
ID_COLUMNS = ["year", "level", "time_identifier", *(c for c in OPTIONAL if c != "characteristic"), "school_type"]
NOT_CHARACTERISTICS = {"num_schools", "estab", "academy_type", "academy_open_date", "characteristic_group"}
CHARACTERISTIC_N = re.compile(r"characteristic_\d+")
SUPPORTED = (
    "either <measure>_<Characteristic> columns (e.g. year, level, school_type, headcount, headcount_Gender_male, "
    "perm_excl, perm_excl_Gender_male, fixed_excl, fixed_excl_Gender_male, ...) or characteristic columns with a "
    "measure (or characteristic_1) column naming what is counted (e.g. year, level, school_type, measure, Total, "
    "Gender_male, ...)"
)


def is_wide(columns: Sequence[str]) -> bool:
    """Whether the (lower-cased) header is DfE's older SFR layout with the characteristics across the columns:
    ``<measure>_<Characteristic>`` columns, or no column that any publication's long layout reads."""
    cols = set(columns)
    if not SFR_MARKERS <= cols:
        return False
    long_columns = {c for m in ALL_MEASURES.values() for c in (*m.numerators, *m.denominators, *m.rates)}
    return any(_split(c) for c in columns) or not cols & long_columns


def unpivot(columns: list[str], rows: Sequence[Row], name: str, text: str) -> tuple[Layout, list[Row]]:
    """The long SFR layout of a wide file and its rows, in that layout's column order; FileProblem if unmappable.

    ``columns`` are the header lower-cased (as ``parse_csv`` gives them), ``rows`` every column's values, ``text``
    the file (its header row gives the characteristics' capitals).
    """
    original = _original_header(text, columns)
    if any(_split(c) for c in columns):
        header, long_rows = _from_measure_columns(columns, original, rows, name)
    elif "measure" in columns or "characteristic_1" in columns:
        header, long_rows = _from_measure_rows(columns, original, rows, name)
    else:
        raise _unsupported(name, "it has neither <measure>_<Characteristic> columns nor a measure column")
    layout = identify(header, name)
    layout = replace(layout, name=layout.name.replace("SFR", "SFR wide", 1))
    position = {column: index for index, column in enumerate(header)}
    wanted = [position[c] for c in layout.columns]
    return layout, [tuple(row[i] for i in wanted) for row in long_rows]


def _unsupported(name: str, detail: str) -> FileProblem:
    return FileProblem(
        f"{name} is in DfE's older wide SFR layout (year, level, ... with the characteristics across the columns), "
        f"recognised but not supported yet in this form: {detail}. Expected {SUPPORTED}."
    )


def _split(column: str) -> tuple[str, str] | None:
    """(measure column, characteristic) of a ``<measure>_<characteristic>`` column name, lower-cased."""
    if column in MEASURE_COLUMNS:
        return None
    for measure in MEASURE_COLUMNS:
        if column.startswith(measure + "_") and len(column) > len(measure) + 1:
            return measure, column[len(measure) + 1 :]
    return None


def _original_header(text: str, columns: list[str]) -> list[str]:
    """The header as written (for its capitals), where it lines up with the lower-cased one; else that one."""
    first = next(csv.reader(io.StringIO(text)), [])
    if len(first) != len(columns):
        return list(columns)
    return [o.strip() if o.strip().lower() == c else c for o, c in zip(first, columns, strict=True)]


def _label(characteristic: str) -> str:
    """``Gender_male`` as "Gender male", ``total`` as "Total"."""
    words = " ".join(characteristic.replace("_", " ").split())
    if words.lower() == "total":
        return "Total"
    return words[:1].upper() + words[1:]


def _ids(columns: list[str]) -> list[str]:
    return [c for c in ID_COLUMNS if c in columns]


def _long_header(ids: list[str], measures: list[str]) -> list[str]:
    extra = [] if "school_type" in ids else ["school_type"]
    return [*ids, *extra, "characteristic_1", *measures]


def _has_required(measures: set[str]) -> bool:
    has_suspension = bool(measures & set(MEASURES["suspension_rate"][0]))
    return "headcount" in measures and "perm_excl" in measures and has_suspension


def _from_measure_columns(
    columns: list[str], original: list[str], rows: Sequence[Row], name: str
) -> tuple[list[str], list[Row]]:
    numbered = [c for c in columns if CHARACTERISTIC_N.fullmatch(c)]
    if numbered:
        raise _unsupported(
            name,
            f"it has <measure>_<Characteristic> columns and also {', '.join(numbered)}: the characteristic is "
            "expected in one place only",
        )
    # characteristic (lower-cased) -> measure -> column index; and its label from the first column naming it
    found: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for index, column in enumerate(columns):
        split = _split(column)
        if split is None and column in MEASURE_COLUMNS:
            measure, key, label = column, "total", "Total"
        elif split is not None:
            measure, key = split
            label = _label(original[index][len(measure) + 1 :])
        else:
            continue
        if measure in found.setdefault(key, {}):
            twice = original[found[key][measure]]
            raise _unsupported(name, f"{twice} and {original[index]} are both {measure} for {labels[key]}")
        found[key][measure] = index
        labels.setdefault(key, label)
    for key, measures in found.items():
        if not _has_required(set(measures)):
            written = ", ".join(original[i] for i in measures.values())
            raise _unsupported(
                name,
                f"the characteristic “{labels[key]}” has only the columns {written}; each characteristic needs "
                "headcount_<C>, perm_excl_<C> and fixed_excl_<C> (or suspension_<C>), the Total either those or "
                "the bare headcount, perm_excl and fixed_excl",
            )
    all_measures = [m for m in MEASURE_COLUMNS if any(m in measures for measures in found.values())]
    ids = _ids(columns)
    id_positions = [columns.index(c) for c in ids]
    school_type = [] if "school_type" in ids else ["Total"]
    out: list[Row] = []
    for row in rows:
        head = [row[i] for i in id_positions] + school_type
        for key, measures in found.items():
            values = [row[measures[m]] if m in measures else "" for m in all_measures]
            out.append((*head, labels[key], *values))
    return _long_header(ids, all_measures), out


def _measure_name(value: str) -> str | None:
    """The loader's column name for a measure as the naming column writes it; "" for one to ignore."""
    text = " ".join(value.strip().lower().split())
    if text in IGNORED_MEASURES:
        return ""
    column = LABELS.get(text, text.replace(" ", "_"))
    return column if column in MEASURE_COLUMNS else None


def _from_measure_rows(
    columns: list[str], original: list[str], rows: Sequence[Row], name: str
) -> tuple[list[str], list[Row]]:
    naming = "measure" if "measure" in columns else "characteristic_1"
    numbered = [c for c in columns if CHARACTERISTIC_N.fullmatch(c) and c != naming]
    if numbered:
        raise _unsupported(
            name, f"it has a {naming} column naming the measure and also {', '.join(numbered)}: expected neither"
        )
    ids = _ids(columns)
    characteristics = [
        i for i, c in enumerate(columns) if c not in ids and c != naming and c not in NOT_CHARACTERISTICS
    ]
    if not characteristics:
        raise _unsupported(name, f"it has a {naming} column but no characteristic columns (such as Total)")
    id_positions = [columns.index(c) for c in ids]
    naming_position = columns.index(naming)
    # (year, area, school type, ...) -> measure -> the row's values
    groups: dict[tuple[str, ...], dict[str, Row]] = {}
    for row in rows:
        written = (row[naming_position] or "").strip()
        measure = _measure_name(written)
        if measure is None:
            raise _unsupported(
                name,
                f"its {naming} column holds “{written}”, which is not a measure this loader knows (expected one of "
                f"{', '.join(sorted(MEASURE_COLUMNS))}, or DfE's label for it such as “Number of pupils”)",
            )
        if not measure:
            continue
        key = tuple((row[i] or "").strip() for i in id_positions)
        group = groups.setdefault(key, {})
        if measure in group:
            raise _unsupported(name, f"it has two {measure} rows for {', '.join(v for v in key if v)}")
        group[measure] = row
    seen = {measure for group in groups.values() for measure in group}
    if not _has_required(seen):
        raise _unsupported(
            name,
            f"its {naming} column names {', '.join(sorted(seen)) or 'no measure'}; expected rows for each of "
            f"{REQUIRED}",
        )
    all_measures = [m for m in MEASURE_COLUMNS if m in seen]
    school_type = () if "school_type" in ids else ("Total",)
    out: list[Row] = []
    for key, group in groups.items():
        for index in characteristics:
            values = [group[m][index] if m in group else "" for m in all_measures]
            out.append((*key, *school_type, _label(original[index]), *values))
    return _long_header(ids, all_measures), out
