"""Everything that changes enrolments, requirements, sessions and registers. Pages, the API, the register import
and the demo all come through here, so the rules below hold whichever way a change arrives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from difference.placements.models import Placement, PlacementStatus
from difference.training.models import (
    ATTENDED_STATUSES,
    PARTIAL_STATUSES,
    Attendance,
    AttendanceStatus,
    Cohort,
    Component,
    DeliveryMode,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Requirement,
    Session,
)

if TYPE_CHECKING:
    from difference.accounts.models import User
    from difference.people.models import Person

# The programme whose leaders are enrolled from their placements.
DLP_CODE = "dlp"

# Where each status may go. Withdrawn → active re-instates a leader; completed → active corrects a completion
# recorded by mistake. Everything else (e.g. withdrawn → completed) would rewrite history and is refused.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    EnrolmentStatus.ACTIVE: frozenset({EnrolmentStatus.DEFERRED, EnrolmentStatus.WITHDRAWN, EnrolmentStatus.COMPLETED}),
    EnrolmentStatus.DEFERRED: frozenset({EnrolmentStatus.ACTIVE, EnrolmentStatus.WITHDRAWN}),
    EnrolmentStatus.WITHDRAWN: frozenset({EnrolmentStatus.ACTIVE}),
    EnrolmentStatus.COMPLETED: frozenset({EnrolmentStatus.ACTIVE}),
}


def _label(status: str) -> str:
    return EnrolmentStatus(status).label.lower() if status in EnrolmentStatus.values else status


# --- Enrolments ------------------------------------------------------------------------------------------------------
@transaction.atomic
def change_enrolment_status(
    *, enrolment: Enrolment, to_status: str, on: dt.date, reason: str, by: User | None
) -> Enrolment:
    """Move an enrolment to another status, recording the date and reason in its history."""
    # Locked, so two staff changing the same leader at once cannot both pass the checks on a stale status.
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Give a reason for the change; it is kept in the enrolment's history."
    if to_status not in EnrolmentStatus.values:
        errors["to_status"] = f"“{to_status}” is not an enrolment status."
    elif to_status == locked.status:
        errors["to_status"] = f"The enrolment is already {_label(to_status)}."
    elif to_status not in ALLOWED_TRANSITIONS[locked.status]:
        allowed = " or ".join(sorted(_label(s) for s in ALLOWED_TRANSITIONS[locked.status]))
        errors["to_status"] = (
            f"A {_label(locked.status)} enrolment cannot become {_label(to_status)}; it can become {allowed}."
        )
    last = locked.changes.order_by("-on", "-recorded_at", "-pk").first()
    # The history is read in date order, and its last record must name the current status; a change dated before
    # the latest one would break that.
    if last is not None and on < last.on:
        errors["on"] = f"The enrolment's last change was on {last.on:%-d %B %Y}; date this one on or after it."
    if errors:
        raise ValidationError(errors)
    change = EnrolmentChange(
        enrolment=locked, from_status=locked.status, to_status=to_status, on=on, reason=reason, changed_by=by
    )
    change.full_clean()
    change.save()
    locked.status = to_status
    locked.save(update_fields=["status"])
    enrolment.status = to_status
    return enrolment


@transaction.atomic
def enrol(
    *,
    person: Person,
    cohort: Cohort,
    by: User | None,
    on: dt.date,
    reason: str = "Enrolled",
    placement: Placement | None = None,
) -> Enrolment:
    """The person's enrolment in the cohort, created (as active, with its first history record) if missing.

    An existing enrolment is returned as it is, except that a ``placement`` is linked if it has none.
    """
    if placement is not None:
        _check_placement(placement, person)
    enrolment = Enrolment.objects.filter(person=person, cohort=cohort).first()
    if enrolment is not None:
        if placement is not None and enrolment.placement_id is None:
            enrolment.placement = placement
            enrolment.save(update_fields=["placement"])
        return enrolment
    enrolment = Enrolment(person=person, cohort=cohort, status=EnrolmentStatus.ACTIVE, placement=placement)
    enrolment.full_clean()
    enrolment.save()
    EnrolmentChange.objects.create(
        enrolment=enrolment, from_status="", to_status=EnrolmentStatus.ACTIVE, on=on, reason=reason, changed_by=by
    )
    return enrolment


def _check_placement(placement: Placement, person: Person) -> None:
    if placement.candidate.person_id != person.pk:
        raise ValidationError({"placement": "That placement is someone else's."})
    linked = Enrolment.objects.filter(placement=placement).exclude(person=person).exists()
    if linked:
        raise ValidationError({"placement": "That placement is already linked to another enrolment."})


@transaction.atomic
def enrol_placed_leaders(*, cohort: Cohort, by: User | None, on: dt.date | None = None) -> int:
    """Enrol every leader in post (an active placement) from the placement round of the cohort's year.

    Returns how many were newly enrolled. Leaders already enrolled keep their enrolment (and its status: a
    leader who withdrew is not silently re-instated); one without a placement gets this one linked. Safe to
    run again.
    """
    if cohort.programme.code != DLP_CODE:
        raise ValidationError(
            f"{cohort} is not a Difference Leadership Programme cohort; only DLP leaders are enrolled from placements."
        )
    on = on or timezone.localdate()
    placements = (
        Placement.objects.filter(status=PlacementStatus.ACTIVE, candidate__placement_round__year=cohort.year)
        .select_related("candidate__person")
        .order_by("pk")
    )
    existing = {e.person_id: e for e in Enrolment.objects.filter(cohort=cohort)}
    # A placement already linked to an enrolment elsewhere (e.g. a leader who deferred) stays where it is.
    linked_elsewhere = set(
        Enrolment.objects.filter(placement__in=placements).exclude(cohort=cohort).values_list("placement_id", flat=True)
    )
    enrolled = 0
    for placement in placements:
        person = placement.candidate.person
        enrolment = existing.get(person.pk)
        if enrolment is not None:
            if enrolment.placement_id is None and placement.pk not in linked_elsewhere:
                enrolment.placement = placement
                enrolment.save(update_fields=["placement"])
            continue
        enrol(
            person=person,
            cohort=cohort,
            by=by,
            on=on,
            reason=f"Enrolled from the {cohort.year} placement",
            placement=None if placement.pk in linked_elsewhere else placement,
        )
        enrolled += 1
    return enrolled


# --- Requirements ----------------------------------------------------------------------------------------------------
@transaction.atomic
def set_requirement(*, cohort: Cohort, component: Component, amount: Decimal) -> Requirement:
    """Set how much of a component this cohort must complete. Other cohorts' requirements never change."""
    if component.programme_id != cohort.programme_id:
        raise ValidationError({"component": f"{component} is not a component of {cohort.programme}."})
    amount = Decimal(amount)
    if amount < 0:
        raise ValidationError({"amount": "A requirement is 0 or more."})
    requirement, _ = Requirement.objects.update_or_create(
        cohort=cohort, component=component, defaults={"amount": amount}
    )
    requirement.full_clean()
    return requirement


