from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from difference.schools.services import HEADCOUNT_SOURCE, HEADCOUNT_YEAR, HEADCOUNTS_FILE, load_headcounts
from difference.schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _data_dir(tmp_path: Path, rows: list[str]) -> Path:
    with gzip.open(tmp_path / HEADCOUNTS_FILE, "wt", encoding="utf-8") as file:
        file.write("\n".join(["laestab,urn,headcount", *rows]) + "\n")
    return tmp_path


def test_it_gives_schools_their_headcount_with_its_source_and_year(tmp_path: Path) -> None:
    school = SchoolFactory(urn=100000)
    newer = SchoolFactory(urn=100001, pupils=310, pupils_source="GIAS extract edubasealldata20250422.csv")
    untouched = SchoolFactory(urn=100002)
    data_dir = _data_dir(tmp_path, ["2013614,100000,276", "2022000,100001,290", "2029999,999999,40"])

    report = load_headcounts(data_dir=data_dir)

    school.refresh_from_db()
    newer.refresh_from_db()
    untouched.refresh_from_db()
    assert (school.pupils, school.pupils_source, school.pupils_year) == (276, HEADCOUNT_SOURCE, HEADCOUNT_YEAR)
    assert (newer.pupils, newer.pupils_source) == (310, "GIAS extract edubasealldata20250422.csv")
    assert (untouched.pupils, untouched.pupils_source) == (None, "")
    assert report.counts["schools"].updated == 1
    assert report.notes == [
        f"1 URNs in {HEADCOUNTS_FILE} are not in the registry",
        "1 schools keep their number of pupils from a newer source",
    ]


def test_running_it_again_changes_nothing(tmp_path: Path) -> None:
    SchoolFactory(urn=100000)
    data_dir = _data_dir(tmp_path, ["2013614,100000,276"])
    load_headcounts(data_dir=data_dir)

    again = load_headcounts(data_dir=data_dir)

    assert (again.counts["schools"].updated, again.counts["schools"].unchanged) == (0, 1)


def test_the_shipped_file_has_the_2016_17_headcounts() -> None:
    school = SchoolFactory(urn=100000)  # LAEstab 2013614, in the City of London

    report = load_headcounts()

    school.refresh_from_db()
    assert school.pupils == 276
    assert report.notes == [f"21,211 URNs in {HEADCOUNTS_FILE} are not in the registry"]
