"""Demo data for training: the DLP cohorts as the 2021-22 impact report describes them.

2019: 10 leaders (graduated July 2021). 2020: 12 graduated July 2022 (plus 2
who withdrew). 2021: 17 current (plus 2 who withdrew), so 29 current leaders
across 2020 and 2021 during 2021-22. 2022: 19 placed against a target of 20.
In all, 62 leaders recruited. The people are invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from difference.people.models import AgeBand, Demographics, Disability, EthnicGroup, Gender, Person
from difference.schools.models import School
from difference.training.models import Cohort, Enrolment, EnrolmentStatus, Programme

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Efua",
    "Finn",
    "Grace",
    "Hassan",
    "Isla",
    "Jonah",
    "Kemi",
    "Liam",
    "Maya",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Samir",
    "Tara",
    "Uma",
    "Victor",
    "Wren",
    "Yusuf",
    "Zara",
    "Aisha",
    "Callum",
    "Deborah",
    "Emeka",
    "Freya",
    "Gareth",
    "Hana",
    "Imran",
    "Joy",
    "Kwame",
    "Leila",
    "Marcus",
    "Niamh",
]
LAST_NAMES = [
    "Adeyemi",
    "Bennett",
    "Chowdhury",
    "Doyle",
    "Evans",
    "Fofana",
    "Gallagher",
    "Hussain",
    "Ibrahim",
    "Jenkins",
    "Kaur",
    "Lewis",
    "Mensah",
    "Nwosu",
    "O'Connor",
    "Patel",
    "Quaye",
    "Robinson",
    "Singh",
    "Thompson",
    "Usman",
    "Vaughan",
    "Walsh",
    "Xavier",
    "Yeboah",
    "Zielinski",
    "Ahmed",
    "Brooks",
    "Campbell",
    "Davies",
]

# year: (completed or active leaders, withdrawn leaders, target, status of those still enrolled)
DLP_COHORTS = {
    2019: (10, 0, 10, EnrolmentStatus.COMPLETED),
    2020: (12, 2, 15, EnrolmentStatus.COMPLETED),
    2021: (17, 2, 20, EnrolmentStatus.ACTIVE),
    2022: (19, 0, 20, EnrolmentStatus.ACTIVE),
}
# Cycled so the 62 leaders are a diverse group, as the report describes.
GENDERS = [Gender.WOMAN, Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.PREFER_NOT_TO_SAY]
ETHNIC_GROUPS = [
    EthnicGroup.WHITE,
    EthnicGroup.BLACK,
    EthnicGroup.WHITE,
    EthnicGroup.ASIAN,
    EthnicGroup.MIXED,
    EthnicGroup.WHITE,
    EthnicGroup.BLACK,
    EthnicGroup.WHITE,
    EthnicGroup.OTHER,
    EthnicGroup.PREFER_NOT_TO_SAY,
]
AGE_BANDS = [AgeBand.AGE_25_34, AgeBand.AGE_35_44, AgeBand.AGE_25_34, AgeBand.AGE_45_54, AgeBand.AGE_35_44]


@dataclass
class DemoCohorts:
    dlp: Programme
    cohorts: dict[int, Cohort]
    leaders_by_year: dict[int, list[Person]]


def load_programmes() -> dict[str, Programme]:
    specs = [
        ("dlp", "Difference Leadership Programme", 2),
        ("ilc-senior", "Inclusive Leadership Course (senior leaders)", 1),
        ("ilc-middle", "Inclusive Leadership Course (middle leaders)", 1),
    ]
    programmes = {}
    for code, name, years in specs:
        programmes[code], _ = Programme.objects.update_or_create(
            code=code, defaults={"name": name, "duration_years": years}
        )
    return programmes


def _leader_name(year: int, index: int) -> tuple[str, str]:
    n = (year - 2019) * 23 + index
    return FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7 + year) % len(LAST_NAMES)]


def load_dlp_cohorts(*, ap_schools: Sequence[School], mainstream_schools: Sequence[School]) -> DemoCohorts:
    dlp = load_programmes()["dlp"]
    cohorts: dict[int, Cohort] = {}
    leaders_by_year: dict[int, list[Person]] = {}
    serial = 0
    for year, (stayed, withdrew, target, status) in DLP_COHORTS.items():
        cohort, _ = Cohort.objects.update_or_create(programme=dlp, year=year, defaults={"target_size": target})
        cohorts[year] = cohort
        leaders_by_year[year] = []
        for index in range(stayed + withdrew):
            first, last = _leader_name(year, index)
            school = _school_for(year, index, status, ap_schools, mainstream_schools)
            person, _ = Person.objects.update_or_create(
                email=f"leader{year}.{index + 1:02d}@demo.example.org",
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "job_title": "Difference Leader" if status == EnrolmentStatus.ACTIVE else "Senior leader",
                    "school": school,
                },
            )
            enrolment_status = EnrolmentStatus.WITHDRAWN if index >= stayed else status
            Enrolment.objects.update_or_create(person=person, cohort=cohort, defaults={"status": enrolment_status})
            Demographics.objects.update_or_create(
                person=person,
                defaults={
                    "gender": GENDERS[serial % len(GENDERS)],
                    "ethnic_group": ETHNIC_GROUPS[serial % len(ETHNIC_GROUPS)],
                    "disability": Disability.YES if serial % 11 == 3 else Disability.NO,
                    "age_band": AGE_BANDS[serial % len(AGE_BANDS)],
                },
            )
            serial += 1
            if index < stayed:
                leaders_by_year[year].append(person)
    return DemoCohorts(dlp, cohorts, leaders_by_year)


def _school_for(
    year: int, index: int, status: str, ap_schools: Sequence[School], mainstream_schools: Sequence[School]
) -> School | None:
    """Current leaders are in AP partner schools; most graduates have moved back to mainstream."""
    if status == EnrolmentStatus.COMPLETED and mainstream_schools and index % 2 == 0:
        return mainstream_schools[(index // 2 + year) % len(mainstream_schools)]
    if not ap_schools:
        return None
    return ap_schools[(index + year) % len(ap_schools)]
