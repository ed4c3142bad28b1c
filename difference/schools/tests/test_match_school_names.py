from __future__ import annotations

import pytest

from difference.core.imports import ImportOutcome
from difference.schools.models import SchoolLink
from difference.schools.services import match_school_names, normalise_school_name
from difference.schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

# The charity's partner schools as its staff write them, and the registry URN each should match (None: no
# match, because the school is newer than the shipped data or the name fits several schools).
PARTNERS = {
    "Bridgelea Primary School": None,  # in the registry only as "Bridgelea PRU"
    "Burnside Secondary PRU": 137328,
    "Camden Centre For Learning (CCFL)": None,  # an umbrella for several CCfL units
    "Educational Diversity Blackpool": 131772,  # "Educational Diversity", in Blackpool
    "Francis Barber PRU": 100994,  # "Francis Barber Pupil Referral Unit"
    "Haringey Learning Partnership": None,
    "Harris Aspire Academy": 139829,
    "Joseph Norton Academy": 143227,
    "Olive AP Academy Cambridge": 142378,
    "Olive AP Academy Nene Valley": 142793,
    "Orchardside": 101972,  # "Orchardside School"
    "South Quay College": None,
    "Springwell Alternative Academy Grantham": None,  # not Barnsley's "Springwell Alternative Academy"
    "Springwell Lincolnshire Lincoln": None,
    "Springwell Mablethorpe Lincoln": None,
    "The Boxing Academy": 143103,  # the independent school 141516's successor, now an AP free school
    "The Key Education Centre": 133778,
    "The Limes": None,  # The Limes College, The Limes Nursery School, Limes Farm ...
    "Tunmarsh Centre": None,
    "Wey Valley College": 148124,  # the academy that succeeded PRU 124923
    "Ark Globe Academy": 135584,
    "Ark Soane": None,
    "Crawford Primary School": 100785,
    "Haberdashers' Aske's": None,  # several Haberdashers' schools
    "Hatcham College": 135073,  # "Haberdashers' Hatcham College"
    "Leverhulme Primary School": 131271,  # "Leverhulme Community Primary School"
    "London Academy": 134798,
    "Northolt Secondary School": None,
    "Woodmansterne School": 100590,
    "Woodside High School": 137745,  # now "Mulberry Academy Woodside"
}


def test_it_matches_the_partner_schools_it_can_and_lists_the_rest(registry: ImportOutcome) -> None:
    matched, unmatched = match_school_names(list(PARTNERS))

    assert {name: school.urn for name, school in matched.items()} == {
        name: urn for name, urn in PARTNERS.items() if urn is not None
    }
    assert unmatched == [name for name, urn in PARTNERS.items() if urn is None]


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Haberdashers' Aske's", "haberdashers askes"),
        ("Camden Centre For Learning (CCFL)", "camden centre for learning"),
        ("The Key Education Centre", "key education centre"),
        ("Gospel Oak Primary & Nursery School", "gospel oak primary and nursery school"),
        ("Olive AP Academy - Cambridge", "olive ap academy cambridge"),
        ("Lady Hawkins’ School", "lady hawkins school"),
        ("Burnside Secondary PRU", "burnside secondary pupil referral unit"),
    ],
)
def test_it_normalises_names_before_comparing(written: str, normalised: str) -> None:
    assert normalise_school_name(written) == normalised


def test_it_prefers_the_open_school_among_namesakes(db: None) -> None:
    SchoolFactory(urn=980001, name="Quillfeather Primary School", status="Closed")
    open_one = SchoolFactory(urn=980002, name="Quillfeather Primary School", status="Open")

    matched, unmatched = match_school_names(["The Quillfeather Primary School"])

    assert matched == {"The Quillfeather Primary School": open_one}
    assert unmatched == []


def test_it_never_guesses_between_two_open_namesakes(db: None) -> None:
    SchoolFactory(urn=980001, name="Quillfeather Primary School", status="Open")
    SchoolFactory(urn=980002, name="Quillfeather Primary School", status="Open")

    assert match_school_names(["Quillfeather Primary School"]) == ({}, ["Quillfeather Primary School"])


def test_it_follows_a_closed_school_to_its_successor(db: None) -> None:
    old = SchoolFactory(urn=980001, name="Quillfeather Centre")
    successor = SchoolFactory(urn=980002, name="Quillfeather AP Academy")
    SchoolLink.objects.create(school=old, linked_urn=successor.urn, link_type="Successor")

    matched, _ = match_school_names(["Quillfeather Centre"])

    assert matched["Quillfeather Centre"] == successor


def test_a_partial_match_must_point_at_one_school(db: None) -> None:
    SchoolFactory(urn=980001, name="Quillfeather Learning Centre North", status="Open")
    SchoolFactory(urn=980002, name="Quillfeather Learning Centre South", status="Closed")
    SchoolFactory(urn=980003, name="Zanzibar Quillfeather Hub", status="Open")

    matched, unmatched = match_school_names(["Quillfeather Learning Centre", "Zanzibar Quillfeather"])

    assert unmatched == ["Quillfeather Learning Centre"]
    assert matched["Zanzibar Quillfeather"].urn == 980003
