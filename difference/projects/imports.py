"""A project's pupils and their results on one measure, from a spreadsheet, all or nothing; and one test round
entered on a form.

The file is read as every import reads its files (``difference.core.files.read_table``): CSV in UTF-8 or
Windows-1252 with commas, semicolons or tabs (plain, gzipped or zipped), or the first sheet of an ``.xlsx``
workbook. Row 1 is the header; column names are case-insensitive and in any order. One row is one pupil's result
in one test round (or their absence from it), so a pupil tested twice has two rows.

================  ========  =======================================================================================
Column            Required  Values
================  ========  =======================================================================================
``pupil_code``    yes       the school's own code for the pupil: letters, digits, - or _, at most 20; never a name
                            or a UPN (the school keeps the key to its codes)
``birth_month``   yes       the month of birth as YYYY-MM, e.g. 2012-03 (a date on the 1st, as Excel stores a typed
                            month, reads as that month; any other day is refused: no day of birth is kept)
``year_group``    yes       1 to 14 ("Year 9" and "Y9" read as 9)
``joined_on``     no        when the pupil joined the school, as YYYY-MM-DD or DD/MM/YYYY
``left_on``       no        when the pupil left, if they have (not before joined_on)
``sen``           no        none, support or ehcp (blank: not recorded)
``fsm``           no        yes or no: eligible for free school meals (blank: not recorded)
``test_date``     yes       the day of the test round, as a date above; not before the pupil's birth, not in the future
``value``         yes       a reading age as years:months (9:07 or 9:7), as 9y7m (or "9y 7m", "9 years 7 months"),
                            or as whole months (115); years.months (9.7) is refused as ambiguous. For any other
                            measure, the score (at most two decimals). Within the measure's minimum and maximum.
                            Blank only when the pupil was absent.
``test_form``     no        the form or version of the test, e.g. A
``absent``        no        yes when a pupil on roll missed this round (value then blank); blank or no otherwise
================  ========  =======================================================================================

A pupil's details (birth month, year group, dates on roll, SEN, FSM) must be the same on every row that names them;
a pupil already stored takes the file's details. A column that looks like it holds names or other identifiers
(first_name, surname, pupil_name, upn, dob, ...) refuses the whole file before any value is read.

Every row is checked before anything is written and every fault is reported, numbered as a spreadsheet shows it (the
header is row 1). Only a file with no faults is written, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from difference.core.files import FileProblem, RowError, check_header, column_key, name_of, read_bytes, read_table
from difference.core.imports import Counts, ImportOutcome, Progress, no_progress, rows_done
from difference.projects.models import Absence, Assessment, Measure, Project, Pupil, SenProvision

if TYPE_CHECKING:
    from difference.accounts.models import User

COLUMNS = [
    "pupil_code", "birth_month", "year_group", "joined_on", "left_on", "sen", "fsm", "test_date", "value",
    "test_form", "absent",
]  # fmt: skip
REQUIRED_COLUMNS = ["pupil_code", "birth_month", "year_group", "test_date", "value"]
# One invented example row, for the downloadable template.
TEMPLATE_EXAMPLE = ["P-017", "2012-03", "7", "2022-09-05", "", "support", "yes", "2022-10-03", "9:07", "A", ""]
# A school's project has tens or hundreds of pupils, each tested a few times.
MAX_ROWS = 5_000
PROGRESS_EVERY = 500

PUPIL_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}\Z")
# A unique pupil number: a check letter, 11 digits and a digit or letter (a temporary UPN ends in a letter).
UPN = re.compile(r"[A-Za-z]\d{11}[0-9A-Za-z]\Z")

# Column names that hold, or are likely to hold, what identifies a pupil. Compared without underscores, so that
# "First name", "first_name" and "FirstName" are all caught.
IDENTIFYING_COLUMNS = {
    "name", "names", "firstname", "forename", "forenames", "givenname", "middlename", "surname",
    "lastname", "familyname", "fullname", "preferredname", "legalname", "pupilname", "studentname", "childname",
    "learnername", "upn", "uln", "pupilupn", "dob", "dateofbirth", "birthdate", "birthday", "datebirth",
    "postcode", "address", "email", "phone", "candidatenumber",
}  # fmt: skip
# Any word of the name that says it is a name or an identifier ("Name of pupil", "Pupil's UPN").
IDENTIFYING_WORDS = {"name", "names", "surname", "forename", "forenames", "upn", "uln", "dob"}
NO_NAMES = (
    "Column “{column}” looks like it holds pupils' names or identifiers. The platform keeps no names, UPNs or dates "
    "of birth: give each pupil the school's own code in pupil_code (the school keeps the key to its codes), and the "
    "month of birth in birth_month. Remove the column and import the file again."
)

SEN_CODES = {
    "none": SenProvision.NONE, "n": SenProvision.NONE, "no": SenProvision.NONE, "no sen": SenProvision.NONE,
    "support": SenProvision.SUPPORT, "k": SenProvision.SUPPORT, "sen support": SenProvision.SUPPORT,
    "ehcp": SenProvision.EHCP, "e": SenProvision.EHCP, "ehc plan": SenProvision.EHCP,
}  # fmt: skip
YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}

YEARS_MONTHS = re.compile(r"(\d{1,2})\s*:\s*(\d{1,2})(?::00)?\Z")  # 9:07, and 09:07:00 (Excel's time for "9:07")
YEARS_MONTHS_WORDS = re.compile(r"(\d{1,2})\s*y(?:ears?|rs?)?\s*(?:(\d{1,2})\s*m(?:onths?|ths?)?)?\Z")
WHOLE_MONTHS = re.compile(r"\d{1,3}\Z")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\Z")
MONTH = re.compile(r"(\d{4})[-/](\d{1,2})\Z")


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


# --- Values -------------------------------------------------------------------------------------------------------
def months_text(months: Decimal) -> str:
    """A reading age in months as teachers write it: 115 → "9:07"."""
    whole = int(months)
    return f"{whole // 12}:{whole % 12:02d}"


def read_value(measure: Measure, text: str) -> Decimal:
    """A result as typed, in the measure's unit (reading ages in months), checked against the measure's range.

    Raises ``ValidationError`` with a message a teacher can act on; the round form and the API read values here too.
    """
    text = text.strip()
    if not text:
        raise ValidationError("Give the result, or mark the pupil absent.")
    value = _reading_age(text) if measure.is_reading_age else _score(text)
    _check_range(measure, value, text)
    return value


def _reading_age(text: str) -> Decimal:
    lowered = text.lower()
    match = YEARS_MONTHS.match(lowered) or YEARS_MONTHS_WORDS.match(lowered)
    if match:
        years, months = int(match[1]), int(match[2] or 0)
        if months > 11:
            raise ValidationError(f"“{text}” has {months} months: months run from 0 to 11 (9:07 is 9 years 7 months).")
        return Decimal(years * 12 + months)
    if WHOLE_MONTHS.match(lowered):
        return Decimal(int(lowered))
    if re.fullmatch(r"\d{1,2}\.\d{1,2}", lowered):
        # 9.10 and 9.1 would read the same as a number, and 9.5 could be months or half a year.
        raise ValidationError(
            f"“{text}” is ambiguous: write a reading age as years:months (9:07) or 9y7m, or as whole months (115)."
        )
    raise ValidationError(f"“{text}” is not a reading age: write years:months (9:07), 9y7m, or whole months (115).")


def _score(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"“{text}” is not a number.") from None
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(f"“{text}” has more than two decimals.")
    if abs(value) >= 100_000:
        raise ValidationError(f"“{text}” is larger than any score this platform stores.")
    return value


def _shown(measure: Measure, value: Decimal) -> str:
    value = Decimal(value)  # a measure made in code may hold an int until it is read back
    if measure.is_reading_age:
        return f"{months_text(value)} ({value:f} months)"
    return f"{value.normalize():f}"


def _check_range(measure: Measure, value: Decimal, text: str) -> None:
    hint = ""
    if measure.is_reading_age and WHOLE_MONTHS.match(text) and value < 24:
        hint = " A plain number is read as months: write years and months as 9:07."
    if measure.minimum is not None and value < measure.minimum:
        raise ValidationError(
            f"{_shown(measure, value)} is below the lowest result {measure} can give, "
            f"{_shown(measure, measure.minimum)}.{hint}"
        )
    if measure.maximum is not None and value > measure.maximum:
        raise ValidationError(
            f"{_shown(measure, value)} is above the highest result {measure} can give, "
            f"{_shown(measure, measure.maximum)}."
        )


def _date(text: str, column: str) -> dt.date:
    match = ISO_DATE.match(text)
    parts = (match[1], match[2], match[3]) if match else None
    if parts is None and (uk := UK_DATE.match(text)):
        parts = (uk[3], uk[2], uk[1])
    if parts is None:
        raise _Bad(column, f"“{text}” is not a date: write it as YYYY-MM-DD (2023-04-03) or DD/MM/YYYY.")
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise _Bad(column, f"“{text}” is not a date in the calendar.") from None


def _optional_date(text: str, column: str) -> dt.date | None:
    return _date(text, column) if text else None


def _birth_month(text: str) -> tuple[int, int]:
    if not text:
        raise _Bad("birth_month", "Every row needs the pupil's birth_month, e.g. 2012-03.")
    if match := MONTH.match(text):
        year, month = int(match[1]), int(match[2])
    elif ISO_DATE.match(text) or UK_DATE.match(text):
        day = _date(text, "birth_month")
        if day.day != 1:
            raise _Bad(
                "birth_month",
                f"“{text}” is a date of birth: the platform keeps no day of birth. Give the month only, e.g. "
                f"{day.year}-{day.month:02d}.",
            )
        year, month = day.year, day.month
    else:
        raise _Bad("birth_month", f"“{text}” is not a month: write the month of birth as YYYY-MM, e.g. 2012-03.")
    if not 1 <= month <= 12:
        raise _Bad("birth_month", f"“{text}” has no month {month}: months run from 01 to 12.")
    if not 1990 <= year <= 2100:
        raise _Bad("birth_month", f"“{text}” is not a pupil's year of birth.")
    return year, month


def _year_group(text: str) -> int:
    cleaned = text.lower().removeprefix("year").removeprefix("y").strip()
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= 14:
        raise _Bad("year_group", f"“{text}” is not a year group: give 1 to 14.")
    return int(cleaned)


def _pupil_code(text: str) -> str:
    if not text:
        raise _Bad("pupil_code", "Every row needs the pupil's code.")
    if UPN.match(text):
        raise _Bad("pupil_code", "This looks like a UPN. Use the school's own code for the pupil, never a UPN.")
    if not PUPIL_CODE.match(text):
        raise _Bad(
            "pupil_code",
            f"“{text}” is not a pupil code: use letters, digits, - or _ only (at most 20). The platform keeps no "
            "names; the school keeps the key to its codes.",
        )
    return text


def clean_pupil_code(text: str) -> str:
    """A pupil code entered on a form or through the API, under the import's rule (no names, no UPNs)."""
    try:
        return _pupil_code(text.strip())
    except _Bad as bad:
        raise ValidationError(bad.message) from None


