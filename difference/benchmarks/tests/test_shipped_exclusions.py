"""Every published rate of the shipped exclusions files (by characteristic; by geographic level down to each
school) is reproduced at DfE's rounding by ``dfe_rates``: computed from exact counts, or DfE's own where the
counts are rounded, checked against the range those counts allow. No published rate is lost on the way."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from pathlib import Path

import pytest

from difference.benchmarks.loaders import MEASURES, SYMBOLS
from difference.benchmarks.tests.commands import load, rates

DATA = Path(__file__).resolve().parents[1] / "data"
RATE_COLUMNS = {
    "permanent_exclusion_rate": "perm_excl_rate",
    "suspension_rate": "fixed_excl_rate",
    "one_plus_suspension_rate": "one_plus_fixed_rate",
}
ALLOWED = {
    ("computed", "matches DfE"),
    ("published", "within range of rounded counts"),
    ("published", "within range of the fractional count as printed"),
}
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la", "School": "school"}


def published_rates(path: Path) -> Counter[tuple[str, str]]:
    """How many rows publish each (measure, level) rate: the file read on its own, not through the loader."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as stream:
        text = stream.read()
    counts: Counter[tuple[str, str]] = Counter()
    for row in csv.DictReader(io.StringIO(text)):
        for measure, column in RATE_COLUMNS.items():
            value = (row[column] or "").strip().lower()
            if value and value not in SYMBOLS:
                counts[(measure, row["geographic_level"])] += 1
    return counts


@pytest.mark.dfe_files
@pytest.mark.parametrize(
    ("name", "expected"),
    [("exclusions_by_characteristic.csv", 12_602), ("exclusions_by_geographic_level.csv.gz", 630_361)],
)
def test_every_published_rate_of_a_shipped_exclusions_file_is_reproduced(db, name, expected):
    assert set(RATE_COLUMNS) == set(MEASURES)
    path = DATA / name
    load(path)
    published = published_rates(path)
    compared = 0
    for (measure, level), count in sorted(published.items()):
        rows = [
            r
            for r in rates(measure=measure, level=LEVELS[level])
            if r["source"] == name and r["rate"] != "not available"
        ]
        assert len(rows) == count, (measure, level)
        # Computed rows match DfE exactly; DfE's own rate is used only where its counts are rounded to 5, or are
        # the 2006/07-2009/10 estimates printed with decimals, and then it lies within what those counts allow.
        checks = Counter((str(r["basis"]), str(r["check"])) for r in rows)
        assert set(checks) <= ALLOWED, (measure, level, checks.most_common(4))
        compared += count
    assert compared == expected
