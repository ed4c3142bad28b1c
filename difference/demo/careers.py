"""Demo alumni careers: the 2019 and 2020 cohorts' roles as the 2021-22 impact report tells them.

"Our first Difference Leader Cohort graduated in July 2021. Nine out of ten Difference Leaders progressed to senior
leadership roles – six of them back to mainstream. All six have continued as mainstream senior leaders in September
2022." "Our second Cohort has now graduated, in July 2022. 10 out of 12 Difference Leaders have progressed to more
senior leadership roles" (one at an equivalent level, one taking a year out of teaching). "Half of this year's
graduating Difference Leaders chose to remain in AP. Five have been promoted to Deputy Head or Headteacher [...]
we have not reached our target for 60% mainstream progression." "44 Multi-Academy-Trusts across England now employ
a Difference-trained Senior Leader."

Each graduate has a baseline middle-leadership role in a mainstream school before the programme, their senior role
in an AP school during it, and what they went on to after it. The Inclusive Leadership Course's participants, senior
leaders in mainstream schools of academy trusts, hold their current role. Mainstream graduates go to schools of
trusts no ILC participant's school belongs to, so that the trusts employing a Difference-trained senior leader are
as many as the registry allows up to the report's 44 (the summary says when the registry has too few). A few yearly
refresh requests are answered and some outstanding; two partner trusts offer an opportunity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.utils import timezone

from difference.careers import analysis
from difference.careers.models import (
    CareerRole,
    Level,
    MainstreamTarget,
    Opportunity,
    RefreshRequest,
    RefreshState,
    Sector,
    Source,
)
from difference.people.models import Person
from difference.schools.models import School, SchoolCategory
from difference.training.models import Cohort, Enrolment, EnrolmentStatus

TRUSTS_EMPLOYING = 44
TARGET = 0.6
AP = (SchoolCategory.PRU, SchoolCategory.AP_ACADEMY)

# (title, level, sector) after the programme, in the order the cohort's graduates are taken.
MAINSTREAM_SENIOR = ("Assistant Headteacher", Level.SENIOR, Sector.MAINSTREAM)
AFTER_2019 = [MAINSTREAM_SENIOR] * 6 + [
    ("Deputy Headteacher", Level.SENIOR, Sector.AP),
    ("Assistant Headteacher", Level.SENIOR, Sector.AP),
    ("Head of School", Level.HEAD, Sector.AP),
    ("Inclusion Adviser", Level.MIDDLE, Sector.LOCAL_AUTHORITY),
]
AFTER_2020 = [
    ("Headteacher", Level.HEAD, Sector.AP),
    ("Headteacher", Level.HEAD, Sector.AP),
    ("Deputy Headteacher", Level.SENIOR, Sector.AP),
    ("Deputy Headteacher", Level.SENIOR, Sector.AP),
    ("Deputy Headteacher", Level.SENIOR, Sector.AP),
    ("Assistant Headteacher", Level.SENIOR, Sector.AP),
    *[MAINSTREAM_SENIOR] * 4,
    ("Head of Year", Level.MIDDLE, Sector.MAINSTREAM),
    ("A year out of teaching", Level.CLASSROOM, Sector.OUT_OF_EDUCATION),
]
AFTER = {2019: AFTER_2019, 2020: AFTER_2020}


@dataclass
class DemoCareers:
    roles: int = 0
    trusts: int = 0
    refreshes: dict[str, int] = field(default_factory=dict)
    opportunities: int = 0
    lines: list[str] = field(default_factory=list)

    def summary(self) -> str:
        shortfall = (
            f" The schools registry has too few academy trusts for the report's {TRUSTS_EMPLOYING}."
            if self.trusts < TRUSTS_EMPLOYING
            else ""
        )
        answered = ", ".join(f"{n} {state}" for state, n in sorted(self.refreshes.items()))
        return (
            f"Careers: {self.roles} roles; " + "; ".join(self.lines) + f"; {self.trusts} trusts employ a "
            f"Difference-trained senior leader.{shortfall} Refresh requests: {answered}; "
            f"{self.opportunities} open opportunities."
        )


def load_careers(cohorts: dict[int, Cohort]) -> DemoCareers:
    result = DemoCareers()
    if CareerRole.objects.exists():
        result.lines.append("already loaded")
        return result
    ilc_schools = _ilc_roles()
    used_trusts = {school.trust_id for school in ilc_schools if school.trust_id}
    mainstream = _schools_of_new_trusts(used_trusts)
    ap_schools = list(School.objects.filter(category__in=AP).order_by("urn"))
    baseline_schools = list(School.objects.filter(category=SchoolCategory.MAINSTREAM).order_by("-pupils", "urn")[:40])
    for year, after in AFTER.items():
        cohort = cohorts.get(year)
        if cohort is None or not ap_schools or not baseline_schools:
            continue
        graduates = list(
            cohort.enrolments.filter(status=EnrolmentStatus.COMPLETED).select_related("person").order_by("person_id")
        )
        MainstreamTarget.objects.get_or_create(cohort_year=year, defaults={"share": TARGET})
        for index, (enrolment, after_role) in enumerate(zip(graduates, after, strict=False)):
            _graduate_roles(enrolment.person, year, index, after_role, mainstream, ap_schools, baseline_schools)
        figures = analysis.analyse_cohort(cohort, threshold=1).at_end
        result.lines.append(
            f"DLP {year}: {figures.senior.numerator} of {figures.n} in senior leadership, "
            f"{figures.mainstream.numerator} in mainstream at programme end"
        )
    result.roles = CareerRole.objects.count()
    result.trusts = len(analysis.employers().trusts_with_senior_leaders)
    result.refreshes = _refreshes()
    result.opportunities = _opportunities(used_trusts)
    return result


def _ilc_roles() -> list[School]:
    """The ILC's participants are senior leaders in the mainstream schools they came from."""
    schools = []
    participants = Enrolment.objects.filter(
        cohort__programme__code__startswith="ilc", status=EnrolmentStatus.COMPLETED
    ).select_related("person__school")
    for enrolment in participants:
        school = enrolment.person.school
        if school is None:
            continue
        schools.append(school)
        CareerRole.objects.create(
            person=enrolment.person,
            title=enrolment.person.job_title or "Assistant Headteacher",
            level=Level.SENIOR,
            school=school,
            sector=Sector.MAINSTREAM if school.category == SchoolCategory.MAINSTREAM else Sector.OTHER_EDUCATION,
            starts_on=dt.date(2019, 9, 1),
            is_baseline=True,
            source=Source.IMPORT,
        )
    return schools


