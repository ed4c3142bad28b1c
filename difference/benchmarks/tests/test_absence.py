"""Pupil absence (PRUs, full year; state-funded schools by term): DfE's rates reproduced, bad input refused."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from difference.benchmarks.models import Dataset, Observation
from difference.benchmarks.tests.commands import load, rates

DATA = Path(__file__).resolve().parents[1] / "data"
PRUS = DATA / "absence_in_prus.csv"
BY_TERM = DATA / "absence_by_term.csv.gz"
RATE_COLUMNS = {
    "overall_absence_rate": "sess_overall_percent",
    "authorised_absence_rate": "sess_authorised_percent",
    "unauthorised_absence_rate": "sess_unauthorised_percent",
    "persistent_absence_rate": "enrolments_pa_10_exact_percent",
}
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la"}


def source_rows(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def area_code(row: dict[str, str]) -> str:
    return {"National": row["country_code"], "Regional": row["region_code"]}.get(row["geographic_level"]) or row[
        "new_la_code"
    ]


def compare_with_dfe(path: Path) -> tuple[Counter[str], int]:
    """Every published rate of the file against dfe_rates: (bases of the rates compared, "not available" rows)."""
    expected = {}
    for row in source_rows(path):
        for measure, column in RATE_COLUMNS.items():
            if column in row:
                key = (
                    measure,
                    row["time_period"],
                    row["geographic_level"],
                    area_code(row),
                    row["school_type"],
                    row.get("term", "Total"),
                )
                assert key not in expected
                expected[key] = row[column]
    compared: Counter[str] = Counter()
    unavailable = 0
    for measure in RATE_COLUMNS:
        for level, option in LEVELS.items():
            for out in rates(measure=measure, level=option):
                year = str(out["time_period"]).replace("/", "")
                key = (measure, year, level, out["area_code"], out["school_type"], out["characteristic"])
                published = expected.pop(key)
                if published in {".", "x", "c", "z", ""}:
                    assert out["rate"] == "not available", out
                    unavailable += 1
                    continue
                # DfE's rounding: one decimal place, "4" for 4.0.
                assert Decimal(str(out["rate"])) == Decimal(published), out
                assert len(str(out["rate"]).split(".")[1]) == 1, out
                expected_check = "matches DfE" if out["basis"] == "computed" else "within range of rounded counts"
                assert out["check"] == expected_check, out
                compared[str(out["basis"])] += 1
    assert not expected, f"{len(expected)} published rates missing from dfe_rates, e.g. {next(iter(expected))}"
    return compared, unavailable


@pytest.mark.dfe_files
def test_every_published_rate_of_the_shipped_pru_absence_file_is_reproduced_at_dfes_rounding(db):
    output = load(PRUS)
    assert "layout: EES tidy (full year)" in output
    assert "counts rounded at: National (persistent_absence_rate), Regional (persistent_absence_rate)" in output

    compared, unavailable = compare_with_dfe(PRUS)

    # 612 rows x 4 rates. Enrolments and persistent absentees are rounded to the nearest 5 at national and regional
    # level (44 rows): there DfE's persistent absence rate is given (14 of them differ from the rounded counts'
    # quotient in the last place); the session counts are exact everywhere, and every other rate is recomputed.
    assert sum(compared.values()) == 2_448
    assert compared == {"computed": 2_404, "published": 44}
    assert unavailable == 0


@pytest.mark.dfe_files
def test_every_published_rate_of_the_shipped_absence_by_term_file_is_reproduced_at_dfes_rounding(db):
    output = load(BY_TERM)
    assert "layout: EES tidy (by term)" in output
    assert "counts rounded at: no level (exact counts)" in output

    compared, unavailable = compare_with_dfe(BY_TERM)

    # 9,680 rows x 3 rates; 1,280 rows have no sessions possible (e.g. a term with no special schools in an LA):
    # DfE prints "." there, and so the rate is "not available", never 0.
    assert sum(compared.values()) == 25_200
    assert compared == {"computed": 25_200}
    assert unavailable == 1_280 * 3


HEADER = (
    "time_identifier,time_period,geographic_level,country_code,country_name,region_code,region_name,old_la_code,"
    "new_la_code,la_name,school_type,num_schools,enrolments,sess_possible,sess_overall,sess_authorised,"
    "sess_unauthorised,sess_overall_percent,sess_authorised_percent,sess_unauthorised_percent,"
    "enrolments_pa_10_exact,enrolments_pa_10_exact_percent"
)
# Camden's PRUs in 2016/17, from absence_in_prus.csv.
CAMDEN = (
    "Academic year,201617,Local authority,E92000001,England,E13000001,Inner London,202,E09000007,Camden,"
    "Pupil Referral Unit,4,113,26826,7079,2163,4916,26.4,8.1,18.3,85,75.2"
)


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def test_a_row_with_a_garbage_absence_value_is_skipped_with_its_reason_and_the_rest_load(db, tmp_path):
    bad = CAMDEN.replace("Camden", "Greenwich").replace(",7079,", ",lots,")
    output = load(write(tmp_path, "prus.csv", [HEADER, CAMDEN, bad]))

    assert "prus.csv: 2 rows read, 1 written, 1 skipped, 0 errors\n  observations: 4\n" in output
    assert "1 skipped: sess_overall is neither a number nor a DfE symbol (x, c, z, :, ., ~, low, u) (“lots”)" in output
    [row] = rates(measure="overall_absence_rate", level="la")
    assert (row["area_name"], row["numerator"], row["denominator"], row["rate"]) == ("Camden", 7079, 26826, "26.4")


@pytest.mark.parametrize("symbol", ["x", "c", "z", ":", ".", "~", "low", "u", ""])
def test_a_suppressed_absence_count_gives_not_available_never_zero(db, tmp_path, symbol):
    row = CAMDEN.replace(",85,75.2", f",{symbol},{symbol}").replace(",7079,", f",{symbol},")
    load(write(tmp_path, "prus.csv", [HEADER, row]))

    for measure in ("persistent_absence_rate", "overall_absence_rate"):
        [out] = rates(measure=measure, level="la")
        assert (out["numerator"], out["rate"]) == ("not available", "not available")
    [authorised] = rates(measure="authorised_absence_rate", level="la")
    assert authorised["rate"] == "8.1"


@pytest.mark.parametrize(
    ("encoding", "prefix", "period"),
    [("cp1252", b"", "2016/17"), ("utf-8", b"\xef\xbb\xbf", "201617"), ("utf-8", b"", "2016/17")],
    ids=["1252", "bom", "utf8"],
)
def test_absence_files_in_windows_1252_or_utf8_with_either_year_form_load_the_same(
    db, tmp_path, encoding, prefix, period
):
    text = "\n".join([HEADER, CAMDEN.replace(",201617,", f",{period},").replace("Camden", "Cámden – PRU")])
    path = tmp_path / "prus.csv"
    path.write_bytes(prefix + text.encode(encoding))
    load(path)

    [row] = rates(measure="persistent_absence_rate", level="la", year="2016/17")
    assert (row["area_name"], row["rate"], row["basis"], row["check"]) == (
        "Cámden – PRU",
        "75.2",
        "computed",
        "matches DfE",
    )


def test_a_term_file_carries_the_term_as_the_characteristic(db, tmp_path):
    header = (
        "time_identifier,term,time_period,geographic_level,country_code,country_name,school_type,sess_possible,"
        "sess_overall,sess_authorised,sess_unauthorised,sess_overall_percent,sess_authorised_percent,"
        "sess_unauthorised_percent"
    )
    rows = [
        "Academic year,Total,201617,National,E92000001,England,Special,32852920,3196449,2514099,682350,9.7,7.7,2.1",
        "Academic year,Autumn term,201617,National,E92000001,England,Special,12188962,1162893,928540,234353,9.5,"
        "7.6,1.9",
    ]
    load(write(tmp_path, "terms.csv", [header, *rows]))

    autumn = rates(measure="unauthorised_absence_rate", level="national", characteristic="autumn term")
    assert [(r["characteristic"], r["rate"], r["check"]) for r in autumn] == [("Autumn term", "1.9", "matches DfE")]
    assert Observation.objects.filter(characteristic="Total").count() == 3


def test_the_absence_rate_bands_file_is_refused_with_the_reason_and_nothing_changes(db, tmp_path):
    load(write(tmp_path, "prus.csv", [HEADER, CAMDEN]))
    before = (Dataset.objects.count(), Observation.objects.count())
    bands = write(
        tmp_path,
        "absence_rate_percent_bands.csv",
        [
            "time_identifier,time_period,geographic_level,country_code,country_name,school_type,percent_bands,"
            "enrolments_overall,enrolments_overall_percent",
            "Academic year,201617,National,E92000001,England,Total,0,566965,8.2",
        ],
    )

    with pytest.raises(CommandError, match="Nothing loaded") as error:
        load(write(tmp_path, "more.csv", [HEADER, CAMDEN]), bands)

    assert "distribution of pupil enrolments by absence-rate band" in str(error.value)
    assert "not a rate from counts" in str(error.value)
    assert (Dataset.objects.count(), Observation.objects.count()) == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "time_period,geographic_level,school_type,sess_authorised,sess_unauthorised",
            "not of a publication this loader knows",
        ),
        ("pupil,sessions,missed", "is not a DfE statistics file this loader knows"),
    ],
    ids=["ees columns of no known publication", "not a dfe file"],
)
def test_an_unknown_publication_is_refused_naming_what_was_expected_and_nothing_changes(db, tmp_path, header, message):
    load(write(tmp_path, "prus.csv", [HEADER, CAMDEN]))
    before = (Dataset.objects.count(), Observation.objects.count(), Dataset.objects.get().pk)

    with pytest.raises(CommandError) as error:
        load(write(tmp_path, "mystery.csv", [header, "1,2,3,4,5"]))

    text = str(error.value)
    assert error.value.returncode == 1  # manage.py exits with this status
    assert text.startswith("mystery.csv: 0 rows read, 0 written, 0 skipped, 1 error — nothing written\n")
    assert "\nNothing loaded" in text
    assert message in text
    for expected in ("Pupil absence in schools in England (school_type, sess_possible, sess_overall)",
                     "Key stage 4 destination measures (data_type, cohort, overall",
                     "headcount, perm_excl, suspension or fixed_excl"):  # fmt: skip
        assert expected in text
    assert (Dataset.objects.count(), Observation.objects.count(), Dataset.objects.get().pk) == before
