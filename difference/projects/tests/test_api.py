"""The projects API by role: what each sees, what each may change, and that changes follow the import's rules."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from difference.projects.imports import COLUMNS
from difference.projects.models import Absence, Assessment, AuditRating, Pupil, Stage
from difference.projects.tests.test_imports import csv_file, row


def url(name: str, project) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"api:project-{name}", kwargs={"pk": project.pk})


def stored() -> tuple[int, int, int]:
    return Pupil.objects.count(), Assessment.objects.count(), Absence.objects.count()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff_programme", {"a1", "b1"}),
        ("staff_research", {"a1", "b1"}),
        ("leader", {"a1"}),
        ("headteacher", {"a1"}),
        ("trust_partner", {"a1"}),
    ],
)
def test_each_role_lists_only_the_projects_in_its_scope(world, client_for, role, expected):
    ids = {world.projects[key].pk: key for key in ("a1", "b1")}
    response = client_for(role).get(reverse("api:project-list"))
    assert response.status_code == 200
    assert {ids[item["id"]] for item in response.json()["results"]} == expected


def test_a_project_shows_its_school_leader_and_measures(world, client_for):
    body = client_for("headteacher").get(url("detail", world.projects["a1"])).json()
    assert body["school"] == world.schools["a1"].urn and body["leader"] == "Lena Leader"
    assert [m["id"] for m in body["measures"]] == [world.projects["measure_a1"].pk]


def test_the_leader_changes_their_plan_and_stage_but_not_what_the_project_is(world, client_for):
    project = world.projects["a1"]
    response = client_for("leader").patch(
        url("detail", project),
        {"stage": Stage.RUNNING, "aims": "Every pupil reads daily.", "title": "Renamed"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    project.refresh_from_db()
    assert project.stage == Stage.RUNNING and project.aims == "Every pupil reads daily."
    assert project.title != "Renamed"


@pytest.mark.parametrize(
    ("role", "scope", "expected"),
    [
        ("staff_programme", "b1", 200),
        ("staff_research", "a1", 403),
        ("headteacher", "a1", 403),
        ("trust_partner", "a1", 403),
        ("leader", "b1", 404),
        ("headteacher", "b1", 404),
        ("assessor", "a1", 403),
    ],
)
def test_only_the_projects_leader_and_programme_staff_change_its_plan(world, client_for, role, scope, expected):
    project = world.projects[scope]
    response = client_for(role).patch(url("detail", project), {"stage": Stage.PLAN}, content_type="application/json")
    assert response.status_code == expected
    project.refresh_from_db()
    assert (project.stage == Stage.PLAN) == (expected == 200)


def test_the_leader_rates_the_start_audit_and_a_second_rating_replaces_the_first(world, client_for):
    project = world.projects["a1"]
    statements = list(world.projects["template"].sections.values_list("statements", flat=True))
    client = client_for("leader")
    ratings = [{"statement": pk, "rating": 2, "evidence": ""} for pk in statements]
    body = {"round": "start", "completed_on": "2022-10-01", "ratings": ratings}
    assert client.post(url("audits", project), body, content_type="application/json").status_code == 201
    again = {"round": "start", "ratings": [{"statement": statements[0], "rating": 4, "evidence": "Library rota"}]}
    assert client.post(url("audits", project), again, content_type="application/json").status_code == 201
    audits = client_for("headteacher").get(url("audits", project)).json()
    assert [(a["round"], a["completed_on"]) for a in audits] == [("start", "2022-10-01")]
    assert sorted(r["rating"] for r in audits[0]["ratings"]) == [2, 2, 4]


def test_an_audit_rating_outside_the_scale_or_the_template_is_refused_and_nothing_is_written(world, client_for):
    project = world.projects["a1"]
    statement = world.projects["template"].sections.values_list("statements", flat=True).first()
    for ratings in ([{"statement": statement, "rating": 5}], [{"statement": 999999, "rating": 1}]):
        body = {"round": "end", "ratings": ratings}
        response = client_for("leader").post(url("audits", project), body, content_type="application/json")
        assert response.status_code == 400
        assert "ratings" in response.json()["errors"]
    assert not AuditRating.objects.exists() and not project.audits.exists()


def test_a_headteacher_reads_their_schools_pupils_by_code_and_a_trust_partner_is_refused(world, client_for):
    project = world.projects["a1"]
    body = client_for("headteacher").get(url("pupils", project)).json()
    assert [p["code"] for p in body["results"]] == ["A1-01", "A1-02", "A1-03"]
    assert client_for("trust_partner").get(url("pupils", project)).status_code == 403
    assert client_for("trust_partner").get(url("assessments", project)).status_code == 403


def test_the_leader_adds_a_pupil_by_code_but_never_a_name_or_a_code_twice(world, client_for):
    project = world.projects["a1"]
    client = client_for("leader")
    pupil = {"code": "A1-04", "birth_year": 2012, "birth_month": 3, "year_group": 7, "sen": "support", "fsm": True}
    assert client.post(url("pupils", project), pupil, content_type="application/json").status_code == 201
    assert Pupil.objects.get(project=project, code="A1-04").sen == "support"
    twice = client.post(url("pupils", project), pupil, content_type="application/json")
    assert twice.status_code == 400
    named = client.post(url("pupils", project), pupil | {"code": "Jane Smith"}, content_type="application/json")
    assert named.status_code == 400 and "keeps no names" in str(named.json())
    assert Pupil.objects.filter(project=project).count() == 4


def test_a_round_posted_by_the_leader_is_stored_with_its_absences(world, client_for):
    project, measure = world.projects["a1"], world.projects["measure_a1"]
    body = {
        "measure": measure.pk,
        "held_on": "2023-07-10",
        "test_form": "B",
        "results": [{"pupil": "A1-01", "value": "11:06"}, {"pupil": "A1-02", "absent": True}],
    }
    response = client_for("leader").post(url("assessments", project), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"assessments": 1, "absences": 1}
    assert Assessment.objects.get(pupil__code="A1-01", assessed_on=dt.date(2023, 7, 10)).value == Decimal(138)
    listed = client_for("staff_research").get(url("assessments", project), {"measure": measure.pk}).json()
    assert listed["count"] == 7


def test_a_round_with_bad_results_is_refused_by_pupil_code_and_nothing_is_written(world, client_for):
    project, measure = world.projects["a1"], world.projects["measure_a1"]
    before = stored()
    body = {
        "measure": measure.pk,
        "held_on": "2023-07-10",
        "results": [{"pupil": "A1-01", "value": "9.7"}, {"pupil": "Z-99", "value": "10:00"}],
    }
    response = client_for("staff_programme").post(url("assessments", project), body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"A1-01", "Z-99"} and "ambiguous" in errors["A1-01"][0]
    assert stored() == before


def test_the_leader_uploads_a_results_file_and_a_dry_run_stores_nothing(world, client_for):
    project = world.projects["a1"]
    client = client_for("leader")
    before = stored()
    dry = client.post(url("upload", project), {"file": csv_file(COLUMNS, [row("N-01")]), "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["written"] == 0 and stored() == before
    response = client.post(url("upload", project), {"file": csv_file(COLUMNS, [row("N-01"), row("N-02")])})
    assert response.status_code == 201, response.json()
    assert response.json()["summary"] == "results.csv: 2 rows read, 2 written, 0 skipped, 0 errors"
    assert Pupil.objects.filter(project=project, code__in=["N-01", "N-02"]).count() == 2


def test_an_uploaded_file_with_faults_is_refused_with_every_fault_by_row(world, client_for):
    project = world.projects["a1"]
    before = stored()
    file = csv_file([*COLUMNS, "surname"], [[*row("N-01"), "Smith"]])
    response = client_for("staff_programme").post(url("upload", project), {"file": file})
    assert response.status_code == 400
    assert response.json()["problems"][0].startswith("Row 1, surname: Column “surname” looks like")
    assert stored() == before


@pytest.mark.parametrize(("role", "scope", "expected"), [("trust_partner", "a1", 403), ("headteacher", "b1", 404)])
def test_an_upload_outside_ones_rights_is_refused_before_the_file_is_read(world, client_for, role, scope, expected):
    before = stored()
    file = io.BytesIO(csv_file(COLUMNS, [row("N-01")]).getvalue())
    file.name = "results.csv"
    response = client_for(role).post(url("upload", world.projects[scope]), {"file": file})
    assert response.status_code == expected and stored() == before


def test_a_measure_filter_too_long_for_an_id_is_ignored_rather_than_failing(world, client_for):
    response = client_for("leader").get(url("assessments", world.projects["a1"]), {"measure": "9" * 25})
    assert response.status_code == 200 and response.json()["count"] == 6
