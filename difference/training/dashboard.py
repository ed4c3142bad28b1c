"""Training's items on the home page: for programme staff the leaders at risk in every cohort, this week's
sessions, registers not yet taken and certificates due for renewal; for a leader their hours, their next
sessions and their own certificates due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from difference.core.dashboard import DashboardItem, PersonSection, Urgency
from difference.training import calendar, ledger
from difference.training.access import may_manage_training, may_see_own_training, may_see_training
from difference.training.certificates import due_for_renewal
from difference.training.models import (
    Attendance,
    CalendarFeed,
    Certificate,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Session,
)

SECTION = "Training"
RENEWAL_WINDOW_DAYS = 90
# Registers older than this are history, not today's work: the ledger still counts them as not taken.
REGISTER_LOOKBACK_DAYS = 60


def items_for(user: Any) -> list[DashboardItem]:
    if may_manage_training(user):
        return staff_items(user)
    if may_see_own_training(user):
        return leader_items(user)
    return []


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def leaders_at_risk(user: Any, *, now: dt.datetime | None = None) -> list[tuple[Cohort, list[ledger.Warning]]]:
    """Each cohort the user runs that has active leaders at risk, with its early warning."""
    cohorts = (
        Cohort.objects.for_user(user)
        .filter(enrolments__status=EnrolmentStatus.ACTIVE)
        .distinct()
        .select_related("programme")
    )
    found = []
    for cohort in cohorts:
        warnings = ledger.early_warning(cohort, now=now)
        if warnings:
            found.append((cohort, warnings))
    return found


def staff_items(user: Any, *, now: dt.datetime | None = None) -> list[DashboardItem]:
    now = now or timezone.now()
    items: list[DashboardItem] = []
    at_risk = leaders_at_risk(user, now=now)
    total = sum(len(warnings) for _, warnings in at_risk)
    if total:
        worst_cohort = max(at_risk, key=lambda pair: len(pair[1]))[0]
        per_cohort = ", ".join(f"{cohort}: {len(warnings)}" for cohort, warnings in at_risk)
        items.append(
            DashboardItem(
                title=f"{_plural(total, 'leader')} at risk of missing a requirement",
                count=total,
                detail=f"Across all cohorts ({per_cohort}). Open the early warning to see why.",
                url=reverse("training:cohort_warnings", args=[worst_cohort.pk]),
                section=SECTION,
                urgency=Urgency.NOW,
            )
        )
        if len(at_risk) > 1:
            items.extend(
                DashboardItem(
                    title=f"{_plural(len(warnings), 'leader')} at risk in {cohort}",
                    count=len(warnings),
                    url=reverse("training:cohort_warnings", args=[cohort.pk]),
                    section=SECTION,
                    urgency=Urgency.NOW,
                )
                for cohort, warnings in at_risk
                if cohort != worst_cohort
            )
    sessions = Session.objects.for_user(user).select_related("cohort__programme")
    untaken = (
        sessions.filter(starts_at__lte=now, starts_at__gte=now - dt.timedelta(days=REGISTER_LOOKBACK_DAYS))
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .order_by("-starts_at")
    )
    untaken_count = untaken.count()
    if untaken_count:
        latest = untaken.first()
        assert latest is not None
        items.append(
            DashboardItem(
                title=f"{_plural(untaken_count, 'register')} not yet taken",
                count=untaken_count,
                detail=f"Sessions of the last {REGISTER_LOOKBACK_DAYS} days with nobody marked; latest: {latest}.",
                url=latest.get_absolute_url(),
                section=SECTION,
                urgency=Urgency.NOW,
            )
        )
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday())
    week_start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    week = sessions.filter(starts_at__gte=week_start, starts_at__lt=week_start + dt.timedelta(days=7)).order_by(
        "starts_at"
    )
    week_count = week.count()
    first = week.first()
    items.append(
        DashboardItem(
            title=f"{_plural(week_count, 'session')} this week",
            count=week_count,
            detail=f"Next: {first} ({first.cohort})." if first is not None else "No sessions are timetabled this week.",
            url=reverse("training:cohort_detail", args=[first.cohort_id])
            if first is not None
            else reverse("training:cohort_list"),
            section=SECTION,
            urgency=Urgency.SOON,
        )
    )
    due = due_for_renewal(within_days=RENEWAL_WINDOW_DAYS, today=today).for_user(user).count()
    if due:
        items.append(
            DashboardItem(
                title=f"{_plural(due, 'certificate')} due for renewal",
                count=due,
                detail=f"Lapsed, or lapsing within {RENEWAL_WINDOW_DAYS} days.",
                url=reverse("training:certificate_list"),
                section=SECTION,
                urgency=Urgency.SOON,
            )
        )
    return items


def leader_items(user: Any, *, now: dt.datetime | None = None) -> list[DashboardItem]:
    now = now or timezone.now()
    person = getattr(user, "person", None)
    if person is None:
        return []
    items: list[DashboardItem] = []
    mine = reverse("training:my_training")
    for enrolment in person.enrolments.filter(status=EnrolmentStatus.ACTIVE).select_related("cohort__programme"):
        own = ledger.ledger_for_enrolment(enrolment, now=now)
        if not own.hours_required:
            continue
        done = ledger.format_amount(own.hours_attended, "hours").removesuffix(" h")
        required = ledger.format_amount(own.hours_required, "hours")
        items.append(
            DashboardItem(
                title=f"{done} of {required} in {enrolment.cohort}",
                detail=own.summary,
                url=mine,
                section=SECTION,
                urgency=Urgency.NOW if own.risk != ledger.Risk.NONE else Urgency.SOON,
                done=float(own.hours_attended),
                total=float(own.hours_required),
            )
        )
    upcoming = list(calendar.feed_sessions(CalendarFeed(person=person)).filter(starts_at__gte=now)[:3])
    if upcoming:
        items.append(
            DashboardItem(
                title=f"Next session: {upcoming[0]}",
                detail="Then: " + "; ".join(str(s) for s in upcoming[1:]) if len(upcoming) > 1 else "",
                url=mine,
                section=SECTION,
                urgency=Urgency.SOON,
            )
        )
    due_certificates = list(
        due_for_renewal(within_days=RENEWAL_WINDOW_DAYS, today=timezone.localdate(now)).for_user(user)
    )
    if due_certificates:
        due = len(due_certificates)
        items.append(
            DashboardItem(
                title=f"{_plural(due, 'certificate')} of yours due for renewal",
                count=due,
                detail=", ".join(f"{c.certification.name}: expires {c.expires_on:%-d %b %Y}" for c in due_certificates),
                # A leader's certificate list opens their one certificate directly.
                url=reverse("training:certificate_detail", args=[due_certificates[0].pk])
                if due == 1
                else reverse("training:certificate_list"),
                section=SECTION,
                urgency=Urgency.NOW,
            )
        )
    return items


def person_sections(user: Any, person: Any) -> list[PersonSection]:
    """The person's enrolments with their ledgers, and their certificates, for staff and the leader themself."""
    if not may_see_training(user):
        return []
    sections = []
    enrolments = Enrolment.objects.for_user(user).filter(person=person).select_related("cohort__programme", "person")
    ledgers = [ledger.ledger_for_enrolment(enrolment) for enrolment in enrolments]
    if ledgers:
        sections.append(
            PersonSection(
                title="Training",
                template="training/_person_training.html",
                order=30,
                context={"ledgers": ledgers},
            )
        )
    certificates = list(Certificate.objects.for_user(user).filter(person=person).select_related("certification"))
    if certificates:
        sections.append(
            PersonSection(
                title="Certificates",
                template="training/_person_certificates.html",
                url=reverse("training:certificate_list"),
                link_text="All certificates",
                order=40,
                context={"certificates": certificates},
            )
        )
    return sections
