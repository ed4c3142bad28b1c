"""Importing a project's pupils and results: every fault named by spreadsheet row, nothing stored unless all pass."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from difference.core.exports import xlsx_bytes
from difference.core.tests.summaries import assert_summary_shape
from difference.projects.imports import COLUMNS, import_assessments, read_value, record_round
from difference.projects.models import Absence, Assessment, MeasureKind, Pupil, SenProvision
from difference.projects.tests.factories import MeasureFactory


def csv_file(header: list[str], rows: list[list[object]], name: str = "results.csv") -> io.BytesIO:
    text = "\n".join(",".join(str(v) for v in line) for line in [header, *rows]) + "\n"
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def row(code: str = "N-01", **changes: object) -> list[object]:
    values: dict[str, object] = {
        "pupil_code": code, "birth_month": "2012-03", "year_group": "7", "joined_on": "2022-09-05", "left_on": "",
        "sen": "none", "fsm": "no", "test_date": "2022-10-03", "value": "9:07", "test_form": "A", "absent": "",
    }  # fmt: skip
    values.update(changes)
    return [values[c] for c in COLUMNS]


def stored() -> tuple[int, int, int]:
    return Pupil.objects.count(), Assessment.objects.count(), Absence.objects.count()


def run(world, rows: list[list[object]], header: list[str] = COLUMNS, measure=None, dry_run: bool = False):  # type: ignore[no-untyped-def]
    project = world.projects["a1"]
    return import_assessments(
        project=project,
        measure=measure or world.projects["measure_a1"],
        path_or_file=csv_file(header, rows),
        dry_run=dry_run,
        by=world.users["leader"],
    )


# --- Good files -----------------------------------------------------------------------------------------------------
def test_a_valid_file_adds_new_pupils_updates_known_ones_and_stores_results_and_absences(world):
    measure = world.projects["measure_a1"]
    rows = [
        row("N-01", value="9:07"),
        row("N-01", test_date="2023-04-03", value="10:01"),
        row("N-02", sen="ehcp", fsm="yes", value="", absent="yes"),
        # A known pupil, now in year 10 and with SEN support: the file's details replace the stored ones.
        row("A1-01", birth_month="2009-03", year_group="10", sen="support", test_date="2023-07-10", value="11y 2m"),
    ]
    outcome = run(world, rows)
    assert outcome.ok, outcome.errors
    assert outcome.summary() == "results.csv: 4 rows read, 4 written, 0 skipped, 0 errors"
    assert (outcome.counts["pupils"].created, outcome.counts["pupils"].updated) == (2, 1)
    assert outcome.counts["assessments"].created == 3 and outcome.counts["absences"].created == 1
    assert outcome.totals == {"test rounds": 3}
    n01 = Pupil.objects.get(project=world.projects["a1"], code="N-01")
    assert (n01.birth_year, n01.birth_month, n01.year_group, n01.joined_on) == (2012, 3, 7, dt.date(2022, 9, 5))
    assert n01.fsm is False and n01.sen == SenProvision.NONE
    assert list(n01.assessments.values_list("value", flat=True)) == [Decimal(115), Decimal(121)]
    n02 = Pupil.objects.get(code="N-02")
    assert n02.sen == SenProvision.EHCP and n02.fsm is True and not n02.assessments.exists()
    assert Absence.objects.get(pupil=n02).round_on == dt.date(2022, 10, 3)
    known = Pupil.objects.get(project=world.projects["a1"], code="A1-01")
    assert known.year_group == 10 and known.sen == SenProvision.SUPPORT
    assert known.assessments.get(assessed_on=dt.date(2023, 7, 10), measure=measure).value == Decimal(134)


def test_an_xlsx_file_is_read_like_a_csv_even_when_excel_made_the_month_a_date_and_the_age_a_time(world):
    rows = [
        [*row("X-01", birth_month=dt.date(2012, 3, 1), test_date=dt.date(2022, 10, 3), value=dt.time(9, 7))[:11]],
        row("X-02", test_date=dt.date(2022, 10, 3), value=121, fsm=""),
    ]
    upload = io.BytesIO(xlsx_bytes(COLUMNS, rows))
    upload.name = "results.xlsx"
    outcome = import_assessments(
        project=world.projects["a1"],
        measure=world.projects["measure_a1"],
        path_or_file=upload,
        dry_run=False,
        by=None,
    )
    assert outcome.ok, outcome.errors
    assert outcome.summary() == "results.xlsx: 2 rows read, 2 written, 0 skipped, 0 errors"
    values = dict(Assessment.objects.filter(pupil__code__startswith="X-").values_list("pupil__code", "value"))
    assert values == {"X-01": Decimal(115), "X-02": Decimal(121)}
    assert Pupil.objects.get(code="X-02").fsm is None


def test_a_dry_run_reports_what_it_would_write_and_writes_nothing(world):
    before = stored()
    outcome = run(world, [row("N-01"), row("N-02")], dry_run=True)
    assert outcome.ok and outcome.rows_written == 2
    assert outcome.summary() == "results.csv: 2 rows read, 2 to write, 0 skipped, 0 errors — dry run, nothing written"
    assert stored() == before


@pytest.mark.parametrize(
    ("typed", "months"),
    [("9:07", 115), ("9:7", 115), ("09:07:00", 115), ("9y7m", 115), ("9y 7m", 115), ("9 years 7 months", 115),
     ("10y", 120), ("115", 115)],
)  # fmt: skip
def test_a_reading_age_is_read_as_years_and_months_or_whole_months(world, typed, months):
    assert read_value(world.projects["measure_a1"], typed) == Decimal(months)


def test_a_score_on_another_measure_is_read_as_a_number_within_its_range(world):
    measure = MeasureFactory(
        project=world.projects["a1"], kind=MeasureKind.STANDARDISED, name="Score", minimum=69, maximum=141
    )
    outcome = run(world, [row("S-01", value="101.5"), row("S-02", value="142")], measure=measure)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "value")]
    assert "above the highest result" in outcome.errors[0].message


# --- Faults -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "column", ["first_name", "Surname", "name", "pupil_name", "Forename", "UPN", "dob", "Date of birth", "Pupil's name"]
)
def test_a_column_that_may_hold_names_refuses_the_whole_file_before_any_value_is_read(world, column):
    before = stored()
    outcome = run(world, [[*row("N-01"), "Jane"]], header=[*COLUMNS, column])
    assert [(e.row, e.column) for e in outcome.errors] == [(1, column)]
    assert "keeps no names" in outcome.errors[0].message
    assert "the school keeps the key to its codes" in outcome.errors[0].message
    assert outcome.summary().endswith("1 error — nothing written")
    assert stored() == before


def test_a_missing_column_is_named_with_the_columns_expected(world):
    header = [c for c in COLUMNS if c != "test_date"]
    outcome = run(world, [[v for c, v in zip(COLUMNS, row(), strict=True) if c != "test_date"]], header=header)
    assert [(e.row, e.message.split(".")[0]) for e in outcome.errors] == [(1, "Missing required column: test_date")]
    assert "The columns are: pupil_code, birth_month" in outcome.errors[0].message


def test_an_unknown_column_is_named_with_the_columns_expected(world):
    outcome = run(world, [[*row(), "x"]], header=[*COLUMNS, "score2"])
    assert [(e.row, e.column) for e in outcome.errors] == [(1, "score2")]
    assert "Unknown column “score2”. The columns are: pupil_code" in outcome.errors[0].message


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"birth_month": "2012-13"}, "birth_month", "no month 13"),
        ({"birth_month": "March 2012"}, "birth_month", "not a month"),
        ({"birth_month": "2012-03-15"}, "birth_month", "keeps no day of birth"),
        ({"birth_month": ""}, "birth_month", "Every row needs"),
        ({"test_date": "2012-02-20"}, "test_date", "before the pupil was born"),
        ({"test_date": "2099-01-01"}, "test_date", "in the future"),
        ({"test_date": "31/02/2023"}, "test_date", "not a date in the calendar"),
        ({"value": "25:00"}, "value", "above the highest result"),
        ({"value": "2:00"}, "value", "below the lowest result"),
        ({"value": "9"}, "value", "A plain number is read as months"),
        ({"value": "9.7"}, "value", "ambiguous"),
        ({"value": "9:13"}, "value", "months run from 0 to 11"),
        ({"value": ""}, "value", "or write yes under absent"),
        ({"value": "9:07", "absent": "yes"}, "value", "A pupil marked absent has no result"),
        ({"absent": "maybe"}, "absent", "use yes, no"),
        ({"left_on": "2022-09-01"}, "left_on", "before joined_on"),
        ({"sen": "statement"}, "sen", "use none, support or ehcp"),
        ({"fsm": "2"}, "fsm", "use yes, no"),
        ({"year_group": "15"}, "year_group", "not a year group"),
        ({"pupil_code": "A123456789012"}, "pupil_code", "looks like a UPN"),
        ({"pupil_code": "Jane Smith"}, "pupil_code", "keeps no names"),
        ({"test_form": "F" * 41}, "test_form", "at most 40"),
    ],
)
def test_each_bad_value_is_named_by_row_and_column_and_nothing_is_written(world, changes, column, message):
    before = stored()
    outcome = run(world, [row("N-01", test_date="2022-11-07"), row("N-02", **changes)])
    assert [(e.row, e.column) for e in outcome.errors] == [(3, column)], outcome.errors
    assert message in outcome.errors[0].message
    assert outcome.rows_written == 0 and outcome.summary().endswith("nothing written")
    assert stored() == before


def test_the_same_pupil_and_test_date_twice_in_the_file_is_a_fault_of_the_second_row(world):
    before = stored()
    outcome = run(world, [row("N-01"), row("N-02"), row("N-01", value="9:08")])
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "test_date")]
    assert "Row 2 already gives pupil N-01's result on 03/10/2022" in outcome.errors[0].message
    assert stored() == before


def test_a_result_already_stored_for_that_pupil_and_day_is_a_fault(world):
    before = stored()
    outcome = run(world, [row("N-01"), row("A1-02", birth_month="2009-03", year_group="9", test_date="2022-10-03")])
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "test_date")]
    assert "A1-02 already has a result stored" in outcome.errors[0].message
    assert stored() == before


def test_a_pupil_whose_details_disagree_between_rows_is_a_fault_naming_the_first_row(world):
    before = stored()
    rows = [row("N-01"), row("N-02"), row("N-01", test_date="2023-04-03", year_group="8", sen="support")]
    outcome = run(world, rows)
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "year_group"), (4, "sen")]
    assert "Pupil N-01 has a different year_group here than on row 2" in outcome.errors[0].message
    assert stored() == before


def test_a_file_with_faults_in_several_rows_names_exactly_those_rows_and_writes_nothing(world):
    before = stored()
    rows = [row(f"N-{n:02d}") for n in range(1, 11)]
    rows[2] = row("N-03", value="30:00")  # row 4
    rows[5] = row("N-06", birth_month="2012-00")  # row 7
    rows[8] = row("N-09", test_date="2011-01-01")  # row 10
    outcome = run(world, rows)
    assert [(e.row, e.column) for e in outcome.errors] == [(4, "value"), (7, "birth_month"), (10, "test_date")]
    assert outcome.summary() == "results.csv: 10 rows read, 0 written, 0 skipped, 3 errors — nothing written"
    assert stored() == before


def test_a_file_with_a_header_and_no_rows_is_refused(world):
    outcome = run(world, [])
    assert [str(e) for e in outcome.errors] == ["File: The file has a header but no rows: nothing to import."]


def test_another_projects_measure_cannot_be_imported_into_this_project(world):
    with pytest.raises(ValueError, match="not one of project"):
        run(world, [row()], measure=MeasureFactory(project=world.projects["b1"]))


# --- The command --------------------------------------------------------------------------------------------------
def test_the_command_prints_the_summary_and_what_it_stored(world, tmp_path: Path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(COLUMNS, [row("N-01"), row("N-02", absent="yes", value="")]).getvalue())
    out = io.StringIO()
    call_command("import_assessments", world.projects["a1"].pk, str(path), stdout=out)
    lines = out.getvalue().splitlines()
    summary = next(line for line in lines if line.startswith("results.csv:"))
    assert assert_summary_shape(summary)["written"] == "2"
    assert "  pupils: 2 created, 0 updated, 0 unchanged" in lines
    assert "  absences: 1 created, 0 updated, 0 unchanged" in lines
    assert Pupil.objects.filter(code__in=["N-01", "N-02"]).count() == 2


def test_the_command_fails_with_status_1_and_every_fault_by_row_and_stores_nothing(world, tmp_path: Path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(COLUMNS, [row("N-01"), row("N-02", value="40:00"), row("N-03", sen="x")]).getvalue())
    before = stored()
    with pytest.raises(CommandError) as raised:
        call_command("import_assessments", world.projects["a1"].pk, str(path), stdout=io.StringIO())
    assert raised.value.returncode == 1
    lines = str(raised.value).splitlines()
    assert lines[0] == "results.csv: 3 rows read, 0 written, 0 skipped, 2 errors — nothing written"
    assert lines[1].startswith("  Row 3, value: 40:00 (480 months) is above the highest result")
    assert lines[2] == "  Row 4, sen: “x” is not allowed: use none, support or ehcp."
    assert stored() == before


def test_the_command_dry_run_stores_nothing(world, tmp_path: Path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(COLUMNS, [row("N-01")]).getvalue())
    out = io.StringIO()
    call_command("import_assessments", world.projects["a1"].pk, str(path), "--dry-run", stdout=out)
    assert "1 to write" in out.getvalue() and not Pupil.objects.filter(code="N-01").exists()


def test_the_command_asks_which_measure_when_the_project_has_several(world, tmp_path: Path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(COLUMNS, [row("N-01")]).getvalue())
    second = MeasureFactory(project=world.projects["a1"], name="Spelling age")
    with pytest.raises(CommandError, match="Say which measure with --measure"):
        call_command("import_assessments", world.projects["a1"].pk, str(path), stdout=io.StringIO())
    call_command("import_assessments", world.projects["a1"].pk, str(path), measure=second.pk, stdout=io.StringIO())
    assert Assessment.objects.filter(measure=second).count() == 1
    with pytest.raises(CommandError, match="No project with id 999999"):
        call_command("import_assessments", 999999, str(path), stdout=io.StringIO())


# --- One round entered on a form -------------------------------------------------------------------------------------
def test_a_round_entered_on_the_form_stores_results_and_absences(world):
    measure = world.projects["measure_a1"]
    pupils = {p.code: p for p in Pupil.objects.filter(project=world.projects["a1"])}
    recorded = record_round(
        measure=measure,
        held_on=dt.date(2023, 7, 10),
        test_form="B",
        results={pupils["A1-01"].pk: Decimal(140), pupils["A1-02"].pk: None},
        by=world.users["leader"],
    )
    assert (recorded.assessments, recorded.absences) == (1, 1)
    assert pupils["A1-01"].assessments.get(assessed_on=dt.date(2023, 7, 10)).test_form == "B"
    assert Absence.objects.filter(pupil=pupils["A1-02"], round_on=dt.date(2023, 7, 10)).exists()


def test_a_round_with_faults_names_each_pupil_by_code_and_stores_nothing(world):
    measure = world.projects["measure_a1"]
    pupils = {p.code: p for p in Pupil.objects.filter(project=world.projects["a1"])}
    before = stored()
    with pytest.raises(ValidationError) as raised:
        record_round(
            measure=measure,
            held_on=dt.date(2022, 10, 3),  # the world's first round: already stored for every pupil
            test_form="A",
            results={pupils["A1-01"].pk: Decimal(300), pupils["A1-03"].pk: Decimal(120)},
            by=None,
        )
    errors = raised.value.message_dict
    assert set(errors) == {"A1-01", "A1-03"}
    assert errors["A1-01"][0].startswith("A1-01: already has a result stored")
    assert any("above the highest result" in message for message in errors["A1-01"])
    assert stored() == before


def test_a_round_in_the_future_or_for_another_projects_pupil_is_refused(world):
    other = world.projects["pupil_b1"]
    with pytest.raises(ValidationError) as raised:
        record_round(
            measure=world.projects["measure_a1"],
            held_on=dt.date(2099, 1, 1),
            test_form="",
            results={other.pk: Decimal(120)},
            by=None,
        )
    errors = raised.value.message_dict
    assert "in the future" in errors["held_on"][0]
    assert "not in this project" in errors["__all__"][0]
