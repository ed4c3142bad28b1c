"""The hours ledger: what each leader has been credited per component against their cohort's requirement, what is
still scheduled for them, and who is at risk of missing a requirement. Pure computation over a few queries per
cohort; nothing here writes.

Credit per attendance: for a component counted in hours, present earns the session's hours, late or left early the
hours less the minutes missed (never below 0), excused or absent nothing. For a component counted in sessions,
present, late and left early each earn one session. A make-up session credits the component of the session it
makes up, and the original and its make-ups together never earn more than the original session is worth.

Requirements are read from the cohort's own ``Requirement`` rows, so changing a later cohort's requirement never
changes an earlier cohort's ledger.

The arithmetic is exact: hours are counted internally in minutes (a session's hours have two decimal places, so
their minutes are exact), and the risk tests compare cross-multiplied values rather than rounded rates. Amounts are
returned as ``Decimal`` hours or sessions, unrounded; ``format_amount`` rounds them for display.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils import timezone

from difference.training.models import (
    PARTIAL_STATUSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    Component,
    Enrolment,
    EnrolmentStatus,
    Requirement,
    Session,
    Unit,
)

ZERO = Decimal(0)
MINUTES_PER_HOUR = 60


class Risk(StrEnum):
    CANNOT_MEET = "cannot_meet"
    ON_COURSE_TO_MISS = "on_course_to_miss"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            Risk.CANNOT_MEET: "Cannot meet a requirement",
            Risk.ON_COURSE_TO_MISS: "On course to miss a requirement",
            Risk.NONE: "On track",
        }[self]


# Worst first: the order of the ledger and of the early warning.
RISK_ORDER = {Risk.CANNOT_MEET: 0, Risk.ON_COURSE_TO_MISS: 1, Risk.NONE: 2}

# Why an enrolment that is not active is not assessed for risk. A withdrawn or deferred leader is not expected at
# the sessions ahead, so counting those sessions would be false, and flagging them as unable to meet requirements
# would bury the active leaders staff can still help. A completed leader has finished: there is nothing to warn of.
NOT_ASSESSED = {
    EnrolmentStatus.WITHDRAWN: "Withdrawn: not expected at any more sessions, so nothing is scheduled ahead for them "
    "and they are not assessed for risk.",
    EnrolmentStatus.DEFERRED: "Deferred: not expected at sessions while deferred, so nothing is scheduled ahead for "
    "them and they are not assessed for risk until they return.",
    EnrolmentStatus.COMPLETED: "Completed: the programme is finished, so there is no risk to assess.",
}


@dataclass(frozen=True)
class ComponentLedger:
    """One component of one enrolment's ledger, in the component's unit (hours or sessions).

    ``attended`` is what has been credited; ``scheduled_ahead`` the worth of the cohort's sessions of the component
    starting after ``now`` (not make-ups) that the person has no mark for; ``rate`` the share of what they could
    have been credited for past sessions they were marked at that they were credited (1 when none); ``projected``
    is ``attended + rate × scheduled_ahead``. ``explanation`` says in plain words why the line is at risk ("" if it
    is not)."""

    component: Component
    required: Decimal
    attended: Decimal
    scheduled_ahead: Decimal
    shortfall: Decimal
    rate: Decimal
    projected: Decimal
    risk: Risk
    explanation: str
    # How far short the line is expected to fall, as a share of the requirement (0 if not at risk): what the
    # ledger sorts by, because hours and sessions cannot be added up.
    gap: Decimal

    @property
    def unit(self) -> str:
        return self.component.unit

    @property
    def at_most(self) -> Decimal:
        return self.attended + self.scheduled_ahead


@dataclass(frozen=True)
class EnrolmentLedger:
    """One enrolment's ledger: a line per component the cohort has a requirement for, in the component order.

    ``assessed`` is false for enrolments that are not active, and ``note`` then says why."""

    enrolment: Enrolment
    components: tuple[ComponentLedger, ...]
    risk: Risk
    assessed: bool
    note: str
    # Whole weeks from now to the cohort's last scheduled session (None when nothing is ahead).
    weeks_left: int | None = None

    @property
    def person(self) -> object:
        return self.enrolment.person

    @property
    def at_risk(self) -> tuple[ComponentLedger, ...]:
        return tuple(line for line in self.components if line.risk != Risk.NONE)

    @property
    def gap(self) -> Decimal:
        return max((line.gap for line in self.components), default=ZERO)

    # The hours components together: the "x of 290 h" a leader and staff read first. Components counted in
    # sessions cannot be added to hours, so they are left out of the total and shown on their own lines.
    @property
    def hours_required(self) -> Decimal:
        return sum((line.required for line in self.components if line.unit == Unit.HOURS), ZERO)

    @property
    def hours_attended(self) -> Decimal:
        # Credit beyond a component's requirement does not make up for another component's shortfall.
        return sum((min(line.attended, line.required) for line in self.components if line.unit == Unit.HOURS), ZERO)

    @property
    def hours_to_do(self) -> Decimal:
        return self.hours_required - self.hours_attended

    @property
    def hours_ahead(self) -> Decimal:
        return sum((line.scheduled_ahead for line in self.components if line.unit == Unit.HOURS), ZERO)

    @property
    def summary(self) -> str:
        """The risk and the hours still to do in one sentence that cannot read as a contradiction: a shortfall
        is "still to do" while enough is scheduled ahead to make it up."""
        if not self.assessed:
            return self.note
        to_do = format_amount(self.hours_to_do, Unit.HOURS)
        ahead = format_amount(self.hours_ahead, Unit.HOURS)
        if self.risk == Risk.NONE:
            if not self.hours_to_do:
                return "On track: every hours requirement met."
            return f"On track: {to_do} still to do, with {ahead} scheduled ahead{self._time_left}."
        # Which requirement is at risk, and why, is each line's own explanation.
        return f"{self.risk.label}: {to_do} still to do, with {ahead} scheduled ahead{self._time_left}."

    @property
    def _time_left(self) -> str:
        if self.weeks_left is None:
            return ""
        if self.weeks_left < 1:
            return ", the last session this week"
        return f", {self.weeks_left} week{'s' if self.weeks_left != 1 else ''} left"


@dataclass(frozen=True)
class Warning:  # The name the pages use; it shadows the builtin only inside this module.
    """An enrolment at risk, with the components at risk (each with its own risk and explanation).

    ``risk`` is the worst of them: an enrolment that cannot meet one requirement and is on course to miss another
    is listed once, among those that cannot meet a requirement."""

    enrolment: Enrolment
    risk: Risk
    components: tuple[ComponentLedger, ...]

    @property
    def person(self) -> object:
        return self.enrolment.person

    @property
    def explanations(self) -> list[str]:
        return [line.explanation for line in self.components]


# --- Display -----------------------------------------------------------------------------------------------------
def format_amount(value: Decimal, unit: str) -> str:
    """An amount for people to read: "24.8 h", "1 session", "3 sessions", at most two decimal places."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if rounded == 0 and value > 0:
        return "under 0.01 h" if unit == Unit.HOURS else "under 0.01 sessions"
    number = f"{rounded:f}".rstrip("0").rstrip(".")
    if unit == Unit.HOURS:
        return f"{number} h"
    return f"{number} session{'' if rounded == 1 else 's'}"


