"""Tabular exports: CSV and XLSX from a header and rows, safe to open in a spreadsheet.

Both writers take the same input, a list of column names and an iterable of rows, and neutralise spreadsheet
formulas the way OWASP recommends for CSV injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return gets a leading single quote, so that Excel, LibreOffice and Google Sheets show the
text instead of running it (``=HYPERLINK(...)`` in a name would otherwise become a live link). Only text is
touched: numbers, including negative ones, stay numbers, and in XLSX dates and times stay typed cells.

CSV is UTF-8 with a byte-order mark, which is what makes Excel on Windows read it as UTF-8 rather than as the
local code page (without it, "Zoë" opens as "ZoÃ«").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from difference.core import numbers

Cell = str | int | float | Decimal | dt.date | dt.datetime | dt.time | bool | None
ExportFormat = Literal["csv", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx")
# Any file the platform hands over as a download: the tables above, and documents (reports).
FileFormat = Literal["csv", "xlsx", "pdf", "html"]
# A sheet of a workbook: its title, header and rows.
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Cell]]]

CONTENT_TYPES: dict[FileFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit on a sheet name's length.
SHEET_TITLE_MAX = 31


def neutralise(text: str) -> str:
    """The text with a leading quote if a spreadsheet would otherwise read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# --- CSV ---------------------------------------------------------------------------------------------------------
def write_csv(file: IO[str], header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """Write to a text file opened with ``newline=""``; the caller chooses the encoding (use ``utf-8-sig``)."""
    writer = csv.writer(file)
    writer.writerow([_csv_text(name) for name in header])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before the numbers: a bool is an int
        return "yes" if value else "no"
    if isinstance(value, float):
        # A computed float (a rate, a mean) carries noise digits: the one number format's 2 decimals at most.
        return str(numbers.export_value(value))
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return f"{_local_naive(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return neutralise(str(value))


# --- XLSX --------------------------------------------------------------------------------------------------------
def write_xlsx(
    file: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str = "Export"
) -> None:
    write_workbook(file, [(title, header, rows)])


def write_workbook(file: IO[bytes], sheets: Sequence[Sheet]) -> None:
    """A workbook of several sheets, each a header in bold and its rows, neutralised like every export."""
    # Write-only mode streams rows to the file rather than holding every cell object in memory.
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=_xlsx_text(name))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
    workbook.save(file)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return buffer.getvalue()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str = "Export") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, header, rows, title=title)
    return buffer.getvalue()


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        return _xlsx_text(value)
    if isinstance(value, dt.datetime):
        # Excel has no time zones: openpyxl refuses aware datetimes, so write the local wall-clock time.
        return _local_naive(value)
    return value


def _xlsx_text(text: str) -> str:
    # openpyxl refuses control characters that XML cannot carry; dropping them beats failing the export.
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\\/*?:\[\]]", " ", title).strip() or "Export"
    return cleaned[:SHEET_TITLE_MAX]


def _local_naive(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


# --- Files and responses -------------------------------------------------------------------------------------------
def render_export(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], *, file_format: ExportFormat, title: str = "Export"
) -> bytes:
    if file_format == "csv":
        return csv_bytes(header, rows)
    if file_format == "xlsx":
        return xlsx_bytes(header, rows, title=title)
    raise ValueError(f"Unknown export format {file_format!r}; choose one of {', '.join(EXPORT_FORMATS)}.")


def safe_filename(name: str, file_format: FileFormat) -> str:
    """A plain ASCII file name with the format's extension, whatever the caller passed (paths, quotes, newlines).

    >>> safe_filename('../Pipeline 2022: "staff"', "csv")
    'Pipeline-2022-staff.csv'
    """
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    suffix = f".{file_format}"
    if stem.lower().endswith(suffix):
        stem = stem[: -len(suffix)]
    # Accents come off rather than the letters ("Zoë" becomes "Zoe"); other characters become hyphens.
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:100] or "export"
    return f"{stem}{suffix}"


def attachment_response(content: bytes, *, filename: str, file_format: FileFormat) -> HttpResponse:
    """A download of ``content`` under a safe ``filename`` (the extension is added if missing)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename, file_format))
    # Exports carry personal data: no shared cache should keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def export_response(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    filename: str,
    file_format: ExportFormat,
    title: str = "Export",
) -> HttpResponse:
    content = render_export(header, rows, file_format=file_format, title=title)
    return attachment_response(content, filename=filename, file_format=file_format)
