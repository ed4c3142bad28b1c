"""Reading spreadsheets for imports: CSV (UTF-8 with or without a byte-order mark, UTF-16, or Windows-1252 as
older Excel saves it; commas, semicolons or tabs) or an Excel workbook (.xlsx, first sheet), every value as text.

Every import of the platform reads its file here and reports faults as ``RowError``s numbered as a spreadsheet
shows them (the header is row 1), so that all imports speak to their users the same way.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    """One fault: ``row`` as a spreadsheet numbers it (None: the file as a whole), ``column`` ("" for none)."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = "File" if self.row is None else f"Row {self.row}"
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


def error_report(errors: Sequence[RowError]) -> tuple[list[str], list[list[Any]]]:
    """The errors as a table (header, rows) for ``difference.core.exports``, for users to download."""
    return ["row", "column", "problem"], [[e.row, e.column, e.message] for e in errors]


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, in the importing user's terms."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    # (spreadsheet row number, values), blank rows left out.
    rows: list[tuple[int, list[str]]]


def read_table(
    content: bytes, filename: str, *, required_columns: Sequence[str] = (), max_rows: int = MAX_ROWS
) -> Table:
    """The header and rows of a CSV or XLSX file, every value as stripped text; at most ``max_rows`` rows."""
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content, required_columns, max_rows)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("This is an old-style Excel file (.xls). Save it as .xlsx or CSV and try again.")
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileProblem("This file is named .xlsx but is not an Excel workbook. Save it again from Excel.")
    return _read_csv(content, required_columns, max_rows)


def _read_xlsx(content: bytes, required_columns: Sequence[str], max_rows: int) -> Table:
    from openpyxl import load_workbook

    try:
        # data_only: the values Excel last calculated, not the formulas behind them.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for damaged workbooks
        raise FileProblem(f"The workbook could not be read ({exc}). Save it again from Excel, or as CSV.") from exc
    try:
        if not workbook.worksheets:
            raise FileProblem("The workbook has no sheets.")
        lines = ([_cell_text(value) for value in row] for row in workbook.worksheets[0].iter_rows(values_only=True))
        return _table(lines, required_columns, max_rows)
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A typed spreadsheet value as the text a user would have typed for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Rounding away binary noise first, so a score Excel computed as 3.4499999999999997 reads as 3.45.
        value = round(value, 9)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _read_csv(content: bytes, required_columns: Sequence[str], max_rows: int) -> Table:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return _table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), required_columns, max_rows)
    except csv.Error as exc:
        raise FileProblem(f"The file could not be read as CSV: {exc}.") from exc


def _decode(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode text"
    else:
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            # Excel on Windows saves "CSV (Comma delimited)" in the Windows code page.
            encoding = "cp1252"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileProblem(
            "The file is neither UTF-8 nor Windows-1252 text. Save it as CSV UTF-8, or as .xlsx, and try again."
        ) from exc


def _table(lines: Iterable[list[str]], required_columns: Sequence[str], max_rows: int) -> Table:
    header: list[str] | None = None
    rows = []
    for number, values in enumerate(lines, start=1):
        values = [value.strip() for value in values]
        if header is None:
            header = values
            continue
        if any(values):
            rows.append((number, values))
            if len(rows) > max_rows:
                raise FileProblem(f"The file has more than {max_rows:,} rows. Split it and import each part.")
    if header is None or not any(header):
        expected = f", {', '.join(required_columns)}" if required_columns else ""
        raise FileProblem(f"The file is empty: row 1 should be the header{expected}.")
    return Table(header, rows)


def column_key(name: str) -> str:
    """A header as a column name: \"Round year\" and \"round-year\" read as ``round_year``."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def check_header(
    header: list[str], *, allowed: Sequence[str], required: Sequence[str]
) -> tuple[dict[str, int], list[RowError]]:
    """Each known column's position, and the header's faults: unknown, repeated or missing columns."""
    columns: dict[str, int] = {}
    errors = []
    for position, name in enumerate(header):
        key = column_key(name)
        if not key:
            continue
        if key not in allowed:
            errors.append(RowError(1, name, f"Unknown column “{name}”. The columns are: {', '.join(allowed)}."))
        elif key in columns:
            errors.append(RowError(1, key, f"The column {key} appears twice."))
        else:
            columns[key] = position
    missing = [name for name in required if name not in columns]
    if missing:
        errors.append(
            RowError(1, "", f"Missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
        )
    return columns, errors


def read_source(source: Path | IO[bytes], filename: str = "") -> tuple[bytes, str]:
    """The bytes of a file on disk or of an upload, and the name to report it by (``filename`` if given)."""
    if isinstance(source, Path):
        return source.read_bytes(), filename or source.name
    return source.read(), filename or Path(str(getattr(source, "name", "") or "upload")).name
