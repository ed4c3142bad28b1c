"""dfe_rates: computed from exact counts at DfE's rounding, DfE's own where counts are rounded."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from difference.benchmarks.loaders import MEASURES
from difference.benchmarks.rates import rounded_counts_range
from difference.benchmarks.tests.commands import rates

DATA = Path(__file__).resolve().parents[1] / "data"
LA_SERIES = DATA / "exc_nat_region_la.csv.gz"
RATE_COLUMNS = {
    "permanent_exclusion_rate": "perm_excl_rate",
    "suspension_rate": "susp_rate",
    "one_plus_suspension_rate": "one_plus_susp_rate",
}
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la"}


def test_every_published_rate_of_the_shipped_la_series_is_reproduced_at_dfes_rounding(db):
    call_command("load_dfe", str(LA_SERIES), stdout=io.StringIO())
    with gzip.open(LA_SERIES, "rt", encoding="utf-8-sig") as stream:
        source = list(csv.DictReader(stream))
    expected = {}
    for row in source:
        area = {"National": row["country_code"], "Regional": row["region_code"]}.get(row["geographic_level"])
        if area is None:  # former LAs have "x" for their ONS code: the old code identifies them
            area = row["new_la_code"] if row["new_la_code"].startswith("E") else row["old_la_code"]
        for measure, column in RATE_COLUMNS.items():
            if row[column] not in {"z", "x", ""}:
                key = (measure, row["geographic_level"], row["time_period"], area, row["school_type"].lower())
                expected[key] = Decimal(row[column])

    checked: Counter[str] = Counter()
    for measure in MEASURES:
        for level, option in LEVELS.items():
            for row in rates(measure=measure, level=option):
                key = (measure, level, str(row["time_period"]).replace("/", ""), row["area_code"])
                published = expected.get((*key, str(row["school_type"]).lower()))
                if published is None:
                    assert row["rate"] == "not available"
                    continue
                assert Decimal(str(row["rate"])) == published, row
                checked[str(row["basis"])] += 1
                assert row["check"] in {"matches DfE", "within range of the fractional count as printed"}, row

    # 11,000 rows x 3 rates, less the 48 that DfE marks "z" (no pupils).
    assert sum(checked.values()) == len(expected) == 32_952
    # DfE's 2006/07-2009/10 estimated permanent exclusion counts are fractional (e.g. 565.079), printed to six
    # figures: for those 13 rates DfE's own figure is reported, checked against the printed count.
    assert checked == {"computed": 32_939, "published": 13}


ROUNDED_HEADER = (
    "time_identifier,time_period,geographic_level,country_code,country_name,school_type,headcount,"
    "perm_excl,perm_excl_rate,fixed_excl,fixed_excl_rate,one_plus_fixed,one_plus_fixed_rate"
)
# From DfE's 2016/17 release (national figures rounded to the nearest 5).
ROUNDED_ROWS = [
    "Academic year,201617,National,E92000001,England,Total,8025075,7720,0.1,381865,4.76,183475,2.29",
    "Academic year,201617,National,E92000001,England,State-funded primary,4689660,1255,0.03,64340,1.37,28940,0.62",
    "Academic year,201617,National,E92000001,England,Special,112325,80,0.07,14635,13.03,5715,5.09",
    "Academic year,201617,National,E92000001,England,PRU,x,x,x,x,x,x,x",
]


@pytest.fixture
def rounded_file(tmp_path: Path) -> Path:
    path = tmp_path / "national.csv"
    path.write_text("\n".join([ROUNDED_HEADER, *ROUNDED_ROWS]) + "\n", encoding="utf-8")
    return path


def test_a_file_with_counts_rounded_to_5_reports_dfes_rate_checked_against_the_rounded_counts(db, rounded_file):
    output = io.StringIO()
    call_command("load_dfe", str(rounded_file), stdout=output)
    assert "counts rounded at: National" in output.getvalue()

    rows = {r["school_type"]: r for r in rates(measure="permanent_exclusion_rate", level="national")}

    # 100 x 7720 / 8025075 is 0.0962, which rounds to 0.10 only because DfE used the unrounded counts.
    assert rows["Total"]["rate"] == "0.10"
    assert rows["Total"]["basis"] == "published"
    assert rows["Total"]["check"] == "within range of rounded counts"
    assert rows["PRU"]["rate"] == "not available"


def test_a_published_rate_outside_what_the_rounded_counts_allow_is_flagged(db, tmp_path):
    path = tmp_path / "national.csv"
    rows = [*ROUNDED_ROWS[:3], ROUNDED_ROWS[0].replace(",4.76,", ",9.76,").replace("Total", "Other", 1)]
    path.write_text("\n".join([ROUNDED_HEADER, *rows]), encoding="utf-8")
    call_command("load_dfe", str(path), stdout=io.StringIO())

    by_type = {r["school_type"]: r for r in rates(measure="suspension_rate", level="national")}
    assert by_type["Total"]["check"] == "within range of rounded counts"
    assert by_type["Other"]["check"] == "OUTSIDE range of rounded counts"
    assert by_type["Other"]["rate"] == "9.76"


def test_the_range_rounded_counts_allow_is_plus_or_minus_2_5_on_each(db):
    low, high = rounded_counts_range(5, 100)
    assert (low, high) == (Decimal("2.5") * 100 / Decimal("102.5"), Decimal("7.5") * 100 / Decimal("97.5"))
    assert rounded_counts_range(0, 10)[0] == 0


def test_rates_filter_by_characteristic_and_print_as_csv(db, tmp_path):
    header = ROUNDED_HEADER.replace("school_type,", "school_type,characteristic_group,characteristic,")
    prefix = "Academic year,201617,National,E92000001,England,Total,Gender,"
    lines = [
        prefix + "Gender male,4090410,6035,0.15,282485,6.91,133810,3.27",
        prefix + "Gender female,3934665,1685,0.04,99380,2.53,49665,1.26",
        *[r.replace("England,", "England,Total,Total,", 1) for r in ROUNDED_ROWS],
    ]
    path = tmp_path / "characteristics.csv"
    path.write_text("\n".join([header, *lines]), encoding="utf-8")
    call_command("load_dfe", str(path), stdout=io.StringIO())

    out = io.StringIO()
    call_command("dfe_rates", measure="suspension_rate", level="national", characteristic="gender male", stdout=out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["characteristic"], row["numerator"], row["denominator"], row["rate"], row["basis"]) == (
        "Gender male",
        "282485",
        "4090410",
        "6.91",
        "published",
    )


def test_an_unknown_level_or_year_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Unknown level"):
        rates(measure="suspension_rate", level="ward")
    with pytest.raises(CommandError, match="not an academic year"):
        rates(measure="suspension_rate", level="national", year="2016")