@transaction.atomic
def copy_requirements(*, source: Cohort, target: Cohort) -> int:
    """Copy a cohort's requirements to another cohort of the same programme, for the components the target has no
    requirement for yet. What the target already has is never overwritten. Returns how many were copied."""
    if source.pk == target.pk:
        raise ValidationError("Choose a different cohort to copy the requirements to.")
    if source.programme_id != target.programme_id:
        raise ValidationError(f"{source} and {target} are cohorts of different programmes.")
    present = set(Requirement.objects.filter(cohort=target).values_list("component_id", flat=True))
    copies = [
        Requirement(cohort=target, component_id=r.component_id, amount=r.amount)
        for r in Requirement.objects.filter(cohort=source)
        if r.component_id not in present
    ]
    Requirement.objects.bulk_create(copies)
    return len(copies)


# --- Sessions --------------------------------------------------------------------------------------------------------
SESSION_FIELDS = (
    "component",
    "title",
    "starts_at",
    "ends_at",
    "mode",
    "venue",
    "facilitator",
    "hours",
    "capacity",
    "makeup_for",
)


def _session_errors(session: Session) -> dict[str, str]:
    errors: dict[str, str] = {}
    if session.component.programme_id != session.cohort.programme_id:
        errors["component"] = f"{session.component} is not a component of {session.cohort.programme}."
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = "A session ends after it starts."
    if session.hours is not None and session.hours < 0:
        errors["hours"] = "Hours credited are 0 or more."
    original = session.makeup_for
    if original is not None:
        if original.pk == session.pk:
            errors["makeup_for"] = "A session cannot make up for itself."
        elif original.makeup_for_id is not None:
            # One level only: the ledger caps a make-up by the original session's worth.
            errors["makeup_for"] = "That session is itself a make-up; choose the session it makes up."
        elif original.cohort_id != session.cohort_id:
            errors["makeup_for"] = f"A make-up session is for the same cohort ({original.cohort}) as the original."
        elif original.component_id != session.component_id:
            errors["makeup_for"] = f"A make-up session is of the same component ({original.component}) as the original."
    return errors


