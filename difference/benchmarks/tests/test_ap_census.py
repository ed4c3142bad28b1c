"""Alternative provision: the AP census and school-arranged AP publish counts, no rates; they load as counts."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from difference.benchmarks.rates import COUNT_ONLY
from difference.benchmarks.tests.commands import load, rates
from difference.core.tests.summaries import assert_summary_shape

DATA = Path(__file__).resolve().parents[1] / "data"
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la"}


def label(*parts: str, separator: str = ": ") -> str:
    return separator.join(p for p in parts if p != "Total") or "Total"


Row = dict[str, str]
# file -> (measure, count column, school type of a row, characteristic of a row, rows in the file)
FILES: dict[str, tuple[str, str, Callable[[Row], str], Callable[[Row], str], int]] = {
    "ap_placements_ap_census.csv.gz": (
        "la_arranged_ap_pupils",
        "number_of_pupils",
        lambda row: "Total",
        lambda row: label(row["gender"], row["age"], row["ethnicity_minor"], row["fsm"], separator=", "),
        101_220,
    ),
    "spc_ap_setting.csv": (
        "school_arranged_ap_placements",
        "placements",
        lambda row: row["setting_type"],
        lambda row: "Total",
        707,
    ),
    "spc_school_ap_placement.csv": (
        "school_arranged_ap_pupils",
        "pupils",
        lambda row: row["setting_type"],
        lambda row: label(row["characteristic_grouping"], row["pupil_characteristic"]),
        3_992,
    ),
    "spc_school_ap_characteristics.csv.gz": (
        "school_arranged_ap_pupils",
        "pupils",
        lambda row: row["setting_type"],
        lambda row: label(row["characteristic_grouping"], row["pupil_characteristic"]),
        23_089,
    ),
}


@pytest.mark.dfe_files
@pytest.mark.parametrize("name", FILES)
def test_every_count_of_the_shipped_ap_file_is_listed_exactly_with_no_rate(db, name):
    measure, column, school_type, characteristic, total = FILES[name]
    path = DATA / name
    output = load(path)
    assert "counts only (DfE publishes no rates); counts rounded at: no level (exact counts)" in output
    summary = assert_summary_shape(output.splitlines()[1])
    assert (summary["source"], summary["skipped"], summary["errors"]) == (name, "0", "0")

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as stream:
        expected = {}
        for row in csv.DictReader(stream):
            area = {"National": row["country_code"], "Regional": row["region_code"]}.get(row["geographic_level"])
            key = (
                row["time_period"],
                row["geographic_level"],
                area or row["new_la_code"],
                school_type(row),
                characteristic(row),
            )
            assert key not in expected
            expected[key] = row[column]

    listed = 0
    for level, option in LEVELS.items():
        for out in rates(measure=measure, level=option):
            year = str(out["time_period"]).replace("/", "")
            count = expected.pop((year, level, out["area_code"], out["school_type"], out["characteristic"]))
            assert out["numerator"] == int(count), out
            assert (out["denominator"], out["rate"], out["basis"], out["check"]) == (
                "not available",
                "not available",
                "computed",
                COUNT_ONLY,
            ), out
            listed += 1
    assert not expected
    assert listed == total


HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,"
    "la_name,old_la_code,setting_type,placements"
)
WALSALL = "202223,Academic year,Local authority,E92000001,England,E12000005,West Midlands,E08000030,Walsall,335,"


@pytest.mark.parametrize("symbol", ["c", "x", "z", ":", ".", "~", "low", "u", ""])
def test_a_suppressed_ap_count_is_not_available_never_zero(db, tmp_path, symbol):
    path = tmp_path / "setting.csv"
    path.write_text("\n".join([HEADER, WALSALL + "One on one tuition,21", WALSALL + f"Work based placement,{symbol}"]))
    load(path)

    rows = {r["school_type"]: r for r in rates(measure="school_arranged_ap_placements", level="la")}
    assert rows["Work based placement"]["numerator"] == "not available"
    assert rows["Work based placement"]["rate"] == "not available"
    assert rows["One on one tuition"]["numerator"] == 21


def test_a_garbage_ap_count_skips_its_row_with_the_reason(db, tmp_path):
    path = tmp_path / "setting.csv"
    path.write_text("\n".join([HEADER, WALSALL + "One on one tuition,21", WALSALL + "Work based placement,-3"]))
    output = load(path)

    assert "setting.csv: 2 rows read, 1 written, 1 skipped, 0 errors\n  observations: 1\n" in output
    assert "1 skipped: placements is negative (“-3”)" in output
