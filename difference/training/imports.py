"""Importing session registers from a spreadsheet, all or nothing.

The file is read as every import reads its files (``difference.core.files.read_table``): CSV in UTF-8 or
Windows-1252 with commas, semicolons or tabs (plain, gzipped or zipped), or the first sheet of an ``.xlsx``
workbook. Row 1 is the header; column names are case-insensitive, in any order. Blank rows are skipped.

==================  ========  =================================================================================
Column              Required  Values
==================  ========  =================================================================================
``session_id``      yes       the session's number on the platform (shown on its register page)
``email``           yes       the email of a person enrolled in the session's cohort (any case)
``status``          yes       present, late, left_early, excused or absent ("Left early" reads as left_early)
``minutes_missed``  no        whole minutes missed, only for late or left_early; blank means 0
==================  ========  =================================================================================

Every row is checked before anything counts, and every fault of every row is reported, numbered as a spreadsheet
shows it (the header is row 1). The marks are written session by session through ``services.save_register``, so
the register's rules are the ones the register page applies, inside one transaction that is rolled back if any
session's register is refused. Make-up sessions are written after the sessions they make up, so one file may mark
a leader absent from a session and present at its make-up. A dry run goes through the same writing and rolls it
back, so it finds exactly the faults a real import would. The ``ImportOutcome`` counts the marks as rows written
and totals the sessions they are for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from difference.core.files import (
    FileProblem,
    RowError,
    Table,
    check_header,
    column_key,
    name_of,
    read_bytes,
    read_table,
)
from difference.core.imports import ImportOutcome, Progress, no_progress, rows_done
from difference.training import services
from difference.training.models import AttendanceStatus, Enrolment, Session

if TYPE_CHECKING:
    from difference.accounts.models import User

TEMPLATE_HEADER = ["session_id", "email", "status", "minutes_missed"]
REQUIRED_COLUMNS = ["session_id", "email", "status"]
PROGRESS_EVERY = 100
# Where a register fault from the services belongs in the file.
FAULT_COLUMNS = {"enrolment": "email", "status": "status", "minutes_missed": "minutes_missed"}


# --- Validating rows -------------------------------------------------------------------------------------------------
def _required(column: str) -> dict[str, str]:
    return {"required": f"Every row needs a {column}."}


STATUS_CODES = ", ".join(AttendanceStatus.values)
ROW_FIELDS: dict[str, forms.Field] = {
    "session_id": forms.IntegerField(
        min_value=1,
        error_messages=_required("session_id")
        | {"invalid": "Give the session's number, e.g. 42.", "min_value": "Give the session's number, e.g. 42."},
    ),
    "email": forms.EmailField(
        max_length=254, error_messages=_required("email") | {"invalid": "“%(value)s” is not a valid email address."}
    ),
    "status": forms.ChoiceField(
        choices=AttendanceStatus.choices,
        error_messages=_required("status") | {"invalid_choice": f"“%(value)s” is not a mark: use {STATUS_CODES}."},
    ),
    "minutes_missed": forms.IntegerField(
        required=False,
        min_value=0,
        max_value=32767,
        error_messages={
            "invalid": "Give whole minutes, e.g. 15, or leave it blank.",
            "min_value": "Minutes missed cannot be negative.",
            "max_value": "That is more minutes than any session lasts.",
        },
    ),
}


@dataclass(frozen=True)
class _Row:
    number: int
    session_id: int
    email: str
    status: str
    minutes_missed: int


def _clean(number: int, line: list[str], columns: dict[str, int]) -> tuple[_Row | None, list[RowError]]:
    values = {name: line[position] if position < len(line) else "" for name, position in columns.items()}
    # Codes in any case, and the status as people write it ("Left early").
    values["email"] = values.get("email", "").lower()
    values["status"] = column_key(values.get("status", ""))
    cleaned: dict[str, Any] = {}
    errors: list[RowError] = []
    for name, row_field in ROW_FIELDS.items():
        try:
            cleaned[name] = row_field.clean(values.get(name, ""))
        except ValidationError as exc:
            errors.extend(RowError(number, name, message) for message in exc.messages)
    if errors:
        return None, errors
    return _Row(number, cleaned["session_id"], cleaned["email"], cleaned["status"], cleaned["minutes_missed"] or 0), []


def _extra_values(table: Table, columns: dict[str, int]) -> list[RowError]:
    """Values under no column name would be silently lost; better to say so."""
    named = set(columns.values()) | {position for position, name in enumerate(table.header) if name}
    return [
        RowError(number, "", f"There is a value in column {position + 1}, which has no name in row 1.")
        for number, line in table.rows
        for position, value in enumerate(line)
        if value and position not in named
    ]


# --- Matching rows to sessions and enrolments ----------------------------------------------------------------------
@dataclass
class _Plan:
    sessions: dict[int, Session]
    # Per session pk: enrolment pk → the row marking it.
    marks: dict[int, dict[int, _Row]]


def _match(rows: list[_Row]) -> tuple[_Plan, list[RowError]]:
    sessions = Session.objects.select_related("cohort__programme", "makeup_for").in_bulk(
        {row.session_id for row in rows}
    )
    cohort_ids = {session.cohort_id for session in sessions.values()}
    emails = {row.email for row in rows}
    enrolments: dict[tuple[int, str], list[Enrolment]] = defaultdict(list)
    found = (
        Enrolment.objects.filter(cohort_id__in=cohort_ids)
        .annotate(email_lower=Lower("person__email"))
        .filter(email_lower__in=emails)
        .select_related("person")
    )
    for match in found:
        enrolments[(match.cohort_id, match.email_lower)].append(match)
    known_emails = set(_known_emails(emails))
    plan = _Plan(sessions, defaultdict(dict))
    errors: list[RowError] = []
    first_row: dict[tuple[int, int], int] = {}
    for row in rows:
        session = sessions.get(row.session_id)
        if session is None:
            errors.append(RowError(row.number, "session_id", f"There is no session {row.session_id} on the platform."))
            continue
        matches = enrolments.get((session.cohort_id, row.email), [])
        if not matches:
            if row.email in known_emails:
                message = f"{row.email} is not enrolled in {session.cohort}, the cohort of session {session.pk}."
            else:
                message = f"No one on the platform has the email {row.email}."
            errors.append(RowError(row.number, "email", message))
            continue
        if len(matches) > 1:
            message = f"{len(matches)} people enrolled in {session.cohort} have the email {row.email} (in some case)."
            errors.append(RowError(row.number, "email", message + " Correct their records first."))
            continue
        enrolment_pk = matches[0].pk
        first = first_row.setdefault((session.pk, enrolment_pk), row.number)
        if first != row.number:
            message = f"Row {first} already marks {row.email} at session {session.pk}; a person has one mark a session."
            errors.append(RowError(row.number, "email", message))
            continue
        plan.marks[session.pk][enrolment_pk] = row
    return plan, errors


def _known_emails(emails: set[str]) -> list[str]:
    from difference.people.models import Person

    return list(
        Person.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )


# --- Writing ---------------------------------------------------------------------------------------------------------
class _RollBack(Exception):
    """Leaves the import's transaction so that it is rolled back: faults were found, or this is a dry run."""


