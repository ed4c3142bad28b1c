"""KS4 destination measures: counts and percentages on paired rows, DfE's percentages reproduced from the counts."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest

from difference.benchmarks.tests.commands import load, rates
from difference.core.tests.summaries import assert_summary_shape

DATA = Path(__file__).resolve().parents[1] / "data"
DESTINATIONS = DATA / "ks4_dm_ud_202122_nat_prov.csv.gz"
RATE_COLUMNS = {
    "sustained_destination_rate": "overall",
    "sustained_education_rate": "education",
    "sustained_apprenticeship_rate": "appren",
    "sustained_employment_rate": "all_work",
    "not_sustained_rate": "all_notsust",
}


def label(*parts: str) -> str:
    return ": ".join(p for p in parts if p != "Total") or "Total"


@pytest.mark.dfe_files
def test_every_published_percentage_of_the_shipped_ks4_destinations_file_is_reproduced_at_dfes_rounding(db):
    output = load(DESTINATIONS)
    assert "publication: Key stage 4 destination measures" in output
    assert "UTF-8 with BOM" in output
    assert "rates published to 1 dp; counts rounded at: no level (exact counts)" in output
    summary = assert_summary_shape(output.splitlines()[1])
    assert (summary["source"], summary["skipped"], summary["errors"]) == (DESTINATIONS.name, "0", "0")

    with gzip.open(DESTINATIONS, "rt", encoding="utf-8-sig", newline="") as stream:
        source = list(csv.DictReader(stream))
    counts, expected = {}, {}
    for row in source:
        breakdown = (
            row["time_period"],
            label(row["institution_group"], row["institution_type"]),
            label(row["breakdown_topic"], row["breakdown"]),
        )
        if row["data_type"] == "Number of pupils":
            counts[breakdown] = row
            continue
        assert row["data_type"] == "Percentage"
        for measure, column in RATE_COLUMNS.items():
            expected[(measure, *breakdown)] = row[column]
    assert len(counts) == len(source) // 2 == 1_966

    compared: Counter[str] = Counter()
    low = 0
    for measure, column in RATE_COLUMNS.items():
        for out in rates(measure=measure, level="national"):
            breakdown = (str(out["time_period"]).replace("/", ""), out["school_type"], out["characteristic"])
            published = expected.pop((measure, *breakdown))
            assert (out["numerator"], out["denominator"]) == (
                int(counts[breakdown][column]),
                int(counts[breakdown]["cohort"]),
            ), out
            if published == "low":
                # DfE prints "low" for a non-zero count whose rate rounds to 0.0: the count is shown, not hidden.
                assert out["numerator"] > 0 and out["rate"] == "0.0", out  # type: ignore[operator]
                assert out["check"] == "DfE shows “low”: above 0 but under 0.05", out
                low += 1
                continue
            assert out["rate"] == published, out  # DfE's percentages have one decimal place, "77.0" included
            assert (out["basis"], out["check"]) == ("computed", "matches DfE"), out
            compared[measure] += 1
    assert not expected

    # 1,966 breakdowns x 5 measures, less 3 that DfE prints as "low" (1 apprenticeship, 2 employment).
    assert sum(compared.values()) == 9_827
    assert low == 3
    assert compared["sustained_destination_rate"] == 1_966


HEADER = (
    '"time_period","time_identifier","geographic_level","country_code","country_name","institution_group",'
    '"institution_type","breakdown_topic","breakdown","data_type","version","inst_count","cohort","overall",'
    '"education","appren","all_work","all_notsust"'
)
PREFIX = '"202122","Academic year","National","E92000001","England","Alternative provision","Total",'
# Alternative provision's 2021/22 figures, from the shipped file.
PAIR = [
    PREFIX + '"Total","Total","Number of pupils","Provisional","z","7906","5300","4247","169","884","2268"',
    PREFIX + '"Total","Total","Percentage","Provisional","z","7906","67.0","53.7","2.1","11.2","28.7"',
]


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "ks4.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join([HEADER, *lines]).encode())
    return path


def test_rows_without_their_pair_or_with_a_garbage_count_are_skipped_with_the_reason(db, tmp_path):
    lonely = PAIR[1].replace('"Total","Total","Percentage"', '"Gender","Male","Percentage"')
    garbage = [row.replace('"Total","Total"', '"Gender","Female"') for row in PAIR]
    garbage[0] = garbage[0].replace('"5300"', '"many"')
    output = load(write(tmp_path, [*PAIR, lonely, *garbage]))

    # The pair loads as one row; the row without its pair and the garbage pair are skipped.
    assert "ks4.csv: 5 rows read, 1 written, 2 skipped, 0 errors\n  observations: 5\n" in output
    assert "1 skipped: is a “percentage” row without its “number of pupils” row" in output
    assert "1 skipped: overall is neither a number nor a DfE symbol" in output
    [row] = rates(measure="sustained_destination_rate", level="national")
    assert (row["school_type"], row["characteristic"], row["rate"], row["check"]) == (
        "Alternative provision",
        "Total",
        "67.0",
        "matches DfE",
    )


@pytest.mark.parametrize("symbol", ["c", "x", "z", "low", ""])
def test_a_suppressed_destination_count_gives_not_available_never_zero(db, tmp_path, symbol):
    pair = [PAIR[0].replace('"169"', f'"{symbol}"'), PAIR[1].replace('"2.1"', f'"{symbol}"')]
    load(write(tmp_path, pair))

    [row] = rates(measure="sustained_apprenticeship_rate", level="national")
    assert (row["numerator"], row["rate"]) == ("not available", "not available")
    [overall] = rates(measure="sustained_destination_rate", level="national")
    assert overall["rate"] == "67.0"
