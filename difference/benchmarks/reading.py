"""Reading a DfE statistics file safely: size limits (gzip and zip bombs), encoding detection, DuckDB parsing.

A file is read whole into memory (capped), decoded as UTF-8 (with or without a byte-order mark) or Windows-1252,
written back as plain UTF-8 to a temporary file and parsed by DuckDB with every value as text.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import duckdb

# The largest shipped file is about 40 MB uncompressed; anything far beyond is not a DfE table we know.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_FILE_BYTES = 128 * 1024 * 1024
CHUNK = 1024 * 1024


# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F) but tab, carriage return and line
# feed. A regular expression scans a 13 MB file in milliseconds; asking unicodedata per character took seconds.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class FileProblem(Exception):
    """The file cannot be read; the message says what was expected."""


def read_raw(path: Path) -> bytes:
    """The file's bytes as stored, refusing a file over the size limit before reading it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileProblem(f"{path.name} is {size:,} bytes; expected a DfE CSV under {MAX_FILE_BYTES:,} bytes.")
    return path.read_bytes()


def decompressed(content: bytes, name: str) -> bytes:
    """The bytes, decompressed if gzip or zip, refusing anything that expands past the limit."""
    if content.startswith(b"\x1f\x8b"):
        return _gunzip(content, name)
    if content.startswith(b"PK\x03\x04"):
        return _unzip(content, name)
    return content


def _gunzip(content: bytes, name: str) -> bytes:
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(content)) as stream:
            while chunk := stream.read(CHUNK):
                out.write(chunk)
                if out.tell() > MAX_UNCOMPRESSED_BYTES:
                    raise FileProblem(
                        f"{name} expands beyond {MAX_UNCOMPRESSED_BYTES:,} bytes when decompressed; "
                        "expected a gzipped DfE CSV of ordinary size (refused as a possible zip bomb)."
                    )
    except (OSError, EOFError, zlib.error) as exc:
        raise FileProblem(f"{name} looks gzipped but could not be decompressed ({exc}); expected a .csv.gz.") from exc
    return out.getvalue()


def _unzip(content: bytes, name: str) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise FileProblem(f"{name} looks like a zip archive but is damaged; expected a CSV.") from exc
    names = archive.namelist()
    if any(n.startswith("xl/") or n == "[Content_Types].xml" for n in names):
        raise FileProblem(f"{name} is an Excel workbook; expected a DfE CSV (EES data files are CSV).")
    data = [n for n in names if n.lower().endswith(".csv") and not n.lower().endswith(".meta.csv")]
    if len(data) != 1:
        raise FileProblem(f"{name} is a zip archive; expected exactly one data CSV inside, found {len(data)}.")
    with archive.open(data[0]) as stream:
        out = stream.read(MAX_UNCOMPRESSED_BYTES + 1)
    if len(out) > MAX_UNCOMPRESSED_BYTES:
        raise FileProblem(
            f"{name} expands beyond {MAX_UNCOMPRESSED_BYTES:,} bytes when decompressed; "
            "expected a zipped DfE CSV of ordinary size (refused as a possible zip bomb)."
        )
    return out


def decode(content: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was read as: UTF-8 (with or without BOM) or Windows-1252, nothing else."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in content[:4096]:
        raise FileProblem(f"{name} is UTF-16 or binary; expected CSV text in UTF-8 or Windows-1252.")
    if content.startswith(codecs.BOM_UTF8):
        text, encoding = _decode_as(content, "utf-8-sig", name), "UTF-8 with BOM"
    else:
        try:
            text, encoding = content.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            text, encoding = _decode_as(content, "cp1252", name), "Windows-1252"
    bad = CONTROL.search(text)
    if bad is not None:
        raise FileProblem(
            f"{name} contains the control character U+{ord(bad[0]):04X}; expected CSV text in UTF-8 or Windows-1252."
        )
    return text, encoding


def _decode_as(content: bytes, encoding: str, name: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"{name} is neither UTF-8 nor Windows-1252 text (byte {exc.start}); expected a DfE CSV in one of those."
        ) from exc


def parse_csv(
    text: str, name: str, choose: Callable[[list[str]], list[str]]
) -> tuple[list[str], list[tuple[str | None, ...]]]:
    """The chosen columns and rows of CSV text, every value as text, parsed by DuckDB in strict mode.

    ``choose`` sees the header (lower-cased, stripped) and returns the columns to fetch, or raises FileProblem.
    """
    if not text.strip():
        raise FileProblem(f"{name} is empty; expected a DfE CSV with a header row.")
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "data.csv"
        csv_path.write_text(text, encoding="utf-8")
        try:
            with duckdb.connect() as con:
                relation = con.sql(
                    "SELECT * FROM read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\"', "
                    "escape = '\"', strict_mode = true, null_padding = false, ignore_errors = false, "
                    "auto_detect = true)",
                    params=[str(csv_path)],
                )
                original = {column.strip().lower(): column for column in relation.columns}
                columns = choose(list(original))
                quoted = ", ".join('"' + original[column].replace('"', '""') + '"' for column in columns)
                rows = relation.project(quoted).fetchall()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise FileProblem(f"{name} is not a well-formed CSV ({first}); expected a DfE CSV.") from exc
    return columns, rows
