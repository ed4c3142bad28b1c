"""A trust's data for an engagement, from a spreadsheet in one of two templates, all or nothing.

The file is a CSV (UTF-8 with or without a byte-order mark, or Windows-1252 as older Excel saves it; plain, gzipped
or zipped) or an Excel workbook (``.xlsx``, first sheet), read by ``difference.core.files``. Row 1 is the header;
column names are case-insensitive and in any order.

**School-level template**, one row per school and academic year:

========================  ========  ===========================================================================
Column                    Required  Values
========================  ========  ===========================================================================
``urn``                   yes       the school's URN; the school must be in the registry and not in another trust
``academic_year``         yes       e.g. 2022/23 (also 2022-23 or 202223)
``headcount``             yes       pupils on roll (the denominator of the exclusion rates), at least 1
``suspensions``           no        number of suspensions in the year; blank means not supplied (never 0)
``one_plus_suspensions``  no        pupils with one or more suspensions (at most headcount and suspensions)
``permanent_exclusions``  no        number of permanent exclusions (at most headcount)
``sessions_possible``     no        possible half-day sessions, all pupils together
``sessions_missed``       no        sessions missed for any reason (at most sessions_possible)
========================  ========  ===========================================================================

**Pupil-level template**, one row per pupil for the engagement's academic year. Pupils are pseudonymous: the
reference is the trust's own, and a name or a UPN in it is refused.

=======================  ========  ============================================================================
Column                   Required  Values
=======================  ========  ============================================================================
``pupil_ref``            yes       the trust's pseudonymous reference: letters, digits, - or _, at most 40;
                                   unique in the file; not a UPN
``urn``                  yes       the pupil's school, as above
``year_group``           yes       N1, N2, R, 1 to 14
``sen_status``           yes       none (or N), sen_support (or K), ehc_plan (or E)
``fsm``                  yes       yes or no: eligible for free school meals
``ethnicity_group``      yes       white, mixed, asian, black, chinese, other or unclassified
``suspensions``          yes       the pupil's suspensions in the year, 0 or more
``permanent_exclusion``  yes       yes or no
``sessions_possible``    yes       the pupil's possible half-day sessions
``sessions_missed``      yes       sessions missed for any reason (at most sessions_possible)
=======================  ========  ============================================================================

Every row is checked before anything is written and every fault is reported, numbered as a spreadsheet shows it
(the header is row 1). Only a file with no faults is written, in one transaction, and it replaces the rows of the
same kind that the engagement had. The ``ImportOutcome`` counts the rows stored and totals the schools they are for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from difference.benchmarks.loaders import academic_year
from difference.consultancy.models import (
    DataUpload,
    Engagement,
    EthnicityGroup,
    PupilReturn,
    SchoolReturn,
    SenStatus,
    UploadKind,
)
from difference.core.files import FileProblem, RowError, check_header, name_of, read_bytes, read_table
from difference.core.imports import ImportOutcome, Progress, no_progress, rows_done
from difference.schools.models import School

# A large trust has tens of thousands of pupils; the school census of the biggest is under 100,000.
MAX_PUPIL_ROWS = 150_000
MAX_SCHOOL_ROWS = 5_000
PROGRESS_EVERY = 5_000
WRITE_CHUNK = 2_000
# Keeps ``__in`` lookups under SQLite's limit on query parameters.
QUERY_CHUNK = 500

SCHOOL_COLUMNS = [
    "urn", "academic_year", "headcount", "suspensions", "one_plus_suspensions", "permanent_exclusions",
    "sessions_possible", "sessions_missed",
]  # fmt: skip
SCHOOL_REQUIRED = ["urn", "academic_year", "headcount"]
PUPIL_COLUMNS = [
    "pupil_ref", "urn", "year_group", "sen_status", "fsm", "ethnicity_group", "suspensions", "permanent_exclusion",
    "sessions_possible", "sessions_missed",
]  # fmt: skip
TEMPLATE_COLUMNS = {UploadKind.SCHOOL: SCHOOL_COLUMNS, UploadKind.PUPIL: PUPIL_COLUMNS}
# One example row per template, for the downloadable templates (an invented school and pupil).
TEMPLATE_EXAMPLES = {
    UploadKind.SCHOOL: ["100000", "2022/23", "1012", "183", "71", "2", "325840", "24150"],
    UploadKind.PUPIL: ["P-000123", "100000", "9", "sen_support", "yes", "white", "2", "no", "322", "41"],
}

YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}
SEN_CODES = {
    **{value: value for value in SenStatus.values},
    "n": SenStatus.NONE, "no sen": SenStatus.NONE, "k": SenStatus.SUPPORT, "sen support": SenStatus.SUPPORT,
    "e": SenStatus.EHC_PLAN, "ehcp": SenStatus.EHC_PLAN, "ehc plan": SenStatus.EHC_PLAN,
}  # fmt: skip
ETHNICITY_CODES = {
    **{value: value for value in EthnicityGroup.values},
    **{label.lower(): value for value, label in EthnicityGroup.choices},
    "asian": EthnicityGroup.ASIAN, "black": EthnicityGroup.BLACK, "any other": EthnicityGroup.OTHER,
}  # fmt: skip
ETHNICITY_ALLOWED = ", ".join(EthnicityGroup.values)
YEAR_GROUPS = {"N1", "N2", "R", *(str(n) for n in range(1, 15))}
PUPIL_REF = re.compile(r"[A-Za-z0-9_-]{1,40}\Z")
# A unique pupil number: a check letter, 11 digits and a digit or letter (a temporary UPN ends in a letter).
UPN = re.compile(r"[A-Za-z]\d{11}[0-9A-Za-z]\Z")


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def upload_data(
    engagement: Engagement,
    source: Path | IO[bytes],
    *,
    kind: str,
    filename: str = "",
    by: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check a file against the ``kind`` template and, if every row is valid and not ``dry_run``, store it all,
    replacing the engagement's earlier rows of that kind."""
    if kind not in TEMPLATE_COLUMNS:
        raise ValueError(f"Unknown upload kind {kind!r}; use one of {', '.join(TEMPLATE_COLUMNS)}.")
    filename = name_of(source, filename)
    outcome = ImportOutcome(source=filename, dry_run=dry_run)
    report = progress or no_progress
    columns = TEMPLATE_COLUMNS[UploadKind(kind)]
    required = SCHOOL_REQUIRED if kind == UploadKind.SCHOOL else PUPIL_COLUMNS
    max_rows = MAX_SCHOOL_ROWS if kind == UploadKind.SCHOOL else MAX_PUPIL_ROWS
    try:
        raw = read_bytes(source, filename)
        table = read_table(raw, required_columns=required, max_rows=max_rows)
    except FileProblem as exc:
        outcome.refuse(str(exc))
        return outcome
    outcome.rows_read = len(table.rows)
    positions, outcome.errors = check_header(table.header, allowed=columns, required=required)
    if outcome.errors:
        return outcome
    if not table.rows:
        outcome.refuse("The file has a header but no rows: nothing to upload.")
        return outcome
    records = [dict.fromkeys(columns, "") | {c: _at(v, p) for c, p in positions.items()} for _, v in table.rows]
    schools, school_errors = _schools(engagement, table.rows, records)
    outcome.errors += school_errors
    validate = _school_row if kind == UploadKind.SCHOOL else _pupil_row
    cleaned: list[dict[str, Any]] = []
    seen: dict[tuple[object, ...], int] = {}
    for done, ((number, _), record) in enumerate(zip(table.rows, records, strict=True), start=1):
        if done % PROGRESS_EVERY == 0:
            report(rows_done("Validated", done, outcome.rows_read))
        try:
            row = validate(record)
        except _Bad as bad:
            outcome.errors.append(RowError(number, bad.column, bad.message))
            continue
        key = (row["urn"], row["academic_year"]) if kind == UploadKind.SCHOOL else (row["pupil_ref"],)
        if key in seen:
            what = "school and year" if kind == UploadKind.SCHOOL else "pupil_ref"
            column = "urn" if kind == UploadKind.SCHOOL else "pupil_ref"
            outcome.errors.append(RowError(number, column, f"The same {what} as row {seen[key]}."))
            continue
        seen[key] = number
        cleaned.append(row)
    report(rows_done("Validated", outcome.rows_read, outcome.rows_read))
    outcome.errors.sort(key=lambda error: (error.row or 0, error.column))
    if outcome.errors:
        return outcome
    outcome.rows_written = len(cleaned)
    outcome.totals["schools"] = len({row["urn"] for row in cleaned})
    if not dry_run:
        report(f"Writing {len(cleaned):,} rows")
        with transaction.atomic():
            _write(engagement, kind, cleaned, schools, filename=filename, sha256=raw.sha256(), by=by)
    return outcome


