"""The shipped registry. Expected counts are worked out here from the files with the csv module, not DuckDB."""

from __future__ import annotations

import csv
import datetime
import gzip
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from difference.core.imports import ImportOutcome
from difference.core.tests.summaries import assert_summary_shape
from difference.schools.models import LocalAuthority, School, SchoolCategory, SchoolLink, Trust
from difference.schools.services import (
    DATA_DIR,
    LINKS_FILE,
    LOCAL_AUTHORITIES_FILE,
    LOOKUP_FILE,
    TRUSTS_FILE,
    TYPES_FILE,
    load_gias_extract,
    load_registry,
)

pytestmark = pytest.mark.django_db


def _rows(name: str, *, encoding: str = "utf-8-sig", delimiter: str = ",") -> Iterator[dict[str, str]]:
    path = DATA_DIR / name
    with gzip.open(path, "rt", encoding=encoding) if name.endswith(".gz") else path.open(encoding=encoding) as f:
        yield from csv.DictReader(f, delimiter=delimiter)


@dataclass(frozen=True)
class Expected:
    urns: set[int]
    la_codes: set[str]
    trust_uids: set[int]
    links: list[dict[str, str]]  # rows whose school is in the registry
    unnamed_link_rows: list[dict[str, str]]  # rows from a URN nothing names
    types: list[dict[str, str]]


@cache
def expected() -> Expected:
    lookup = list(_rows(LOOKUP_FILE, encoding="cp1252"))
    links = list(_rows(LINKS_FILE, encoding="cp1252"))
    # A school is any URN the lookup or the links file gives a name for.
    urns = {int(row["URN"]) for row in lookup} | {int(row["LinkURN"]) for row in links}
    return Expected(
        urns=urns,
        la_codes={row["old_la_code"] for row in _rows(LOCAL_AUTHORITIES_FILE) if row["old_la_code"]},
        trust_uids={int(row["Group UID"]) for row in _rows(TRUSTS_FILE)},
        links=[row for row in links if int(row["URN"]) in urns],
        unnamed_link_rows=[row for row in links if int(row["URN"]) not in urns],
        types=list(_rows(TYPES_FILE, delimiter="\t")),
    )


def test_it_loads_every_school_local_authority_trust_and_link_in_the_files(registry: ImportOutcome) -> None:
    data = expected()
    assert registry.counts["schools"].created == len(data.urns) == 39_488
    assert registry.counts["local authorities"].created == len(data.la_codes) == 158
    assert registry.counts["trusts"].created == len(data.trust_uids) == 3_122
    assert registry.counts["school links"].created == len(data.links)
    assert set(School.objects.values_list("urn", flat=True)) == data.urns
    assert LocalAuthority.objects.count() == len(data.la_codes)
    assert Trust.objects.count() == len(data.trust_uids)
    assert SchoolLink.objects.count() == len(data.links)


def test_it_reports_the_rows_it_could_not_attach_to_a_named_school(registry: ImportOutcome) -> None:
    data = expected()
    types_without_school = [row for row in data.types if int(row["urn"]) not in data.urns]
    skipped_by_file = {file: 0 for file in (LINKS_FILE, TYPES_FILE)}
    for row in registry.skipped:
        skipped_by_file[row.file + ".gz"] += 1
    assert skipped_by_file == {LINKS_FILE: len(data.unnamed_link_rows), TYPES_FILE: len(types_without_school)}
    assert registry.notes == ["45 schools have LA code 702, which is not in the LA list: loaded without an LA"]


def test_a_second_load_changes_nothing_not_even_what_a_gias_extract_said(
    registry: ImportOutcome, gias_extract: Callable[..., Path]
) -> None:
    load_gias_extract(gias_extract([{"URN": "100007", "EstablishmentName": "Camden Primary PRU (renamed)"}]))

    again = load_registry()

    assert again.created == 0
    assert again.updated == 0
    for label, counts in again.counts.items():
        assert counts.unchanged == registry.counts[label].created, label
    assert School.objects.get(urn=100007).name == "Camden Primary PRU (renamed)"


def test_it_classifies_known_prus_ap_academies_and_special_schools(registry: ImportOutcome) -> None:
    categories = dict(
        School.objects.filter(urn__in=[100007, 141564, 139829, 143227, 100785]).values_list("urn", "category")
    )
    assert categories == {
        100007: SchoolCategory.PRU,  # Camden Primary Pupil Referral Unit
        141564: SchoolCategory.AP_ACADEMY,  # Springwell Alternative Academy: academy AP converter
        139829: SchoolCategory.AP_ACADEMY,  # Harris Aspire Academy: AP free school
        143227: SchoolCategory.SPECIAL,  # Joseph Norton Academy: academy special converter
        100785: SchoolCategory.MAINSTREAM,  # Crawford Primary School: community school
    }


