from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from difference.accounts.models import AuditAction, AuditEvent
from difference.accounts.tests.factories import TEST_PASSWORD, UserFactory


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def all_audit_text() -> str:
    return " ".join(
        " ".join(str(v) for v in row)
        for row in AuditEvent.objects.values_list("actor_label", "object_type", "object_id", "path", "detail")
    )


@pytest.mark.django_db
def test_a_login_is_recorded_with_who_and_when():
    user = UserFactory(role="leader", email="lena@example.org")
    Client().post("/accounts/login/", {"login": "lena@example.org", "password": TEST_PASSWORD})
    [event] = events(AuditAction.LOGIN)
    assert event.actor == user
    assert event.object_id == str(user.pk)
    assert event.at.utcoffset().total_seconds() == 0


@pytest.mark.django_db
def test_a_failed_login_is_recorded_without_the_password():
    UserFactory(role="leader", email="lena@example.org")
    Client().post("/accounts/login/", {"login": "lena@example.org", "password": "canary-Pa55word!"})
    [event] = events(AuditAction.LOGIN_FAILED)
    assert "lena@example.org" in event.detail
    assert "canary-Pa55word!" not in all_audit_text()


@pytest.mark.django_db
def test_line_breaks_in_a_login_name_cannot_forge_audit_lines():
    Client().post("/accounts/login/", {"login": "x@example.org\r\nadmin logged in", "password": "nope"})
    for event in AuditEvent.objects.all():
        assert "\n" not in event.detail and "\r" not in event.detail


def test_reading_special_category_data_is_recorded_without_the_values(world, client_for):
    person = world.people["leader_a1"]
    response = client_for("staff_admin").get(f"/people/{person.pk}/demographics/")
    assert response.status_code == 200
    assert b"Black, Black British" in response.content
    [event] = events(AuditAction.SENSITIVE_READ)
    assert event.actor == world.users["staff_admin"]
    assert event.object_type == "people.demographics"
    assert event.object_id == str(person.pk)
    text = all_audit_text().lower()
    assert "black" not in text and "woman" not in text


def test_a_refused_request_for_someone_elses_record_is_recorded(world, client_for):
    school = world.schools["b1"]
    response = client_for("headteacher").get(f"/schools/{school.urn}/")
    assert response.status_code == 404
    [event] = events(AuditAction.AUTHZ_DENIED)
    assert event.actor == world.users["headteacher"]
    assert event.object_id == str(school.pk)


def test_a_refused_role_is_recorded(world, client_for):
    assert client_for("assessor").get("/schools/").status_code == 403
    [event] = events(AuditAction.AUTHZ_DENIED)
    assert "view_schools" in event.detail


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted_through_the_orm():
    event = AuditEvent.objects.create(action=AuditAction.EXPORT, actor_label="someone")
    event.detail = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(detail="rewritten")
    assert AuditEvent.objects.get().detail == ""


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists only in PostgreSQL")
def test_postgresql_refuses_raw_updates_and_deletes_of_audit_events():
    AuditEvent.objects.create(action=AuditAction.EXPORT, actor_label="someone")
    for sql in ("UPDATE accounts_auditevent SET detail = 'x'", "DELETE FROM accounts_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_deleting_a_user_keeps_their_audit_trail():
    user = UserFactory(role="leader", email="gone@example.org")
    AuditEvent.objects.create(action=AuditAction.EXPORT, actor=user, actor_label=user.email)
    user_pk = user.pk
    user.delete()
    event = AuditEvent.objects.get()
    assert event.actor_id == user_pk
    assert event.actor_label == "gone@example.org"
