"""The one shape of an import's summary, for the tests of every import command and page."""

from __future__ import annotations

import re

SUMMARY = re.compile(
    r"(?P<source>.+): (?P<read>[\d,]+) rows? read, (?P<written>[\d,]+) (?:written|to write), "
    r"(?P<skipped>[\d,]+) skipped, (?P<errors>[\d,]+) errors?(?: — (?:dry run, )?nothing written)?"
)


def assert_summary_shape(line: str) -> dict[str, str]:
    """Fail unless ``line`` is a summary such as "file.csv: 1,234 rows read, 1,200 written, 30 skipped, 0 errors";
    its parts, by name."""
    match = SUMMARY.fullmatch(line)
    assert match is not None, f"not an import summary: {line!r}"
    return match.groupdict()
