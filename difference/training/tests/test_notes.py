"""Confidential supervision and coaching notes (acceptance 5): who reads them, who writes them, and the audit trail."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from difference.accounts.models import AuditAction, AuditEvent
from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.training import notes
from difference.training.models import NoteKind, SupervisionNote
from difference.training.tests.world import NOTE_TEXTS

LEADER_NOTES = (NOTE_TEXTS["leader_supervision"], NOTE_TEXTS["leader_coaching"])


def client_as(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def notes_url(world: Any, scope: str = "enrol_leader") -> str:
    return reverse("training:enrolment_notes", args=[world.training[scope].pk])


def note_reads(user: Any) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.SENSITIVE_READ, actor=user, object_type="training.supervisionnote"
    ).count()


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def shows_leader_notes(response: Any) -> bool:
    text = page(response)
    shown = [note in text for note in LEADER_NOTES]
    assert len(set(shown)) == 1, "either both of the leader's notes are shown or neither"
    return shown[0]


# --- Acceptance 5 -------------------------------------------------------------------------------------------------
def test_the_leader_their_coach_and_their_supervisor_read_the_notes_unaudited(world):
    for user in (world.users["leader"], world.training["coach"], world.training["supervisor"]):
        response = client_as(user).get(notes_url(world))
        assert response.status_code == 200, user
        assert shows_leader_notes(response), user
        assert note_reads(user) == 0
    assert NOTE_TEXTS["b1_coaching"] not in page(response)


def test_staff_admin_reads_the_notes_and_the_read_is_in_the_audit_log(world, client_for):
    admin = world.users["staff_admin"]
    response = client_for("staff_admin").get(notes_url(world))

    assert response.status_code == 200
    assert shows_leader_notes(response)
    assert "recorded in the audit log" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.SENSITIVE_READ, actor=admin)
    assert event.object_type == "training.supervisionnote"
    assert event.object_id == str(world.training["enrol_leader"].pk)
    assert event.path == notes_url(world)
    # The trail says who read which leader's notes, never what they say.
    assert not any(text[:20] in event.detail for text in LEADER_NOTES)


def test_programme_staff_who_do_not_coach_the_leader_do_not_see_the_notes(world, client_for):
    response = client_for("staff_programme").get(notes_url(world))
    assert response.status_code == 200
    assert not shows_leader_notes(response)
    assert "not shown to you" in response.content.decode()
    assert "Add a note" not in response.content.decode()


def test_the_headteacher_does_not_see_the_notes(world, client_for):
    response = client_for("headteacher").get(notes_url(world))
    assert response.status_code == 403
    assert not shows_leader_notes(response)


def test_another_leader_does_not_see_the_notes(world):
    other = UserFactory(role=Role.LEADER, email="omar@example.org")
    world.people["leader_b1"].user = other
    world.people["leader_b1"].save()

    response = client_as(other).get(notes_url(world))
    assert response.status_code == 404
    assert not shows_leader_notes(response)
    # Their own page shows their own notes and not the leader's.
    own = client_as(other).get(notes_url(world, "enrol_b1"))
    assert own.status_code == 200
    assert NOTE_TEXTS["b1_coaching"] in page(own)
    assert not shows_leader_notes(own)


@pytest.mark.parametrize("role", ["staff_research", "assessor", "applicant", "trust_partner"])
def test_roles_without_training_see_nothing(world, client_for, role):
    response = client_for(role).get(notes_url(world))
    assert response.status_code == 403
    assert not shows_leader_notes(response)


def test_only_staff_admin_reads_leave_a_sensitive_read(world, client_for):
    for role in ("leader", "staff_programme", "headteacher"):
        client_for(role).get(notes_url(world))
    assert not AuditEvent.objects.filter(action=AuditAction.SENSITIVE_READ).exists()


def test_programme_staff_read_the_notes_of_a_leader_they_coach(world, client_for):
    response = client_for("staff_programme").get(notes_url(world, "enrol_b1"))
    assert response.status_code == 200
    assert NOTE_TEXTS["b1_coaching"] in page(response)
    assert note_reads(world.users["staff_programme"]) == 0


# --- Writing notes ------------------------------------------------------------------------------------------------
def test_the_coach_adds_a_coaching_note_through_the_page(world):
    coach = world.training["coach"]
    response = client_as(coach).post(
        notes_url(world), {"kind": NoteKind.COACHING, "held_on": "2022-11-07", "text": "  Second visit.  "}
    )
    assert response.status_code == 302
    note = SupervisionNote.objects.get(text="Second visit.")
    assert (note.author, note.kind, note.held_on) == (coach, NoteKind.COACHING, dt.date(2022, 11, 7))
    assert note.enrolment == world.training["enrol_leader"]


def test_the_supervisor_may_not_file_a_coaching_note(world):
    response = client_as(world.training["supervisor"]).post(
        notes_url(world), {"kind": NoteKind.COACHING, "held_on": "2022-11-07", "text": "Not mine to write."}
    )
    assert response.status_code == 400
    assert not SupervisionNote.objects.filter(text="Not mine to write.").exists()


@pytest.mark.parametrize("role", ["leader", "staff_admin", "staff_programme"])
def test_nobody_but_the_coach_and_supervisor_writes(world, client_for, role):
    response = client_for(role).post(
        notes_url(world), {"kind": NoteKind.COACHING, "held_on": "2022-11-07", "text": "An intruder's note."}
    )
    assert response.status_code == 403
    assert not SupervisionNote.objects.filter(text="An intruder's note.").exists()
    assert "Add a note" not in client_for(role).get(notes_url(world)).content.decode()


def test_add_note_refuses_the_wrong_author_an_empty_note_and_a_future_date(world):
    enrolment, coach, supervisor = (world.training[k] for k in ("enrol_leader", "coach", "supervisor"))
    today = dt.date.today()
    with pytest.raises(ValidationError, match="Only this leader's coach may write coaching notes"):
        notes.add_note(enrolment=enrolment, author=supervisor, kind=NoteKind.COACHING, held_on=today, text="x")
    with pytest.raises(ValidationError, match="Only this leader's supervisor"):
        notes.add_note(
            enrolment=enrolment, author=world.users["staff_admin"], kind="supervision", held_on=today, text="x"
        )
    with pytest.raises(ValidationError, match="Write the note"):
        notes.add_note(enrolment=enrolment, author=coach, kind=NoteKind.COACHING, held_on=today, text="   ")
    with pytest.raises(ValidationError, match="cannot be in the future"):
        notes.add_note(
            enrolment=enrolment, author=coach, kind=NoteKind.COACHING, held_on=today + dt.timedelta(days=1), text="x"
        )
    note = notes.add_note(enrolment=enrolment, author=supervisor, kind=NoteKind.SUPERVISION, held_on=today, text="y")
    assert note.pk is not None


def test_a_coach_who_is_also_supervisor_may_write_both_kinds(world):
    enrolment = world.training["enrol_b1"]
    enrolment.supervisor = world.users["staff_programme"]
    enrolment.save()
    assert notes.kinds_for(enrolment, world.users["staff_programme"]) == [NoteKind.COACHING, NoteKind.SUPERVISION]
    assert notes.kinds_for(enrolment, world.users["staff_admin"]) == []