def _choice(text: str, column: str, codes: dict[str, Any], allowed: str) -> Any:
    key = " ".join(text.lower().replace("_", " ").split())
    if key not in codes:
        raise _Bad(column, f"“{text}” is not allowed: use {allowed}.")
    return codes[key]


# --- Rows ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Details:
    """What the platform knows of a pupil; the same on every row of the file that names them."""

    birth_year: int
    birth_month: int
    year_group: int
    joined_on: dt.date | None
    left_on: dt.date | None
    sen: str
    fsm: bool | None


DETAIL_COLUMNS = {
    "birth_year": "birth_month", "birth_month": "birth_month", "year_group": "year_group",
    "joined_on": "joined_on", "left_on": "left_on", "sen": "sen", "fsm": "fsm",
}  # fmt: skip


@dataclass(frozen=True)
class _Row:
    number: int
    code: str
    details: _Details
    test_date: dt.date
    value: Decimal | None  # None: absent
    test_form: str


def _field(errors: list[RowError], number: int, read: Callable[[], Any]) -> Any:
    """The value ``read`` gives, or None with its fault added to ``errors``: every fault of a row is reported."""
    try:
        return read()
    except _Bad as bad:
        errors.append(RowError(number, bad.column, bad.message))
    return None


def _value(measure: Measure, text: str, absent: bool) -> Decimal | None:
    if absent:
        if text:
            raise _Bad("value", "A pupil marked absent has no result: leave value blank, or clear absent.")
        return None
    if not text:
        raise _Bad("value", "Give the result, or write yes under absent for a pupil who missed this round.")
    try:
        return read_value(measure, text)
    except ValidationError as exc:
        raise _Bad("value", " ".join(exc.messages)) from None