def _at(values: Sequence[str], position: int) -> str:
    return values[position] if position < len(values) else ""


def _schools(
    engagement: Engagement, rows: Sequence[tuple[int, list[str]]], records: Sequence[dict[str, str]]
) -> tuple[dict[int, School], list[RowError]]:
    """The registry's schools for the file's URNs; an error for each row whose URN is unknown or another trust's."""
    urns = {int(record["urn"]) for record in records if record["urn"].isdigit()}
    found: dict[int, School] = {}
    ordered = sorted(urns)
    for start in range(0, len(ordered), QUERY_CHUNK):
        chunk = ordered[start : start + QUERY_CHUNK]
        found.update({s.urn: s for s in School.objects.filter(urn__in=chunk).select_related("trust")})
    errors = []
    for (number, _), record in zip(rows, records, strict=True):
        text = record["urn"]
        if not text:
            errors.append(RowError(number, "urn", "Every row needs a URN."))
        elif not text.isdigit():
            errors.append(RowError(number, "urn", f"“{text}” is not a URN: a URN is a number such as 100000."))
        elif int(text) not in found:
            errors.append(RowError(number, "urn", f"No school with URN {text} is in the registry."))
        elif (school := found[int(text)]).trust_id not in (None, engagement.trust_id):
            errors.append(
                RowError(number, "urn", f"URN {text} ({school.name}) belongs to another trust ({school.trust}).")
            )
    return found, errors