def _write(plan: _Plan, *, by: User | None, progress: Progress, total: int) -> list[RowError]:
    """Save each session's register, originals before their make-ups, collecting every fault rather than stopping."""
    errors: list[RowError] = []
    done = 0
    ordered = sorted(plan.marks, key=lambda pk: (plan.sessions[pk].makeup_for_id is not None, pk))
    for session_pk in ordered:
        session = plan.sessions[session_pk]
        rows = plan.marks[session_pk]
        marks = {pk: (row.status, row.minutes_missed) for pk, row in rows.items()}
        faults = services.register_faults(session=session, marks=marks)
        for fault in faults:
            row = rows[fault.enrolment]
            message = f"{fault.name or row.email}: {fault.message}"
            errors.append(RowError(row.number, FAULT_COLUMNS.get(fault.field, ""), message))
        # The marks without faults are written even when others are refused (everything is rolled back then), so
        # that the checks of a make-up see the original session as the file marks it.
        refused = {fault.enrolment for fault in faults}
        sound = {pk: value for pk, value in marks.items() if pk not in refused}
        if sound:
            services.save_register(session=session, marks=sound, by=by)
        done += len(rows)
        progress(rows_done("Written", done, total))
    return errors


def import_registers(
    source: Path | IO[bytes],
    *,
    filename: str = "",
    dry_run: bool = False,
    by: User | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check a file of register marks and, if every row is valid and not ``dry_run``, write them all.

    ``source`` is a path or a binary file (an upload); ``filename`` names it in messages. ``by`` is the importing
    user, recorded on each mark. The outcome's ``errors`` list every fault; when there are any, nothing was written.
    """
    outcome = ImportOutcome(source=name_of(source, filename), dry_run=dry_run)
    report = progress or no_progress
    try:
        table = read_table(read_bytes(source, outcome.source), required_columns=TEMPLATE_HEADER)
    except FileProblem as exc:
        outcome.refuse(str(exc))
        return outcome
    outcome.rows_read = len(table.rows)
    columns, errors = check_header(table.header, allowed=TEMPLATE_HEADER, required=REQUIRED_COLUMNS)
    if errors:
        outcome.errors = errors
        return outcome
    errors += _extra_values(table, columns)
    rows: list[_Row] = []
    for done, (number, line) in enumerate(table.rows, start=1):
        row, faults = _clean(number, line, columns)
        errors += faults
        if row is not None:
            rows.append(row)
        if done % PROGRESS_EVERY == 0 or done == len(table.rows):
            report(rows_done("Validated", done, len(table.rows)))
    if not table.rows:
        errors.append(RowError(None, "", "The file has a header but no marks below it."))
    plan, match_errors = _match(rows)
    errors += match_errors
    try:
        with transaction.atomic():
            total = sum(len(marks) for marks in plan.marks.values())
            errors += _write(plan, by=by, progress=report, total=total)
            if errors or dry_run:
                raise _RollBack
    except _RollBack:
        pass
    except (IntegrityError, ValidationError) as exc:
        # Someone changed a register or an enrolment between the checks and the writing.
        errors.append(RowError(None, "", f"The platform changed while importing ({exc}). Import the file again."))
    outcome.errors = sorted(errors, key=lambda e: (e.row or 0, _column_order(e.column)))
    if outcome.ok:
        outcome.rows_written = sum(len(marks) for marks in plan.marks.values())
        outcome.totals["sessions"] = len(plan.marks)
    return outcome


def _column_order(column: str) -> int:
    return TEMPLATE_HEADER.index(column) if column in TEMPLATE_HEADER else -1
