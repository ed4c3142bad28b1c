"""The pipeline page's export: the rows its filters select, audited, for programme staff only."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from difference.accounts.models import AuditAction, AuditEvent
from difference.recruitment.models import Stage
from difference.recruitment.tests.factories import (
    ApplicationFactory,
    RecruitmentRoundFactory,
    SubmittedApplicationFactory,
)


def _world():  # type: ignore[no-untyped-def]
    recruitment_round = RecruitmentRoundFactory(year=2031)
    submitted = SubmittedApplicationFactory(recruitment_round=recruitment_round, person__first_name="Sam")
    ApplicationFactory(recruitment_round=recruitment_round, person__first_name="@Dee", stage=Stage.DRAFT)
    return recruitment_round, submitted


def test_the_pipeline_exports_only_the_stage_it_is_filtered_to(world, client_for):
    recruitment_round, submitted = _world()
    response = client_for("staff_programme").get(
        f"/recruitment/rounds/{recruitment_round.year}/pipeline/", {"stage": Stage.SUBMITTED, "format": "csv"}
    )
    assert "pipeline-2031.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [submitted.reference]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="recruitment.application")
    assert "stage=submitted" in event.detail and "1 rows" in event.detail


def test_the_dedicated_export_address_takes_the_same_filters_and_neutralises_formulas(world, client_for):
    recruitment_round, _ = _world()
    url = f"/recruitment/rounds/{recruitment_round.year}/pipeline/export/"
    response = client_for("staff_admin").get(url, {"stage": Stage.DRAFT, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "'@Dee"


def test_an_unreadable_filter_on_the_export_address_is_a_clear_400(world, client_for):
    recruitment_round, _ = _world()
    url = f"/recruitment/rounds/{recruitment_round.year}/pipeline/export/"
    response = client_for("staff_admin").get(url, {"stage": "nonsense"})
    assert response.status_code == 400
    assert b"stage" in response.content


def test_an_assessor_may_not_export_the_pipeline(world, client_for):
    recruitment_round, _ = _world()
    url = f"/recruitment/rounds/{recruitment_round.year}/pipeline/"
    assert client_for("assessor").get(url, {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
