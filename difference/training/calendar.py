"""iCalendar feeds of sessions, for a person's or a cohort's secret link; and a cohort's sessions by month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from difference.training.models import Attendance, CalendarFeed, EnrolmentStatus, Session

PRODID = "-//The Difference//Difference training calendar//EN"


def feed_sessions(feed: CalendarFeed) -> QuerySet[Session]:
    """A person's feed: the sessions of every cohort they are still enrolled in. A cohort's: all its sessions."""
    sessions = Session.objects.select_related("component", "cohort__programme").order_by("starts_at", "pk")
    if feed.cohort_id is not None:
        return sessions.filter(cohort_id=feed.cohort_id)
    return sessions.filter(
        cohort__enrolments__person=feed.person,
        cohort__enrolments__status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.DEFERRED],
    ).distinct()


def feed_name(feed: CalendarFeed) -> str:
    if feed.cohort is not None:
        return f"{feed.cohort} sessions"
    return "My Difference training sessions"


def render_calendar(name: str, sessions: Iterable[Session]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        # Stable per session, so calendar apps update an event rather than duplicate it.
        event.add("uid", f"session-{session.pk}@difference")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", session.title)
        event.add("location", session.venue or session.get_mode_display())
        details = [f"{session.component.name}: {session.hours} hours credited"]
        if session.facilitator:
            details.append(f"Facilitator: {session.facilitator}")
        if session.is_makeup:
            details.append("Make-up session")
        event.add("description", "\n".join(details))
        calendar.add_component(event)
    return calendar.to_ical()


@dataclass(frozen=True)
class Month:
    label: str
    sessions: list[Session]


def sessions_by_month(sessions: QuerySet[Session], now: dt.datetime) -> tuple[list[Month], list[Month]]:
    """A cohort's sessions as (upcoming, past), each grouped by month (UK time): upcoming soonest first, past most
    recent first, because a cohort has about a hundred sessions and the next few are what staff look for. Each
    session carries ``register_taken``: whether anyone has been marked at it."""
    marked = Attendance.objects.filter(session=OuterRef("pk"))
    upcoming: dict[str, list[Session]] = {}
    past: dict[str, list[Session]] = {}
    for session in sessions.annotate(register_taken=Exists(marked)).order_by("starts_at", "pk"):
        local = timezone.localtime(session.starts_at)
        into = upcoming if session.starts_at >= now else past
        into.setdefault(f"{local:%B %Y}", []).append(session)
    return (
        [Month(label, items) for label, items in upcoming.items()],
        [Month(label, items[::-1]) for label, items in reversed(past.items())],
    )
