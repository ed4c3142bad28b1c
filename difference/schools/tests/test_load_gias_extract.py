from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from difference.schools.models import LocalAuthority, School, SchoolCategory, Trust
from difference.schools.services import load_gias_extract
from difference.schools.tests.conftest import GIAS_HEADER
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

# URNs and a trust UID beyond the shipped registry's, so these tests mean the same with it loaded or not.
KNOWN_URN, NEW_URN, TRUST_UID = 990001, 990002, 99001

ROW = {
    "URN": str(KNOWN_URN),
    "LA (code)": "202",
    "LA (name)": "Camden",
    "EstablishmentNumber": "1101",
    "EstablishmentName": "St Mary’s Pupil Referral Unit",  # a curly apostrophe: byte 0x92 in Windows-1252
    "TypeOfEstablishment (name)": "Pupil referral unit",
    "EstablishmentTypeGroup (name)": "Local authority maintained schools",
    "EstablishmentStatus (name)": "Open",
    "OpenDate": "01-09-2010",
    "PhaseOfEducation (name)": "Secondary",
    "Street": "1 High Street",
    "Postcode": "NW1 1AA",
    "NumberOfPupils": "87",
    "Trusts (code)": str(TRUST_UID),
    "Trusts (name)": "The Learning £1 Trust",
    "GOR (name)": "London",
}


@pytest.fixture
def known_school() -> School:
    camden = LocalAuthorityFactory(code="202", name="Camden", region="London")
    return SchoolFactory(urn=KNOWN_URN, name="St Marys PRU", local_authority=camden, category=SchoolCategory.UNKNOWN)


def test_it_updates_phase_region_trust_and_pupil_numbers(
    known_school: School, gias_extract: Callable[..., Path]
) -> None:
    report = load_gias_extract(gias_extract([ROW]))

    known_school.refresh_from_db()
    assert known_school.name == "St Mary’s Pupil Referral Unit"
    assert known_school.phase == "Secondary"
    assert known_school.region == "London"
    assert known_school.pupils == 87
    assert known_school.trust is not None
    assert (known_school.trust.uid, known_school.trust.name) == (TRUST_UID, "The Learning £1 Trust")
    assert known_school.laestab == 2021101
    assert known_school.establishment_type == "Pupil referral unit"
    assert known_school.category == SchoolCategory.PRU
    assert (known_school.status, known_school.postcode) == ("Open", "NW1 1AA")
    assert known_school.source == "GIAS extract edubasealldata20250422.csv"
    assert report.counts["schools"].updated == 1
    assert report.counts["trusts"].created == 1


def test_it_creates_schools_it_does_not_know(known_school: School, gias_extract: Callable[..., Path]) -> None:
    new_row = ROW | {"URN": str(NEW_URN), "EstablishmentName": "Brand New AP Academy", "Trusts (code)": ""}
    new_row["TypeOfEstablishment (name)"] = "Academy alternative provision sponsor led"

    report = load_gias_extract(gias_extract([ROW, new_row]))

    school = School.objects.get(urn=NEW_URN)
    assert school.category == SchoolCategory.AP_ACADEMY
    assert school.local_authority == known_school.local_authority
    assert school.trust is None
    assert (report.counts["schools"].created, report.counts["schools"].updated) == (1, 1)


def test_loading_the_same_extract_again_changes_nothing(
    known_school: School, gias_extract: Callable[..., Path]
) -> None:
    path = gias_extract([ROW])
    load_gias_extract(path)

    again = load_gias_extract(path)

    assert (again.created, again.updated) == (0, 0)
    assert again.counts["schools"].unchanged == 1


def test_it_creates_english_local_authorities_but_not_welsh_ones(db: None, gias_extract: Callable[..., Path]) -> None:
    cumberland = ROW | {"LA (code)": "942", "LA (name)": "Cumberland", "GOR (name)": "North West"}
    welsh = ROW | {
        "URN": str(NEW_URN),
        "LA (code)": "660",
        "LA (name)": "Isle of Anglesey",
        "GOR (name)": "Wales (pseudo)",
    }
    welsh |= {"TypeOfEstablishment (name)": "Welsh establishment", "EstablishmentNumber": "2001"}

    load_gias_extract(gias_extract([cumberland, welsh]))

    assert LocalAuthority.objects.get(code="942").region == "North West"
    assert not LocalAuthority.objects.filter(code="660").exists()
    anglesey_school = School.objects.get(urn=NEW_URN)
    assert (anglesey_school.local_authority, anglesey_school.laestab) == (None, 6602001)
    assert (anglesey_school.region, anglesey_school.category) == ("", SchoolCategory.OTHER)


def test_it_also_reads_an_extract_saved_as_utf8(known_school: School, gias_extract: Callable[..., Path]) -> None:
    load_gias_extract(gias_extract([ROW], encoding="utf-8-sig"))

    known_school.refresh_from_db()
    assert known_school.name == "St Mary’s Pupil Referral Unit"


def test_it_rejects_an_extract_missing_required_columns_and_writes_nothing(
    known_school: School, gias_extract: Callable[..., Path]
) -> None:
    columns = [column for column in GIAS_HEADER if column not in {"NumberOfPupils", "GOR (name)"}]

    report = load_gias_extract(gias_extract([ROW], columns=columns))

    assert [str(error) for error in report.errors] == ["Row 1: Missing required columns: GOR (name), NumberOfPupils."]
    assert report.rows_written == 0
    known_school.refresh_from_db()
    assert (known_school.name, known_school.pupils) == ("St Marys PRU", None)


def test_it_rejects_bad_rows_with_their_row_numbers_and_writes_nothing(
    known_school: School, gias_extract: Callable[..., Path]
) -> None:
    rows = [
        ROW,
        ROW | {"URN": "99x003"},
        ROW | {"URN": str(NEW_URN), "NumberOfPupils": "lots", "LA (code)": "20"},
        ROW | {"EstablishmentName": ""},
    ]

    report = load_gias_extract(gias_extract(rows))

    assert [str(error) for error in report.errors] == [
        "Row 3: URN '99x003': Enter a whole number.",
        "Row 4: LA (code) '20': Enter a three-digit LA code.",
        "Row 4: NumberOfPupils 'lots': Enter a whole number.",
        "Row 5: EstablishmentName '': This field is required.",
    ]
    known_school.refresh_from_db()
    assert known_school.name == "St Marys PRU"
    assert not School.objects.filter(urn=NEW_URN).exists()
    assert not Trust.objects.filter(uid=TRUST_UID).exists()


def test_it_rejects_a_urn_listed_twice(known_school: School, gias_extract: Callable[..., Path]) -> None:
    report = load_gias_extract(gias_extract([ROW, ROW]))

    assert [str(error) for error in report.errors] == [f"Row 3: URN {KNOWN_URN} is also on row 2"]


def test_it_rejects_a_file_that_is_not_text(db: None, tmp_path: Path) -> None:
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(b"URN,EstablishmentName\r\n1,\x81\x8d\x8f\r\n")  # bytes Windows-1252 leaves undefined

    report = load_gias_extract(path)

    [error] = report.errors
    assert (error.row, error.column) == (None, "")
    assert "neither UTF-8 nor Windows-1252" in error.message
    assert not School.objects.filter(urn=1).exists()
