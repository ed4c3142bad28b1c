"""Acceptance 2, wide form: DfE's older wide SFR layout and the EES tidy layout of the same figures give the same
rates for the years they share."""
# ruff: noqa: E501  (the CSV fixtures are kept one row per line, as DfE writes them)

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from difference.benchmarks.loaders import MEASURES
from difference.benchmarks.models import Dataset, Observation

EES_HEADER = "time_identifier,time_period,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,school_type,characteristic,headcount,perm_excl,perm_excl_rate,fixed_excl,fixed_excl_rate,one_plus_fixed,one_plus_fixed_rate"
EES_2015_16 = """Academic year,201516,National,E92000001,England,,,,,,Total,Total,7915155,6685,0.08,339360,4.29,167125,2.11
Academic year,201516,National,E92000001,England,,,,,,Total,Gender male,4035510,5175,0.13,253155,6.27,122550,3.04
Academic year,201516,National,E92000001,England,,,,,,Total,Gender female,3879645,1510,0.04,86205,2.22,44575,1.15
Academic year,201516,National,E92000001,England,,,,,,State-funded secondary,Total,3193420,5445,0.17,270135,8.46,136665,4.28
Academic year,201516,National,E92000001,England,,,,,,State-funded secondary,Gender male,1622045,4235,0.26,196825,12.13,97870,6.03
Academic year,201516,National,E92000001,England,,,,,,State-funded secondary,Gender female,1571375,1210,0.08,73310,4.67,38795,2.47
Academic year,201516,Regional,E92000001,England,E13000002,Outer London,,,,Total,Total,743512,412,0.06,18911,2.54,9122,1.23
Academic year,201516,Regional,E92000001,England,E13000002,Outer London,,,,Total,Gender male,380204,331,0.09,14020,3.69,6710,1.76
Academic year,201516,Regional,E92000001,England,E13000002,Outer London,,,,Total,Gender female,363308,81,0.02,4891,1.35,2412,0.66
Academic year,201516,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Total,Total,47613,31,0.07,1313,2.76,672,1.41
Academic year,201516,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Total,Gender male,24410,26,0.11,980,4.01,499,2.04
Academic year,201516,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Total,Gender female,23203,5,0.02,333,1.44,173,0.75
Academic year,201516,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Special,Total,700,6,0.86,79,11.29,41,5.86
Academic year,201516,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Special,Gender male,520,4,0.77,70,13.46,35,6.73
Academic year,201516,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Special,Gender female,180,x,x,9,5.00,6,3.33
"""
EES = EES_HEADER + "\n" + EES_2015_16

# The same figures as a pre-EES wide SFR file: one row per year, area and school type, a column per measure and
# characteristic (the bare column is the Total), upper-case levels, 201516 periods, saved by Excel on Windows
# (Windows-1252, with a non-breaking space after "Bromley"), and the female permanent exclusions in Bromley's
# special schools suppressed.
WIDE = """year,level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,school_type,headcount,headcount_Gender_male,headcount_Gender_female,perm_excl,perm_excl_Gender_male,perm_excl_Gender_female,perm_excl_rate,perm_excl_rate_Gender_male,perm_excl_rate_Gender_female,fixed_excl,fixed_excl_Gender_male,fixed_excl_Gender_female,fixed_excl_rate,fixed_excl_rate_Gender_male,fixed_excl_rate_Gender_female,one_plus_fixed,one_plus_fixed_Gender_male,one_plus_fixed_Gender_female,one_plus_fixed_rate,one_plus_fixed_rate_Gender_male,one_plus_fixed_rate_Gender_female
201516,NATIONAL,E92000001,England,,,,,,Total,7915155,4035510,3879645,6685,5175,1510,0.08,0.13,0.04,339360,253155,86205,4.29,6.27,2.22,167125,122550,44575,2.11,3.04,1.15
201516,NATIONAL,E92000001,England,,,,,,State-funded secondary,3193420,1622045,1571375,5445,4235,1210,0.17,0.26,0.08,270135,196825,73310,8.46,12.13,4.67,136665,97870,38795,4.28,6.03,2.47
201516,REGIONAL,E92000001,England,E13000002,Outer London,,,,Total,743512,380204,363308,412,331,81,0.06,0.09,0.02,18911,14020,4891,2.54,3.69,1.35,9122,6710,2412,1.23,1.76,0.66
201516,LOCAL AUTHORITY,E92000001,England,E13000002,Outer London,305,E09000006,Bromley\xa0,Total,47613,24410,23203,31,26,5,0.07,0.11,0.02,1313,980,333,2.76,4.01,1.44,672,499,173,1.41,2.04,0.75
201516,LOCAL AUTHORITY,E92000001,England,E13000002,Outer London,305,E09000006,Bromley\xa0,Special,700,520,180,6,4,x,0.86,0.77,x,79,70,9,11.29,13.46,5.00,41,35,6,5.86,6.73,3.33
"""