def _schools_of_new_trusts(used: set[int]) -> list[School]:
    """One mainstream school of each academy trust not yet employing an alumnus, in a fixed order."""
    seen: set[int] = set(used)
    found = []
    for school in School.objects.filter(category=SchoolCategory.MAINSTREAM, trust__isnull=False).order_by(
        "trust__name", "urn"
    ):
        if school.trust_id not in seen:
            seen.add(school.trust_id)  # type: ignore[arg-type]
            found.append(school)
    return found


def _graduate_roles(
    person: Person,
    year: int,
    index: int,
    after_role: tuple[str, int, str],
    mainstream: list[School],
    ap_schools: list[School],
    baseline_schools: list[School],
) -> None:
    title, level, sector = after_role
    start = dt.date(year, 9, 1)
    end = dt.date(year + 2, 8, 31)
    placed = ap_schools[(index + year) % len(ap_schools)]
    CareerRole.objects.create(
        person=person,
        title="Head of Department",
        level=Level.MIDDLE,
        school=baseline_schools[(index * 3 + year) % len(baseline_schools)],
        sector=Sector.MAINSTREAM,
        starts_on=dt.date(year - 3, 9, 1),
        ends_on=start - dt.timedelta(days=1),
        is_baseline=True,
        source=Source.IMPORT,
    )
    CareerRole.objects.create(
        person=person,
        title="Assistant Headteacher (Difference Leader)",
        level=Level.SENIOR,
        school=placed,
        sector=Sector.AP,
        starts_on=start,
        ends_on=end,
        source=Source.STAFF,
    )
    after = {
        "person": person,
        "title": title,
        "level": level,
        "sector": sector,
        "starts_on": end + dt.timedelta(days=1),
    }
    if sector == Sector.MAINSTREAM and level >= Level.SENIOR and mainstream:
        CareerRole.objects.create(**after, school=mainstream.pop(0), source=Source.SELF_REPORTED)
    elif sector == Sector.MAINSTREAM:
        CareerRole.objects.create(**after, school=baseline_schools[index % len(baseline_schools)], source=Source.STAFF)
    elif sector == Sector.AP:
        CareerRole.objects.create(**after, school=placed, source=Source.SELF_REPORTED)
    elif sector == Sector.OUT_OF_EDUCATION:
        CareerRole.objects.create(**after, source=Source.SELF_REPORTED)
    else:
        CareerRole.objects.create(**after, employer="A local authority's inclusion service", source=Source.STAFF)


def _refreshes() -> dict[str, int]:
    """This autumn's requests to the 2019 cohort: some answered, the rest outstanding."""
    now = timezone.now()
    people = [role.person for role in CareerRole.objects.filter(is_baseline=True, title="Head of Department")]
    states = [RefreshState.CONFIRMED] * 4 + [RefreshState.UPDATED] + [RefreshState.SENT] * 5
    counts: dict[str, int] = {}
    for n, (person, state) in enumerate(zip(people, states, strict=False)):
        RefreshRequest.objects.create(
            person=person,
            nonce=hashlib.sha256(f"demo-{n}".encode()).hexdigest()[:43],
            state=state,
            expires_at=now + dt.timedelta(days=30),
            answered_at=now - dt.timedelta(days=3) if state != RefreshState.SENT else None,
        )
        label = RefreshState(state).label.lower()
        counts[label] = counts.get(label, 0) + 1
    return counts


def _opportunities(used: set[int]) -> int:
    schools = list(School.objects.filter(trust__in=used).select_related("trust").order_by("trust__name", "urn"))
    made = 0
    titles = ("Deputy Headteacher (Inclusion)", "Assistant Headteacher (Behaviour and Attendance)")
    for school, title in zip(schools[:: max(1, len(schools) // 2)][:2], titles, strict=False):
        Opportunity.objects.create(
            trust=school.trust,
            school=school,
            title=title,
            level=Level.SENIOR,
            description="A senior post for a Difference alumnus leading inclusion across the school.",
            closes_on=timezone.localdate() + dt.timedelta(days=45),
        )
        made += 1
    return made
