"""Lists without filters export through the same mechanism: ledger, diversity figures, engagements."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from difference.accounts.models import AuditAction, AuditEvent


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_cohort_ledger_exports_each_enrolment_with_attended_and_required_hours(world, client_for):
    url = f"/training/cohorts/{world.cohort.pk}/ledger/"
    client = client_for("staff_programme")
    assert b"format=xlsx" in client.get(url).content
    rows = _csv(client.get(url, {"format": "csv"}).content)
    assert rows[0][:5] == ["First name", "Last name", "Email", "Status", "Risk"]
    assert "Twilights: required (hours)" in rows[0]
    assert sorted(row[0] for row in rows[1:]) == ["Lena", "Omar"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="training.enrolment").exists()


def test_the_diversity_figures_export_keeps_small_counts_suppressed(world, client_for):
    response = client_for("staff_admin").get("/people/diversity/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows, "one line per answer"
    # The world has two enrolled people: every count is below the threshold and must not be in the file.
    assert all(row[3] is None and row[7] for row in rows)


def test_a_trust_partner_reads_the_diversity_figures_but_may_not_export_them(world, client_for):
    client = client_for("trust_partner")
    assert client.get("/people/diversity/").status_code == 200
    assert b"format=csv" not in client.get("/people/diversity/").content
    assert client.get("/people/diversity/", {"format": "csv"}).status_code == 403


def test_the_engagements_list_exports_for_staff_and_not_for_the_trust_partner(world, client_for):
    rows = _csv(client_for("staff_research").get("/consultancy/", {"format": "csv"}).content)
    assert rows[0][:3] == ["Trust", "Trust UID", "Engagement"]
    assert len(rows) - 1 == 2
    assert client_for("trust_partner").get("/consultancy/", {"format": "csv"}).status_code == 403


def test_the_cohort_list_exports_each_cohort_with_its_enrolment_counts(world, client_for):
    client = client_for("staff_programme")
    assert b"format=csv" in client.get("/training/").content
    rows = _csv(client.get("/training/", {"format": "csv"}).content)
    assert rows[0] == ["Cohort", "Programme", "Year", "Target", "Enrolled", "Completed", "Withdrawn"]
    (line,) = [row for row in rows[1:] if row[2] == "2022"]
    assert line[3:5] == ["20", "2"]
    assert client_for("leader").get("/training/", {"format": "csv"}).status_code == 403


def test_a_placement_round_exports_its_vacancies_and_its_candidates_separately(world, client_for):
    url = f"/placements/{world.placements['round'].year}/"
    client = client_for("staff_programme")
    page = client.get(url).content
    assert b"list=vacancies&amp;format=csv" in page and b"list=candidates&amp;format=xlsx" in page
    vacancies = _csv(client.get(url, {"list": "vacancies", "format": "csv"}).content)
    assert vacancies[0][:4] == ["No.", "School", "URN", "Post"]
    assert sorted(row[3] for row in vacancies[1:]) == ["Assistant Head", "Head of SEND"]
    candidates = _csv(client.get(url, {"list": "candidates", "format": "csv"}).content)
    assert candidates[0][:3] == ["First name", "Last name", "Email"]
    assert len(candidates) - 1 == 3
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="placements.candidate").exists()


def test_the_jobs_list_exports_with_its_filters_for_staff_only(world, client_for):
    rows = _csv(client_for("staff_research").get("/jobs/", {"state": "failed", "format": "csv"}).content)
    assert rows[0][:3] == ["Job", "Kind", "State"]
    assert [row[2] for row in rows[1:]] == ["Failed"]
    assert client_for("trust_partner").get("/jobs/", {"format": "csv"}).status_code == 403