# The national figures again, as characteristic columns with a column naming what each row counts (DfE's EES
# metadata labels or the column names), and a row of school numbers that is not a rate's input.
WIDE_BY_MEASURE = """year,level,country_code,country_name,school_type,measure,Total,Gender_male,Gender_female
201516,National,E92000001,England,Total,Number of schools,21500,,
201516,National,E92000001,England,Total,Number of pupils,7915155,4035510,3879645
201516,National,E92000001,England,Total,Number of permanent exclusions,6685,5175,1510
201516,National,E92000001,England,Total,perm_excl_rate,0.08,0.13,0.04
201516,National,E92000001,England,Total,Number of fixed period exclusions,339360,253155,86205
201516,National,E92000001,England,Total,fixed_excl_rate,4.29,6.27,2.22
201516,National,E92000001,England,Total,Number of pupils with one or more fixed period exclusions,167125,122550,44575
201516,National,E92000001,England,Total,one_plus_fixed_rate,2.11,3.04,1.15
201516,National,E92000001,England,State-funded secondary,Number of pupils,3193420,1622045,1571375
201516,National,E92000001,England,State-funded secondary,Number of permanent exclusions,5445,4235,1210
201516,National,E92000001,England,State-funded secondary,perm_excl_rate,0.17,0.26,0.08
201516,National,E92000001,England,State-funded secondary,Number of fixed period exclusions,270135,196825,73310
201516,National,E92000001,England,State-funded secondary,fixed_excl_rate,8.46,12.13,4.67
201516,National,E92000001,England,State-funded secondary,Number of pupils with one or more fixed period exclusions,136665,97870,38795
201516,National,E92000001,England,State-funded secondary,one_plus_fixed_rate,4.28,6.03,2.47
"""

