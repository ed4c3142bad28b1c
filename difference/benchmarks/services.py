"""Loading DfE statistics files: all the files of one run in one transaction, each replacing its earlier load.

A file's bytes, decompression, limits and encoding come from ``difference.core.files`` (a .csv, .csv.gz, or a zip
holding one CSV; UTF-8 with or without BOM, or Windows-1252); DuckDB parses the text, every value as text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import duckdb
from django.db import connection, transaction
from django.db.models import Field

from difference.benchmarks import sfr
from difference.benchmarks.loaders import (
    COUNT_MEASURES,
    EES_METADATA,
    Layout,
    Parsed,
    identify,
    observation_fields,
    parse_rows,
)
from difference.benchmarks.models import Dataset, Observation
from difference.core.files import FileProblem, read_bytes, read_text, utf8_files
from difference.core.imports import ImportOutcome, Progress, no_progress

BATCH = 5000
EXPECTED = "a DfE CSV (EES data files are CSV)"


@dataclass
class FileReport(ImportOutcome):
    """A DfE file's ``ImportOutcome``: printed and shown as every import's, with the file, its years and its
    geographic levels also as data (they are in the notes too), for a caller that describes a load by them."""

    path: Path = field(default_factory=Path)
    years: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return self.rows_written


def load_dfe_files(*, paths: Sequence[Path], progress: Progress | None = None) -> list[FileReport]:
    """Load every file or none: each file's outcome, or, if one cannot be loaded, that file's alone (with its
    ``errors``) and nothing loaded at all, the files before it rolled back too."""
    say = progress or no_progress
    outcomes = []
    with transaction.atomic():
        for path in paths:
            say(f"Loading {path.name}")
            outcome = _load_file(path)
            if outcome.errors:
                transaction.set_rollback(True)
                return [outcome]
            outcomes.append(outcome)
    return outcomes


def _load_file(path: Path) -> FileReport:
    outcome = FileReport(source=path.name, path=path)
    try:
        raw = read_bytes(path)
        text = read_text(raw, expected=EXPECTED)
        layouts: list[Layout] = []

        def choose(columns: list[str]) -> list[str]:
            if sfr.is_wide(columns):  # every column: unpivoted below
                return columns
            layouts.append(identify(columns, path.name))
            return layouts[0].columns or columns[:1]

        columns, rows = parse_csv(text.text, path.name, choose)
        outcome.rows_read = len(rows)
        if not layouts:  # DfE's older wide SFR layout, unpivoted into the long one
            wide, rows = sfr.unpivot(columns, rows, path.name, text.text)
            layouts.append(wide)
    except FileProblem as exc:
        outcome.refuse(str(exc))
        return outcome
    layout = layouts[0]
    if layout.name == EES_METADATA:
        outcome.notes.append(f"{EES_METADATA}, describes a data file; nothing to load.")
        return outcome
    parsed = parse_rows(layout, rows)
    del rows
    rounded = _rounded_levels(parsed, list(layout.measures))
    notes = [f"Read as {text.encoding}."]
    if rounded:
        notes.append(f"Counts rounded (all multiples of 5) at: {', '.join(rounded)}.")
    Dataset.objects.filter(source_file=path.name).delete()
    dataset = Dataset.objects.create(
        publication=layout.publication,
        layout=layout.name,
        source_file=path.name,
        sha256=raw.sha256(),
        rows_loaded=len(parsed.rows),
        rows_skipped=sum(parsed.skipped.values()),
        rate_decimals=parsed.rate_decimals,
        notes=" ".join(notes),
    )
    outcome.totals["observations"] = _insert_observations(dataset, observation_fields(parsed))
    outcome.rows_written = len(parsed.rows)
    for reason, count in parsed.skipped.most_common():
        outcome.skip(reason, f"“{parsed.examples.get(reason, '')}”", rows=count)
    outcome.years = sorted({row.time_period for row in parsed.rows})
    outcome.levels = sorted({row.geographic_level for row in parsed.rows}, key=_level_order)
    outcome.notes += _description(outcome, layout, parsed, text.encoding, rounded)
    return outcome


def _description(outcome: FileReport, layout: Layout, parsed: Parsed, encoding: str, rounded: list[str]) -> list[str]:
    """What the file held, for the outcome's notes: its publication, layout, years, levels and measures."""
    years, levels = outcome.years, outcome.levels
    count = f"{len(years)} year{'s' if len(years) != 1 else ''}"
    measures = list(layout.measures)
    if measures and all(m in COUNT_MEASURES for m in measures):
        rates = "counts only (DfE publishes no rates)"
    else:
        rates = f"rates published to {parsed.rate_decimals} dp"
    return [
        f"publication: {layout.publication}",
        f"layout: {layout.name}, {encoding}",
        f"years: {f'{years[0]} to {years[-1]} ({count})' if years else 'none'}",
        f"geographic levels: {', '.join(levels) or 'none'}",
        f"measures: {', '.join(measures)}",
        f"{rates}; counts rounded at: {', '.join(rounded) or 'no level (exact counts)'}",
    ]


def parse_csv(
    text: str, name: str, choose: Callable[[list[str]], list[str]]
) -> tuple[list[str], list[tuple[str | None, ...]]]:
    """The chosen columns and rows of CSV text, every value as text, parsed by DuckDB in strict mode.

    ``choose`` sees the header (lower-cased, stripped) and returns the columns to fetch, or raises FileProblem.
    """
    with utf8_files([("data.csv", text)]) as (csv_path,):
        try:
            with duckdb.connect() as con:
                relation = con.sql(
                    "SELECT * FROM read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\"', "
                    "escape = '\"', strict_mode = true, null_padding = false, ignore_errors = false, "
                    "auto_detect = true)",
                    params=[str(csv_path)],
                )
                original = {column.strip().lower(): column for column in relation.columns}
                columns = choose(list(original))
                quoted = ", ".join('"' + original[column].replace('"', '""') + '"' for column in columns)
                rows = relation.project(quoted).fetchall()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise FileProblem(f"{name} is not a well-formed CSV ({first}); expected a DfE CSV.") from exc
    return columns, rows


def _insert_observations(dataset: Dataset, rows: Iterator[dict[str, Any]]) -> int:
    """Insert with executemany rather than bulk_create: the ORM's per-value preparation takes 90% of the time for
    the 700,000 observations of a school-level file. The values are already of the fields' Python types."""
    first = next(rows, None)
    if first is None:
        return 0
    names = list(first)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(name)) for name in ["dataset", *names])
    placeholders = ", ".join(["%s"] * (len(names) + 1))
    sql = f"INSERT INTO {quote(Observation._meta.db_table)} ({columns}) VALUES ({placeholders})"
    inserted = 0
    with connection.cursor() as cursor:
        for batch in _batches(chain([first], rows)):
            cursor.executemany(sql, [[dataset.pk, *(row[name] for name in names)] for row in batch])
            inserted += len(batch)
    return inserted


def _column(name: str) -> str:
    field = Observation._meta.get_field(name)
    assert isinstance(field, Field) and field.column  # Observation's own concrete fields
    return field.column


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _rounded_levels(parsed: Parsed, measures: list[str]) -> list[str]:
    """Each level with rounded counts: its name if every measure's are rounded there, else the measures named."""
    out = []
    for level in sorted(parsed.rounded_levels, key=_level_order):
        which = [m for m in measures if (level, m) in parsed.rounded]
        out.append(level if len(which) == len(measures) else f"{level} ({', '.join(which)})")
    return out


def _level_order(level: str) -> int:
    order = ["National", "Regional", "Local authority", "School"]
    return order.index(level) if level in order else len(order)
