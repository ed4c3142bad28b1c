"""iCalendar feeds of sessions, for a person's or a cohort's secret link."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from difference.training.models import CalendarFeed, EnrolmentStatus, Session

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
