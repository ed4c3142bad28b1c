"""Reading the files people and publishers give the platform: CSV (plain, gzipped or zipped) and Excel workbooks.

Every import and loader gets its bytes here, so that one set of limits guards them all:

- size: a file over ``MAX_FILE_BYTES`` is refused before it is read;
- decompression: a gzip stream whose trailer declares more than ``MAX_UNCOMPRESSED_BYTES``, or a zip archive (an
  ``.xlsx`` is one, of XML files) whose entries declare more in all or that has more than ``MAX_ZIP_ENTRIES``
  entries, is refused before anything is expanded. The declarations cannot be trusted, but they bind: ``zipfile``
  never returns more than an entry declares, and gzip is expanded in chunks and stopped at the limit (its trailer
  holds the size modulo 4 GiB, so a large enough bomb declares little);
- XML: openpyxl parses a workbook with the standard library's expat, which fetches no external entity and, since
  expat 2.4, refuses the runaway entity expansion of a "billion laughs";
- text: UTF-8 with or without a byte-order mark, or Windows-1252 as older Excel, DfE and GIAS save CSV.

People's spreadsheets (``read_table``) come back as a header and rows of text numbered as a spreadsheet shows them
(the header is row 1). Published data files (``read_text``) come back as text, for DuckDB to parse: DuckDB reads
only UTF-8 itself, so ``utf8_files`` writes the text where it can read it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import hashlib
import io
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

# A spreadsheet of this size is a mistake or an attack; the largest DfE file the product ships is 40 MB unzipped.
MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
# An .xlsx from Excel has a dozen or two entries (a few hundred with many sheets or pictures).
MAX_ZIP_ENTRIES = 1_000
MAX_ROWS = 20_000
CHUNK = 1024 * 1024

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the compound file of Excel 97-2003 (.xls)

# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F) but tab, carriage return and line
# feed. A regular expression scans a 13 MB file in milliseconds; asking unicodedata per character took seconds.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, in the terms of whoever gave the file."""


@dataclass(frozen=True)
class RowError:
    """One fault: ``row`` as a spreadsheet numbers it (None: the file as a whole), ``column`` ("" for none)."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = "File" if self.row is None else f"Row {self.row}"
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


# --- Bytes ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RawFile:
    """A file's bytes as given (compressed or not) and the name to report it by."""

    name: str
    content: bytes

    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def name_of(source: Path | IO[bytes], name: str = "") -> str:
    """The name to report a file on disk or an upload by: ``name`` if given, else its own."""
    if name:
        return name
    if isinstance(source, Path):
        return source.name
    return Path(str(getattr(source, "name", "") or "upload")).name


def read_bytes(source: Path | IO[bytes], name: str = "", *, max_bytes: int | None = None) -> RawFile:
    """The bytes of a file on disk or of an upload, refusing one over ``max_bytes`` before reading it.

    An upload (Django's ``UploadedFile``) knows its size; any other file object is read one byte past the limit.
    """
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    size = source.stat().st_size if isinstance(source, Path) else getattr(source, "size", None)
    if isinstance(size, int):
        _check_size(size, limit)
    if isinstance(source, Path):
        with source.open("rb") as stream:
            content = stream.read(limit + 1)
    else:
        content = source.read(limit + 1)
    _check_size(len(content), limit)  # a file that grew since, or a stream that did not know its size
    return RawFile(name_of(source, name), content)


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise FileProblem(f"The file is {size:,} bytes, more than the {limit:,} bytes a file may have.")


# --- Archives ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unpacked:
    """A file's content once decompressed: CSV bytes, or an Excel workbook's bytes (still a zip, for openpyxl)."""

    kind: Literal["csv", "xlsx"]
    content: bytes


