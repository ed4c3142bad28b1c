"""Uploading a trust's data: every fault named by spreadsheet row, and nothing stored unless every row passes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from difference.consultancy.imports import PUPIL_COLUMNS, SCHOOL_COLUMNS, upload_data
from difference.consultancy.models import DataUpload, PupilReturn, SchoolReturn, SenStatus
from difference.core.exports import xlsx_bytes
from difference.core.tests.summaries import assert_summary_shape


def csv_file(header: list[str], rows: list[list[object]], name: str = "data.csv") -> io.BytesIO:
    text = "\n".join(",".join(str(v) for v in line) for line in [header, *rows]) + "\n"
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def pupil(ref: str, urn: int, **changes: object) -> list[object]:
    row: dict[str, object] = {
        "pupil_ref": ref, "urn": urn, "year_group": "9", "sen_status": "none", "fsm": "no",
        "ethnicity_group": "white", "suspensions": 0, "permanent_exclusion": "no", "sessions_possible": 320,
        "sessions_missed": 12,
    }  # fmt: skip
    row.update(changes)
    return [row[c] for c in PUPIL_COLUMNS]


def test_a_valid_pupil_file_is_stored_whole_and_replaces_the_earlier_one(world):
    engagement = world.consultancy["own"]
    a1, a2 = world.schools["a1"].urn, world.schools["a2"].urn
    first = upload_data(engagement, csv_file(PUPIL_COLUMNS, [pupil("P1", a1), pupil("P2", a2)]), kind="pupil")
    assert first.ok and first.rows_read == first.rows_written == 2 and first.totals == {"schools": 2}
    rows = [pupil("Q1", a1, sen_status="K", fsm="yes", suspensions=3), pupil("Q2", a1, sen_status="EHC plan")]
    second = upload_data(engagement, csv_file(PUPIL_COLUMNS, rows), kind="pupil")
    assert second.ok, second.errors
    stored = {p.pupil_ref: p for p in PupilReturn.objects.filter(engagement=engagement)}
    assert set(stored) == {"Q1", "Q2"}
    assert stored["Q1"].sen_status == SenStatus.SUPPORT and stored["Q1"].fsm and stored["Q1"].suspensions == 3
    assert stored["Q2"].sen_status == SenStatus.EHC_PLAN
    assert list(DataUpload.objects.filter(engagement=engagement).values_list("replaced", flat=True)) == [False, True]


def test_a_pupil_file_with_three_bad_rows_stores_nothing_and_names_exactly_those_rows(world):
    engagement = world.consultancy["own"]
    a1 = world.schools["a1"].urn
    rows = [pupil(f"P{n}", a1) for n in range(1, 11)]
    rows[2] = pupil("A123456789012", a1)  # row 4: a UPN
    rows[5] = pupil("P6", a1, sessions_missed=400)  # row 7: more missed than possible
    rows[8] = pupil("P9", world.schools["b1"].urn)  # row 10: another trust's school
    result = upload_data(engagement, csv_file(PUPIL_COLUMNS, rows), kind="pupil")
    assert [(e.row, e.column) for e in result.errors] == [(4, "pupil_ref"), (7, "sessions_missed"), (10, "urn")]
    assert "UPN" in result.errors[0].message
    assert "another trust" in result.errors[2].message
    assert result.summary() == "data.csv: 10 rows read, 0 written, 0 skipped, 3 errors — nothing written"
    assert not PupilReturn.objects.exists() and not DataUpload.objects.exists()


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"pupil_ref": "Jane Smith"}, "pupil_ref", "not a name"),
        ({"year_group": "15"}, "year_group", "not a year group"),
        ({"sen_status": "maybe"}, "sen_status", "is not allowed"),
        ({"fsm": "2"}, "fsm", "use yes or no"),
        ({"suspensions": "-1"}, "suspensions", "whole number"),
        ({"suspensions": ""}, "suspensions", "Every row needs"),
        ({"ethnicity_group": "Martian"}, "ethnicity_group", "is not allowed"),
    ],
)
def test_each_kind_of_bad_pupil_value_gets_a_message_naming_its_column(world, changes, column, message):
    rows = [pupil("P1", world.schools["a1"].urn, **changes)]
    result = upload_data(world.consultancy["own"], csv_file(PUPIL_COLUMNS, rows), kind="pupil")
    assert [(e.row, e.column) for e in result.errors] == [(2, column)]
    assert message in result.errors[0].message
    assert not PupilReturn.objects.exists()


def test_a_repeated_pupil_ref_is_refused_with_the_row_it_repeats(world):
    a1 = world.schools["a1"].urn
    result = upload_data(world.consultancy["own"], csv_file(PUPIL_COLUMNS, [pupil("P1", a1)] * 2), kind="pupil")
    assert [str(e) for e in result.errors] == ["Row 3, pupil_ref: The same pupil_ref as row 2."]


def test_school_rows_keep_a_blank_count_as_not_supplied_never_zero(world):
    a1 = world.schools["a1"].urn
    rows = [[a1, "2022-23", 400, "", "", 1, 64000, 4100], [a1, "202122", 390, 20, 9, 0, "", ""]]
    result = upload_data(world.consultancy["own"], csv_file(SCHOOL_COLUMNS, rows), kind="school")
    assert result.ok, result.errors
    by_year = {r.academic_year: r for r in SchoolReturn.objects.all()}
    assert by_year["2022/23"].suspensions is None and by_year["2022/23"].one_plus_suspensions is None
    assert by_year["2022/23"].permanent_exclusions == 1
    assert by_year["2021/22"].sessions_possible is None and by_year["2021/22"].suspensions == 20


def test_school_rows_that_do_not_add_up_are_refused(world):
    a1, a2 = world.schools["a1"].urn, world.schools["a2"].urn
    rows = [
        [a1, "2022/23", 400, 5, 9, 0, "", ""],  # more pupils suspended than suspensions
        [a2, "2022/23", 0, 0, 0, 0, "", ""],  # no pupils
        [a2, "2021/22", 300, 1, 1, 0, "", 50],  # missed without possible
        [a2, "2021/22", 300, 1, 1, 0, "", ""],  # the same school and year again
        [999999, "2021/22", 300, 1, 1, 0, "", ""],  # unknown URN
        [a2, "last year", 300, 1, 1, 0, "", ""],
    ]
    result = upload_data(world.consultancy["own"], csv_file(SCHOOL_COLUMNS, rows), kind="school")
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "one_plus_suspensions"),
        (3, "headcount"),
        (4, "sessions_possible"),
        (6, "urn"),
        (7, "academic_year"),
    ]
    assert not SchoolReturn.objects.exists()


def test_an_unknown_or_missing_column_is_named_before_any_row_is_read(world):
    header = [c for c in PUPIL_COLUMNS if c != "fsm"] + ["pupil_name"]
    result = upload_data(world.consultancy["own"], csv_file(header, [["x"] * len(header)]), kind="pupil")
    messages = [str(e) for e in result.errors]
    assert any("Unknown column “pupil_name”" in m for m in messages)
    assert any("Missing required column: fsm" in m for m in messages)


def test_an_xlsx_pupil_file_is_read_like_a_csv(world):
    content = xlsx_bytes(PUPIL_COLUMNS, [pupil("P1", world.schools["a1"].urn, fsm="yes")])
    upload = io.BytesIO(content)
    upload.name = "pupils.xlsx"
    result = upload_data(world.consultancy["own"], upload, kind="pupil")
    assert result.ok, result.errors
    assert PupilReturn.objects.get().fsm is True


def test_the_command_refuses_a_bad_file_with_every_fault_and_stores_nothing(world, tmp_path: Path):
    path = tmp_path / "pupils.csv"
    path.write_bytes(csv_file(PUPIL_COLUMNS, [pupil("P1", world.schools["a1"].urn, fsm="perhaps")]).getvalue())
    engagement = world.consultancy["own"]
    with pytest.raises(CommandError, match=r"Row 2, fsm: “perhaps” is not allowed"):
        call_command("import_engagement_data", engagement.pk, str(path), kind="pupil", stdout=io.StringIO())
    assert not PupilReturn.objects.exists()


def test_the_command_stores_a_good_file_and_ends_with_a_summary(world, tmp_path: Path):
    path = tmp_path / "pupils.csv"
    path.write_bytes(csv_file(PUPIL_COLUMNS, [pupil("P1", world.schools["a1"].urn)]).getvalue())
    out = io.StringIO()
    call_command("import_engagement_data", world.consultancy["own"].pk, str(path), kind="pupil", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-2:] == ["pupils.csv: 1 row read, 1 written, 0 skipped, 0 errors", "  schools: 1"]
    assert_summary_shape(lines[-2])
    assert PupilReturn.objects.count() == 1
