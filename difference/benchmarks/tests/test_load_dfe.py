"""load_dfe: layouts, encodings, symbols, and refusing bad files without touching the loaded data."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from difference.benchmarks.models import Dataset, Observation
from difference.benchmarks.tests.commands import load, rates
from difference.core import files
from difference.core.tests.summaries import assert_summary_shape

HEADER = (
    "time_identifier,time_period,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name,school_type,num_schools,headcount,perm_excl,perm_excl_rate,"
    "suspension,susp_rate,one_plus_susp,one_plus_susp_rate"
)
OLD_HEADER = HEADER.replace(
    "suspension,susp_rate,one_plus_susp,one_plus_susp_rate",
    "fixed_excl,fixed_excl_rate,one_plus_fixed,one_plus_fixed_rate",
)
LA_ROWS = [
    "Academic year,201617,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Total,"
    "98,48271,37,0.07665,1529,3.16753,755,1.56409",
    "Academic year,201617,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,special,"
    "4,720,x,x,81,11.25,,",
]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def la_file(tmp_path: Path) -> Path:
    return write(tmp_path, "la.csv", "\n".join([HEADER, *LA_ROWS]) + "\n")


def test_an_ees_file_loads_with_a_report_of_publication_layout_years_and_levels(db, la_file):
    output = load(la_file)

    assert output.splitlines()[:2] == ["- Loading la.csv", "la.csv: 2 rows read, 2 written, 0 skipped, 0 errors"]
    assert assert_summary_shape(output.splitlines()[1])["source"] == "la.csv"
    assert "Suspensions and permanent exclusions in England" in output
    assert "EES tidy (suspension terminology)" in output
    assert "2016/17 to 2016/17" in output
    assert "geographic levels: Local authority" in output
    assert "la.csv: 2 rows read, 2 written, 0 skipped, 0 errors\n  observations: 6\n" in output
    assert Observation.objects.count() == 6
    dataset = Dataset.objects.get()
    assert (dataset.rows_loaded, dataset.rows_skipped, dataset.rate_decimals) == (2, 0, 5)


def test_suppressed_and_blank_values_are_not_available_never_zero(db, la_file):
    load(la_file)

    special = Observation.objects.get(measure="permanent_exclusion_rate", school_type="Special")
    assert (special.numerator, special.numerator_status) == (None, "x")
    assert (special.published_rate, special.published_rate_status) == (None, "x")
    blank = Observation.objects.get(measure="one_plus_suspension_rate", school_type="Special")
    assert (blank.numerator, blank.numerator_status, blank.published_rate_status) == (None, "blank", "blank")
    rows = rates(measure="permanent_exclusion_rate", level="la")
    assert [(r["school_type"], r["numerator"], r["rate"]) for r in rows] == [
        ("Special", "not available", "not available"),
        ("Total", 37, "0.07665"),
    ]


def test_a_row_with_a_count_that_is_not_a_number_is_skipped_with_its_reason(db, tmp_path):
    bad = LA_ROWS[0].replace(",37,", ",lots,")
    output = load(write(tmp_path, "la.csv", "\n".join([HEADER, bad, LA_ROWS[1]])))

    assert "la.csv: 2 rows read, 1 written, 1 skipped, 0 errors\n" in output
    assert "1 skipped: perm_excl is neither a number nor a DfE symbol (x, c, z, :, ., ~, low, u) (“lots”)" in output


def test_time_periods_written_201617_and_2016_17_are_the_same_year(db, tmp_path):
    compact = write(tmp_path, "a.csv", "\n".join([HEADER, LA_ROWS[0]]))
    slashed = write(tmp_path, "b.csv", "\n".join([HEADER, LA_ROWS[0].replace(",201617,", ",2016/17,")]))
    load(compact, slashed)

    rows = rates(measure="suspension_rate", level="local authority", year="2016/17")
    assert [(r["time_period"], r["rate"], r["source"]) for r in rows] == [
        ("2016/17", "3.16753", "a.csv"),
        ("2016/17", "3.16753", "b.csv"),
    ]
    assert rates(measure="suspension_rate", level="la", year="201617") == rows


def test_fixed_period_exclusion_columns_load_as_the_suspension_measures(db, tmp_path):
    path = write(tmp_path, "old.csv", "\n".join([OLD_HEADER, LA_ROWS[0]]))
    output = load(path)

    assert "fixed period exclusion terminology" in output
    assert set(Observation.objects.values_list("measure", flat=True)) == {
        "permanent_exclusion_rate",
        "suspension_rate",
        "one_plus_suspension_rate",
    }
    [row] = rates(measure="one_plus_suspension_rate", level="la")
    assert (row["numerator"], row["denominator"], row["rate"], row["basis"]) == (755, 48271, "1.56409", "computed")


def test_old_and_new_la_codes_are_both_kept(db, la_file):
    load(la_file)

    assert set(Observation.objects.values_list("area_code", "old_la_code")) == {("E09000006", "305")}


@pytest.mark.parametrize(
    ("encoding", "prefix"), [("cp1252", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")], ids=["1252", "bom", "utf8"]
)
def test_windows_1252_and_utf8_with_or_without_bom_read_the_same(db, tmp_path, encoding, prefix):
    text = "\n".join([HEADER, LA_ROWS[0].replace("Bromley", "Brómley – test")])
    path = tmp_path / "la.csv"
    path.write_bytes(prefix + text.encode(encoding))
    load(path)

    assert set(Observation.objects.values_list("area_name", flat=True)) == {"Brómley – test"}


def test_loading_the_same_file_twice_replaces_its_dataset(db, la_file):
    load(la_file)
    first = Dataset.objects.get().pk
    load(la_file)

    assert Dataset.objects.count() == 1
    assert Dataset.objects.get().pk != first
    assert Observation.objects.count() == 6


def test_ees_metadata_files_are_recognised_and_skipped(db, tmp_path, la_file):
    meta = write(tmp_path, "la.meta.csv", "col_name,col_type,label\nheadcount,Indicator,Number of pupils\n")
    output = load(la_file, meta)

    assert "EES metadata" in output
    assert Dataset.objects.count() == 1


def gzip_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.csv.gz"
    with gzip.open(path, "wb") as stream:
        stream.write(HEADER.encode() + b"\n")
        stream.write(b"\0" * (3 * 1024 * 1024))
    return path


def zip_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", HEADER + "\n" + " " * (3 * 1024 * 1024))
    return path


def xlsx_file(tmp_path: Path) -> Path:
    path = tmp_path / "table.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<x>" + "0" * (3 * 1024 * 1024) + "</x>")
    return path


BAD_FILES = {
    "unknown csv": (lambda p: write(p, "people.csv", "name,age\nAda,36\n"), "expected the EES tidy layout"),
    "ees but of no known publication": (
        lambda p: write(p, "absence.csv", "time_period,geographic_level,sess_overall\n201617,National,5\n"),
        "not of a publication this loader knows: expected time_period, time_identifier, geographic_level",
    ),
    "sfr layout": (
        lambda p: write(p, "sfr.csv", "year,level,characteristic_1,NATIONAL\n201617,National,Total,1\n"),
        "recognised but not supported yet",
    ),
    "malformed csv": (
        lambda p: write(p, "broken.csv", HEADER + "\n" + LA_ROWS[0] + ',extra,"columns\n'),
        "is not a well-formed CSV",
    ),
    "utf-16": (lambda p: write(p, "wide.csv", "\n".join([HEADER, LA_ROWS[0]]), "utf-16"), "UTF-16 or binary"),
    "undecodable bytes": (
        lambda p: (p / "bytes.csv").write_bytes(HEADER.encode() + b"\n\x81\x8d\x90") and p / "bytes.csv",
        "neither UTF-8 nor Windows-1252",
    ),
    "control characters": (
        lambda p: (p / "ctl.csv").write_bytes(HEADER.encode() + b"\n\x07\x1b") and p / "ctl.csv",
        "control character",
    ),
    "empty": (lambda p: write(p, "empty.csv", ""), "is empty"),
    "gzip bomb": (gzip_bomb, "possible zip bomb"),
    "zip bomb": (zip_bomb, "possible zip bomb"),
    "xlsx": (xlsx_file, "is an Excel workbook; expected a DfE CSV"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_changes(db, tmp_path, monkeypatch, la_file, kind):
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    load(la_file)
    before = (Dataset.objects.count(), Observation.objects.count(), Dataset.objects.get().pk)
    make, message = BAD_FILES[kind]
    other = write(tmp_path, "other.csv", "\n".join([HEADER, LA_ROWS[0]]))

    with pytest.raises(CommandError, match="Nothing loaded") as error:
        # A good file first and the loaded file again: the bad one must undo both.
        load(other, la_file, make(tmp_path))

    assert message in str(error.value)
    assert_summary_shape(str(error.value).splitlines()[0])
    assert (Dataset.objects.count(), Observation.objects.count(), Dataset.objects.get().pk) == before


def test_a_missing_file_is_refused_before_anything_loads(db, tmp_path, la_file):
    with pytest.raises(CommandError, match="File not found"):
        load(la_file, tmp_path / "nope.csv")
    assert Dataset.objects.count() == 0