def unpack(
    raw: RawFile, *, workbooks: bool, expected: str = "CSV text", max_uncompressed: int | None = None
) -> Unpacked:
    """The CSV inside a gzip stream or a zip archive, a workbook (when ``workbooks``), or the bytes themselves.

    Archives are refused, before anything is expanded, when they declare more than ``max_uncompressed`` bytes;
    ``expected`` names what the caller wanted, for the message refusing a workbook it cannot use.
    """
    limit = MAX_UNCOMPRESSED_BYTES if max_uncompressed is None else max_uncompressed
    content = raw.content
    if content.startswith(OLE_MAGIC):
        if workbooks:
            raise FileProblem("This is an old-style Excel file (.xls). Save it as .xlsx or CSV and try again.")
        raise FileProblem(f"The file is an old-style Excel workbook (.xls); expected {expected}.")
    if content.startswith(GZIP_MAGIC):
        return Unpacked("csv", _gunzip(content, limit))
    if content.startswith(ZIP_MAGIC):
        return _unzip(content, limit, workbooks=workbooks, expected=expected)
    if workbooks and raw.name.lower().endswith((".xlsx", ".xlsm")):
        raise FileProblem("This file is named .xlsx but is not an Excel workbook. Save it again from Excel.")
    return Unpacked("csv", content)


def _bomb(limit: int) -> FileProblem:
    return FileProblem(
        f"The file expands beyond {limit:,} bytes when decompressed, more than any file it should be "
        "(refused as a possible zip bomb)."
    )


def _gunzip(content: bytes, limit: int) -> bytes:
    # The last four bytes hold the size modulo 2**32: a cheap refusal of an honest bomb, nothing more.
    if len(content) >= 18 and int.from_bytes(content[-4:], "little") > limit:
        raise _bomb(limit)
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            while chunk := stream.read(CHUNK):
                out.write(chunk)
                if out.tell() > limit:
                    raise _bomb(limit)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise FileProblem(f"The file looks gzipped but could not be decompressed ({exc}).") from exc
    return out.getvalue()


def _unzip(content: bytes, limit: int, *, workbooks: bool, expected: str) -> Unpacked:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        if workbooks:
            raise FileProblem(f"The workbook could not be read ({exc}). Save it again from Excel, or as CSV.") from exc
        raise FileProblem(f"The file looks like a zip archive but is damaged ({exc}); expected {expected}.") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise FileProblem(
                f"The file is a zip archive of {len(entries):,} entries, more than the {MAX_ZIP_ENTRIES:,} an "
                "ordinary file has (refused as a possible zip bomb)."
            )
        if any(entry.filename.startswith("xl/") or entry.filename == "[Content_Types].xml" for entry in entries):
            if not workbooks:
                raise FileProblem(f"The file is an Excel workbook; expected {expected}.")
            # Every entry, not only the sheets: openpyxl reads the shared strings and styles whole.
            if sum(entry.file_size for entry in entries) > limit:
                raise _bomb(limit)
            return Unpacked("xlsx", content)
        # EES publishes a data file zipped with its description (.meta.csv); the data is the other CSV.
        data = [
            e for e in entries if e.filename.lower().endswith(".csv") and not e.filename.lower().endswith(".meta.csv")
        ]
        if len(data) != 1:
            raise FileProblem(f"The file is a zip archive; expected exactly one data CSV inside, found {len(data)}.")
        if data[0].file_size > limit:
            raise _bomb(limit)
        try:
            with archive.open(data[0]) as stream:
                return Unpacked("csv", stream.read(limit + 1))
        except (zipfile.BadZipFile, OSError, zlib.error, NotImplementedError, RuntimeError) as exc:
            # A CRC or size that does not match what was declared, an unknown method, or a password.
            raise FileProblem(f"The zip archive could not be expanded ({exc}).") from exc


# --- Text -------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    text: str
    encoding: str  # as a person would name it: "UTF-8", "UTF-8 with BOM", "Windows-1252", "UTF-16"


def decode(content: bytes, *, strict: bool) -> Text:
    """The text, read as UTF-8 (with or without a byte-order mark) or else as Windows-1252.

    ``strict`` is for published data files: they are refused if UTF-16 or binary, or if they contain a control
    character, which no DfE or GIAS file does. People's spreadsheets (not ``strict``) may also be UTF-16 with a
    byte-order mark, as Excel saves "Unicode text".
    """
    if strict and (content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in content[:4096]):
        raise FileProblem("The file is UTF-16 or binary; expected CSV text in UTF-8 or Windows-1252.")
    if content.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8 with BOM")]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        # UTF-8 first: Windows-1252 text with any accented or curly character is never valid UTF-8, while a file
        # re-saved as UTF-8 would otherwise turn into mojibake without an error.
        candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    failure: UnicodeDecodeError | None = None
    for codec, encoding in candidates:
        try:
            text = content.decode(codec)
        except UnicodeDecodeError as exc:
            failure = exc
            continue
        if strict and (bad := CONTROL.search(text)) is not None:
            raise FileProblem(
                f"The file contains the control character U+{ord(bad[0]):04X}; expected CSV text in UTF-8 or "
                "Windows-1252."
            )
        return Text(text, encoding)
    assert failure is not None
    if strict:
        raise FileProblem(f"The file is neither UTF-8 nor Windows-1252 text (byte {failure.start:,}).") from failure
    raise FileProblem(
        "The file is neither UTF-8 nor Windows-1252 text. Save it as CSV UTF-8, or as .xlsx, and try again."
    ) from failure


