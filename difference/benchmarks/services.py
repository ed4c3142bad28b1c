"""Loading DfE statistics files: all the files of one run in one transaction, each replacing its earlier load."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Field

from difference.benchmarks import sfr
from difference.benchmarks.loaders import (
    COUNT_MEASURES,
    EES_METADATA,
    Parsed,
    identify,
    observation_fields,
    parse_rows,
)
from difference.benchmarks.models import Dataset, Observation
from difference.benchmarks.reading import decode, decompressed, parse_csv, read_raw

BATCH = 5000


@dataclass
class FileReport:
    path: Path
    publication: str = ""
    layout: str = ""
    encoding: str = ""
    years: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    rows_loaded: int = 0
    observations: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    measures: list[str] = field(default_factory=list)
    # "National" where every measure's counts are rounded there, else "Regional (persistent_absence_rate)"
    rounded_levels: list[str] = field(default_factory=list)
    rate_decimals: int = 2

    def summary_lines(self) -> list[str]:
        if self.layout == EES_METADATA:
            return [f"{self.path.name}: {EES_METADATA}, describes a data file; nothing to load."]
        count = f"{len(self.years)} year{'s' if len(self.years) != 1 else ''}"
        years = f"{self.years[0]} to {self.years[-1]} ({count})" if self.years else "none"
        lines = [
            f"{self.path.name}:",
            f"  publication: {self.publication}",
            f"  layout: {self.layout}, {self.encoding}",
            f"  years: {years}",
            f"  geographic levels: {', '.join(self.levels) or 'none'}",
            f"  measures: {', '.join(self.measures)}",
            f"  rows loaded: {self.rows_loaded:,} ({self.observations:,} observations)",
            f"  {self._rates_line()}; counts rounded at: {', '.join(self.rounded_levels) or 'no level (exact counts)'}",
            f"  rows skipped: {sum(self.skipped.values()):,}",
        ]
        lines += [
            f"    {n:,} × {reason} (first: “{self.examples.get(reason, '')}”)"
            for reason, n in self.skipped.most_common()
        ]
        return lines

    def _rates_line(self) -> str:
        if self.measures and all(m in COUNT_MEASURES for m in self.measures):
            return "counts only (DfE publishes no rates)"
        return f"rates published to {self.rate_decimals} dp"


def load_dfe_files(*, paths: Sequence[Path]) -> list[FileReport]:
    """Load every file or none: FileProblem (from reading/identifying) rolls the whole run back."""
    reports = []
    with transaction.atomic():
        for path in paths:
            reports.append(_load_file(path))
    return reports


def _load_file(path: Path) -> FileReport:
    raw = read_raw(path)
    sha256 = hashlib.sha256(raw).hexdigest()
    content = decompressed(raw, path.name)
    text, encoding = decode(content, path.name)
    layouts = []

    def choose(columns: list[str]) -> list[str]:
        if sfr.is_wide(columns):  # every column: unpivoted below
            return columns
        layouts.append(identify(columns, path.name))
        return layouts[0].columns or columns[:1]

    columns, rows = parse_csv(text, path.name, choose)
    if not layouts:  # DfE's older wide SFR layout, unpivoted into the long one
        wide, rows = sfr.unpivot(columns, rows, path.name, text)
        layouts.append(wide)
    layout = layouts[0]
    report = FileReport(path=path, publication=layout.publication, layout=layout.name, encoding=encoding)
    if layout.name == EES_METADATA:
        return report
    parsed = parse_rows(layout, rows)
    del rows
    rounded = _rounded_levels(parsed, list(layout.measures))
    notes = [f"Read as {encoding}."]
    if rounded:
        notes.append(f"Counts rounded (all multiples of 5) at: {', '.join(rounded)}.")
    Dataset.objects.filter(source_file=path.name).delete()
    dataset = Dataset.objects.create(
        publication=layout.publication,
        layout=layout.name,
        source_file=path.name,
        sha256=sha256,
        rows_loaded=len(parsed.rows),
        rows_skipped=sum(parsed.skipped.values()),
        rate_decimals=parsed.rate_decimals,
        notes=" ".join(notes),
    )
    report.observations = _insert_observations(dataset, observation_fields(parsed))
    report.years = sorted({row.time_period for row in parsed.rows})
    report.levels = sorted({row.geographic_level for row in parsed.rows}, key=_level_order)
    report.rows_loaded = len(parsed.rows)
    report.skipped = parsed.skipped
    report.examples = parsed.examples
    report.measures = list(layout.measures)
    report.rounded_levels = rounded
    report.rate_decimals = parsed.rate_decimals
    return report


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
