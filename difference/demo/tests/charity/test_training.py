"""The training demo, loaded by ``load_demo`` over the small schools registry (the shared ``demo`` fixture)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from difference.demo.tests.conftest import run_demo
from difference.people.models import Person
from difference.training.ledger import Risk, early_warning
from difference.training.models import (
    PARTIAL_STATUSES,
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateStatus,
    Cohort,
    Component,
    Enrolment,
    EnrolmentStatus,
    Requirement,
    Session,
    Unit,
)
from difference.training.reach import reach


def _dlp(year: int) -> Cohort:
    return Cohort.objects.get(programme__code="dlp", year=year)


def test_the_ilc_2021_reach_shows_66_participants_25_mats_32_local_authorities_and_a_pupil_count(demo: str) -> None:
    ilc = Cohort.objects.get(programme__code="ilc-senior", year=2021)

    result = reach([ilc])

    assert (result.participants, result.trusts, result.local_authorities) == (66, 25, 32)
    assert result.pupils > 0
    assert result.pupils_source == "DfE school-level exclusions statistics, 2016/17 headcount"
    assert (
        f"ILC 2021: 66 participants from {result.schools} schools in 25 MATs and 32 local authorities, "
        f"{result.pupils:,} pupils on roll (DfE school-level exclusions statistics, 2016/17 headcount; "
        f"{result.schools_without_pupils} schools without a figure)." in demo
    )


def test_the_ilc_participants_are_mainstream_leaders_who_completed_the_course(demo: str) -> None:
    enrolments = Enrolment.objects.filter(cohort__programme__code="ilc-senior", cohort__year=2021)

    assert enrolments.count() == 66  # "66 mainstream leaders" took the course (impact report 2021-22)
    assert set(enrolments.values_list("status", flat=True)) == {EnrolmentStatus.COMPLETED}
    assert not enrolments.filter(person__school__isnull=True).exists()
    assert not enrolments.filter(person__school__trust__isnull=True).exists()


def test_each_dlp_cohorts_requirements_add_up_to_290_hours(demo: str) -> None:
    for year in (2019, 2020, 2021, 2022):
        requirements = Requirement.objects.filter(cohort=_dlp(year))
        assert requirements.count() == 7
        assert requirements.aggregate(total=Sum("amount"))["total"] == Decimal(290)
        assert set(requirements.values_list("component__unit", flat=True)) == {Unit.HOURS}
    assert "Training: DLP components sum to 290 hours;" in demo


def test_the_2022_cohort_has_its_own_coaching_requirement(demo: str) -> None:
    def hours(year: int, code: str) -> Decimal:
        return Requirement.objects.get(cohort=_dlp(year), component__code=code).amount

    assert (hours(2021, "coaching"), hours(2022, "coaching")) == (Decimal(40), Decimal(44))
    assert (hours(2021, "twilights"), hours(2022, "twilights")) == (Decimal(36), Decimal(32))


def test_the_ilc_components_are_counted_in_hours_or_sessions(demo: str) -> None:
    units = dict(Component.objects.filter(programme__code__startswith="ilc").values_list("name", "unit"))

    assert units == {"Training days": "hours", "Practical assignments": "sessions", "Virtual twilights": "sessions"}
    ilc = Requirement.objects.filter(cohort__programme__code="ilc-senior", cohort__year=2021)
    assert dict(ilc.values_list("component__code", "amount")) == {"training-days": 36, "assignments": 3}


def test_the_current_cohorts_have_sessions_past_and_ahead_in_london_time(demo: str) -> None:
    now = timezone.now()
    for year in (2021, 2022):
        sessions = Session.objects.filter(cohort=_dlp(year))
        assert sessions.filter(ends_at__lte=now).exists() and sessions.filter(starts_at__gt=now).exists()
        twilight = sessions.filter(component__code="twilights").first()
        assert twilight is not None and timezone.localtime(twilight.starts_at).time() == dt.time(16, 30)
        assert not Attendance.objects.filter(session__in=sessions, session__starts_at__gt=now).exists()
    assert not Session.objects.filter(cohort__year__in=(2019, 2020), cohort__programme__code="dlp").exists()


def test_marks_are_mostly_present_with_minutes_only_when_late_or_leaving_early(demo: str) -> None:
    marks = Attendance.objects.filter(session__cohort__programme__code="dlp")
    statuses = list(marks.values_list("status", flat=True))

    assert statuses.count(AttendanceStatus.PRESENT) / len(statuses) > 0.9
    assert set(statuses) == set(AttendanceStatus.values)
    partial = marks.filter(status__in=PARTIAL_STATUSES)
    assert not partial.filter(minutes_missed=0).exists()
    assert not marks.exclude(status__in=PARTIAL_STATUSES).exclude(minutes_missed=0).exists()
    for mark in partial.select_related("session"):
        assert mark.minutes_missed < mark.session.hours * 60


def test_the_makeup_session_registers_only_those_who_missed_the_original(demo: str) -> None:
    makeup = Session.objects.get(makeup_for__isnull=False)
    attended = set(makeup.attendances.values_list("enrolment", flat=True))

    assert makeup.component == makeup.makeup_for.component and makeup.hours == makeup.makeup_for.hours
    assert attended
    at_original = Attendance.objects.filter(session=makeup.makeup_for, enrolment__in=attended)
    assert set(at_original.values_list("status", flat=True)) == {AttendanceStatus.EXCUSED}


def test_the_ledger_warns_of_three_leaders_one_of_whom_can_no_longer_meet_a_requirement(demo: str) -> None:
    now = timezone.now()
    warnings = {year: early_warning(_dlp(year), now=now) for year in (2021, 2022)}

    risks = {
        year: [(w.risk, [line.component.code for line in w.components]) for w in ws] for year, ws in warnings.items()
    }
    assert risks == {
        2021: [(Risk.CANNOT_MEET, ["twilights"]), (Risk.ON_COURSE_TO_MISS, ["coaching"])],
        2022: [(Risk.ON_COURSE_TO_MISS, ["twilights"])],
    }
    assert "; 3 leaders at risk;" in demo


def test_dsl_certificates_last_two_years_and_two_are_due_for_renewal(demo: str) -> None:
    today = timezone.localdate()
    dsl = Certificate.objects.filter(certification__code="dsl", status=CertificateStatus.AWARDED)

    assert dsl.count() == 17 + 19 + 2
    for certificate in dsl:
        assert certificate.expires_on is not None and certificate.awarded_on is not None
        assert (certificate.expires_on - certificate.awarded_on).days in range(730, 732)
    assert dsl.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=60)).count() == 2
    npqsl = Certificate.objects.filter(certification__code="npqsl")
    assert npqsl.filter(status=CertificateStatus.AWARDED, expires_on__isnull=True).count() == 10 + 12
    assert npqsl.filter(status=CertificateStatus.IN_PROGRESS).count() == 17 + 19


def test_running_the_demo_again_changes_no_training_records(demo: str) -> None:
    def snapshot() -> list[object]:
        return [
            sorted(model.objects.values_list("pk", flat=True))
            for model in (Component, Requirement, Session, Attendance, Certificate, Enrolment, Person)
        ] + [sorted(Attendance.objects.values_list("pk", "status", "minutes_missed"))]

    before = snapshot()

    output = run_demo()

    assert snapshot() == before
    assert "ILC 2021: 66 participants" in output


def test_the_reach_page_of_the_ilc_2021_cohort_states_the_counts_and_the_pupil_source(demo: str) -> None:
    from django.test import Client

    from difference.accounts.roles import Role
    from difference.accounts.tests.factories import UserFactory

    ilc = Cohort.objects.get(programme__code="ilc-senior", year=2021)
    client = Client()
    client.force_login(UserFactory(role=Role.STAFF_PROGRAMME))
    body = client.get(f"/training/cohorts/{ilc.pk}/reach/").content.decode()
    result = reach([ilc])
    for label, value in (("Participants", 66), ("Multi-academy trusts", 25), ("Local authorities", 32)):
        assert f'<th scope="row">{label}</th><td class="num">{value}</td>' in body
    assert f"{result.pupils:,}" in body
    assert "Pupils on roll: DfE school-level exclusions statistics, 2016/17 headcount." in body


def test_the_early_warning_page_names_each_leader_at_risk_and_explains_why(demo: str) -> None:
    from django.test import Client
    from django.utils.html import escape

    from difference.accounts.roles import Role
    from difference.accounts.tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(role=Role.STAFF_PROGRAMME))
    for year in (2021, 2022):
        cohort = _dlp(year)
        body = client.get(f"/training/cohorts/{cohort.pk}/early-warning/").content.decode()
        warnings = early_warning(cohort)
        assert warnings
        for warning in warnings:
            assert escape(warning.enrolment.person.full_name) in body
            for text in warning.explanations:
                assert escape(text) in body


def test_the_2022_leaders_are_enrolled_from_their_placements_when_the_posts_start(demo: str) -> None:
    enrolments = Enrolment.objects.filter(cohort=_dlp(2022)).select_related("placement__candidate")

    assert enrolments.count() == 19
    for enrolment in enrolments:
        assert enrolment.placement is not None and enrolment.placement.candidate.person_id == enrolment.person_id
        assert list(enrolment.changes.values_list("on", flat=True)) == [dt.date(2022, 9, 1)]
