"""Loading a GIAS "all establishments" extract.

A GIAS "all establishments" extract, when the charity downloads one, is the authoritative and current source and
is loaded on top with ``load_gias_extract``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import duckdb
from django.db import transaction

from difference.core.files import FileProblem, RowError, check_header
from difference.core.imports import ImportOutcome, Progress
from difference.schools.forms import GiasRowForm
from difference.schools.models import LocalAuthority, School, Trust
from difference.schools.services.classify import classify_establishment_type
from difference.schools.services.common import (
    GIAS_SOURCE_PREFIX,
    _duckdb_files,
    _query,
    _read_csv,
    _upsert,
    _validated,
    finish,
    normalise_region,
    outcome_for,
)

# --- GIAS extracts ------------------------------------------------------------------------------------------

# Our names for the columns of GIAS's "all establishment data" download that the loader reads.
GIAS_COLUMNS = {
    "urn": "URN",
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_number": "EstablishmentNumber",
    "name": "EstablishmentName",
    "establishment_type": "TypeOfEstablishment (name)",
    "establishment_group": "EstablishmentTypeGroup (name)",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "region": "GOR (name)",
    "trust_uid": "Trusts (code)",
    "trust_name": "Trusts (name)",
    "pupils": "NumberOfPupils",
    "postcode": "Postcode",
}


def load_gias_extract(path: Path, *, progress: Progress | None = None) -> ImportOutcome:
    """Create or update the schools in a GIAS "all establishments" extract (``edubasealldata*.csv``).

    The extract is the current, authoritative description of each school it lists. Every row is validated
    first; a missing column or any invalid row is an error of the outcome (one per problem, with its row number)
    and nothing is written.
    """
    started = time.monotonic()
    say = progress or (lambda message: None)
    source = f"{GIAS_SOURCE_PREFIX} {path.name}"[:120]
    report = outcome_for(source)
    say(f"Reading {path.name}")
    try:
        rows, report.errors = _read_gias_rows(path)
    except FileProblem as exc:
        report.refuse(str(exc))
        return report
    if report.errors:
        return report
    report.rows_read = len(rows)
    say(f"Validating {len(rows):,} rows")
    establishments, report.errors = _validate_gias_rows(rows)
    if report.errors:
        return report
    with transaction.atomic():
        _save_gias(establishments, source=source, report=report)
    return finish(report, started)


def _read_gias_rows(path: Path) -> tuple[list[dict[str, str]], list[RowError]]:
    """The rows by our column names, or the header's faults."""
    with _duckdb_files(path) as (connection, (csv_path,)):
        try:
            columns = connection.sql(f"select * from {_read_csv(csv_path)} limit 0").columns
        except duckdb.Error as exc:
            raise FileProblem(f"{path.name} could not be read as CSV: {exc}") from exc
        # GIAS names its columns exactly, and an extract has a hundred more than these.
        _, errors = check_header(columns, required=list(GIAS_COLUMNS.values()), key=str)
        if errors:
            return [], errors
        selected = ", ".join('"' + column.replace('"', '""') + '"' for column in GIAS_COLUMNS.values())
        result = _query(connection, f"select {selected} from {_read_csv(csv_path)}")
    names = list(GIAS_COLUMNS)
    return [{name: value or "" for name, value in zip(names, row, strict=True)} for row in result], []


def _validate_gias_rows(rows: list[dict[str, str]]) -> tuple[list[dict[str, Any]], list[RowError]]:
    errors: list[RowError] = []
    cleaned_rows: list[dict[str, Any]] = []
    first_row_of_urn: dict[int, int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as in a spreadsheet
        form = GiasRowForm(data=row)
        if not form.is_valid():
            for name, messages in form.errors.items():
                column = GIAS_COLUMNS.get(name, "Row")
                errors.extend(RowError(number, "", f"{column} {row.get(name)!r}: {message}") for message in messages)
            continue
        urn = form.cleaned_data["urn"]
        if urn in first_row_of_urn:
            errors.append(RowError(number, "", f"URN {urn} is also on row {first_row_of_urn[urn]}"))
            continue
        first_row_of_urn[urn] = number
        cleaned_rows.append(form.cleaned_data)
    return cleaned_rows, errors


def _save_gias(establishments: list[dict[str, Any]], *, source: str, report: ImportOutcome) -> None:
    local_authorities = {la.code: la for la in LocalAuthority.objects.all()}
    trusts = {trust.uid: trust for trust in Trust.objects.all()}
    named_local_authorities: dict[str, dict[str, Any]] = {}
    named_trusts: dict[int, dict[str, Any]] = {}
    for row in establishments:
        code, region = row["la_code"], normalise_region(row["region"])
        # Only English LAs (those in an English region) become LocalAuthority rows: Welsh and overseas
        # establishments carry pseudo-LA codes. Known LAs and trusts keep their registry names, so that
        # alternating registry and GIAS loads do not rename them back and forth.
        if code and region and row["la_name"]:
            named_local_authorities.setdefault(code, {"name": row["la_name"], "region": region})
        if row["trust_uid"]:
            named_trusts.setdefault(row["trust_uid"], {"name": row["trust_name"]})
    _upsert(
        LocalAuthority,
        wanted={
            code: ({} if code in local_authorities else values) for code, values in named_local_authorities.items()
        },
        existing=local_authorities,
        build=lambda code, values: _validated(LocalAuthority(code=code, **values)),
        counts=report.counts["local authorities"],
    )
    _upsert(
        Trust,
        wanted={uid: ({} if uid in trusts else values) for uid, values in named_trusts.items()},
        existing=trusts,
        build=lambda uid, values: _validated(Trust(uid=uid, **values)),
        counts=report.counts["trusts"],
    )
    la_ids = dict(LocalAuthority.objects.values_list("code", "id"))
    la_regions = dict(LocalAuthority.objects.values_list("code", "region"))
    trust_ids = dict(Trust.objects.values_list("uid", "id"))
    wanted: dict[int, dict[str, Any]] = {}
    for row in establishments:
        code = row["la_code"]
        has_laestab = code and int(code) > 0 and row["establishment_number"] is not None
        wanted[row["urn"]] = {
            "name": row["name"],
            "laestab": int(code) * 10000 + row["establishment_number"] if has_laestab else None,
            "local_authority_id": la_ids.get(code),
            "establishment_type": row["establishment_type"],
            "establishment_group": row["establishment_group"],
            "category": classify_establishment_type(row["establishment_type"]),
            "phase": row["phase"],
            "region": normalise_region(row["region"]) or la_regions.get(code, ""),
            "status": row["status"],
            "postcode": row["postcode"],
            "pupils": row["pupils"],
            # GIAS's NumberOfPupils is from the latest census the extract knows, so it has no year of its own.
            "pupils_source": source if row["pupils"] is not None else "",
            "pupils_year": "",
            "trust_id": trust_ids.get(row["trust_uid"]),
            "source": source,
        }
    _upsert(
        School,
        wanted=wanted,
        # All schools rather than urn__in: an extract's 50,000 URNs exceed SQLite's limit on query parameters.
        existing={school.urn: school for school in School.objects.all()},
        # GiasRowForm has already checked every field the new school gets.
        build=lambda urn, values: School(urn=urn, **values),
        counts=report.counts["schools"],
    )
