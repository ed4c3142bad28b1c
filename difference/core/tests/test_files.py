"""The one reader of every import's files: limits before anything is read or expanded, encodings, headers, rows."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from difference.core import files
from difference.core.files import FileProblem, RawFile, RowError, check_header, read_bytes, read_table, read_text

HEADER = "round_year,first_name,email"
ROWS = ["2022,Zoë,zoe@example.org", "2021,Siân “Sian” O’Brien,sian@example.org"]
LIMIT = 1024 * 1024  # the tests' MAX_UNCOMPRESSED_BYTES: a few megabytes make a bomb


@pytest.fixture(autouse=True)
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED_BYTES", LIMIT)


def raw(content: bytes, name: str = "file.csv") -> RawFile:
    return RawFile(name, content)


def table(content: bytes, name: str = "file.csv", **options: Any) -> files.Table:
    return read_table(raw(content, name), **options)


def problem(call: Any, *args: Any, **options: Any) -> str:
    with pytest.raises(FileProblem) as raised:
        call(*args, **options)
    return str(raised.value)


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def forbid_expanding(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, any attempt to expand an archive or to parse a workbook fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("expanded a file that should have been refused first")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(gzip, "GzipFile", refuse)
    monkeypatch.setattr("openpyxl.load_workbook", refuse)


# --- Encodings --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
    ids=["utf-8", "utf-8 with bom", "windows-1252"],
)
def test_a_spreadsheet_reads_the_same_in_utf8_with_or_without_a_bom_or_in_windows_1252(encoding, prefix):
    content = prefix + "\r\n".join([HEADER, *ROWS]).encode(encoding)

    read = table(content)

    assert read.header == ["round_year", "first_name", "email"]
    assert read.rows == [
        (2, ["2022", "Zoë", "zoe@example.org"]),
        (3, ["2021", "Siân “Sian” O’Brien", "sian@example.org"]),
    ]


@pytest.mark.parametrize(
    ("encoding", "prefix", "name"),
    [("utf-8", b"", "UTF-8"), ("utf-8", b"\xef\xbb\xbf", "UTF-8 with BOM"), ("cp1252", b"", "Windows-1252")],
)
def test_a_published_file_reads_the_same_in_each_encoding_and_says_which(encoding, prefix, name):
    text = read_text(raw(prefix + "\n".join([HEADER, *ROWS]).encode(encoding)))

    assert (text.text, text.encoding) == ("\n".join([HEADER, *ROWS]), name)


def test_excels_unicode_text_is_read_from_a_spreadsheet_but_a_published_file_must_not_be_utf16():
    content = "\t".join(HEADER.split(",")).encode("utf-16") + "\r\n2022\tZoë\tzoe@example.org".encode("utf-16-le")

    assert table(content).rows == [(2, ["2022", "Zoë", "zoe@example.org"])]
    assert "UTF-16 or binary" in problem(read_text, raw(content))


def test_text_in_neither_encoding_is_refused_with_advice_to_the_person_and_a_position_to_the_operator():
    content = HEADER.encode() + b"\n2022,\x81\x8d,x@example.org\n"  # bytes Windows-1252 leaves undefined

    assert problem(table, content) == (
        "The file is neither UTF-8 nor Windows-1252 text. Save it as CSV UTF-8, or as .xlsx, and try again."
    )
    assert problem(read_text, raw(content)) == "The file is neither UTF-8 nor Windows-1252 text (byte 33)."


def test_a_published_file_with_a_control_character_or_binary_is_refused():
    assert "control character U+0007" in problem(read_text, raw(HEADER.encode() + b"\n\x07,b,c\n"))
    assert "UTF-16 or binary" in problem(read_text, raw(b"\x00\x01\x02" * 10))
    assert problem(read_text, raw(b" \n")) == "The file is empty: row 1 should be the header."


def test_utf8_files_are_what_duckdb_reads():
    with files.utf8_files([("giAS.csv", "URN,Name\r\n1,St Mary’s\r\n")]) as (path,):
        assert path.name == "giAS.csv"
        assert path.read_bytes() == "URN,Name\r\n1,St Mary’s\r\n".encode()
    assert not path.exists()


# --- Sizes and archives -----------------------------------------------------------------------------------------------
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2000)

    class Upload(io.BytesIO):
        size = 5000  # as Django's UploadedFile knows it

        def read(self, *args: Any) -> bytes:
            raise AssertionError("read a file that should have been refused first")

    assert problem(read_bytes, path, max_bytes=1000) == (
        "The file is 2,000 bytes, more than the 1,000 bytes a file may have."
    )
    assert "5,000 bytes" in problem(read_bytes, Upload(), max_bytes=1000)
    # A stream that does not know its size is read one byte past the limit, no further.
    assert "1,001 bytes" in problem(read_bytes, io.BytesIO(b"x" * 5000), max_bytes=1000)
    assert read_bytes(path, max_bytes=2000) == RawFile("big.csv", b"x" * 2000)


def test_a_gzip_bomb_is_refused_by_its_declared_size_before_it_is_expanded(monkeypatch):
    bomb = gzip.compress(HEADER.encode() + b"\n" + b"\0" * (3 * LIMIT))
    forbid_expanding(monkeypatch)

    assert "refused as a possible zip bomb" in problem(read_text, raw(bomb, "bomb.csv.gz"))


def test_a_gzip_bomb_declaring_a_small_size_is_stopped_at_the_limit():
    bomb = bytearray(gzip.compress(HEADER.encode() + b"\n" + b"a" * (3 * LIMIT)))
    bomb[-4:] = struct.pack("<I", 100)  # the trailer holds the size modulo 4 GiB, so it can say anything

    assert "refused as a possible zip bomb" in problem(read_text, raw(bytes(bomb), "bomb.csv.gz"))


def test_a_gzipped_or_zipped_csv_reads_as_the_csv():
    content = "\n".join([HEADER, *ROWS]).encode("cp1252")
    expected = table(content).rows

    assert table(gzip.compress(content), "f.csv.gz").rows == expected
    assert table(zipped({"data.csv": content, "data.meta.csv": b"col_name\n"}), "f.zip").rows == expected
    assert read_text(raw(gzip.compress(content))).encoding == "Windows-1252"


def test_a_zip_bomb_is_refused_by_its_declared_size_before_anything_is_expanded(monkeypatch):
    csv_bomb = zipped({"data.csv": HEADER.encode() + b"\n" + b" " * (3 * LIMIT)})
    sheet_bomb = zipped({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"<x>" + b"0" * 3 * LIMIT})
    forbid_expanding(monkeypatch)

    assert "refused as a possible zip bomb" in problem(read_text, raw(csv_bomb, "bomb.zip"))
    assert "refused as a possible zip bomb" in problem(table, csv_bomb, "bomb.zip")
    assert "refused as a possible zip bomb" in problem(table, sheet_bomb, "bomb.xlsx")


def test_a_zip_of_too_many_entries_is_refused_before_anything_is_expanded(monkeypatch):
    many = zipped({f"xl/{n}.xml": b"" for n in range(files.MAX_ZIP_ENTRIES + 1)})
    forbid_expanding(monkeypatch)

    assert "of 1,001 entries" in problem(table, many, "many.xlsx")


def test_a_zip_entry_that_expands_past_what_it_declares_is_stopped_there():
    content = bytearray(zipped({"data.csv": HEADER.encode() + b"\n" + b"a" * (3 * LIMIT)}))
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    entry = archive.infolist()[0]
    struct.pack_into("<I", content, entry.header_offset + 22, 100)  # the local header's uncompressed size
    struct.pack_into("<I", content, content.find(b"PK\x01\x02") + 24, 100)  # the central directory's

    assert "could not be expanded" in problem(read_text, raw(bytes(content), "lying.zip"))


def test_a_zip_with_no_or_several_data_csvs_is_refused():
    assert "expected exactly one data CSV inside, found 2" in problem(
        read_text, raw(zipped({"a.csv": b"a\n1\n", "b.csv": b"b\n2\n"}))
    )


def test_a_loader_that_wants_csv_refuses_a_workbook_before_reading_it(monkeypatch):
    content = workbook([["a"], ["1"]])
    forbid_expanding(monkeypatch)

    assert problem(read_text, raw(content, "t.xlsx"), expected="a DfE CSV") == (
        "The file is an Excel workbook; expected a DfE CSV."
    )


def test_old_excel_files_and_files_misnamed_xlsx_are_refused_with_advice():
    assert problem(table, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old.xls") == (
        "This is an old-style Excel file (.xls). Save it as .xlsx or CSV and try again."
    )
    assert problem(table, b"a,b\n1,2\n", "renamed.xlsx") == (
        "This file is named .xlsx but is not an Excel workbook. Save it again from Excel."
    )
    assert problem(table, b"PK\x03\x04 damaged", "damaged.xlsx").startswith("The workbook could not be read (")


def test_a_workbook_whose_xml_expands_entities_without_end_is_refused():
    source = zipfile.ZipFile(io.BytesIO(workbook([["a"], ["1"]])))
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    dtd = '<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(entities) + "]>"
    entries = {name: source.read(name) for name in source.namelist()}
    sheet = entries["xl/worksheets/sheet1.xml"].decode()
    entries["xl/worksheets/sheet1.xml"] = (dtd + sheet.replace("<t>1</t>", "<t>&lol9;</t>")).encode()

    message = problem(table, zipped(entries), "laughs.xlsx")

    assert message.startswith("The workbook could not be read (limit on input amplification factor")


# --- Headers and rows -------------------------------------------------------------------------------------------------
def test_missing_columns_are_named_on_the_header_row():
    header = ["Round Year", "e-mail", "Colour"]

    columns, errors = check_header(header, allowed=["round_year", "email", "e_mail"], required=["email", "name"])

    assert columns == {"round_year": 0, "e_mail": 1}
    assert errors == [
        RowError(1, "Colour", "Unknown column “Colour”. The columns are: round_year, email, e_mail."),
        RowError(1, "", "Missing required columns: email, name."),
    ]


def test_a_header_can_be_checked_by_exact_names_with_any_others_allowed():
    columns, errors = check_header(["URN", "LA (code)", "Street"], required=["URN", "Postcode"], key=str)

    assert columns == {"URN": 0, "LA (code)": 1, "Street": 2}
    assert [str(error) for error in errors] == ["Row 1: Missing required column: Postcode."]


def test_rows_are_numbered_as_a_spreadsheet_shows_them():
    # A blank row is left out but counted; a quoted line break keeps its record on one row.
    content = b'a,b\r\n1,"two\r\nlines"\r\n,\r\n3,4\r\n'
    sheet = workbook([["a", "b"], [1, "x"], [None, None], [None, None], [3.0, True]])

    assert table(content).rows == [(2, ["1", "two\r\nlines"]), (4, ["3", "4"])]
    assert table(sheet, "t.xlsx").rows == [(2, ["1", "x"]), (5, ["3", "yes"])]


def test_a_file_with_too_many_rows_or_none_at_all_is_refused():
    assert (
        problem(table, b"a\n1\n2\n3\n", max_rows=2) == "The file has more than 2 rows. Split it and import each part."
    )
    assert problem(table, b"", required_columns=["a", "b"]) == "The file is empty: row 1 should be the header, a, b."


def test_a_workbook_has_its_values_as_typed():
    import datetime as dt

    sheet = workbook([["when", "score", "ok"], [dt.date(2022, 3, 5), 3.4499999999999997, False]])

    assert table(sheet, "t.xlsx").rows == [(2, ["2022-03-05", "3.45", "no"])]


def test_a_name_is_the_files_own_unless_one_is_given(tmp_path: Path):
    upload = io.BytesIO(b"a\n")
    upload.name = "/tmp/uploads/past.csv"

    assert files.name_of(upload) == "past.csv"
    assert files.name_of(io.BytesIO(b"")) == "upload"
    assert files.name_of(tmp_path / "x.csv", "given.csv") == "given.csv"