def _percent(rate: Decimal) -> int:
    percent = int((rate * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    # "At the 100% they have attended so far" would contradict the shortfall it explains.
    return min(percent, 99) if rate < 1 else percent


# --- Computation -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Mark:
    enrolment_id: int
    session_id: int
    status: str
    minutes_missed: int


class _Cohort:
    """A cohort's requirements and sessions, arranged for crediting marks."""

    def __init__(self, requirements: Sequence[Requirement], sessions: Iterable[Session]) -> None:
        self.requirements = list(requirements)
        self.units = {r.component_id: r.component.unit for r in self.requirements}
        self.sessions = {session.pk: session for session in sessions}
        # A make-up whose original is gone (or, against the rules, in another cohort) stands as a session of its own.
        self.root_of = {
            pk: session.makeup_for_id if session.makeup_for_id in self.sessions else pk
            for pk, session in self.sessions.items()
        }
        self.roots_by_component: dict[int, list[Session]] = defaultdict(list)
        for pk, session in self.sessions.items():
            if self.root_of[pk] == pk:
                self.roots_by_component[session.component_id].append(session)

    def worth(self, root: Session, unit: str) -> Decimal:
        """What a session can credit, in minutes (hours components) or sessions."""
        return root.hours * MINUTES_PER_HOUR if unit == Unit.HOURS else Decimal(1)

    def credit(self, session: Session, mark: _Mark, unit: str) -> Decimal:
        """One mark's credit before the make-up cap, in minutes or sessions."""
        if unit == Unit.SESSIONS:
            return Decimal(1) if mark.status in (AttendanceStatus.PRESENT, *PARTIAL_STATUSES) else ZERO
        if mark.status == AttendanceStatus.PRESENT:
            return session.hours * MINUTES_PER_HOUR
        if mark.status in PARTIAL_STATUSES:
            return max(ZERO, session.hours * MINUTES_PER_HOUR - mark.minutes_missed)
        return ZERO


def _ledger(enrolment: Enrolment, marks: Sequence[_Mark], cohort: _Cohort, now: dt.datetime) -> EnrolmentLedger:
    units = cohort.units
    # Credit summed per original session (its own mark plus its make-ups'), then capped at the original's worth.
    raw: dict[int, Decimal] = defaultdict(lambda: ZERO)
    marked_sessions: set[int] = set()
    for mark in marks:
        session = cohort.sessions.get(mark.session_id)
        if session is None:
            continue
        root = cohort.sessions[cohort.root_of[session.pk]]
        marked_sessions.add(session.pk)
        raw[root.pk] += cohort.credit(session, mark, units.get(root.component_id, Unit.HOURS))
    active = enrolment.status == EnrolmentStatus.ACTIVE
    lines = []
    for requirement in cohort.requirements:
        component = requirement.component
        unit = component.unit
        scale = MINUTES_PER_HOUR if unit == Unit.HOURS else 1
        attended = credited_past = possible_past = ahead = ZERO
        for root in cohort.roots_by_component.get(component.pk, []):
            worth = cohort.worth(root, unit)
            credited = min(worth, raw[root.pk]) if root.pk in raw else ZERO
            attended += credited
            if root.starts_at > now:
                if active and root.pk not in marked_sessions:
                    ahead += worth
            elif root.pk in raw:
                # Only sessions the person was marked at (or made up) count towards the rate: a register not yet
                # taken, or a session before they joined, says nothing about how they attend.
                credited_past += credited
                possible_past += worth
        lines.append(
            _line(
                component,
                required=requirement.amount * scale,
                attended=attended,
                ahead=ahead,
                credited_past=credited_past,
                possible_past=possible_past,
                scale=scale,
                assessed=active,
            )
        )
    risk = min((line.risk for line in lines), key=RISK_ORDER.__getitem__, default=Risk.NONE)
    last = max((session.starts_at for session in cohort.sessions.values() if session.starts_at > now), default=None)
    return EnrolmentLedger(
        enrolment=enrolment,
        components=tuple(lines),
        risk=risk,
        assessed=active,
        note=NOT_ASSESSED.get(EnrolmentStatus(enrolment.status), ""),
        weeks_left=(last - now).days // 7 if last is not None and active else None,
    )


def _line(
    component: Component,
    *,
    required: Decimal,
    attended: Decimal,
    ahead: Decimal,
    credited_past: Decimal,
    possible_past: Decimal,
    scale: int,
    assessed: bool,
) -> ComponentLedger:
    """One line, from values in minutes (``scale`` 60) or sessions (``scale`` 1)."""
    rate = credited_past / possible_past if possible_past else Decimal(1)
    projected = attended + rate * ahead
    risk = Risk.NONE
    if assessed and attended < required:
        if attended + ahead < required:
            risk = Risk.CANNOT_MEET
        # attended + rate × ahead < required, multiplied through by possible_past to stay exact.
        elif possible_past and attended * possible_past + credited_past * ahead < required * possible_past:
            risk = Risk.ON_COURSE_TO_MISS
    line = ComponentLedger(
        component=component,
        required=required / scale,
        attended=attended / scale,
        scheduled_ahead=ahead / scale,
        shortfall=max(ZERO, required - attended) / scale,
        rate=rate,
        projected=projected / scale,
        risk=risk,
        explanation="",
        gap=ZERO,
    )
    if risk == Risk.NONE:
        return line
    expected = line.at_most if risk == Risk.CANNOT_MEET else line.projected
    return replace(line, explanation=explain(line), gap=(line.required - expected) / line.required)


def explain(line: ComponentLedger) -> str:
    """Why a line is at risk, in plain words with its numbers."""
    unit = line.unit

    def amount(value: Decimal) -> str:
        return format_amount(value, unit)

    head = f"{line.component.name}: needs {amount(line.required)}, has {amount(line.attended)}"
    if line.risk == Risk.CANNOT_MEET:
        if not line.scheduled_ahead:
            short = amount(line.required - line.attended)
            return f"{head} and nothing more is scheduled: {short} short unless more sessions are scheduled."
        short = amount(line.required - line.at_most)
        return (
            f"{head} and {amount(line.scheduled_ahead)} {_is_are(line.scheduled_ahead)} still scheduled, "
            f"so at most {amount(line.at_most)}: {short} short even attending everything."
        )
    if line.risk == Risk.ON_COURSE_TO_MISS:
        short = amount(line.required - line.projected)
        return (
            f"{head} and {amount(line.scheduled_ahead)} {_is_are(line.scheduled_ahead)} still scheduled; "
            f"at the {_percent(line.rate)}% they have attended so far, about {amount(line.projected)}: {short} short."
        )
    return ""


def _is_are(value: Decimal) -> str:
    return "is" if value == 1 else "are"


def _sort_key(ledger: EnrolmentLedger) -> tuple[int, Decimal, str, str, int]:
    person = ledger.enrolment.person
    # Among those at risk, the furthest behind first; everyone else by name.
    return (
        RISK_ORDER[ledger.risk],
        -ledger.gap,
        person.last_name.lower(),
        person.first_name.lower(),
        ledger.enrolment.pk,
    )


def _requirements(cohort_id: int) -> list[Requirement]:
    return list(
        Requirement.objects.filter(cohort_id=cohort_id)
        .select_related("component")
        .order_by("component__position", "component__name", "pk")
    )


def _sessions(cohort_id: int) -> list[Session]:
    return list(
        Session.objects.filter(cohort_id=cohort_id).only("pk", "component_id", "starts_at", "hours", "makeup_for_id")
    )


def _marks(**filters: object) -> list[_Mark]:
    rows = Attendance.objects.filter(**filters).values_list("enrolment_id", "session_id", "status", "minutes_missed")
    return [_Mark(*row) for row in rows]


def ledger_for_enrolment(enrolment: Enrolment, *, now: dt.datetime | None = None) -> EnrolmentLedger:
    """One enrolment's ledger (three queries)."""
    now = now or timezone.now()
    cohort = _Cohort(_requirements(enrolment.cohort_id), _sessions(enrolment.cohort_id))
    marks = _marks(enrolment_id=enrolment.pk, session__cohort_id=enrolment.cohort_id)
    return _ledger(enrolment, marks, cohort, now)


def cohort_ledger(cohort: Cohort, *, now: dt.datetime | None = None) -> list[EnrolmentLedger]:
    """Every enrolment's ledger, worst risk first: those who cannot meet a requirement, then those on course to miss
    one (each group furthest behind first), then everyone else by name. Four queries, however large the cohort."""
    now = now or timezone.now()
    facts = _Cohort(_requirements(cohort.pk), _sessions(cohort.pk))
    enrolments = list(Enrolment.objects.filter(cohort_id=cohort.pk).select_related("person"))
    by_enrolment: dict[int, list[_Mark]] = defaultdict(list)
    for mark in _marks(session__cohort_id=cohort.pk):
        by_enrolment[mark.enrolment_id].append(mark)
    ledgers = [_ledger(enrolment, by_enrolment[enrolment.pk], facts, now) for enrolment in enrolments]
    return sorted(ledgers, key=_sort_key)


def early_warning(cohort: Cohort, *, now: dt.datetime | None = None) -> list[Warning]:
    """The enrolments that cannot meet a requirement, then those on course to miss one, each with the components
    at risk and their explanations. Only active enrolments are assessed."""
    return [
        Warning(enrolment=ledger.enrolment, risk=ledger.risk, components=ledger.at_risk)
        for ledger in cohort_ledger(cohort, now=now)
        if ledger.risk != Risk.NONE
    ]