# EES national totals for 2015/16 and 2016/17; a wide file (Total as <measure>_Total) for 2014/15 and 2015/16.
EES_TWO_YEARS = (
    EES_HEADER
    + "\n"
    + "".join(EES_2015_16.splitlines(keepends=True)[:3])
    + """Academic year,201617,National,E92000001,England,,,,,,Total,Total,8025075,7720,0.1,381865,4.76,183475,2.29
Academic year,201617,National,E92000001,England,,,,,,Total,Gender male,4090410,6035,0.15,282485,6.91,133810,3.27
Academic year,201617,National,E92000001,England,,,,,,Total,Gender female,3934665,1685,0.04,99380,2.53,49665,1.26
"""
)
WIDE_TWO_YEARS = """year,level,country_code,country_name,school_type,headcount_Total,headcount_Gender_male,headcount_Gender_female,perm_excl_Total,perm_excl_Gender_male,perm_excl_Gender_female,perm_excl_rate_Total,perm_excl_rate_Gender_male,perm_excl_rate_Gender_female,fixed_excl_Total,fixed_excl_Gender_male,fixed_excl_Gender_female,fixed_excl_rate_Total,fixed_excl_rate_Gender_male,fixed_excl_rate_Gender_female,one_plus_fixed_Total,one_plus_fixed_Gender_male,one_plus_fixed_Gender_female,one_plus_fixed_rate_Total,one_plus_fixed_rate_Gender_male,one_plus_fixed_rate_Gender_female
201415,NATIONAL,E92000001,England,Total,7836385,3998600,3837785,5795,4500,1295,0.07,0.11,0.03,302975,226475,76500,3.87,5.66,1.99,154060,113140,40920,1.97,2.83,1.07
201516,NATIONAL,E92000001,England,Total,7915155,4035510,3879645,6685,5175,1510,0.08,0.13,0.04,339360,253155,86205,4.29,6.27,2.22,167125,122550,44575,2.11,3.04,1.15
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(*paths: Path) -> str:
    out = io.StringIO()
    call_command("load_dfe", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def rates(measure: str, level: str, year: str | None = None) -> list[dict[str, object]]:
    out = io.StringIO()
    options = {"year": year} if year else {}
    call_command("dfe_rates", measure=measure, level=level, format="json", stdout=out, **options)
    return json.loads(out.getvalue())


def compare(levels: tuple[str, ...], year: str | None = None) -> int:
    """How many rate rows the EES and wide files agree on, asserting they agree on all of them."""
    compared = 0
    for measure in MEASURES:
        for level in levels:
            by_source: dict[str, list[tuple[object, ...]]] = {"ees.csv": [], "wide.csv": []}
            for row in rates(measure, level, year):
                by_source[str(row.pop("source"))].append(tuple(row.values()))
            assert by_source["ees.csv"] == by_source["wide.csv"], (measure, level)
            compared += len(by_source["ees.csv"])
    return compared


def years_by_source(level: str) -> dict[str, set[object]]:
    years: dict[str, set[object]] = {}
    for measure in MEASURES:
        for row in rates(measure, level):
            years.setdefault(str(row["source"]), set()).add(row["time_period"])
    return years


def test_a_wide_sfr_file_and_an_ees_file_of_the_same_figures_give_the_same_rates_for_every_measure_and_level(
    db, tmp_path: Path
):
    ees = write(tmp_path, "ees.csv", EES)
    wide = write(tmp_path, "wide.csv", WIDE, "cp1252")

    output = load(ees, wide)

    assert "layout: SFR wide (fixed period exclusion terminology), Windows-1252" in output
    # The five rows of the wide file are fifteen of the long layout.
    assert "wide.csv: 5 rows read, 15 written, 0 skipped, 0 errors\n  observations: 45\n" in output
    compared = compare(("national", "regional", "la"))
    assert (
        compared == 45
    )  # 3 measures × 15 rows: 2 school types × 3 characteristics nationally, 3 regionally, 6 in the LA
    national = {
        (r["school_type"], r["characteristic"]): r
        for r in rates("permanent_exclusion_rate", "national")
        if r["source"] == "wide.csv"
    }
    assert national["Total", "Gender male"]["basis"] == "published"  # national counts rounded to 5
    assert national["State-funded secondary", "Gender female"]["rate"] == "0.08"
    bromley = [r for r in rates("permanent_exclusion_rate", "la") if r["area_name"] == "Bromley"]
    suppressed = [r for r in bromley if (r["school_type"], r["characteristic"]) == ("Special", "Gender female")]
    assert [(r["source"], r["numerator"], r["rate"]) for r in suppressed] == [
        ("ees.csv", "not available", "not available"),
        ("wide.csv", "not available", "not available"),
    ]


def test_a_wide_file_naming_the_measure_in_a_column_gives_the_same_national_rates_as_the_ees_file(db, tmp_path):
    ees = write(tmp_path, "ees.csv", EES)
    wide = write(tmp_path, "wide.csv", WIDE_BY_MEASURE)

    output = load(ees, wide)

    assert "layout: SFR wide (fixed period exclusion terminology), UTF-8" in output
    compared = compare(("national",))
    assert compared == 18  # 3 measures × 2 school types × 3 characteristics


def test_a_wide_file_sharing_one_year_with_the_ees_file_gives_the_same_rates_for_that_year(db, tmp_path):
    ees = write(tmp_path, "ees.csv", EES_TWO_YEARS)
    wide = write(tmp_path, "wide.csv", WIDE_TWO_YEARS)

    output = load(ees, wide)

    assert "years: 2014/15 to 2015/16 (2 years)" in output.split("wide.csv:")[1]
    assert years_by_source("national") == {"ees.csv": {"2015/16", "2016/17"}, "wide.csv": {"2014/15", "2015/16"}}
    compared = compare(("national",), year="2015/16")
    assert compared == 9  # 3 measures × 3 characteristics of the one shared year


WIDE_HEAD = "year,level,country_code,country_name,school_type,"
MALFORMED = {
    "a characteristic without its pupil numbers": (
        WIDE_HEAD + "headcount,headcount_Gender_male,perm_excl,perm_excl_Gender_male,perm_excl_Gender_female,"
        "fixed_excl,fixed_excl_Gender_male,fixed_excl_Gender_female\n"
        "201516,NATIONAL,E92000001,England,Total,7915155,4035510,6685,5175,1510,339360,253155,86205\n",
        "the characteristic “Gender female” has only the columns perm_excl_Gender_female, fixed_excl_Gender_female; "
        "each characteristic needs headcount_<C>, perm_excl_<C> and fixed_excl_<C>",
    ),
    "the total twice": (
        WIDE_HEAD + "headcount,perm_excl,fixed_excl,perm_excl_Total,perm_excl_Gender_male\n"
        "201516,NATIONAL,E92000001,England,Total,7915155,6685,339360,6685,5175\n",
        "perm_excl and perm_excl_Total are both perm_excl for Total",
    ),
    "characteristic columns as well as characteristics in the names": (
        WIDE_HEAD + "characteristic_1,headcount_Gender_male,perm_excl_Gender_male,fixed_excl_Gender_male\n"
        "201516,NATIONAL,E92000001,England,Total,Gender,4035510,5175,253155\n",
        "also characteristic_1: the characteristic is expected in one place only",
    ),
    "a measure the loader does not know": (
        WIDE_HEAD + "measure,Total,Gender_male\n"
        "201516,NATIONAL,E92000001,England,Total,Number of pupils,7915155,4035510\n"
        "201516,NATIONAL,E92000001,England,Total,Days missed,1200,800\n",
        "its measure column holds “Days missed”, which is not a measure this loader knows",
    ),
    "measure rows without the exclusions": (
        WIDE_HEAD + "measure,Total,Gender_male\n201516,NATIONAL,E92000001,England,Total,headcount,7915155,4035510\n",
        "its measure column names headcount; expected rows for each of headcount, perm_excl and fixed_excl",
    ),
    "characteristics without a measure": (
        WIDE_HEAD + "Total,Gender_male\n201516,NATIONAL,E92000001,England,Total,7915155,4035510\n",
        "neither <measure>_<Characteristic> columns nor a measure column",
    ),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_a_wide_file_that_cannot_be_mapped_is_refused_naming_the_columns_expected_and_nothing_changes(
    db, tmp_path, kind
):
    load(write(tmp_path, "ees.csv", EES))
    before = (Dataset.objects.count(), Observation.objects.count(), Dataset.objects.get().pk)
    text, message = MALFORMED[kind]

    with pytest.raises(CommandError, match="Nothing loaded") as error:
        # The good file again first: the bad one must undo it.
        load(write(tmp_path, "ees.csv", EES), write(tmp_path, "wide.csv", text, "cp1252"))

    assert "wide.csv is in DfE's older wide SFR layout" in str(error.value)
    assert message in str(error.value)
    assert "Expected either <measure>_<Characteristic> columns" in str(error.value)
    assert (Dataset.objects.count(), Observation.objects.count(), Dataset.objects.get().pk) == before