def _clean_row(
    number: int, record: dict[str, str], measure: Measure, today: dt.date
) -> tuple[_Row | None, list[RowError]]:
    errors: list[RowError] = []
    code = _field(errors, number, lambda: _pupil_code(record["pupil_code"]))
    birth = _field(errors, number, lambda: _birth_month(record["birth_month"]))
    year_group = _field(errors, number, lambda: _year_group(record["year_group"]))
    joined_on = _field(errors, number, lambda: _optional_date(record["joined_on"], "joined_on"))
    left_on = _field(errors, number, lambda: _optional_date(record["left_on"], "left_on"))
    sen = _field(errors, number, lambda: _sen(record["sen"]))
    fsm = _field(errors, number, lambda: _yes_no_blank(record["fsm"], "fsm"))
    test_date = _field(errors, number, lambda: _test_date(record["test_date"], today))
    faults = len(errors)
    absent = _field(errors, number, lambda: bool(_yes_no_blank(record["absent"], "absent")))
    # Whether a value is wanted depends on absent: no second fault about the value of a row whose absent is wrong.
    value = (
        _field(errors, number, lambda: _value(measure, record["value"], bool(absent)))
        if len(errors) == faults
        else None
    )
    test_form = record["test_form"]
    if len(test_form) > 40:
        errors.append(RowError(number, "test_form", "A test form is at most 40 characters, e.g. A or Form 2."))
    if joined_on and left_on and left_on < joined_on:
        errors.append(
            RowError(number, "left_on", f"left_on {left_on:%d/%m/%Y} is before joined_on {joined_on:%d/%m/%Y}.")
        )
    if birth and test_date and test_date < dt.date(birth[0], birth[1], 1):
        message = f"The test date {test_date:%d/%m/%Y} is before the pupil was born ({birth[0]}-{birth[1]:02d})."
        errors.append(RowError(number, "test_date", message))
    if birth and dt.date(birth[0], birth[1], 1) > today:
        errors.append(RowError(number, "birth_month", "This birth month is in the future."))
    if errors:
        return None, errors
    details = _Details(birth[0], birth[1], year_group, joined_on, left_on, sen, fsm)
    return _Row(number, code, details, test_date, value, test_form), []


