from __future__ import annotations

from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from difference.training.models import CalendarFeed, Session


def test_a_leader_makes_a_secret_calendar_link_that_lists_their_sessions_until_revoked(world, client_for):
    leader = client_for("leader")
    assert leader.post(reverse("training:feed_create")).status_code == 302
    feed = CalendarFeed.objects.filter(person=world.people["leader_a1"], revoked_at__isnull=True).latest("created_at")
    url = feed.get_absolute_url()

    anyone = Client()
    response = anyone.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    session = Session.objects.get(pk=world.training["session"].pk)
    assert [str(e["SUMMARY"]) for e in events] == [session.title]
    assert events[0].decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert str(events[0]["UID"]) == f"session-{session.pk}@difference"

    assert leader.post(reverse("training:feed_revoke", args=[feed.pk])).status_code == 302
    assert anyone.get(url).status_code == 404


def test_a_withdrawn_leaders_feed_no_longer_lists_the_cohorts_sessions(world):
    from difference.training.models import EnrolmentStatus

    feed = world.training["feed_leader"]
    world.training["enrol_leader"].__class__.objects.filter(pk=world.training["enrol_leader"].pk).update(
        status=EnrolmentStatus.WITHDRAWN
    )
    response = Client().get(feed.get_absolute_url())
    assert list(Calendar.from_ical(response.content).walk("VEVENT")) == []


def test_another_leader_cannot_revoke_someone_elses_link(world, client_for):
    feed = world.training["feed_cohort"]
    assert client_for("leader").post(reverse("training:feed_revoke", args=[feed.pk])).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None
