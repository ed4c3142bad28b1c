from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from difference.core.exports import (
    attachment_response,
    csv_bytes,
    export_response,
    neutralise,
    render_export,
    safe_filename,
    xlsx_bytes,
)

HEADER = ["Name", "Score", "Change", "On", "At"]
AT = dt.datetime(2022, 7, 1, 9, 30, tzinfo=dt.UTC)  # 10:30 in London (BST)
ROWS = [
    ["Zoë Ångström", 4, -3, dt.date(2022, 3, 5), AT],
    ['=HYPERLINK("http://evil.example","Click")', Decimal("3.25"), Decimal("-1.5"), None, None],
]


def _read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _read_xlsx(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("O'Brien", "O'Brien"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(text, expected):
    assert neutralise(text) == expected


def test_a_csv_starts_with_a_byte_order_mark_and_reads_back_in_utf8():
    content = csv_bytes(HEADER, ROWS)

    assert content.startswith(b"\xef\xbb\xbf")
    rows = _read_csv(content)
    assert rows[0] == HEADER
    assert rows[1] == ["Zoë Ångström", "4", "-3", "2022-03-05", "2022-07-01 10:30"]


def test_a_formula_comes_back_from_csv_neutralised_while_negative_numbers_stay_numbers():
    rows = _read_csv(csv_bytes(HEADER, ROWS))

    assert rows[2][0] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows[2][1:3] == ["3.25", "-1.5"]
    assert rows[1][2] == "-3"


def test_csv_quotes_commas_quotes_and_newlines_so_each_value_stays_in_its_cell():
    rows = _read_csv(csv_bytes(["a", "b"], [['He said "hi", then left', "line one\nline two"]]))
    assert rows[1] == ['He said "hi", then left', "line one\nline two"]


def test_an_xlsx_keeps_numbers_and_dates_typed_and_times_in_uk_wall_clock_time():
    rows = _read_xlsx(xlsx_bytes(HEADER, ROWS))

    assert rows[0] == tuple(HEADER)
    assert rows[1] == ("Zoë Ångström", 4, -3, dt.datetime(2022, 3, 5), dt.datetime(2022, 7, 1, 10, 30))
    assert rows[2][1:3] == (3.25, -1.5)


def test_a_formula_comes_back_from_xlsx_as_neutralised_text_not_a_formula():
    content = xlsx_bytes(HEADER, ROWS)
    cell = load_workbook(io.BytesIO(content)).worksheets[0]["A3"]

    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil.example","Click")'


def test_negative_numbers_stay_numbers_in_xlsx():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(HEADER, ROWS))).worksheets[0]
    assert sheet["C2"].data_type == "n"
    assert sheet["C2"].value == -3


def test_control_characters_xml_cannot_carry_are_dropped_rather_than_failing_the_export():
    rows = _read_xlsx(xlsx_bytes(["Name"], [["Bell\x07 Hooks\x00"]]))
    assert rows[1] == ("Bell Hooks",)


def test_the_sheet_title_is_made_acceptable_to_excel():
    content = xlsx_bytes(["a"], [], title="Pipeline 2022/23: [staff] and a very long tail")
    title = load_workbook(io.BytesIO(content)).worksheets[0].title
    assert "/" not in title and "[" not in title and len(title) <= 31


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="Unknown export format 'pdf'"):
        render_export(["a"], [], file_format="pdf")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "file_format", "expected"),
    [
        ("pipeline-2022", "csv", "pipeline-2022.csv"),
        ("pipeline-2022.xlsx", "xlsx", "pipeline-2022.xlsx"),
        ('../../etc/Pipeline 2022: "staff"', "csv", "Pipeline-2022-staff.csv"),
        ("report\r\nSet-Cookie: x=1", "csv", "report-Set-Cookie-x-1.csv"),
        ("Zoë’s list", "xlsx", "Zoes-list.xlsx"),
        ("...", "csv", "export.csv"),
    ],
)
def test_a_download_gets_a_plain_safe_filename(name, file_format, expected):
    assert safe_filename(name, file_format) == expected


def test_an_attachment_response_has_the_content_type_filename_and_no_caching():
    response = attachment_response(b"a,b\r\n", filename="pipeline 2022", file_format="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pipeline-2022.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response.content == b"a,b\r\n"


def test_an_export_response_serves_an_xlsx_workbook():
    response = export_response(HEADER, ROWS, filename="pipeline-2022", file_format="xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert _read_xlsx(response.content)[1][0] == "Zoë Ångström"


def test_naive_datetimes_are_written_as_given():
    at = dt.datetime(2022, 1, 2, 3, 4)
    assert _read_csv(csv_bytes(["at"], [[at]]))[1] == ["2022-01-02 03:04"]
    assert _read_xlsx(xlsx_bytes(["at"], [[at]]))[1] == (at,)


def test_aware_datetimes_in_another_zone_are_converted_to_uk_time():
    at = dt.datetime(2022, 1, 2, 9, 0, tzinfo=ZoneInfo("America/New_York"))  # 14:00 in London (GMT)
    assert _read_csv(csv_bytes(["at"], [[at]]))[1] == ["2022-01-02 14:00"]