def _sen(text: str) -> str:
    return _choice(text, "sen", SEN_CODES, "none, support or ehcp") if text else ""


def _yes_no_blank(text: str, column: str) -> bool | None:
    return _choice(text, column, YES_NO, "yes, no, or leave it blank") if text else None


def _test_date(text: str, today: dt.date) -> dt.date:
    if not text:
        raise _Bad("test_date", "Every row needs the test_date of its round.")
    day = _date(text, "test_date")
    if day > today:
        raise _Bad("test_date", f"The test date {day:%d/%m/%Y} is in the future.")
    return day


def _disagreements(first: _Row, row: _Row) -> list[RowError]:
    """A later row naming a pupil must give the details their first row gave."""
    errors = []
    reported: set[str] = set()
    for detail in fields(_Details):
        before, now = getattr(first.details, detail.name), getattr(row.details, detail.name)
        column = DETAIL_COLUMNS[detail.name]
        if before != now and column not in reported:
            reported.add(column)
            errors.append(
                RowError(
                    row.number,
                    column,
                    f"Pupil {row.code} has a different {column} here than on row {first.number}: a pupil's "
                    "details must be the same on every row.",
                )
            )
    return errors


# --- The import ---------------------------------------------------------------------------------------------------
def _identifying(header: Sequence[str]) -> list[RowError]:
    errors = []
    for name in header:
        key = column_key(name).replace("'", "")
        if key in COLUMNS or not key:
            continue
        if key.replace("_", "") in IDENTIFYING_COLUMNS or IDENTIFYING_WORDS & set(key.split("_")):
            errors.append(RowError(1, name, NO_NAMES.format(column=name)))
    return errors