def read_text(raw: RawFile, *, expected: str = "CSV text", max_uncompressed: int | None = None) -> Text:
    """A published data file's text: decompressed, decoded strictly (see ``decode``), refused if empty."""
    unpacked = unpack(raw, workbooks=False, expected=expected, max_uncompressed=max_uncompressed)
    text = decode(unpacked.content, strict=True)
    if not text.text.strip():
        raise FileProblem("The file is empty: row 1 should be the header.")
    return text


@contextmanager
def utf8_files(texts: Sequence[tuple[str, str]]) -> Iterator[list[Path]]:
    """Each (name, text) written as a UTF-8 file of that name in a temporary folder, removed afterwards.

    DuckDB reads only UTF-8, UTF-16 and strict Latin-1 (which rejects the 0x80-0x9F bytes Windows-1252 uses for
    curly quotes and dashes); Windows-1252 would need its ``encodings`` extension, a download at run time.
    """
    with tempfile.TemporaryDirectory(prefix="difference-read-") as folder:
        paths = []
        for name, text in texts:
            path = Path(folder) / name
            with path.open("w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            paths.append(path)
        yield paths


# --- Spreadsheets -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    header: list[str]
    # (spreadsheet row number, values), blank rows left out.
    rows: list[tuple[int, list[str]]]


def read_table(raw: RawFile, *, required_columns: Sequence[str] = (), max_rows: int = MAX_ROWS) -> Table:
    """The header and rows of a CSV (plain, gzipped or zipped) or XLSX file, every value as stripped text.

    At most ``max_rows`` rows; CSV may be separated by commas, semicolons or tabs; a workbook's first sheet is read,
    with the values Excel last calculated.
    """
    unpacked = unpack(raw, workbooks=True)
    if unpacked.kind == "xlsx":
        return _read_xlsx(unpacked.content, required_columns, max_rows)
    return _read_csv(unpacked.content, required_columns, max_rows)


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
    except FileProblem:
        raise
    except Exception as exc:  # a sheet's XML damaged, or refused by expat (an entity expansion bomb)
        raise FileProblem(f"The workbook could not be read ({exc}). Save it again from Excel, or as CSV.") from exc
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
    text = decode(content, strict=False).text
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return _table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), required_columns, max_rows)
    except csv.Error as exc:
        raise FileProblem(f"The file could not be read as CSV: {exc}.") from exc


def _table(lines: Iterable[list[str]], required_columns: Sequence[str], max_rows: int) -> Table:
    header: list[str] | None = None
    rows = []
    # Numbered as a spreadsheet shows them: a CSV record across several lines (a quoted line break) is one row,
    # and openpyxl gives an empty row for each row a sheet leaves out.
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


# --- Headers ----------------------------------------------------------------------------------------------------------
def column_key(name: str) -> str:
    """A header as a column name: \"Round year\" and \"round-year\" read as ``round_year``."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def check_header(
    header: Sequence[str],
    *,
    required: Sequence[str],
    allowed: Sequence[str] | None = None,
    key: Callable[[str], str] = column_key,
) -> tuple[dict[str, int], list[RowError]]:
    """Each column's position by its ``key``, and the header's faults: unknown (when ``allowed`` is given),
    repeated or missing columns, on row 1."""
    columns: dict[str, int] = {}
    errors = []
    for position, name in enumerate(header):
        column = key(name)
        if not column:
            continue
        if allowed is not None and column not in allowed:
            errors.append(RowError(1, name, f"Unknown column “{name}”. The columns are: {', '.join(allowed)}."))
        elif column in columns:
            errors.append(RowError(1, column, f"The column {column} appears twice."))
        else:
            columns[column] = position
    missing = [name for name in required if name not in columns]
    if missing:
        errors.append(
            RowError(1, "", f"Missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
        )
    return columns, errors
