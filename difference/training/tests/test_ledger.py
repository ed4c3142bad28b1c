"""The hours ledger and the early warning, on small cohorts built for each case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from difference.people.tests.factories import PersonFactory
from difference.training import services
from difference.training.ledger import Risk, cohort_ledger, early_warning, format_amount, ledger_for_enrolment
from difference.training.models import Attendance, Cohort, Component, Enrolment, EnrolmentStatus, Session
from difference.training.tests.factories import (
    CohortFactory,
    ComponentFactory,
    LeaderEnrolmentFactory,
    ProgrammeFactory,
    RequirementFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
PAST = dt.datetime(2022, 9, 1, 16, tzinfo=dt.UTC)
FUTURE = dt.datetime(2023, 2, 1, 16, tzinfo=dt.UTC)


def weekly(cohort: Cohort, component: Component, count: int, *, start: dt.datetime, hours: int = 2) -> list[Session]:
    return [
        SessionFactory(cohort=cohort, component=component, starts_at=start + dt.timedelta(days=7 * i), hours=hours)
        for i in range(count)
    ]


def mark(enrolment: Enrolment, sessions: Sequence[Session], status: str = "present", minutes: int = 0) -> None:
    Attendance.objects.bulk_create(
        Attendance(session=s, enrolment=enrolment, status=status, minutes_missed=minutes) for s in sessions
    )


def leader(cohort: Cohort, first_name: str, status: str = EnrolmentStatus.ACTIVE) -> Enrolment:
    person = PersonFactory(first_name=first_name, last_name="Leader")
    return LeaderEnrolmentFactory(cohort=cohort, person=person, status=status)


@pytest.fixture
def twilights() -> tuple[Cohort, Component]:
    cohort = CohortFactory(year=2022)
    component = ComponentFactory(programme=cohort.programme, code="twilight", name="Twilights")
    RequirementFactory(cohort=cohort, component=component, amount=Decimal(36))
    return cohort, component


def line(ledger: Any, component: Component) -> Any:
    return next(item for item in ledger.components if item.component == component)


# --- Credit -------------------------------------------------------------------------------------------------------
def test_present_credits_the_hours_and_late_or_left_early_lose_the_minutes_missed(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    present, late, left_early, excused, absent = weekly(cohort, component, 5, start=PAST)
    mark(amara, [present])
    mark(amara, [late], "late", 30)
    mark(amara, [left_early], "left_early", 45)
    mark(amara, [excused], "excused")
    mark(amara, [absent], "absent")

    twilight = line(ledger_for_enrolment(amara, now=NOW), component)

    # 2 + 1.5 + 1.25 + 0 + 0
    assert twilight.attended == Decimal("4.75")
    assert twilight.shortfall == Decimal("31.25")


def test_minutes_missed_never_credit_less_than_nothing(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    # Three hours long but crediting one hour: missing 90 minutes leaves nothing, not minus half an hour.
    long_session = SessionFactory(
        cohort=cohort, component=component, starts_at=PAST, ends_at=PAST + dt.timedelta(hours=3), hours=1
    )
    mark(amara, [long_session], "late", 90)

    assert line(ledger_for_enrolment(amara, now=NOW), component).attended == 0


def test_a_sessions_component_counts_one_per_session_attended_whatever_the_minutes() -> None:
    cohort = CohortFactory()
    supervision = ComponentFactory(programme=cohort.programme, name="Supervision", unit="sessions")
    RequirementFactory(cohort=cohort, component=supervision, amount=Decimal(6))
    amara = leader(cohort, "Amara")
    present, late, left_early, excused, absent = weekly(cohort, supervision, 5, start=PAST)
    mark(amara, [present])
    mark(amara, [late], "late", 50)
    mark(amara, [left_early], "left_early", 100)
    mark(amara, [excused], "excused")
    mark(amara, [absent], "absent")

    supervision_line = line(ledger_for_enrolment(amara, now=NOW), supervision)

    assert supervision_line.attended == 3
    assert supervision_line.required == 6


def test_minutes_are_counted_exactly_so_thirds_of_an_hour_add_up(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    sessions = weekly(cohort, component, 3, start=PAST, hours=1)
    # Three sessions of an hour, each missing 40 minutes: exactly one hour, not 0.99.
    mark(amara, sessions, "late", 40)

    assert line(ledger_for_enrolment(amara, now=NOW), component).attended == 1


# --- Make-ups -----------------------------------------------------------------------------------------------------
def test_a_make_up_credits_the_component_of_the_session_it_makes_up(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    original = SessionFactory(cohort=cohort, component=component, starts_at=PAST, hours=2)
    makeup = SessionFactory(
        cohort=cohort, component=component, starts_at=PAST + dt.timedelta(days=14), hours=2, makeup_for=original
    )
    mark(amara, [original], "absent")
    mark(amara, [makeup])

    assert line(ledger_for_enrolment(amara, now=NOW), component).attended == 2


def test_an_original_and_its_make_up_never_credit_more_than_the_original_is_worth(twilights: Any) -> None:
    cohort, component = twilights
    amara, ben = leader(cohort, "Amara"), leader(cohort, "Ben")
    original = SessionFactory(
        cohort=cohort, component=component, starts_at=PAST, ends_at=PAST + dt.timedelta(hours=3), hours=3
    )
    makeup = SessionFactory(
        cohort=cohort,
        component=component,
        starts_at=PAST + dt.timedelta(days=14),
        ends_at=PAST + dt.timedelta(days=14, hours=4),
        hours=4,
        makeup_for=original,
    )
    # Amara was an hour late (2 h) and made the session up in full (4 h): capped at the original's 3 h.
    mark(amara, [original], "late", 60)
    mark(amara, [makeup])
    # Ben missed it all and made it up in a longer session: still only the original's 3 h.
    mark(ben, [original], "absent")
    mark(ben, [makeup])

    ledgers = {ledger.enrolment: line(ledger, component) for ledger in cohort_ledger(cohort, now=NOW)}

    assert ledgers[amara].attended == 3
    assert ledgers[ben].attended == 3


def test_a_partial_make_up_tops_up_a_partial_original(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    original = SessionFactory(cohort=cohort, component=component, starts_at=PAST, hours=2)
    makeup = SessionFactory(
        cohort=cohort, component=component, starts_at=PAST + dt.timedelta(days=7), hours=2, makeup_for=original
    )
    mark(amara, [original], "left_early", 60)
    mark(amara, [makeup], "late", 90)

    # 1 h + 0.5 h, under the 2 h cap.
    assert line(ledger_for_enrolment(amara, now=NOW), component).attended == Decimal("1.5")


# --- Scheduled ahead, statuses and requirements -------------------------------------------------------------------
def test_scheduled_ahead_counts_future_sessions_without_a_mark_and_never_make_ups(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    past = SessionFactory(cohort=cohort, component=component, starts_at=PAST)
    ahead = weekly(cohort, component, 3, start=FUTURE)
    SessionFactory(cohort=cohort, component=component, starts_at=FUTURE, makeup_for=past)
    # Excused in advance from one of the three.
    mark(amara, ahead[:1], "excused")

    assert line(ledger_for_enrolment(amara, now=NOW), component).scheduled_ahead == 4


def test_a_withdrawn_leader_has_nothing_scheduled_ahead_and_is_not_assessed(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    weekly(cohort, component, 4, start=FUTURE)
    mark(amara, weekly(cohort, component, 2, start=PAST))
    services.change_enrolment_status(
        enrolment=amara, to_status="withdrawn", on=dt.date(2022, 12, 1), reason="Left the school", by=None
    )

    ledger = ledger_for_enrolment(amara, now=NOW)

    twilight = line(ledger, component)
    assert (twilight.attended, twilight.scheduled_ahead, twilight.shortfall) == (4, 0, 32)
    assert twilight.risk == Risk.NONE and twilight.explanation == ""
    assert not ledger.assessed
    assert ledger.note.startswith("Withdrawn: not expected at any more sessions")
    assert early_warning(cohort, now=NOW) == []


def test_changing_a_later_cohorts_requirement_leaves_an_earlier_cohorts_ledger_unchanged() -> None:
    programme = ProgrammeFactory()
    earlier, later = CohortFactory(programme=programme, year=2021), CohortFactory(programme=programme, year=2022)
    component = ComponentFactory(programme=programme, name="Twilights")
    services.set_requirement(cohort=earlier, component=component, amount=Decimal(36))
    assert services.copy_requirements(source=earlier, target=later) == 1
    amara = leader(earlier, "Amara")
    mark(amara, weekly(earlier, component, 10, start=PAST))
    before = ledger_for_enrolment(amara, now=NOW)

    services.set_requirement(cohort=later, component=component, amount=Decimal(40))

    after = ledger_for_enrolment(amara, now=NOW)
    assert after == before
    assert line(after, component).required == 36
    assert line(after, component).shortfall == 16
    ben = leader(later, "Ben")
    assert line(ledger_for_enrolment(ben, now=NOW), component).required == 40


def test_only_components_with_a_requirement_for_the_cohort_appear(twilights: Any) -> None:
    cohort, component = twilights
    other = ComponentFactory(programme=cohort.programme, name="Coaching")
    amara = leader(cohort, "Amara")
    mark(amara, weekly(cohort, other, 2, start=PAST))

    assert [item.component for item in ledger_for_enrolment(amara, now=NOW).components] == [component]


# --- The early warning --------------------------------------------------------------------------------------------
@pytest.fixture
def constructed(twilights: Any) -> Any:
    """Twilights (2 h, 36 h required): 16 past, 4 ahead. Supervision (sessions, 5 required): 4 past, 2 ahead."""
    cohort, twilight = twilights
    supervision = ComponentFactory(
        programme=cohort.programme, code="supervision", name="Supervision", unit="sessions", position=2
    )
    RequirementFactory(cohort=cohort, component=supervision, amount=Decimal(5))
    past = weekly(cohort, twilight, 16, start=PAST)
    weekly(cohort, twilight, 4, start=FUTURE)
    past_supervision = weekly(cohort, supervision, 4, start=PAST + dt.timedelta(days=1), hours=1)
    weekly(cohort, supervision, 2, start=FUTURE + dt.timedelta(days=1), hours=1)
    people = {name: leader(cohort, name) for name in ("Amara", "Ben", "Chloe", "Dev", "Hassan", "Isla")}
    people |= {
        "Efua": leader(cohort, "Efua", EnrolmentStatus.WITHDRAWN),
        "Finn": leader(cohort, "Finn", EnrolmentStatus.COMPLETED),
        "Grace": leader(cohort, "Grace", EnrolmentStatus.DEFERRED),
    }
    # Amara: 10 of 16 twilights (cannot meet) and 3 of 4 supervisions (on course to miss).
    mark(people["Amara"], past[:10])
    mark(people["Amara"], past[10:], "absent")
    mark(people["Amara"], past_supervision[:3])
    mark(people["Amara"], past_supervision[3:], "excused")
    # Ben: 14 of 16 twilights, 87.5%: can still make 36 h but at his rate reaches 35 h.
    mark(people["Ben"], past[:14])
    mark(people["Ben"], past[14:], "absent")
    mark(people["Ben"], past_supervision)
    # Chloe: everything. Dev: 15 of 16, 93.75%, on course for 37.5 h.
    mark(people["Chloe"], past + past_supervision)
    mark(people["Dev"], past[:15] + past_supervision)
    mark(people["Dev"], past[15:], "absent")
    # Hassan: no marks at all (joined late): whatever is left cannot reach either requirement.
    # Isla: all the twilights, 2 of 4 supervisions.
    mark(people["Isla"], past + past_supervision[:2])
    mark(people["Isla"], past_supervision[2:], "absent")
    # Efua, Finn and Grace attended nothing, but are withdrawn, completed and deferred.
    return SimpleNamespace(cohort=cohort, twilight=twilight, supervision=supervision, people=people)


def test_the_early_warning_lists_exactly_the_enrolments_that_cannot_meet_a_requirement_then_those_on_course_to_miss(
    constructed: SimpleNamespace,
) -> None:
    warnings = early_warning(constructed.cohort, now=NOW)

    listed = [(warning.person.first_name, warning.risk) for warning in warnings]  # type: ignore[attr-defined]
    assert listed == [
        ("Hassan", Risk.CANNOT_MEET),
        ("Amara", Risk.CANNOT_MEET),
        ("Isla", Risk.CANNOT_MEET),
        ("Ben", Risk.ON_COURSE_TO_MISS),
    ]
    cannot_meet = {
        ledger.enrolment
        for ledger in cohort_ledger(constructed.cohort, now=NOW)
        if any(item.attended + item.scheduled_ahead < item.required for item in ledger.components) and ledger.assessed
    }
    assert {w.enrolment for w in warnings if w.risk == Risk.CANNOT_MEET} == cannot_meet


def test_each_warning_explains_each_component_at_risk_in_plain_words(constructed: SimpleNamespace) -> None:
    explanations = {
        warning.person.first_name: warning.explanations  # type: ignore[attr-defined]
        for warning in early_warning(constructed.cohort, now=NOW)
    }

    assert explanations == {
        "Amara": [
            "Twilights: needs 36 h, has 20 h and 8 h are still scheduled, so at most 28 h: "
            "8 h short even attending everything.",
            "Supervision: needs 5 sessions, has 3 sessions and 2 sessions are still scheduled; "
            "at the 75% they have attended so far, about 4.5 sessions: 0.5 sessions short.",
        ],
        "Ben": [
            "Twilights: needs 36 h, has 28 h and 8 h are still scheduled; "
            "at the 88% they have attended so far, about 35 h: 1 h short."
        ],
        "Hassan": [
            "Twilights: needs 36 h, has 0 h and 8 h are still scheduled, so at most 8 h: "
            "28 h short even attending everything.",
            "Supervision: needs 5 sessions, has 0 sessions and 2 sessions are still scheduled, so at most 2 sessions: "
            "3 sessions short even attending everything.",
        ],
        "Isla": [
            "Supervision: needs 5 sessions, has 2 sessions and 2 sessions are still scheduled, so at most 4 sessions: "
            "1 session short even attending everything."
        ],
    }


def test_the_cohort_ledger_sorts_people_by_risk_then_by_name(constructed: SimpleNamespace) -> None:
    rows = cohort_ledger(constructed.cohort, now=NOW)

    assert [row.enrolment.person.first_name for row in rows] == [
        "Hassan",
        "Amara",
        "Isla",
        "Ben",
        "Chloe",
        "Dev",
        "Efua",
        "Finn",
        "Grace",
    ]
    by_name = {row.enrolment.person.first_name: row for row in rows}
    assert by_name["Finn"].note == "Completed: the programme is finished, so there is no risk to assess."
    assert by_name["Grace"].note.startswith("Deferred: not expected at sessions while deferred")
    assert line(by_name["Grace"], constructed.twilight).scheduled_ahead == 0
    dev = line(by_name["Dev"], constructed.twilight)
    assert (dev.attended, dev.scheduled_ahead, dev.rate, dev.projected) == (30, 8, Decimal("0.9375"), Decimal("37.5"))


def test_a_minute_short_is_reported_to_the_hundredth_of_an_hour(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    past = weekly(cohort, component, 14, start=PAST)
    weekly(cohort, component, 4, start=FUTURE)
    mark(amara, past[:13])
    mark(amara, past[13:], "late", 1)

    (warning,) = early_warning(cohort, now=NOW)

    assert warning.explanations == [
        "Twilights: needs 36 h, has 27.98 h and 8 h are still scheduled, so at most 35.98 h: "
        "0.02 h short even attending everything."
    ]


def test_nothing_scheduled_is_said_plainly(twilights: Any) -> None:
    cohort, component = twilights
    amara = leader(cohort, "Amara")
    mark(amara, weekly(cohort, component, 3, start=PAST))

    (warning,) = early_warning(cohort, now=NOW)

    assert warning.explanations == [
        "Twilights: needs 36 h, has 6 h and nothing more is scheduled: 30 h short unless more sessions are scheduled."
    ]


def test_amounts_are_rounded_for_display_only() -> None:
    assert format_amount(Decimal(59) / 3, "hours") == "19.67 h"
    assert format_amount(Decimal(20), "hours") == "20 h"
    assert format_amount(Decimal(1), "sessions") == "1 session"
    assert format_amount(Decimal("4.50"), "sessions") == "4.5 sessions"
    assert format_amount(Decimal("0.001"), "hours") == "under 0.01 h"


# --- Queries ------------------------------------------------------------------------------------------------------
def grow(cohort: Cohort, component: Component, leaders: int, sessions: int) -> None:
    made = weekly(cohort, component, sessions, start=PAST)
    originals = made[: sessions // 2]
    makeups = [SessionFactory(cohort=cohort, component=component, starts_at=FUTURE, makeup_for=s) for s in originals]
    weekly(cohort, component, 2, start=FUTURE)
    for n in range(leaders):
        enrolment = leader(cohort, f"Leader{n}")
        mark(enrolment, made[:-1])
        mark(enrolment, made[-1:], "late", 10)
        mark(enrolment, makeups[:1])


def test_the_cohort_ledger_takes_the_same_few_queries_however_large_the_cohort(
    twilights: Any, django_assert_max_num_queries: Any
) -> None:
    cohort, component = twilights
    grow(cohort, component, leaders=2, sessions=4)
    with django_assert_max_num_queries(4):
        small = cohort_ledger(cohort, now=NOW)

    grow(cohort, component, leaders=20, sessions=12)
    with django_assert_max_num_queries(4):
        large = cohort_ledger(cohort, now=NOW)
        warnings = [row.components[0].explanation for row in large]

    assert (len(small), len(large), len(warnings)) == (2, 22, 22)
