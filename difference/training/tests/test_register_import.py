"""Importing registers from CSV and XLSX, all or nothing, and the ``import_registers`` command."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from difference.core.exports import csv_bytes, xlsx_bytes
from difference.core.tests.summaries import assert_summary_shape
from difference.people.tests.factories import PersonFactory
from difference.training.imports import TEMPLATE_HEADER, import_registers
from difference.training.models import Attendance
from difference.training.tests.factories import CohortFactory, LeaderEnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort() -> SimpleNamespace:
    """A cohort with a twilight, its make-up, and four leaders (one withdrawn); someone enrolled elsewhere."""
    session = SessionFactory()
    makeup = SessionFactory(cohort=session.cohort, component=session.component, makeup_for=session)
    people = {}
    for name, status in (("amara", "active"), ("ben", "active"), ("chloe", "active"), ("dev", "withdrawn")):
        person = PersonFactory(first_name=name.title(), last_name="Leader", email=f"{name}@example.org")
        people[name] = LeaderEnrolmentFactory(cohort=session.cohort, person=person, status=status)
    outsider = PersonFactory(first_name="Omar", last_name="Other", email="omar@example.org")
    LeaderEnrolmentFactory(cohort=CohortFactory(programme=session.cohort.programme), person=outsider)
    return SimpleNamespace(session=session, makeup=makeup, people=people)


def upload(rows: list[list[object]], header: list[str] = TEMPLATE_HEADER, name: str = "registers.csv") -> io.BytesIO:
    file = io.BytesIO(csv_bytes(header, rows))  # type: ignore[arg-type]
    file.name = name
    return file


def good_rows(cohort: SimpleNamespace) -> list[list[object]]:
    session, makeup = cohort.session.pk, cohort.makeup.pk
    # The make-up comes first in the file; it is written after the session it makes up.
    return [
        [makeup, "ben@example.org", "present", ""],
        [session, "AMARA@example.org", "Late", 15],
        [session, "ben@example.org", "absent", ""],
    ]


def test_a_file_with_bad_rows_writes_nothing_and_names_every_row_at_fault(cohort: SimpleNamespace) -> None:
    session = cohort.session.pk
    rows = good_rows(cohort) + [
        [session, "nobody@example.org", "present", ""],
        [session, "omar@example.org", "present", ""],
        [session, "dev@example.org", "present", ""],
        [999999, "amara@example.org", "present", ""],
        [session, "amara@example.org", "present", ""],
        ["x", "ben", "asleep", -5],
        [session, "ben@example.org", "absent", "10"],
        [session, "chloe@example.org", "present", ""],
        [cohort.makeup.pk, "chloe@example.org", "present", ""],
    ]

    result = import_registers(upload(rows))

    assert [str(error) for error in result.errors] == [
        "Row 5, email: No one on the platform has the email nobody@example.org.",
        f"Row 6, email: omar@example.org is not enrolled in {cohort.session.cohort}, the cohort of session {session}.",
        "Row 7, email: Dev Leader: Withdrawn from the programme, so cannot be marked. Re-instate them first.",
        "Row 8, session_id: There is no session 999999 on the platform.",
        f"Row 9, email: Row 3 already marks amara@example.org at session {session}; a person has one mark a session.",
        "Row 10, session_id: Give the session's number, e.g. 42.",
        "Row 10, email: “ben” is not a valid email address.",
        "Row 10, status: “asleep” is not a mark: use present, late, left_early, excused, absent.",
        "Row 10, minutes_missed: Minutes missed cannot be negative.",
        f"Row 11, email: Row 4 already marks ben@example.org at session {session}; a person has one mark a session.",
        "Row 13, email: Chloe Leader: Attended all of the original session "
        f"({cohort.session}), so this make-up is not for them.",
    ]
    assert result.summary() == "registers.csv: 12 rows read, 0 written, 0 skipped, 11 errors — nothing written"
    assert result.rows_written == 0
    assert not Attendance.objects.exists()


def test_the_corrected_file_imports_every_mark(cohort: SimpleNamespace) -> None:
    result = import_registers(upload(good_rows(cohort)))

    assert result.errors == []
    assert result.summary() == "registers.csv: 3 rows read, 3 written, 0 skipped, 0 errors"
    assert result.details() == ["sessions: 2"]
    marks = set(Attendance.objects.values_list("session", "enrolment__person__first_name", "status", "minutes_missed"))
    assert marks == {
        (cohort.session.pk, "Amara", "late", 15),
        (cohort.session.pk, "Ben", "absent", 0),
        (cohort.makeup.pk, "Ben", "present", 0),
    }


def test_a_register_fault_in_one_session_leaves_the_other_sessions_unwritten_too(cohort: SimpleNamespace) -> None:
    rows = good_rows(cohort)
    rows[1] = [cohort.session.pk, "amara@example.org", "present", 15]

    result = import_registers(upload(rows))

    assert [str(error) for error in result.errors] == [
        "Row 3, minutes_missed: Amara Leader: Minutes missed are only for late or left early, not present."
    ]
    assert not Attendance.objects.exists()


def test_a_dry_run_checks_everything_and_writes_nothing(cohort: SimpleNamespace) -> None:
    result = import_registers(upload(good_rows(cohort)), dry_run=True)

    assert result.errors == []
    assert result.summary() == "registers.csv: 3 rows read, 3 to write, 0 skipped, 0 errors — dry run, nothing written"
    assert result.details() == ["sessions: 2"]
    assert not Attendance.objects.exists()


def test_an_xlsx_workbook_with_columns_in_any_order_and_case_imports(cohort: SimpleNamespace) -> None:
    header = ["Status", "Email", "Session ID"]
    rows: list[list[object]] = [["Left early", "amara@example.org", cohort.session.pk]]
    file = io.BytesIO(xlsx_bytes(header, rows))  # type: ignore[arg-type]

    result = import_registers(file, filename="registers.xlsx")

    assert result.errors == []
    assert Attendance.objects.get().status == "left_early"


def test_a_file_without_the_required_columns_is_refused_at_the_header() -> None:
    result = import_registers(upload([["1", "a@example.org"]], header=["session_id", "email", "colour"]))

    assert [str(error) for error in result.errors] == [
        "Row 1, colour: Unknown column “colour”. The columns are: session_id, email, status, minutes_missed.",
        "Row 1: Missing required column: status.",
    ]


def test_an_empty_file_names_the_register_columns() -> None:
    file = io.BytesIO(b"")
    file.name = "empty.csv"

    result = import_registers(file)

    assert [str(error) for error in result.errors] == [
        "File: The file is empty: row 1 should be the header, session_id, email, status, minutes_missed."
    ]


# --- The command ----------------------------------------------------------------------------------------------------
def test_the_command_imports_a_file_and_reports_progress(cohort: SimpleNamespace, tmp_path: Path) -> None:
    path = tmp_path / "registers.csv"
    path.write_bytes(upload(good_rows(cohort)).getvalue())
    out = io.StringIO()

    call_command("import_registers", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "- Validated 3 of 3 rows",
        "- Written 2 of 3 rows",
        "- Written 3 of 3 rows",
        "registers.csv: 3 rows read, 3 written, 0 skipped, 0 errors",
        "  sessions: 2",
    ]
    assert_summary_shape(out.getvalue().splitlines()[-2])
    assert Attendance.objects.count() == 3


def test_the_command_fails_listing_every_fault_and_writes_nothing(cohort: SimpleNamespace, tmp_path: Path) -> None:
    path = tmp_path / "registers.csv"
    rows = good_rows(cohort) + [[cohort.session.pk, "nobody@example.org", "present", ""]]
    path.write_bytes(upload(rows).getvalue())

    with pytest.raises(CommandError) as failed:
        call_command("import_registers", str(path), "--dry-run", stdout=io.StringIO())

    assert str(failed.value).splitlines() == [
        "registers.csv: 4 rows read, 0 to write, 0 skipped, 1 error — nothing written",
        "  Row 5, email: No one on the platform has the email nobody@example.org.",
    ]
    assert failed.value.returncode == 1
    assert not Attendance.objects.exists()


def test_the_command_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_registers", str(tmp_path / "missing.csv"))
