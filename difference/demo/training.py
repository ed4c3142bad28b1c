"""Demo data for training: the DLP cohorts as the 2021-22 impact report describes them.

2019: 10 leaders (graduated July 2021). 2020: 12 graduated July 2022 (plus 2
who withdrew). 2021: 17 current (plus 2 who withdrew), so 29 current leaders
across 2020 and 2021 during 2021-22. 2022: 19 placed against a target of 20.
In all, 62 leaders recruited. The people are invented.

Then the training itself: the programmes' components and each cohort's requirements (the DLP's add up to its 290
hours); for the two current DLP cohorts a timetable dated from today, so that some sessions are past and some ahead,
with the past ones' registers (mostly present; three leaders at risk); DSL and NPQSL certificates; and the
Inclusive Leadership Course of 2021-22, whose 66 participants' schools span 25 MATs and 32 local authorities.

Enrolments and their changes of status, requirements, sessions, registers and certificates all go through the
training services, dated when they happened; programmes, cohorts, components and people are plain records (see
``demo.records``). The 2022 leaders are enrolled by the placements demo, from their placements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db.models import F, Max, Sum
from django.utils import timezone

from difference.accounts.models import User
from difference.demo.records import upsert
from difference.people.models import AgeBand, Disability, EthnicGroup, Gender, Person
from difference.recruitment import services as recruitment_services
from difference.schools.models import School, SchoolCategory
from difference.schools.services.matching import CLOSING_LINK_TYPES
from difference.training import certificates as certificate_services
from difference.training import services as training_services
from difference.training.certificates import add_months, expiry_for
from difference.training.ledger import Warning, early_warning
from difference.training.models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateStatus,
    CertificationType,
    Cohort,
    Component,
    ComponentKind,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Requirement,
    Session,
    Unit,
)
from difference.training.reach import Reach, reach

LONDON = ZoneInfo("Europe/London")
FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Efua", "Finn", "Grace", "Hassan", "Isla", "Jonah", "Kemi", "Liam", "Maya",
    "Nadia", "Owen", "Priya", "Quinn", "Rosa", "Samir", "Tara", "Uma", "Victor", "Wren", "Yusuf", "Zara", "Aisha",
    "Callum", "Deborah", "Emeka", "Freya", "Gareth", "Hana", "Imran", "Joy", "Kwame", "Leila", "Marcus", "Niamh",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Bennett", "Chowdhury", "Doyle", "Evans", "Fofana", "Gallagher", "Hussain", "Ibrahim", "Jenkins",
    "Kaur", "Lewis", "Mensah", "Nwosu", "O'Connor", "Patel", "Quaye", "Robinson", "Singh", "Thompson", "Usman",
    "Vaughan", "Walsh", "Xavier", "Yeboah", "Zielinski", "Ahmed", "Brooks", "Campbell", "Davies",
]  # fmt: skip

# year: (completed or active leaders, withdrawn leaders, target, status of those still enrolled)
DLP_COHORTS = {
    2019: (10, 0, 10, EnrolmentStatus.COMPLETED),
    2020: (12, 2, 15, EnrolmentStatus.COMPLETED),
    2021: (17, 2, 20, EnrolmentStatus.ACTIVE),
    2022: (19, 0, 20, EnrolmentStatus.ACTIVE),
}
# The diversity answers, cycled (see _diversity).
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


# The DLP cohort whose leaders are enrolled from the placement round of its year (the placements demo runs it);
# the earlier cohorts are enrolled here, as staff entered them before the platform placed anyone.
PLACED_YEAR = 2022
# When each earlier cohort graduated: "our first Difference Leader Cohort graduated in July 2021", the second "in
# July 2022" (impact report 2021-22).
GRADUATED_ON = {2019: dt.date(2021, 7, 16), 2020: dt.date(2022, 7, 15)}
WITHDRAWAL_REASONS = ["Family circumstances", "Left teaching for a role outside schools", "Relocated abroad"]


@dataclass
class DemoCohorts:
    dlp: Programme
    cohorts: dict[int, Cohort]
    leaders_by_year: dict[int, list[Person]]  # those who stay the course, by cohort year
    # Everyone each cohort recruited, withdrawals included, with the enrolment status they reach: the people who
    # accepted that year's offers.
    recruited: dict[int, list[tuple[Person, str]]]


def load_programmes() -> dict[str, Programme]:
    specs = [
        ("dlp", "Difference Leadership Programme", 2),
        ("ilc-senior", "Inclusive Leadership Course (senior leaders)", 1),
        ("ilc-middle", "Inclusive Leadership Course (middle leaders)", 1),
    ]
    return {
        code: upsert(Programme, match={"code": code}, values={"name": name, "duration_years": years})
        for code, name, years in specs
    }


def _leader_name(year: int, index: int) -> tuple[str, str]:
    n = (year - 2019) * 23 + index
    return FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7 + year) % len(LAST_NAMES)]


def load_dlp_cohorts(
    *, ap_schools: Sequence[School], mainstream_schools: Sequence[School], by: User | None
) -> DemoCohorts:
    """The four DLP cohorts and their invented leaders, with the diversity answers they gave when they applied.
    The 2019 to 2021 leaders are enrolled (and graduate or withdraw) through the training services, ``by`` the
    member of staff; the 2022 leaders wait for their placements, which enrol them."""
    dlp = load_programmes()["dlp"]
    cohorts: dict[int, Cohort] = {}
    leaders_by_year: dict[int, list[Person]] = {}
    recruited: dict[int, list[tuple[Person, str]]] = {}
    serial = 0
    for year, (stayed, withdrew, target, status) in DLP_COHORTS.items():
        cohorts[year] = cohort = upsert(Cohort, match={"programme": dlp, "year": year}, values={"target_size": target})
        leaders_by_year[year], recruited[year] = [], []
        for index in range(stayed + withdrew):
            first, last = _leader_name(year, index)
            values: dict[str, Any] = {
                "first_name": first,
                "last_name": last,
                "job_title": "Difference Leader" if status == EnrolmentStatus.ACTIVE else "Senior leader",
            }
            if year != PLACED_YEAR:  # a placed leader's school is their placement's, set when it is published
                values["school"] = _school_for(year, index, status, ap_schools, mainstream_schools)
            person = upsert(Person, match={"email": f"leader{year}.{index + 1:02d}@demo.example.org"}, values=values)
            recruitment_services.save_diversity(person=person, answers=_diversity(serial), now=_applied_at(year))
            serial += 1
            reached = EnrolmentStatus.WITHDRAWN if index >= stayed else status
            recruited[year].append((person, reached))
            if year != PLACED_YEAR:
                _enrol(person, cohort, reached, index, by=by)
            if index < stayed:
                leaders_by_year[year].append(person)
    return DemoCohorts(dlp, cohorts, leaders_by_year, recruited)


def _diversity(serial: int) -> dict[str, str]:
    """Cycled so the 62 leaders are a diverse group, as the report describes."""
    return {
        "gender": GENDERS[serial % len(GENDERS)],
        "ethnic_group": ETHNIC_GROUPS[serial % len(ETHNIC_GROUPS)],
        "disability": Disability.YES if serial % 11 == 3 else Disability.NO,
        "age_band": AGE_BANDS[serial % len(AGE_BANDS)],
    }


def _applied_at(year: int) -> dt.datetime:
    """When a leader answered the diversity questions: with their application, before the round closed."""
    return dt.datetime(year, 1, 14, 12, tzinfo=LONDON)


def _enrol(person: Person, cohort: Cohort, reached: str, index: int, *, by: User | None) -> None:
    """Enrolled in the September the cohort starts; then graduated or withdrawn, as the cohort's story goes."""
    enrolment = training_services.enrol(
        person=person, cohort=cohort, by=by, on=dt.date(cohort.year, 9, 1), reason=f"Joined the {cohort} cohort"
    )
    if enrolment.status == reached:
        return
    if reached == EnrolmentStatus.COMPLETED:
        on, reason = GRADUATED_ON[cohort.year], "Completed the programme"
    else:
        on = dt.date(cohort.year + 1, 1 + 2 * (index % 3), 10)  # during the first year, in its second term or after
        reason = f"Withdrew: {WITHDRAWAL_REASONS[index % len(WITHDRAWAL_REASONS)].lower()}"
    training_services.change_enrolment_status(enrolment=enrolment, to_status=reached, on=on, reason=reason, by=by)


