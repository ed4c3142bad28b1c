"""A person's role history: who reads it, and adding a role that ends the current one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from difference.careers.models import CareerRole, RefreshRequest, Sector, Source
from difference.training.models import Enrolment, EnrolmentStatus


def test_programme_staff_add_a_new_current_role_and_the_old_one_ends_the_day_before(world, client_for):
    lena = world.careers["leader_a1"]
    data = {"title": "Deputy Head", "level": 3, "school": world.schools["a2"].urn, "starts_on": "2024-09-01"}
    response = client_for("staff_programme").post(f"/careers/people/{lena.pk}/roles/", data)
    assert response.status_code == 302
    roles = list(CareerRole.objects.filter(person=lena).order_by("starts_on"))
    assert roles[-2].ends_on == dt.date(2024, 8, 31)
    new = roles[-1]
    assert (new.title, new.ends_on, new.source, new.sector) == ("Deputy Head", None, Source.STAFF, Sector.MAINSTREAM)


def test_a_role_starting_before_the_current_one_is_refused_and_nothing_changes(world, client_for):
    lena = world.careers["leader_a1"]
    before = list(CareerRole.objects.filter(person=lena).values_list("pk", "ends_on"))
    data = {"title": "Deputy Head", "level": 3, "employer": "Camden LA", "sector": "local_authority"}
    response = client_for("staff_programme").post(
        f"/careers/people/{lena.pk}/roles/", {**data, "starts_on": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "starts on or after this one" in response.content.decode()
    assert list(CareerRole.objects.filter(person=lena).values_list("pk", "ends_on")) == before


def test_a_role_with_neither_school_nor_employer_is_refused(world, client_for):
    lena = world.careers["leader_a1"]
    response = client_for("staff_admin").post(
        f"/careers/people/{lena.pk}/roles/", {"title": "Adviser", "level": 2, "starts_on": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "Give the school" in response.content.decode()


def test_an_alumnus_reads_their_own_history_on_their_person_page(world, client_for):
    page = client_for("leader").get(world.careers["leader_a1"].get_absolute_url()).content.decode()
    assert "Head of Year 9" in page and "baseline" in page


def test_programme_staff_see_who_has_not_answered_the_refresh_on_home_and_in_the_alumni_list(world, client_for):
    lena = world.careers["leader_a1"]
    Enrolment.objects.filter(person=lena).update(status=EnrolmentStatus.COMPLETED)
    RefreshRequest.objects.create(person=lena, nonce="x" * 43, expires_at=timezone.now() + dt.timedelta(days=9))
    client = client_for("staff_programme")
    assert "1 alumnus has not answered the career refresh" in client.get("/").content.decode()
    page = client.get("/careers/alumni/", {"refresh": "waiting"}).content.decode()
    assert "Lena" in page and "not answered" in page
