from __future__ import annotations

import csv
import gzip

import pytest

from difference.schools.models import SchoolCategory
from difference.schools.services import DATA_DIR, TYPES_FILE, classify_establishment_type

PRU, AP, SPECIAL = SchoolCategory.PRU, SchoolCategory.AP_ACADEMY, SchoolCategory.SPECIAL
MAINSTREAM, OTHER = SchoolCategory.MAINSTREAM, SchoolCategory.OTHER

# Every establishment type name in the shipped files, in EduBase's 2016 and GIAS's 2025 spellings.
EXPECTED = {
    # 2016 (EduBase)
    "Pupil Referral Unit": PRU,
    "Academy Alternative Provision Converter": AP,
    "Academy Alternative Provision Sponsor Led": AP,
    "Free Schools - Alternative Provision": AP,
    "Community Special School": SPECIAL,
    "Foundation Special School": SPECIAL,
    "Non-Maintained Special School": SPECIAL,
    "Other Independent Special School": SPECIAL,
    "Academy Special Converter": SPECIAL,
    "Academy Special Sponsor Led": SPECIAL,
    "Free Schools Special": SPECIAL,
    "Community School": MAINSTREAM,
    "Voluntary Aided School": MAINSTREAM,
    "Voluntary Controlled School": MAINSTREAM,
    "Foundation School": MAINSTREAM,
    "LA Nursery School": MAINSTREAM,
    "Academy Converter": MAINSTREAM,
    "Academy Sponsor Led": MAINSTREAM,
    "Academy 16-19 Converter": MAINSTREAM,
    "Academy 16-19 Sponsor Led": MAINSTREAM,
    "Free Schools": MAINSTREAM,
    "Free Schools - 16-19": MAINSTREAM,
    "Studio Schools": MAINSTREAM,
    "University Technical College": MAINSTREAM,
    "City Technology College": MAINSTREAM,
    "Other Independent School": MAINSTREAM,
    "Further Education": OTHER,
    "Sixth Form Centres": OTHER,
    "Higher Education Institutions": OTHER,
    "Welsh Establishment": OTHER,
    "British Schools Overseas": OTHER,
    "Institution funded by other Government Department": OTHER,
    "Miscellaneous": OTHER,
    "Offshore Schools": OTHER,
    "Secure Units": OTHER,
    "Service Childrens Education": OTHER,
    "Special Post 16 Institution": OTHER,
    # 2025 (GIAS)
    "Pupil referral unit": PRU,
    "Academy alternative provision converter": AP,
    "Academy alternative provision sponsor led": AP,
    "Free schools alternative provision": AP,
    "Community special school": SPECIAL,
    "Foundation special school": SPECIAL,
    "Non-maintained special school": SPECIAL,
    "Other independent special school": SPECIAL,
    "Academy special converter": SPECIAL,
    "Academy special sponsor led": SPECIAL,
    "Free schools special": SPECIAL,
    "Community school": MAINSTREAM,
    "Voluntary aided school": MAINSTREAM,
    "Voluntary controlled school": MAINSTREAM,
    "Foundation school": MAINSTREAM,
    "Local authority nursery school": MAINSTREAM,
    "Academy converter": MAINSTREAM,
    "Academy sponsor led": MAINSTREAM,
    "Academy 16-19 converter": MAINSTREAM,
    "Academy 16 to 19 sponsor led": MAINSTREAM,
    "Free schools": MAINSTREAM,
    "Free schools 16 to 19": MAINSTREAM,
    "Studio schools": MAINSTREAM,
    "University technical college": MAINSTREAM,
    "City technology college": MAINSTREAM,
    "Other independent school": MAINSTREAM,
    "Further education": OTHER,
    "Sixth form centres": OTHER,
    "Higher education institutions": OTHER,
    "Welsh establishment": OTHER,
    "British schools overseas": OTHER,
    "Institution funded by other government department": OTHER,
    "Offshore schools": OTHER,
    "Secure units": OTHER,
    "Academy secure 16 to 19": OTHER,
    "Service children's education": OTHER,
    "Special post 16 institution": OTHER,
    "Online provider": OTHER,
}


def _type_names_in_shipped_files() -> set[str]:
    with gzip.open(DATA_DIR / TYPES_FILE, "rt", encoding="utf-8-sig") as file:
        names = {row["establishment-type"] for row in csv.DictReader(file, delimiter="\t")}
    with (DATA_DIR / "edubasealldata20250422-establishment-types.csv").open(encoding="utf-8-sig") as file:
        names |= {row["type-of-establishment-name"] for row in csv.DictReader(file)}
    return names


def test_the_table_covers_every_type_name_in_the_shipped_files() -> None:
    assert _type_names_in_shipped_files() == set(EXPECTED)


@pytest.mark.parametrize(("type_name", "category"), sorted(EXPECTED.items()))
def test_it_classifies_every_real_type_name(type_name: str, category: SchoolCategory) -> None:
    assert classify_establishment_type(type_name) == category


def test_it_classifies_pupil_referral_units() -> None:
    assert classify_establishment_type("Pupil Referral Unit") == SchoolCategory.PRU
    assert classify_establishment_type("pupil referral unit") == SchoolCategory.PRU


def test_it_classifies_ap_academies_and_free_schools_together() -> None:
    assert classify_establishment_type("Academy alternative provision sponsor led") == SchoolCategory.AP_ACADEMY
    assert classify_establishment_type("Free Schools - Alternative Provision") == SchoolCategory.AP_ACADEMY


def test_it_keeps_independent_special_schools_apart_from_other_independent_schools() -> None:
    assert classify_establishment_type("Other Independent Special School") == SchoolCategory.SPECIAL
    assert classify_establishment_type("Other Independent School") == SchoolCategory.MAINSTREAM


def test_it_ignores_case_spacing_and_punctuation() -> None:
    assert classify_establishment_type("  ACADEMY  SPECIAL  SPONSOR-LED ") == SchoolCategory.SPECIAL
    assert classify_establishment_type("Service Children’s Education") == SchoolCategory.OTHER


def test_it_calls_an_empty_type_unknown() -> None:
    assert classify_establishment_type("") == SchoolCategory.UNKNOWN
    assert classify_establishment_type("   ") == SchoolCategory.UNKNOWN


def test_it_calls_an_unheard_of_type_unknown_rather_than_guess() -> None:
    assert classify_establishment_type("Hovercraft school") == SchoolCategory.UNKNOWN


def test_it_still_recognises_ap_and_special_types_after_a_renaming() -> None:
    assert classify_establishment_type("Alternative provision free school") == SchoolCategory.AP_ACADEMY
    assert classify_establishment_type("Academy special free school") == SchoolCategory.SPECIAL
    assert classify_establishment_type("Pupil referral unit (hospital)") == SchoolCategory.PRU
