"""The training services: enrolment status changes, enrolling placed leaders, requirements, sessions, registers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory
from difference.placements.models import Candidate, MatchRun, Placement, PlacementRound, PlacementStatus, Vacancy
from difference.schools.tests.factories import SchoolFactory
from difference.training import services
from difference.training.models import Attendance, Cohort, EnrolmentChange, EnrolmentStatus, Requirement, Session
from difference.training.tests.factories import (
    AttendanceFactory,
    CohortFactory,
    ComponentFactory,
    LeaderEnrolmentFactory,
    ProgrammeFactory,
    RequirementFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 11, 1)
START = dt.datetime(2022, 10, 5, 16, tzinfo=dt.UTC)


def messages(error: ValidationError) -> list[str]:
    return error.messages


# --- Enrolment status -----------------------------------------------------------------------------------------------
def test_it_changes_the_status_and_keeps_the_date_and_reason() -> None:
    enrolment = LeaderEnrolmentFactory()
    staff = UserFactory()

    services.change_enrolment_status(
        enrolment=enrolment, to_status="deferred", on=DAY, reason=" Maternity leave ", by=staff
    )

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.DEFERRED
    change = enrolment.changes.get()
    assert (change.from_status, change.to_status, change.on, change.reason, change.changed_by) == (
        "active",
        "deferred",
        DAY,
        "Maternity leave",
        staff,
    )


@pytest.mark.parametrize(
    ("start", "to_status"),
    [("active", "deferred"), ("active", "withdrawn"), ("active", "completed"), ("deferred", "active")]
    + [("deferred", "withdrawn"), ("withdrawn", "active"), ("completed", "active")],
)
def test_it_allows_the_documented_transitions(start: str, to_status: str) -> None:
    enrolment = LeaderEnrolmentFactory(status=start)

    services.change_enrolment_status(enrolment=enrolment, to_status=to_status, on=DAY, reason="Agreed", by=None)

    assert enrolment.status == to_status


@pytest.mark.parametrize(
    ("start", "to_status"),
    [("withdrawn", "deferred"), ("withdrawn", "completed"), ("completed", "withdrawn"), ("deferred", "completed")],
)
def test_it_refuses_other_transitions(start: str, to_status: str) -> None:
    enrolment = LeaderEnrolmentFactory(status=start)

    with pytest.raises(ValidationError) as refused:
        services.change_enrolment_status(enrolment=enrolment, to_status=to_status, on=DAY, reason="Agreed", by=None)

    assert "cannot become" in refused.value.message_dict["to_status"][0]
    assert not EnrolmentChange.objects.exists()


def test_it_refuses_a_change_to_the_same_status_and_one_without_a_reason() -> None:
    enrolment = LeaderEnrolmentFactory()

    with pytest.raises(ValidationError) as refused:
        services.change_enrolment_status(enrolment=enrolment, to_status="active", on=DAY, reason="  ", by=None)

    assert refused.value.message_dict == {
        "reason": ["Give a reason for the change; it is kept in the enrolment's history."],
        "to_status": ["The enrolment is already active."],
    }
    assert not EnrolmentChange.objects.exists()


def test_it_refuses_a_change_dated_before_the_last_one() -> None:
    enrolment = LeaderEnrolmentFactory()
    services.change_enrolment_status(enrolment=enrolment, to_status="deferred", on=DAY, reason="Leave", by=None)

    with pytest.raises(ValidationError) as refused:
        services.change_enrolment_status(
            enrolment=enrolment, to_status="active", on=DAY - dt.timedelta(days=1), reason="Back", by=None
        )

    assert list(refused.value.message_dict) == ["on"]


# --- Enrolling ------------------------------------------------------------------------------------------------------
def test_enrol_creates_an_active_enrolment_with_its_first_history_record_once() -> None:
    person, cohort = PersonFactory(), CohortFactory()

    first = services.enrol(person=person, cohort=cohort, by=None, on=DAY)
    again = services.enrol(person=person, cohort=cohort, by=None, on=DAY, reason="Again")

    assert first == again and first.status == EnrolmentStatus.ACTIVE
    assert list(first.changes.values_list("from_status", "to_status", "reason")) == [("", "active", "Enrolled")]


def _placement(person: Any, year: int, *, status: str = PlacementStatus.ACTIVE) -> Placement:
    placement_round, _ = PlacementRound.objects.get_or_create(year=year)
    vacancy = Vacancy.objects.create(
        placement_round=placement_round,
        school=SchoolFactory(),
        title="Assistant Head",
        focus="send",
        starts_on=dt.date(year, 9, 1),
        setting_type="pru",
    )
    candidate = Candidate.objects.create(placement_round=placement_round, person=person)
    run = MatchRun.objects.create(placement_round=placement_round, instance={})
    ended = {"ends_on": dt.date(year, 12, 1), "end_reason": "Left"} if status == PlacementStatus.ENDED_EARLY else {}
    return Placement.objects.create(
        candidate=candidate, vacancy=vacancy, run=run, starts_on=dt.date(year, 9, 1), status=status, **ended
    )


def test_placed_leaders_of_the_cohorts_year_are_enrolled_with_their_placements() -> None:
    cohort = CohortFactory(programme=ProgrammeFactory(code="dlp"), year=2022)
    placed, ended, last_year = PersonFactory(), PersonFactory(), PersonFactory()
    placement = _placement(placed, 2022)
    _placement(ended, 2022, status=PlacementStatus.ENDED_EARLY)
    _placement(last_year, 2021)

    assert services.enrol_placed_leaders(cohort=cohort, by=None) == 1
    assert services.enrol_placed_leaders(cohort=cohort, by=None) == 0

    enrolment = cohort.enrolments.get()
    assert (enrolment.person, enrolment.placement, enrolment.status) == (placed, placement, "active")
    assert enrolment.changes.get().reason == "Enrolled from the 2022 placement"


def test_an_already_enrolled_leader_gets_the_placement_linked_and_keeps_their_status() -> None:
    cohort = CohortFactory(programme=ProgrammeFactory(code="dlp"), year=2022)
    person = PersonFactory()
    enrolment = LeaderEnrolmentFactory(cohort=cohort, person=person, status="withdrawn")
    placement = _placement(person, 2022)

    assert services.enrol_placed_leaders(cohort=cohort, by=None) == 0

    enrolment.refresh_from_db()
    assert (enrolment.placement, enrolment.status) == (placement, "withdrawn")


def test_only_dlp_cohorts_enrol_from_placements() -> None:
    cohort = CohortFactory(programme=ProgrammeFactory(code="ilc-senior", name="ILC"), year=2022)

    with pytest.raises(ValidationError):
        services.enrol_placed_leaders(cohort=cohort, by=None)


# --- Requirements ---------------------------------------------------------------------------------------------------
def test_a_requirement_is_set_per_cohort_and_component() -> None:
    cohort = CohortFactory()
    component = ComponentFactory(programme=cohort.programme)

    services.set_requirement(cohort=cohort, component=component, amount=Decimal(36))
    services.set_requirement(cohort=cohort, component=component, amount=Decimal("37.5"))

    assert Requirement.objects.get().amount == Decimal("37.5")


def test_a_requirement_must_be_for_a_component_of_the_cohorts_programme() -> None:
    cohort = CohortFactory()
    other = ComponentFactory(programme=ProgrammeFactory(code="ilc", name="ILC"))

    with pytest.raises(ValidationError):
        services.set_requirement(cohort=cohort, component=other, amount=Decimal(1))


def test_copying_requirements_fills_only_what_the_target_lacks() -> None:
    programme = ProgrammeFactory()
    source, target = CohortFactory(programme=programme), CohortFactory(programme=programme)
    twilights, coaching = ComponentFactory(programme=programme), ComponentFactory(programme=programme)
    RequirementFactory(cohort=source, component=twilights, amount=36)
    RequirementFactory(cohort=source, component=coaching, amount=12)
    RequirementFactory(cohort=target, component=coaching, amount=10)

    assert services.copy_requirements(source=source, target=target) == 1
    assert services.copy_requirements(source=source, target=target) == 0

    assert dict(target.requirements.values_list("component", "amount")) == {twilights.pk: 36, coaching.pk: 10}


def test_requirements_are_copied_only_within_a_programme() -> None:
    source, target = CohortFactory(), CohortFactory(programme=ProgrammeFactory(code="ilc", name="ILC"))

    with pytest.raises(ValidationError):
        services.copy_requirements(source=source, target=target)


# --- Sessions -------------------------------------------------------------------------------------------------------
def _session_data(cohort: Cohort, **changes: Any) -> dict[str, Any]:
    component = changes.pop("component", None) or ComponentFactory(programme=cohort.programme)
    data = {
        "cohort": cohort,
        "component": component,
        "title": "Twilight 3",
        "starts_at": START,
        "ends_at": START + dt.timedelta(hours=2),
        "hours": Decimal(2),
    }
    return data | changes


def test_a_make_up_session_is_created_for_a_session_of_the_same_component_and_cohort() -> None:
    original = SessionFactory()

    makeup = services.create_session(
        **_session_data(original.cohort, component=original.component, title="Twilight 3 (make-up)"),
        makeup_for=original,
    )

    assert makeup.is_makeup and makeup.makeup_for == original


@pytest.mark.parametrize(
    ("case", "field"),
    [("other component", "makeup_for"), ("other cohort", "makeup_for"), ("make-up of a make-up", "makeup_for")],
)
def test_it_refuses_a_make_up_of_another_component_or_cohort_or_of_a_make_up(case: str, field: str) -> None:
    original = SessionFactory()
    cohort, component = original.cohort, original.component
    if case == "other component":
        component = ComponentFactory(programme=cohort.programme)
    elif case == "other cohort":
        cohort = CohortFactory(programme=cohort.programme)
    else:
        original = SessionFactory(cohort=cohort, component=component, makeup_for=original)

    with pytest.raises(ValidationError) as refused:
        services.create_session(**_session_data(cohort, component=component), makeup_for=original)

    assert list(refused.value.message_dict) == [field]
    assert Session.objects.filter(title="Twilight 3").count() == 0


def test_it_refuses_a_session_ending_before_it_starts_or_crediting_negative_hours() -> None:
    cohort = CohortFactory()

    with pytest.raises(ValidationError) as refused:
        services.create_session(**_session_data(cohort, ends_at=START, hours=Decimal(-1)))

    assert set(refused.value.message_dict) == {"ends_at", "hours"}


def test_a_session_cannot_be_shortened_below_minutes_already_recorded_as_missed() -> None:
    attendance = AttendanceFactory(status="late", minutes_missed=90)
    session = attendance.session

    with pytest.raises(ValidationError) as refused:
        services.update_session(session=session, ends_at=session.starts_at + dt.timedelta(hours=1))

    assert list(refused.value.message_dict) == ["ends_at"]
    assert session.ends_at == session.starts_at + dt.timedelta(hours=2)
    services.update_session(session=session, title="Renamed", hours=Decimal("1.5"))
    session.refresh_from_db()
    assert (session.title, session.hours) == ("Renamed", Decimal("1.5"))


# --- Registers ------------------------------------------------------------------------------------------------------
@pytest.fixture
def register() -> Any:
    session = SessionFactory()
    people = {
        name: LeaderEnrolmentFactory(cohort=session.cohort, person=PersonFactory(first_name=name, last_name="Leader"))
        for name in ("Amara", "Ben", "Chloe")
    }
    return session, people


def test_a_whole_register_is_saved_and_saved_again(register: Any) -> None:
    session, people = register
    staff = UserFactory()

    saved = services.save_register(
        session=session,
        marks={people["Amara"].pk: ("present", 0), people["Ben"].pk: ("late", 20), people["Chloe"].pk: ("absent", 0)},
        by=staff,
    )
    services.save_register(session=session, marks={people["Chloe"].pk: ("excused", 0)}, by=staff)

    assert saved == 3
    marks = dict(Attendance.objects.values_list("enrolment__person__first_name", "status"))
    assert marks == {"Amara": "present", "Ben": "late", "Chloe": "excused"}
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {staff.pk}


def test_a_register_taken_earlier_and_recorded_later_keeps_when_it_was_taken(register: Any) -> None:
    session, people = register
    taken = session.ends_at + dt.timedelta(minutes=30)

    services.save_register(session=session, marks={people["Amara"].pk: ("present", 0)}, by=None, now=taken)

    assert Attendance.objects.get().recorded_at == taken


def test_a_register_with_a_bad_row_is_refused_whole_with_every_fault_named(register: Any) -> None:
    session, people = register
    withdrawn = LeaderEnrolmentFactory(
        cohort=session.cohort, person=PersonFactory(first_name="Dev", last_name="Gone"), status="withdrawn"
    )
    elsewhere = LeaderEnrolmentFactory(person=PersonFactory(first_name="Efua", last_name="Elsewhere"))

    with pytest.raises(ValidationError) as refused:
        services.save_register(
            session=session,
            marks={
                people["Amara"].pk: ("present", 0),
                people["Ben"].pk: ("present", 10),
                people["Chloe"].pk: ("left_early", 121),
                withdrawn.pk: ("present", 0),
                elsewhere.pk: ("present", 0),
            },
            by=None,
        )

    assert messages(refused.value) == [
        "Ben Leader: Minutes missed are only for late or left early, not present.",
        "Chloe Leader: 121 minutes missed of a 120-minute session.",
        "Dev Gone: Withdrawn from the programme, so cannot be marked. Re-instate them first.",
        f"Efua Elsewhere: Enrolled in {elsewhere.cohort}, not in {session.cohort}, the cohort of this session.",
    ]
    assert not Attendance.objects.exists()


def test_a_make_up_is_marked_only_for_people_who_missed_the_original(register: Any) -> None:
    original, people = register
    makeup = SessionFactory(cohort=original.cohort, component=original.component, makeup_for=original)
    services.save_register(
        session=original,
        marks={people["Amara"].pk: ("present", 0), people["Ben"].pk: ("late", 30), people["Chloe"].pk: ("absent", 0)},
        by=None,
    )

    assert [e.person.first_name for e in services.register_roster(makeup)] == ["Amara", "Ben", "Chloe"][1:]
    with pytest.raises(ValidationError) as refused:
        services.save_register(session=makeup, marks={people["Amara"].pk: ("present", 0)}, by=None)
    assert messages(refused.value) == [
        f"Amara Leader: Attended all of the original session ({original}), so this make-up is not for them."
    ]
    saved = services.save_register(
        session=makeup, marks={people["Ben"].pk: ("present", 0), people["Chloe"].pk: ("present", 0)}, by=None
    )
    assert saved == 2