@transaction.atomic
def create_session(
    *,
    cohort: Cohort,
    component: Component,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    hours: Decimal,
    makeup_for: Session | None = None,
    mode: str = DeliveryMode.VENUE,
    venue: str = "",
    facilitator: str = "",
    capacity: int | None = None,
) -> Session:
    session = Session(
        cohort=cohort,
        component=component,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        hours=hours,
        makeup_for=makeup_for,
        mode=mode,
        venue=venue,
        facilitator=facilitator,
        capacity=capacity,
    )
    errors = _session_errors(session)
    if errors:
        raise ValidationError(errors)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def update_session(*, session: Session, **changes: Any) -> Session:
    """Change a session's details (any of ``SESSION_FIELDS``; the cohort is fixed once a session exists) and return
    the session as saved."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"update_session() cannot change {', '.join(sorted(unknown))}")
    # Changed on a fresh copy, so that a refused change leaves the caller's object as it was.
    updated = Session.objects.select_for_update().get(pk=session.pk)
    for name, value in changes.items():
        setattr(updated, name, value)
    errors = _session_errors(updated)
    if "component" in changes and updated.makeups.exclude(component=updated.component).exists():
        errors["component"] = "This session has make-up sessions of its component; change those first."
    if "makeup_for" in changes and updated.makeup_for_id is not None and updated.makeups.exists():
        errors["makeup_for"] = "This session has make-up sessions of its own, so cannot itself be a make-up."
    longest = updated.attendances.order_by("-minutes_missed").values_list("minutes_missed", flat=True).first()
    if longest and "ends_at" not in errors and longest > session_minutes(updated):
        errors["ends_at"] = f"Someone is already marked as missing {longest} minutes; the session must be that long."
    if errors:
        raise ValidationError(errors)
    updated.full_clean()
    updated.save()
    return updated


def session_minutes(session: Session) -> int:
    return int((session.ends_at - session.starts_at).total_seconds() // 60)


# --- Registers -------------------------------------------------------------------------------------------------------
# (status, minutes missed) for one enrolment.
Mark = tuple[str, int]


@dataclass(frozen=True)
class MarkFault:
    """One fault in a register: the enrolment (pk, as given), the part of the mark at fault and what is wrong.

    ``field`` is "enrolment", "status" or "minutes_missed"; ``name`` the person's name ("" if unknown)."""

    enrolment: int
    field: str
    message: str
    name: str = ""

    def __str__(self) -> str:
        return f"{self.name or f'Enrolment {self.enrolment}'}: {self.message}"