def _count(record: dict[str, str], column: str, *, required: bool, minimum: int = 0) -> int | None:
    text = record[column].replace(",", "")
    if not text:
        if required:
            raise _Bad(column, f"Every row needs {column.replace('_', ' ')}.")
        return None
    if not text.isdigit():
        raise _Bad(column, f"“{record[column]}” is not a whole number of 0 or more.")
    value = int(text)
    if value < minimum:
        raise _Bad(column, f"Must be at least {minimum}; this is {value}.")
    return value


def _year(record: dict[str, str]) -> str:
    period = academic_year(record["academic_year"]) if record["academic_year"] else None
    if period is None:
        raise _Bad("academic_year", f"“{record['academic_year']}” is not an academic year such as 2022/23.")
    return period


def _school_row(record: dict[str, str]) -> dict[str, Any]:
    year = _year(record)
    headcount = _count(record, "headcount", required=True, minimum=1)
    assert headcount is not None
    row: dict[str, Any] = {"urn": int(record["urn"]), "academic_year": year, "headcount": headcount}
    for column in SCHOOL_COLUMNS[3:]:
        row[column] = _count(record, column, required=False)
    if row["one_plus_suspensions"] is not None and row["one_plus_suspensions"] > headcount:
        raise _Bad("one_plus_suspensions", f"More pupils suspended ({row['one_plus_suspensions']}) than on roll.")
    if None not in (row["one_plus_suspensions"], row["suspensions"]) and (
        row["one_plus_suspensions"] > row["suspensions"]
    ):
        raise _Bad("one_plus_suspensions", "More pupils with a suspension than suspensions: each has at least one.")
    if row["permanent_exclusions"] is not None and row["permanent_exclusions"] > headcount:
        raise _Bad("permanent_exclusions", f"More permanent exclusions ({row['permanent_exclusions']}) than pupils.")
    _sessions(row)
    return row