@pytest.mark.parametrize(
    ("type_names", "category"),
    [
        ({"Pupil Referral Unit"}, SchoolCategory.PRU),
        (
            {
                "Academy Alternative Provision Converter",
                "Academy Alternative Provision Sponsor Led",
                "Free Schools - Alternative Provision",
            },
            SchoolCategory.AP_ACADEMY,
        ),
        (
            {
                "Community Special School",
                "Foundation Special School",
                "Non-Maintained Special School",
                "Other Independent Special School",
                "Academy Special Converter",
                "Academy Special Sponsor Led",
                "Free Schools Special",
            },
            SchoolCategory.SPECIAL,
        ),
    ],
)
def test_every_school_of_an_ap_or_special_type_in_the_2016_list_gets_that_category(
    registry: ImportOutcome, type_names: set[str], category: SchoolCategory
) -> None:
    data = expected()
    urns = {int(row["urn"]) for row in data.types if row["establishment-type"] in type_names}
    urns &= data.urns
    assert set(School.objects.filter(category=category).values_list("urn", flat=True)) == urns


def test_it_places_schools_in_their_local_authority_and_region(registry: ImportOutcome) -> None:
    school = School.objects.select_related("local_authority").get(urn=100007)
    assert school.name == "Camden Primary Pupil Referral Unit"
    assert school.laestab == 2021101
    assert (school.local_authority.code, school.local_authority.name) == ("202", "Camden")
    assert school.local_authority.gss_code == "E09000007"
    assert school.region == school.local_authority.region == "London"  # "Inner London" in the source
    assert school.establishment_type == "Pupil Referral Unit"
    assert school.establishment_group == "LA maintained schools"
    assert school.source == "DfE LAEstab lookup 2018; EduBase types 2016-11"


def test_it_gives_old_local_authorities_their_latest_ons_code(registry: ImportOutcome) -> None:
    assert LocalAuthority.objects.get(code="825").gss_code == "E06000060"  # Buckinghamshire, unitary from 2020
    assert LocalAuthority.objects.get(code="820").name == "Bedfordshire"  # abolished 2009, still on old schools


def test_it_names_schools_by_their_current_gias_name(registry: ImportOutcome) -> None:
    # Known to the 2018 lookup as "TBAP Cambridge AP Academy"; the 2025 links file has its new name.
    renamed = School.objects.get(urn=142378)
    assert renamed.name == "Olive AP Academy - Cambridge"
    assert renamed.laestab == 8731109
    assert renamed.category == SchoolCategory.AP_ACADEMY
    assert renamed.source == "GIAS links 2025-04-22; DfE LAEstab lookup 2018; EduBase types 2016-11"


def test_it_adds_newer_schools_known_only_from_the_links_file(registry: ImportOutcome) -> None:
    school = School.objects.get(urn=148124)
    assert school.name == "Wey Valley College"
    assert school.local_authority is None
    assert school.laestab is None
    assert school.category == SchoolCategory.UNKNOWN
    assert school.source == "GIAS links 2025-04-22"


def test_it_keeps_links_with_their_type_name_and_date(registry: ImportOutcome) -> None:
    link = SchoolLink.objects.get(school__urn=100006, linked_urn=134643)
    assert link.link_type == "Predecessor - merged"
    assert link.linked_name == "CCfL Key Stage 3 PRU"
    assert link.established_on == datetime.date(2022, 1, 1)
    longest = "Merged - expansion in school capacity and changer in age range"
    assert SchoolLink.objects.filter(link_type=longest).count() == 9


def test_it_loads_trusts_with_their_companies_house_numbers(registry: ImportOutcome) -> None:
    trust = Trust.objects.get(uid=2044)
    assert (trust.group_id, trust.name) == ("TR00261", "Abbey Academies Trust")
    assert trust.companies_house_number == "07318714"  # the leading zero kept
    assert trust.group_type == "Multi-academy trust"


def test_it_times_itself_and_summarises_what_it_did(registry: ImportOutcome) -> None:
    summary = assert_summary_shape(registry.summary())
    assert 0 < registry.duration < 60
    assert summary["source"] == "Schools registry (shipped data)"
    assert "schools: 39,488 created, 0 updated, 0 unchanged" in registry.details()
    assert f"took {registry.duration:.1f} s" in registry.details()
