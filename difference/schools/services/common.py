"""What the loaders share: the ``ImportOutcome`` they start from, reading files with DuckDB, and writing in bulk."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
from django.core.exceptions import ValidationError
from django.db import connection, models

from difference.core.files import FileProblem, read_bytes, read_text, utf8_files
from difference.core.imports import Counts, ImportOutcome
from difference.schools.models import LocalAuthority, Region, School, SchoolLink, Trust

# The start of School.source for schools a GIAS extract has described (see ``gias.load_gias_extract``).
GIAS_SOURCE_PREFIX = "GIAS extract"


# --- Regions ------------------------------------------------------------------------------------------------


def normalise_region(name: str | None) -> str:
    """One of the nine ``Region`` values, or "" (Wales, "Not Applicable", unknown)."""
    return _REGIONS.get(" ".join((name or "").split()).casefold(), "")


_REGIONS: dict[str, str] = {region.value.casefold(): region.value for region in Region} | {
    "inner london": Region.LONDON.value,
    "outer london": Region.LONDON.value,
}


# --- Outcomes ---------------------------------------------------------------------------------------------------


def outcome_for(source: str) -> ImportOutcome:
    """An outcome counting the four kinds of record a load writes, by verbose plural name ("school links")."""
    return ImportOutcome(
        source=source,
        counts={
            str(model._meta.verbose_name_plural): Counts() for model in (LocalAuthority, Trust, School, SchoolLink)
        },
    )


def finish(outcome: ImportOutcome, started: float) -> ImportOutcome:
    """The outcome of a load that wrote: every record created or updated counts as written; the time since
    ``started`` (``time.monotonic``)."""
    outcome.rows_written = outcome.created + outcome.updated
    outcome.duration = time.monotonic() - started
    return outcome


# --- Reading files with DuckDB ------------------------------------------------------------------------------


@contextmanager
def _duckdb_files(*paths: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, list[Path]]]:
    """An in-memory DuckDB connection and UTF-8 copies of ``paths`` it can read, named as the files are without
    ``.gz``. The files are read, gunzipped, limited and decoded by ``difference.core.files``: GIAS files are
    Windows-1252, which DuckDB cannot read without downloading an extension.
    """
    texts = []
    for path in paths:
        try:
            texts.append((path.name.removesuffix(".gz"), read_text(read_bytes(path)).text))
        except FileProblem as exc:
            raise FileProblem(f"{path.name}: {exc}") from exc
    with utf8_files(texts) as copies:
        con = duckdb.connect()
        try:
            yield con, copies
        finally:
            con.close()


def _read_csv(path: Path, *, delim: str = ",") -> str:
    # Every column as text, header and delimiter given rather than sniffed: sniffing a header when every
    # column is text is guesswork, and identifiers such as "06" or "0452" must keep their leading zeros.
    quoted = str(path).replace("'", "''")
    return f"read_csv('{quoted}', all_varchar = true, header = true, delim = '{delim}', quote = '\"')"


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    try:
        return con.sql(sql).fetchall()
    except duckdb.Error as exc:
        raise FileProblem(f"Could not read the file: {exc}") from exc


def _count_rows(con: duckdb.DuckDBPyConnection, path: Path, *, delim: str = ",") -> int:
    """The data rows of a file (its header apart), for the outcome's rows read."""
    [(count,)] = _query(con, f"select count(*) from {_read_csv(path, delim=delim)}")
    return int(count)


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
    counts: Counts,
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