def _header(header: Sequence[str]) -> tuple[dict[str, int], list[RowError]]:
    refused = _identifying(header)
    if refused:
        return {}, refused
    positions, errors = check_header(header, allowed=COLUMNS, required=REQUIRED_COLUMNS)
    expected = f" The columns are: {', '.join(COLUMNS)}; of them {', '.join(REQUIRED_COLUMNS)} are required."
    return positions, [
        RowError(e.row, e.column, e.message + expected) if e.message.startswith("Missing") else e for e in errors
    ]


def import_assessments(
    *,
    project: Project,
    measure: Measure,
    path_or_file: Path | IO[bytes],
    dry_run: bool,
    by: User | None,
    filename: str = "",
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check a file of ``measure``'s results and, if every row is valid and not ``dry_run``, store its pupils (new
    ones created, known ones updated to the file's details) and its results and absences, all in one transaction.

    ``by`` is who imports; the results carry no author yet, so it is accepted for the callers' sake only.
    """
    if measure.project_id != project.pk:
        raise ValueError(f"Measure {measure.pk} is not one of project {project.pk}'s measures.")
    outcome = ImportOutcome(source=name_of(path_or_file, filename), dry_run=dry_run)
    report = progress or no_progress
    try:
        table = read_table(
            read_bytes(path_or_file, outcome.source), required_columns=REQUIRED_COLUMNS, max_rows=MAX_ROWS
        )
    except FileProblem as exc:
        outcome.refuse(str(exc))
        return outcome
    outcome.rows_read = len(table.rows)
    positions, outcome.errors = _header(table.header)
    if outcome.errors:
        return outcome
    if not table.rows:
        outcome.refuse("The file has a header but no rows: nothing to import.")
        return outcome
    rows = _checked_rows(table.rows, positions, measure, outcome, report)
    outcome.errors += _against_stored(project, measure, rows)
    outcome.errors.sort(
        key=lambda error: (error.row or 0, COLUMNS.index(error.column) if error.column in COLUMNS else 0)
    )
    if outcome.errors:
        return outcome
    plan = _plan(project, rows)
    outcome.rows_written = len(rows)
    outcome.counts["pupils"] = Counts(created=len(plan.new), updated=len(plan.changed), unchanged=plan.unchanged)
    outcome.counts["assessments"] = Counts(created=sum(row.value is not None for row in rows))
    outcome.counts["absences"] = Counts(created=sum(row.value is None for row in rows))
    outcome.totals["test rounds"] = len({row.test_date for row in rows})
    if dry_run:
        return outcome
    report(f"Writing {len(rows):,} rows")
    try:
        with transaction.atomic():
            _write(measure, plan, rows)
    except IntegrityError:
        # Another import of the same results committed between the checks and the write.
        outcome.refuse("Some of these results were stored by someone else meanwhile. Import the file again to check.")
        outcome.rows_written = 0
    return outcome


def _checked_rows(
    lines: Sequence[tuple[int, list[str]]],
    positions: dict[str, int],
    measure: Measure,
    outcome: ImportOutcome,
    report: Progress,
) -> list[_Row]:
    today = timezone.localdate()
    rows: list[_Row] = []
    first_for_pupil: dict[str, _Row] = {}
    first_for_round: dict[tuple[str, dt.date], int] = {}
    for done, (number, values) in enumerate(lines, start=1):
        if done % PROGRESS_EVERY == 0:
            report(rows_done("Validated", done, len(lines)))
        record = {c: (values[positions[c]] if c in positions and positions[c] < len(values) else "") for c in COLUMNS}
        row, errors = _clean_row(number, record, measure, today)
        outcome.errors += errors
        if row is None:
            continue
        first = first_for_pupil.setdefault(row.code, row)
        disagreements = _disagreements(first, row)
        outcome.errors += disagreements
        earlier = first_for_round.setdefault((row.code, row.test_date), number)
        if earlier != number:
            message = f"Row {earlier} already gives pupil {row.code}'s result on {row.test_date:%d/%m/%Y}."
            outcome.errors.append(RowError(number, "test_date", message))
        elif not disagreements:
            rows.append(row)
    report(rows_done("Validated", len(lines), len(lines)))
    return rows


def _against_stored(project: Project, measure: Measure, rows: list[_Row]) -> list[RowError]:
    """A result the measure already holds for that pupil and day is a fault, not a silent duplicate."""
    codes = {row.code for row in rows}
    stored: dict[tuple[str, dt.date], str] = {}
    for code, day in Assessment.objects.filter(measure=measure, pupil__code__in=codes).values_list(
        "pupil__code", "assessed_on"
    ):
        stored[(code, day)] = "a result"
    for code, day in Absence.objects.filter(measure=measure, pupil__code__in=codes).values_list(
        "pupil__code", "round_on"
    ):
        stored[(code, day)] = "an absence"
    return [
        RowError(
            row.number,
            "test_date",
            f"Pupil {row.code} already has {stored[(row.code, row.test_date)]} stored for {measure} on "
            f"{row.test_date:%d/%m/%Y}.",
        )
        for row in rows
        if (row.code, row.test_date) in stored
    ]


@dataclass
class _Plan:
    pupils: dict[str, Pupil]
    new: list[Pupil]
    changed: list[Pupil]
    unchanged: int


def _plan(project: Project, rows: list[_Row]) -> _Plan:
    details = {row.code: row.details for row in rows}
    known = {p.code: p for p in Pupil.objects.filter(project=project, code__in=details)}
    plan = _Plan(pupils={}, new=[], changed=[], unchanged=0)
    for code, given in details.items():
        pupil = known.get(code)
        if pupil is None:
            pupil = Pupil(project=project, code=code, **asdict(given))
            plan.new.append(pupil)
        elif any(getattr(pupil, name) != value for name, value in asdict(given).items()):
            for name, value in asdict(given).items():
                setattr(pupil, name, value)
            plan.changed.append(pupil)
        else:
            plan.unchanged += 1
        plan.pupils[code] = pupil
    return plan


def _write(measure: Measure, plan: _Plan, rows: list[_Row]) -> None:
    for pupil in plan.new:
        pupil.full_clean(validate_unique=False, validate_constraints=False)
        pupil.save()
    if plan.changed:
        Pupil.objects.bulk_update(plan.changed, [f.name for f in fields(_Details)])
    Assessment.objects.bulk_create(
        Assessment(
            measure=measure,
            pupil=plan.pupils[row.code],
            assessed_on=row.test_date,
            value=row.value,
            test_form=row.test_form,
        )
        for row in rows
        if row.value is not None
    )
    Absence.objects.bulk_create(
        Absence(measure=measure, pupil=plan.pupils[row.code], round_on=row.test_date)
        for row in rows
        if row.value is None
    )


def template_rows() -> tuple[list[str], list[list[str]]]:
    """The header and one invented example row, for users to download and fill in."""
    return COLUMNS, [TEMPLATE_EXAMPLE]


# --- One round entered on a form ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordedRound:
    assessments: int
    absences: int


def record_round(
    *,
    measure: Measure,
    held_on: dt.date,
    test_form: str,
    results: dict[int, Decimal | None],
    by: User | None,
) -> RecordedRound:
    """Store one test round of ``measure``: each pupil's result (by pupil id; None for a pupil absent from it).

    The checks are the import's. Faults raise one ``ValidationError`` keyed by pupil code (and ``held_on`` or
    ``test_form`` for the round's own), each message naming the pupil, so that a form can show them together and
    the API return them by pupil; nothing is stored unless every result passes.
    """
    faults: dict[str, list[str]] = {}
    today = timezone.localdate()
    if held_on > today:
        faults["held_on"] = [f"The test date {held_on:%d/%m/%Y} is in the future."]
    if len(test_form) > 40:
        faults["test_form"] = ["A test form is at most 40 characters, e.g. A or Form 2."]
    if not results:
        faults[NON_FIELD_ERRORS] = ["Give at least one pupil's result."]
    pupils = Pupil.objects.filter(project=measure.project_id).in_bulk(list(results))
    unknown = sorted(set(results) - set(pupils))
    if unknown:
        faults.setdefault(NON_FIELD_ERRORS, []).append(
            f"Pupil{'s' if len(unknown) > 1 else ''} {', '.join(map(str, unknown))} are not in this project."
        )
    taken = _taken(measure, held_on, list(pupils))
    for pupil_id, value in results.items():
        pupil = pupils.get(pupil_id)
        if pupil is None:
            continue
        problems = _round_faults(measure, pupil, held_on, value, taken.get(pupil_id))
        if problems:
            faults[pupil.code] = [f"{pupil.code}: {problem}" for problem in problems]
    if faults:
        raise ValidationError(faults)
    with transaction.atomic():
        made = Assessment.objects.bulk_create(
            Assessment(measure=measure, pupil=pupils[pk], assessed_on=held_on, value=value, test_form=test_form)
            for pk, value in results.items()
            if value is not None
        )
        missed = Absence.objects.bulk_create(
            Absence(measure=measure, pupil=pupils[pk], round_on=held_on)
            for pk, value in results.items()
            if value is None
        )
    return RecordedRound(assessments=len(made), absences=len(missed))


def _taken(measure: Measure, held_on: dt.date, pupil_ids: list[int]) -> dict[int, str]:
    taken = dict.fromkeys(
        Assessment.objects.filter(measure=measure, assessed_on=held_on, pupil__in=pupil_ids).values_list(
            "pupil_id", flat=True
        ),
        "a result",
    )
    for pupil_id in Absence.objects.filter(measure=measure, round_on=held_on, pupil__in=pupil_ids).values_list(
        "pupil_id", flat=True
    ):
        taken[pupil_id] = "an absence"
    return taken


def _round_faults(
    measure: Measure, pupil: Pupil, held_on: dt.date, value: Decimal | None, taken: str | None
) -> list[str]:
    problems = []
    if held_on < dt.date(pupil.birth_year, pupil.birth_month, 1):
        problems.append(f"the test date {held_on:%d/%m/%Y} is before the pupil was born.")
    if taken:
        problems.append(f"already has {taken} stored for {measure} on {held_on:%d/%m/%Y}.")
    if value is not None:
        if not value.is_finite() or value.as_tuple().exponent < -2 or abs(value) >= 100_000:  # type: ignore[operator]
            return [*problems, f"{value} is not a result this platform can store (at most two decimals)."]
        try:
            _check_range(measure, value, f"{value}")
        except ValidationError as exc:
            problems.extend(exc.messages)
    return problems
