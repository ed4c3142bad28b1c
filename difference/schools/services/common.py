"""What the loaders share: the ``LoadReport`` they return, reading files with DuckDB, and writing in bulk."""

from __future__ import annotations

import codecs
import gzip
import io
import tempfile
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
from django.core.exceptions import ValidationError
from django.db import connection, models

from difference.schools.models import LocalAuthority, Region, School, SchoolLink, Trust

# The start of School.source for schools a GIAS extract has described (see ``gias.load_gias_extract``).
GIAS_SOURCE_PREFIX = "GIAS extract"

Progress = Callable[[str], None]


# --- Regions ------------------------------------------------------------------------------------------------


def normalise_region(name: str | None) -> str:
    """One of the nine ``Region`` values, or "" (Wales, "Not Applicable", unknown)."""
    return _REGIONS.get(" ".join((name or "").split()).casefold(), "")


_REGIONS: dict[str, str] = {region.value.casefold(): region.value for region in Region} | {
    "inner london": Region.LONDON.value,
    "outer london": Region.LONDON.value,
}


# --- Load reports -------------------------------------------------------------------------------------------


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class SkippedRow:
    file: str
    where: str  # "row 12" or "URN 100947": enough to find the row in the file
    reason: str


def _model_counts() -> dict[str, ModelCounts]:
    return {
        str(model._meta.verbose_name_plural): ModelCounts() for model in (LocalAuthority, Trust, School, SchoolLink)
    }


@dataclass
class LoadReport:
    """What one load did, per model; ``counts`` is keyed by verbose plural name ("schools", "school links")."""

    source: str
    counts: dict[str, ModelCounts] = field(default_factory=_model_counts)
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration: float = 0.0  # seconds

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    def skip(self, file: str, where: str, reason: str) -> None:
        self.skipped.append(SkippedRow(file, where, reason))

    def summary_lines(self) -> list[str]:
        lines = [f"{self.source}: {self.duration:.1f} s"]
        for label, c in self.counts.items():
            lines.append(f"  {label}: {c.created:,} created, {c.updated:,} updated, {c.unchanged:,} unchanged")
        if self.skipped:
            lines.append(f"  {len(self.skipped):,} rows skipped:")
            by_reason: dict[tuple[str, str], list[str]] = {}
            for row in self.skipped:
                by_reason.setdefault((row.file, row.reason), []).append(row.where)
            for (file, reason), wheres in by_reason.items():
                examples = ", ".join(wheres[:3]) + (", ..." if len(wheres) > 3 else "")
                lines.append(f"    {len(wheres):,} in {file}: {reason} ({examples})")
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines


# --- Reading files with DuckDB ------------------------------------------------------------------------------


@contextmanager
def _duckdb_files(*paths: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, list[Path]]]:
    """An in-memory DuckDB connection and UTF-8 copies of ``paths`` it can read.

    DuckDB 2.0 reads only UTF-8, UTF-16 and strict Latin-1 (which rejects the 0x80-0x9F bytes Windows-1252 uses
    for curly quotes and dashes); Windows-1252 needs its ``encodings`` extension, a download at run time. GIAS
    files are Windows-1252, so they are decoded here instead, gunzipping as we go.
    """
    with tempfile.TemporaryDirectory(prefix="schools-load-") as tmp:
        copies = [_utf8_copy(path, Path(tmp)) for path in paths]
        connection = duckdb.connect()
        try:
            yield connection, copies
        finally:
            connection.close()


def _open_binary(path: Path) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _utf8_copy(source: Path, directory: Path) -> Path:
    target = directory / source.name.removesuffix(".gz")
    # UTF-8 first: Windows-1252 text with any accented or curly character is never valid UTF-8, while a
    # GIAS file someone re-saved as UTF-8 would otherwise turn into mojibake without an error.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with _open_binary(source) as src, target.open("w", encoding="utf-8", newline="") as dst:
                decoder = codecs.getincrementaldecoder(encoding)()
                while chunk := src.read(1 << 20):
                    dst.write(decoder.decode(chunk))
                dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            continue
        except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
            raise ValueError(f"{source.name} could not be read: {exc}") from exc
        return target
    raise ValueError(f"{source.name} is neither UTF-8 nor Windows-1252 text")


def _read_csv(path: Path, *, delim: str = ",") -> str:
    # Every column as text, header and delimiter given rather than sniffed: sniffing a header when every
    # column is text is guesswork, and identifiers such as "06" or "0452" must keep their leading zeros.
    quoted = str(path).replace("'", "''")
    return f"read_csv('{quoted}', all_varchar = true, header = true, delim = '{delim}', quote = '\"')"


def _query(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    try:
        return connection.sql(sql).fetchall()
    except duckdb.Error as exc:
        raise ValueError(f"Could not read the file: {exc}") from exc


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


# --- Writing ------------------------------------------------------------------------------------------------

M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)


def _upsert(
    model: type[M],
    *,
    wanted: dict[K, dict[str, Any]],
    existing: dict[K, M],
    build: Callable[[K, dict[str, Any]], M],
    counts: ModelCounts,
) -> None:
    """Create the missing rows and update the changed ones, in batches; compares values so re-runs write nothing.

    ``wanted`` values use attnames (``local_authority_id``) so that comparing never loads a related object.
    """
    to_create: list[M] = []
    to_update: list[M] = []
    changed: set[str] = set()
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(build(key, values))
            continue
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        if not differing:
            counts.unchanged += 1
            continue
        for name in differing:
            setattr(obj, name, values[name])
        changed.update(differing)
        to_update.append(obj)
    model._default_manager.bulk_create(to_create, batch_size=1000)
    if to_update:
        _bulk_update(model, to_update, sorted(changed))
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _bulk_update(model: type[M], objects: list[M], names: list[str]) -> None:
    # One parameterised UPDATE per row through executemany, not QuerySet.bulk_update: that builds a CASE
    # expression per field per row, and took 33 s to update 40,000 schools from a GIAS extract on SQLite.
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    primary_key = str(cast("models.Field[Any, Any]", model._meta.pk).column)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(primary_key)} = %s"
    params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _validated(obj: M, *, exclude: Sequence[str] = ()) -> M:
    # clean_fields rather than full_clean: the unique and foreign-key checks would cost a query per row, and
    # the loaders already key rows by their unique fields.
    try:
        obj.clean_fields(exclude=list(exclude))
    except ValidationError as exc:
        raise ValidationError(f"{obj._meta.verbose_name} {obj}: {'; '.join(exc.messages)}") from exc
    return obj