def register_roster(session: Session) -> list[Enrolment]:
    """The enrolments that may be marked on this session's register: the cohort's, less those who withdrew, and for
    a make-up only those who missed (some of) the original session."""
    enrolments = list(
        session.cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    if session.makeup_for is None:
        return enrolments
    full = _fully_attended(session.makeup_for, [e.pk for e in enrolments])
    return [e for e in enrolments if e.pk not in full]


def _fully_attended(original: Session, enrolment_pks: list[int]) -> set[int]:
    """Those whose mark at the original credited all of it: present, or late or left early missing no minutes."""
    marks = Attendance.objects.filter(session=original, enrolment_id__in=enrolment_pks).values_list(
        "enrolment_id", "status", "minutes_missed"
    )
    return {pk for pk, status, minutes in marks if status in ATTENDED_STATUSES and minutes == 0}


def register_faults(*, session: Session, marks: Mapping[int, Mark]) -> list[MarkFault]:
    """Every fault in a register, without writing anything. ``save_register`` refuses a register with any.

    Each mark is checked on its own, so the marks without faults make a register that ``save_register`` accepts
    (the register import relies on this to check make-ups against the rest of its file)."""
    enrolments = Enrolment.objects.select_related("person", "cohort__programme").in_bulk(list(marks))
    length = session_minutes(session)
    full: set[int] = set()
    if session.makeup_for_id is not None:
        assert session.makeup_for is not None
        full = _fully_attended(session.makeup_for, list(enrolments))
    faults: list[MarkFault] = []
    for pk, (status, minutes) in marks.items():
        enrolment = enrolments.get(pk)
        name = enrolment.person.full_name if enrolment is not None else ""

        def fault(field: str, message: str, *, name: str = name, pk: int = pk) -> None:
            faults.append(MarkFault(pk, field, message, name))

        if enrolment is None:
            fault("enrolment", "There is no such enrolment.")
            continue
        if enrolment.cohort_id != session.cohort_id:
            fault("enrolment", f"Enrolled in {enrolment.cohort}, not in {session.cohort}, the cohort of this session.")
        elif enrolment.status == EnrolmentStatus.WITHDRAWN:
            fault("enrolment", "Withdrawn from the programme, so cannot be marked. Re-instate them first.")
        elif pk in full:
            assert session.makeup_for is not None
            fault(
                "enrolment",
                f"Attended all of the original session ({session.makeup_for}), so this make-up is not for them.",
            )
        if status not in AttendanceStatus.values:
            fault("status", f"“{status}” is not a mark: use {', '.join(AttendanceStatus.values)}.")
        if minutes < 0:
            fault("minutes_missed", "Minutes missed cannot be negative.")
        elif minutes and status in AttendanceStatus.values and status not in PARTIAL_STATUSES:
            label = AttendanceStatus(status).label.lower()
            fault("minutes_missed", f"Minutes missed are only for late or left early, not {label}.")
        elif minutes > length:
            fault("minutes_missed", f"{minutes} minutes missed of a {length}-minute session.")
    return faults


@transaction.atomic
def save_register(
    *, session: Session, marks: Mapping[int, Mark], by: User | None, now: dt.datetime | None = None
) -> int:
    """Save a session's register: a (status, minutes missed) per enrolment pk. All or nothing: every mark is checked
    first, and one fault refuses the lot with a ValidationError naming each fault by person. Returns how many marks
    were saved; enrolments not in ``marks`` keep the marks they have. ``now`` is when the register was taken (the
    present unless it is recorded after the fact)."""
    faults = register_faults(session=session, marks=marks)
    if faults:
        raise ValidationError([str(fault) for fault in faults])
    now = now or timezone.now()
    for pk, (status, minutes) in marks.items():
        Attendance.objects.update_or_create(
            session=session,
            enrolment_id=pk,
            defaults={"status": status, "minutes_missed": minutes, "recorded_by": by, "recorded_at": now},
        )
    return len(marks)