def _school_for(
    year: int, index: int, status: str, ap_schools: Sequence[School], mainstream_schools: Sequence[School]
) -> School | None:
    """Current leaders are in AP partner schools; most graduates have moved back to mainstream."""
    if status == EnrolmentStatus.COMPLETED and mainstream_schools and index % 2 == 0:
        return mainstream_schools[(index // 2 + year) % len(mainstream_schools)]
    if not ap_schools:
        return None
    return ap_schools[(index + year) % len(ap_schools)]


# --- Components and requirements ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComponentSpec:
    code: str
    name: str
    kind: str
    unit: str
    amount: int  # what each cohort must complete, in the unit


COMPONENTS: dict[str, list[ComponentSpec]] = {
    # "290 hours of teacher development" over the two years (impact report 2021-22).
    "dlp": [
        ComponentSpec("residentials", "Summer residentials", ComponentKind.RESIDENTIAL, Unit.HOURS, 80),
        ComponentSpec("twilights", "Twilight sessions", ComponentKind.TWILIGHT, Unit.HOURS, 36),
        ComponentSpec("supervision", "Supervision", ComponentKind.SUPERVISION, Unit.HOURS, 24),
        ComponentSpec("coaching", "Coaching in school", ComponentKind.COACHING, Unit.HOURS, 40),
        ComponentSpec("dsl", "Designated Safeguarding Lead training", ComponentKind.DSL, Unit.HOURS, 14),
        ComponentSpec("npqsl", "NPQSL modules", ComponentKind.NPQSL, Unit.HOURS, 60),
        ComponentSpec("research-action", "Research-action training", ComponentKind.RESEARCH_ACTION, Unit.HOURS, 36),
    ],
    "ilc-senior": [
        ComponentSpec("training-days", "Training days", ComponentKind.TRAINING_DAY, Unit.HOURS, 36),
        ComponentSpec("assignments", "Practical assignments", ComponentKind.ASSIGNMENT, Unit.SESSIONS, 3),
    ],
    "ilc-middle": [ComponentSpec("twilights", "Virtual twilights", ComponentKind.TWILIGHT, Unit.SESSIONS, 6)],
}
# From 2022 the DLP asks for four more hours of coaching in school and four fewer of twilights. Requirements are
# kept per cohort, so the earlier cohorts keep theirs.
REQUIREMENT_CHANGES: dict[tuple[str, int], dict[str, int]] = {("dlp", 2022): {"coaching": 44, "twilights": 32}}


def load_components(programmes: dict[str, Programme]) -> dict[tuple[str, str], Component]:
    """Every programme's components, keyed by (programme code, component code)."""
    return {
        (programme_code, spec.code): upsert(
            Component,
            match={"programme": programmes[programme_code], "code": spec.code},
            values={"name": spec.name, "kind": spec.kind, "unit": spec.unit, "position": position},
        )
        for programme_code, specs in COMPONENTS.items()
        for position, spec in enumerate(specs, start=1)
    }


def load_requirements(cohort: Cohort, components: dict[tuple[str, str], Component]) -> None:
    code = cohort.programme.code
    changes = REQUIREMENT_CHANGES.get((code, cohort.year), {})
    for spec in COMPONENTS[code]:
        training_services.set_requirement(
            cohort=cohort, component=components[code, spec.code], amount=Decimal(changes.get(spec.code, spec.amount))
        )


# --- Sessions -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Strand:
    """A run of sessions of one component, spread evenly from one week of the programme to another; a strand within
    one week (a residential) has a session a day."""

    component: str
    title: str  # "{n}" is the session's number in the strand
    count: int
    hours: int
    weeks: tuple[int, int]
    weekday: int  # 0 is Monday
    start: str  # "16:30", London time
    mode: str
    venue: str
    facilitator: str

    @property
    def consecutive(self) -> bool:
        return self.weeks[0] == self.weeks[1]

    def week(self, index: int) -> int:
        first, last = self.weeks
        return first if self.consecutive else first + index * (last - first) // max(self.count - 1, 1)


VENUE, ONLINE = DeliveryMode.VENUE, DeliveryMode.ONLINE
HOLLINS = "Hollins Park Conference Centre, Warwickshire"
OFFICE = "The Difference, London"
# The DLP's two years of sessions. Each strand offers more than a cohort must complete, except the residentials and
# the DSL training, which everyone attends in full (a missed day is made up).
DLP_STRANDS = [
    # component, title, sessions, hours each, (first week, last week), weekday, start, mode, venue, facilitator
    Strand(
        "residentials", "Summer residential 1, day {n}", 5, 8, (0, 0), 0, "09:00", VENUE, HOLLINS, "Dr Helen Okafor"
    ),
    Strand("dsl", "DSL training day {n}", 2, 7, (2, 3), 4, "09:00", VENUE, OFFICE, "Sarah Whitfield"),
    Strand("twilights", "Twilight {n}", 22, 2, (4, 92), 2, "16:30", ONLINE, "", "Marcus Reid"),
    Strand(
        "coaching", "Coaching in school {n}", 16, 4, (5, 93), 3, "13:00", VENUE, "The leader's school", "Tom Everett"
    ),
    Strand("supervision", "Group supervision {n}", 18, 2, (6, 90), 1, "16:00", ONLINE, "", "Priya Raman"),
    Strand(
        "npqsl", "NPQSL module {n}", 12, 6, (8, 90), 4, "09:30", VENUE, "Canal Side Centre, Birmingham", "Dr Nadia Bell"
    ),
    Strand(
        "research-action",
        "Research-action training {n}",
        8,
        6,
        (40, 94),
        0,
        "09:30",
        VENUE,
        OFFICE,
        "Prof. James Adebayo",
    ),
    Strand(
        "residentials", "Summer residential 2, day {n}", 5, 8, (52, 52), 0, "09:00", VENUE, HOLLINS, "Dr Helen Okafor"
    ),
]
# How far into its two years each active cohort is, in weeks: the sessions are dated from today, so that the
# demo always has a past to show and a timetable ahead.
WEEKS_IN = {2021: 70, 2022: 30}
# The 2021 cohort's make-up for DSL training day 2, three weeks later and online.
MAKEUP = {2021: ("DSL training day 2", "DSL training day 2 (make-up)", 3)}


def _session_start(strand: Strand, index: int, *, monday: dt.date, weeks_in: int) -> dt.datetime:
    """When a strand's session starts: sessions never fall in the current week, so which are past does not depend
    on the day of the week the demo is loaded."""
    week = strand.week(index)
    if week == weeks_in:
        week += 1
    day = monday + dt.timedelta(weeks=week - weeks_in, days=strand.weekday + (index if strand.consecutive else 0))
    return dt.datetime.combine(day, dt.time.fromisoformat(strand.start), tzinfo=LONDON)


def load_sessions(cohort: Cohort, components: dict[tuple[str, str], Component], *, today: dt.date) -> list[Session]:
    """The cohort's timetable, dated from ``today``; updates the sessions of the same titles on a re-run."""
    weeks_in = WEEKS_IN[cohort.year]
    monday = today - dt.timedelta(days=today.weekday())
    capacity = DLP_COHORTS[cohort.year][0] + 2
    wanted: dict[str, dict[str, Any]] = {}
    for strand in DLP_STRANDS:
        for index in range(strand.count):
            starts_at = _session_start(strand, index, monday=monday, weeks_in=weeks_in)
            wanted[strand.title.format(n=index + 1)] = {
                "component": components["dlp", strand.component],
                "starts_at": starts_at,
                "ends_at": starts_at + dt.timedelta(hours=strand.hours),
                "hours": Decimal(strand.hours),
                "mode": strand.mode,
                "venue": strand.venue,
                "facilitator": strand.facilitator,
                "capacity": capacity,
                "makeup_for": None,
            }
    sessions = _save_sessions(cohort, wanted)
    if cohort.year in MAKEUP:
        original_title, title, weeks_later = MAKEUP[cohort.year]
        original = sessions[original_title]
        starts_at = original.starts_at + dt.timedelta(weeks=weeks_later)
        makeup = {
            **wanted[original_title],
            "starts_at": starts_at,
            "ends_at": starts_at + (original.ends_at - original.starts_at),
            "mode": DeliveryMode.ONLINE,
            "venue": "",
            "capacity": 6,
            "makeup_for": original,
        }
        sessions |= _save_sessions(cohort, {title: makeup})
    return sorted(sessions.values(), key=lambda session: (session.starts_at, session.title))


def _save_sessions(cohort: Cohort, wanted: dict[str, dict[str, Any]]) -> dict[str, Session]:
    """Each session by title, created or (on a later day, when the timetable has moved) changed through the
    training services, which check it as they would a session entered by staff."""
    existing = {session.title: session for session in Session.objects.filter(cohort=cohort, title__in=wanted)}
    for title, values in wanted.items():
        session = existing.get(title)
        if session is None:
            existing[title] = training_services.create_session(cohort=cohort, title=title, **values)
        elif changes := {name: value for name, value in values.items() if not _same(session, name, value)}:
            existing[title] = training_services.update_session(session=session, **changes)
    return {title: existing[title] for title in wanted}


def _same(session: Session, name: str, value: Any) -> bool:
    if name in ("component", "makeup_for"):  # compared by key, without loading the related session or component
        return bool(getattr(session, f"{name}_id") == (value.pk if value is not None else None))
    return bool(getattr(session, name) == value)


# --- Attendance -----------------------------------------------------------------------------------------------------
# Leaders whose marks at a component follow a pattern (P present, X excused, A absent), by cohort year and index in
# the cohort; the pattern repeats over the past sessions of the component, in order. The first three are at risk.
MARK_PATTERNS: dict[tuple[int, int], dict[str, str]] = {
    # Stopped coming to most twilights after a change of role: 8 of 16 attended, and the 6 still ahead cannot make
    # up the 36 hours, so the twilight requirement can no longer be met.
    (2021, 3): {"twilights": "PAPX"},
    # Missed coaching while covering a vacancy: 7 of 12 sessions, which at that rate falls short of 40 hours.
    (2021, 9): {"coaching": "PXPXPXPXPXPP"},
    # Missed three of the first seven twilights: on course to miss 32 hours, though attending all the rest would do.
    (2022, 6): {"twilights": "PXPXPXP"},
    # Off sick on the second day of DSL training, made up online three weeks later.
    (2021, 12): {"dsl": "PX"},
}
LETTERS = {"P": AttendanceStatus.PRESENT, "X": AttendanceStatus.EXCUSED, "A": AttendanceStatus.ABSENT}
# Strands where a leader may miss a session or part of one and still complete the requirement.
FLEXIBLE = ("twilights", "supervision", "coaching", "npqsl", "research-action")
MISSABLE = ("twilights", "supervision")


def _marks(year: int, leader: int, sessions: list[Session], codes: dict[int, str]) -> dict[int, tuple[str, int]]:
    """A leader's marks at the past sessions of their cohort (not make-ups): session pk → (status, minutes missed).

    Mostly present; a third of the leaders miss one twilight or supervision (some without notice), and one mark in
    a dozen or so is late or left early, on sessions with time to spare. MARK_PATTERNS overrides all that.
    """
    marks: dict[int, tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for position, session in enumerate(sessions):
        code = codes[session.component_id]
        nth = seen[code] = seen.get(code, -1) + 1
        pattern = MARK_PATTERNS.get((year, leader), {}).get(code)
        if pattern is not None:
            marks[session.pk] = (LETTERS[pattern[nth % len(pattern)]], 0)
        elif code not in FLEXIBLE:
            marks[session.pk] = (AttendanceStatus.PRESENT, 0)
        elif (leader * 7 + position * 3) % 31 == 0:
            marks[session.pk] = (AttendanceStatus.LATE, (10, 15, 20)[position % 3])
        elif (leader * 11 + position * 5) % 37 == 0:
            marks[session.pk] = (AttendanceStatus.LEFT_EARLY, (20, 30)[position % 2])
        else:
            marks[session.pk] = (AttendanceStatus.PRESENT, 0)
    for strand_index, code in enumerate(MISSABLE):
        if (leader + strand_index) % 3 or code in MARK_PATTERNS.get((year, leader), {}):
            continue
        past = [session for session in sessions if codes[session.component_id] == code]
        if not past:
            continue
        missed = past[(leader * 5 + strand_index * 3) % len(past)]
        absent = (leader + strand_index) % 9 == 0
        marks[missed.pk] = (AttendanceStatus.ABSENT if absent else AttendanceStatus.EXCUSED, 0)
    return marks


def load_attendance(cohort: Cohort, sessions: list[Session], *, now: dt.datetime, by: User | None) -> int:
    """Marks for every active leader at every past session, and at the make-up for those who missed the original,
    each session's register saved through the training services half an hour after it ended (the originals first,
    so the make-up's register is checked against them). Returns how many marks the cohort has.

    Which sessions are past never changes from one load to the next (see ``_session_start``), so no mark has to be
    taken back; a register already saved as wanted is left alone."""
    enrolments = list(Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACTIVE).order_by("person__email"))
    codes = dict(Component.objects.filter(programme=cohort.programme).values_list("pk", "code"))
    past = [session for session in sessions if session.ends_at <= now]
    originals = [session for session in past if session.makeup_for_id is None]
    wanted: dict[int, dict[int, tuple[str, int]]] = {session.pk: {} for session in past}
    for leader, enrolment in enumerate(enrolments):
        marks = _marks(cohort.year, leader, originals, codes)
        for session in past:
            if session.makeup_for_id is None:
                wanted[session.pk][enrolment.pk] = marks[session.pk]
            elif marks.get(session.makeup_for_id, (AttendanceStatus.PRESENT, 0)) != (AttendanceStatus.PRESENT, 0):
                wanted[session.pk][enrolment.pk] = (AttendanceStatus.PRESENT, 0)
    existing: dict[int, dict[int, tuple[str, int, dt.datetime]]] = {}
    for session_id, enrolment_id, status, minutes, recorded_at in Attendance.objects.filter(
        session__cohort=cohort, enrolment__in=enrolments
    ).values_list("session_id", "enrolment_id", "status", "minutes_missed", "recorded_at"):
        existing.setdefault(session_id, {})[enrolment_id] = (status, minutes, recorded_at)
    for session in sorted(past, key=lambda s: (s.makeup_for_id is not None, s.starts_at)):
        taken = session.ends_at + dt.timedelta(minutes=30)
        marks = wanted[session.pk]
        if existing.get(session.pk, {}) != {pk: (*mark, taken) for pk, mark in marks.items()}:
            training_services.save_register(session=session, marks=marks, by=by, now=taken)
    return sum(len(marks) for marks in wanted.values())


# --- Certificates ---------------------------------------------------------------------------------------------------
CERTIFICATIONS = {
    "dsl": ("Designated Safeguarding Lead", 24),
    "npqsl": ("National Professional Qualification for Senior Leadership", None),
}
# The graduated cohorts' NPQSLs, awarded as they finished the programme.
NPQSL_AWARDED = GRADUATED_ON
# Graduates whose DSL certificate is due for renewal: (cohort year, index) → days until it expires.
DSL_DUE = {(2020, 0): 20, (2020, 3): 45}


def load_certificates(demo: DemoCohorts, sessions: dict[int, list[Session]], *, today: dt.date, by: User) -> int:
    """NPQSLs awarded to the graduates and under way for the current leaders; DSL certificates for the current
    leaders, two weeks after their last day of DSL training, and for two graduates, due for renewal."""
    types = {
        code: upsert(CertificationType, match={"code": code}, values={"name": name, "valid_for_months": months})
        for code, (name, months) in CERTIFICATIONS.items()
    }
    dsl_done = dict(
        Attendance.objects.filter(
            session__cohort__year__in=sessions,
            session__cohort__programme__code="dlp",
            session__component__code="dsl",
            status__in=ATTENDED_STATUSES,
        )
        .order_by()
        .values("enrolment__person_id")
        .annotate(last=Max("session__ends_at"))
        .values_list("enrolment__person_id", "last")
    )
    count = 0
    for year, leaders in demo.leaders_by_year.items():
        npqsl_started = min((s.starts_at for s in sessions.get(year, []) if s.title == "NPQSL module 1"), default=None)
        for index, person in enumerate(leaders):
            if year in NPQSL_AWARDED:
                count += _certificate(person, types["npqsl"], by=by, awarded_on=NPQSL_AWARDED[year])
            elif npqsl_started is not None:
                count += _certificate(person, types["npqsl"], by=by, started_on=timezone.localdate(npqsl_started))
            if (year, index) in DSL_DUE:
                expires_on = today + dt.timedelta(days=DSL_DUE[year, index])
                count += _certificate(person, types["dsl"], by=by, awarded_on=add_months(expires_on, -24))
            elif person.pk in dsl_done:
                awarded_on = timezone.localdate(dsl_done[person.pk]) + dt.timedelta(days=14)
                count += _certificate(person, types["dsl"], by=by, awarded_on=min(awarded_on, today))
    return count


def _certificate(
    person: Person,
    certification: CertificationType,
    *,
    by: User,
    awarded_on: dt.date | None = None,
    started_on: dt.date | None = None,
) -> int:
    """A certificate recorded through the training services, as staff record one.

    A certificate the demo recorded on an earlier day is re-dated in place when its dates have moved with the
    timetable (which is dated from the day the demo is loaded): no service changes a recorded certificate (staff
    correct one in the admin), and the demo's own certificates must stay in step with its own sessions."""
    status = CertificateStatus.AWARDED if awarded_on else CertificateStatus.IN_PROGRESS
    recorded = Certificate.objects.filter(person=person, certification=certification).first()
    if recorded is None:
        certificate_services.save_certificate(
            person=person,
            certification=certification,
            status=status,
            started_on=started_on,
            awarded_on=awarded_on,
            by=by,
        )
    else:
        dates = {
            "started_on": started_on,
            "awarded_on": awarded_on,
            "expires_on": expiry_for(certification, awarded_on),
        }
        upsert(Certificate, match={"pk": recorded.pk}, values={"status": status, **dates})
    return 1


# --- The whole training demo ----------------------------------------------------------------------------------------
@dataclass
class DemoTraining:
    required_hours: dict[int, Decimal]  # DLP cohort year → the hours its requirements add up to
    sessions: int
    marks: int
    at_risk: list[Warning]  # the ledger's early warning for the current cohorts
    certificates: int

    def summary(self) -> str:
        # PostgreSQL sums decimals with their scale (290.00), SQLite without; print both as 290.
        totals = sorted({h.normalize() for h in self.required_hours.values()})
        if len(totals) == 1:
            hours = f"DLP components sum to {totals[0]:f} hours"
        else:
            hours = "DLP components sum to " + ", ".join(
                f"{h.normalize():f} hours in {y}" for y, h in self.required_hours.items()
            )
        return (
            f"Training: {hours}; {self.sessions} sessions, {self.marks} attendance marks; "
            f"{len(self.at_risk)} leaders at risk; {self.certificates} certificates."
        )


def load_training(demo: DemoCohorts, *, by: User) -> DemoTraining:
    """Components and per-cohort requirements for every programme; sessions, attendance and the ledger's raw
    material for the two current DLP cohorts; certificates. ``by`` is the member of staff who takes the registers
    and records the certificates. Run once the 2022 cohort's leaders are enrolled from their placements."""
    components = load_components(load_programmes())
    for cohort in demo.cohorts.values():
        load_requirements(cohort, components)
    today, now = timezone.localdate(), timezone.now()
    sessions: dict[int, list[Session]] = {}
    marks = 0
    for year in WEEKS_IN:
        sessions[year] = load_sessions(demo.cohorts[year], components, today=today)
        marks += load_attendance(demo.cohorts[year], sessions[year], now=now, by=by)
    required = (
        Requirement.objects.filter(cohort__in=demo.cohorts.values())
        .order_by()
        .values("cohort__year")
        .annotate(total=Sum("amount"))
        .values_list("cohort__year", "total")
    )
    return DemoTraining(
        required_hours=dict(sorted(required)),
        sessions=sum(len(cohort_sessions) for cohort_sessions in sessions.values()),
        marks=marks,
        at_risk=[warning for year in WEEKS_IN for warning in early_warning(demo.cohorts[year], now=now)],
        certificates=load_certificates(demo, sessions, today=today, by=by),
    )


# --- The Inclusive Leadership Course, 2021-22 -----------------------------------------------------------------------
# "66 mainstream leaders, working across schools spanning 25 MATs, 32 local authorities and over 60,000 students".
ILC_YEAR = 2021
ILC_PARTICIPANTS = 66
ILC_TRUSTS = 25
ILC_LOCAL_AUTHORITIES = 32
ILC_SCHOOLS = 60  # a few schools sent two leaders
# The course ran through the school year 2021-22.
ILC_STARTED_ON, ILC_COMPLETED_ON = dt.date(2021, 9, 1), dt.date(2022, 7, 8)
ILC_ROLES = [
    "Deputy headteacher",
    "Assistant headteacher",
    "SENCo",
    "Head of inclusion",
    "Vice principal",
    "Assistant principal",
    "Designated safeguarding lead",
]


@dataclass
class DemoIlc:
    cohort: Cohort
    reach: Reach

    def summary(self) -> str:
        r = self.reach
        line = (
            f"ILC {self.cohort.year}: {r.participants} participants from {r.schools} schools in {r.trusts} MATs and "
            f"{r.local_authorities} local authorities, {r.pupils:,} pupils on roll "
            f"({r.pupils_source or 'no source'}; {r.schools_without_pupils} schools without a figure)."
        )
        if (r.trusts, r.local_authorities) != (ILC_TRUSTS, ILC_LOCAL_AUTHORITIES):
            line += (
                f" The schools registry has too few academies in trusts for the report's {ILC_TRUSTS} MATs and "
                f"{ILC_LOCAL_AUTHORITIES} local authorities."
            )
        return line


def load_ilc_cohort(*, by: User | None) -> DemoIlc:
    """The senior leaders' ILC of 2021-22: 66 invented participants, enrolled and completed through the training
    services (``by`` the member of staff), in registry schools that span 25 academy trusts and 32 local
    authorities when the registry has them."""
    programmes = load_programmes()
    components = load_components(programmes)
    cohort = upsert(
        Cohort,
        match={"programme": programmes["ilc-senior"], "year": ILC_YEAR},
        values={"target_size": ILC_PARTICIPANTS},
    )
    load_requirements(cohort, components)
    schools = _ilc_schools()
    for n in range(ILC_PARTICIPANTS):
        person = upsert(
            Person,
            match={"email": f"ilc{ILC_YEAR}.{n + 1:02d}@demo.example.org"},
            values={
                "first_name": FIRST_NAMES[(n * 5 + 3) % len(FIRST_NAMES)],
                "last_name": LAST_NAMES[(n * 11 + 4) % len(LAST_NAMES)],
                "job_title": ILC_ROLES[n % len(ILC_ROLES)],
                "school": schools[n % len(schools)] if schools else None,
            },
        )
        enrolment = training_services.enrol(person=person, cohort=cohort, by=by, on=ILC_STARTED_ON)
        if enrolment.status != EnrolmentStatus.COMPLETED:
            training_services.change_enrolment_status(
                enrolment=enrolment,
                to_status=EnrolmentStatus.COMPLETED,
                on=ILC_COMPLETED_ON,
                reason="Completed the course",
                by=by,
            )
    return DemoIlc(cohort, reach([cohort]))


def _ilc_schools() -> list[School]:
    """Open mainstream schools in academy trusts, taken in a fixed order until they span ILC_TRUSTS trusts and
    ILC_LOCAL_AUTHORITIES local authorities: one school of each of the first trusts (in a local authority not yet
    reached where it can), then schools of those trusts in further local authorities, then more of their schools in
    the local authorities reached, the largest first, up to ILC_SCHOOLS."""
    candidates = (
        School.objects.filter(category=SchoolCategory.MAINSTREAM, trust__isnull=False, local_authority__isnull=False)
        .exclude(links__link_type__in=CLOSING_LINK_TYPES)
        .order_by("trust__name", "trust__uid", F("pupils").desc(nulls_last=True), "urn")
    )
    by_trust: dict[int, list[School]] = {}
    for school in candidates:
        by_trust.setdefault(cast(int, school.trust_id), []).append(school)
    pool = [school for trust in list(by_trust)[:ILC_TRUSTS] for school in by_trust[trust]]
    chosen: dict[int, School] = {}
    reached: set[int | None] = set()
    for trust in list(by_trust)[:ILC_TRUSTS]:
        school = next((s for s in by_trust[trust] if s.local_authority_id not in reached), by_trust[trust][0])
        chosen[school.pk] = school
        reached.add(school.local_authority_id)
    for school in pool:
        if len(reached) < ILC_LOCAL_AUTHORITIES and school.local_authority_id not in reached:
            chosen[school.pk] = school
            reached.add(school.local_authority_id)
    for school in sorted(pool, key=lambda s: (-(s.pupils or 0), s.urn)):
        if len(chosen) < ILC_SCHOOLS and school.local_authority_id in reached:
            chosen.setdefault(school.pk, school)
    return list(chosen.values())