def _sessions(row: dict[str, Any]) -> None:
    if row["sessions_missed"] is not None and row["sessions_possible"] is None:
        raise _Bad("sessions_possible", "Sessions missed are given without the sessions possible.")
    if None not in (row["sessions_missed"], row["sessions_possible"]) and (
        row["sessions_missed"] > row["sessions_possible"]
    ):
        raise _Bad("sessions_missed", f"More sessions missed than possible ({row['sessions_possible']}).")


def _pupil_row(record: dict[str, str]) -> dict[str, Any]:
    ref = record["pupil_ref"]
    if not ref:
        raise _Bad("pupil_ref", "Every row needs a pupil_ref.")
    if UPN.match(ref):
        raise _Bad("pupil_ref", "This looks like a UPN. Use the trust's own pseudonymous reference, never a UPN.")
    if not PUPIL_REF.match(ref):
        raise _Bad("pupil_ref", "Use letters, digits, - or _ only (at most 40): a pseudonymous reference, not a name.")
    year_group = record["year_group"].upper().removeprefix("YEAR").strip()
    if year_group not in YEAR_GROUPS:
        raise _Bad("year_group", f"“{record['year_group']}” is not a year group: use N1, N2, R or 1 to 14.")
    row: dict[str, Any] = {
        "pupil_ref": ref,
        "urn": int(record["urn"]),
        "academic_year": "",
        "year_group": year_group,
        "sen_status": _code(record, "sen_status", SEN_CODES, "none, sen_support or ehc_plan (or N, K, E)"),
        "fsm": _yes_no(record, "fsm"),
        "ethnicity_group": _code(record, "ethnicity_group", ETHNICITY_CODES, ETHNICITY_ALLOWED),
        "suspensions": _count(record, "suspensions", required=True),
        "permanent_exclusion": _yes_no(record, "permanent_exclusion"),
        "sessions_possible": _count(record, "sessions_possible", required=True),
        "sessions_missed": _count(record, "sessions_missed", required=True),
    }
    if row["suspensions"] > 999:
        raise _Bad("suspensions", f"{row['suspensions']} suspensions for one pupil in a year cannot be right.")
    _sessions(row)
    return row


def _code(record: dict[str, str], column: str, codes: dict[str, str], allowed: str) -> str:
    text = " ".join(record[column].lower().replace("_", " ").split())
    value = codes.get(text) or codes.get(text.replace(" ", "_"))
    if value is None:
        raise _Bad(column, f"“{record[column]}” is not allowed: use {allowed}.")
    return value


def _yes_no(record: dict[str, str], column: str) -> bool:
    value = YES_NO.get(record[column].lower())
    if value is None:
        raise _Bad(column, f"“{record[column]}” is not allowed: use yes or no.")
    return value


def _write(
    engagement: Engagement,
    kind: str,
    rows: list[dict[str, Any]],
    schools: dict[int, School],
    *,
    filename: str,
    sha256: str,
    by: Any,
) -> DataUpload:
    earlier = DataUpload.objects.filter(engagement=engagement, kind=kind, replaced=False)
    earlier.update(replaced=True)
    model: type[SchoolReturn] | type[PupilReturn] = SchoolReturn if kind == UploadKind.SCHOOL else PupilReturn
    model.objects.filter(engagement=engagement).delete()
    upload = DataUpload.objects.create(
        engagement=engagement,
        kind=kind,
        filename=filename[:255],
        sha256=sha256,
        rows=len(rows),
        schools=len({row["urn"] for row in rows}),
        uploaded_by=by,
    )
    objects: list[Any] = []
    for row in rows:
        fields = {k: v for k, v in row.items() if k != "urn" and (k != "academic_year" or kind == UploadKind.SCHOOL)}
        objects.append(model(engagement=engagement, upload=upload, school=schools[row["urn"]], **fields))
    model.objects.bulk_create(objects, batch_size=WRITE_CHUNK)
    return upload


def template_rows(kind: str) -> tuple[list[str], list[list[str]]]:
    """The header and one invented example row of a template, for users to download and fill in."""
    return TEMPLATE_COLUMNS[UploadKind(kind)], [TEMPLATE_EXAMPLES[UploadKind(kind)]]
