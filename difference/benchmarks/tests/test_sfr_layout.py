"""Acceptance 2: DfE's older SFR layout and the EES tidy layout of the same figures give the same rates."""
# ruff: noqa: E501  (the CSV fixtures are kept one row per line, as DfE writes them)

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command

from difference.benchmarks.loaders import MEASURES

EES = """time_identifier,time_period,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,school_type,characteristic,headcount,perm_excl,perm_excl_rate,fixed_excl,fixed_excl_rate,one_plus_fixed,one_plus_fixed_rate
Academic year,201516,National,E92000001,England,,,,,,Total,Total,7915155,6685,0.08,339360,4.29,167125,2.11
Academic year,201516,National,E92000001,England,,,,,,Total,Gender male,4035510,5175,0.13,253155,6.27,122550,3.04
Academic year,201516,National,E92000001,England,,,,,,State-funded primary,Total,4569805,1145,0.03,55410,1.21,24655,0.54
Academic year,201516,National,E92000001,England,,,,,,State-funded secondary,Total,3193420,5445,0.17,270135,8.46,136665,4.28
Academic year,201516,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Total,Total,47613,31,0.07,1313,2.76,672,1.41
Academic year,201516,Local authority,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Special,Total,700,x,x,79,11.29,41,5.86
"""

# The same figures as a pre-EES SFR file: Year/Level, upper-case levels, characteristic in two columns,
# saved by Excel on Windows (Windows-1252).
SFR = """Year,Level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,school_type,characteristic_1,characteristic_2,headcount,perm_excl,perm_excl_rate,fixed_excl,fixed_excl_rate,one_plus_fixed,one_plus_fixed_rate
2015/16,NATIONAL,E92000001,England,,,,,,Total,Total,Total,7915155,6685,0.08,339360,4.29,167125,2.11
2015/16,NATIONAL,E92000001,England,,,,,,Total,Gender,male,4035510,5175,0.13,253155,6.27,122550,3.04
2015/16,NATIONAL,E92000001,England,,,,,,State-funded primary,Total,,4569805,1145,0.03,55410,1.21,24655,0.54
2015/16,NATIONAL,E92000001,England,,,,,,State-funded secondary,Total,,3193420,5445,0.17,270135,8.46,136665,4.28
2015/16,LOCAL AUTHORITY,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Total,Total,,47613,31,0.07,1313,2.76,672,1.41
2015/16,LOCAL AUTHORITY,E92000001,England,E13000002,Outer London,305,E09000006,Bromley,Special,Total,,700,x,x,79,11.29,41,5.86
"""


def rates(measure: str, level: str) -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("dfe_rates", measure=measure, level=level, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_an_sfr_file_and_an_ees_file_of_the_same_figures_give_the_same_rates(db, tmp_path: Path):
    ees, sfr = tmp_path / "ees.csv", tmp_path / "sfr.csv"
    ees.write_text(EES, encoding="utf-8")
    sfr.write_bytes(SFR.encode("cp1252"))
    out = io.StringIO()
    call_command("load_dfe", str(ees), str(sfr), stdout=out)
    assert "layout: SFR (fixed period exclusion terminology), UTF-8" in out.getvalue()

    compared = 0
    for measure in MEASURES:
        for level in ("national", "la"):
            by_source: dict[str, list[tuple[object, ...]]] = {"ees.csv": [], "sfr.csv": []}
            for row in rates(measure, level):
                by_source[str(row.pop("source"))].append(tuple(row.values()))
            assert by_source["ees.csv"] == by_source["sfr.csv"]
            compared += len(by_source["ees.csv"])
    assert compared == 18
    national = {
        r["characteristic"]: r for r in rates("permanent_exclusion_rate", "national") if r["source"] == "sfr.csv"
    }
    assert national["Gender male"]["basis"] == "published"
    bromley_special = [r for r in rates("permanent_exclusion_rate", "la") if r["school_type"] == "Special"]
    assert {r["rate"] for r in bromley_special} == {"not available"}
