"""The staff pipeline export: stages and scores, never diversity data, and safe to open in Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from difference.core.exports import csv_bytes, xlsx_bytes
from difference.people.models import AgeBand, Disability, EthnicGroup, Gender
from difference.people.tests.factories import DemographicsFactory, PersonFactory
from difference.recruitment.exports import PIPELINE_HEADER, pipeline_filename, pipeline_rows
from difference.recruitment.models import (
    Application,
    CentreDecision,
    Decision,
    Offer,
    OfferStatus,
    RecruitmentRound,
    Stage,
)

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")


@pytest.fixture
def recruitment_round() -> RecruitmentRound:
    opens = dt.datetime(2021, 11, 1, 9, tzinfo=UK)
    return RecruitmentRound.objects.create(year=2022, opens_at=opens, closes_at=opens + dt.timedelta(days=90))


@pytest.fixture
def applications(recruitment_round: RecruitmentRound) -> dict[str, Application]:
    mallory = PersonFactory(first_name='=HYPERLINK("http://evil.example","Click me")', last_name="Mallory")
    ada = PersonFactory(first_name="Ada", last_name="Adams", email="ada@example.org")
    DemographicsFactory(
        person=ada,
        gender=Gender.NON_BINARY,
        ethnic_group=EthnicGroup.MIXED,
        disability=Disability.YES,
        age_band=AgeBand.AGE_45_54,
    )
    offered = Application.objects.create(
        recruitment_round=recruitment_round,
        person=ada,
        stage=Stage.ACCEPTED,
        submitted_at=dt.datetime(2022, 1, 10, 23, 30, tzinfo=dt.UTC),
        sift_score=Decimal("4.25"),
        centre_score=Decimal("3.50"),
    )
    CentreDecision.objects.create(application=offered, decision=Decision.OFFER, rationale="Strong")
    Offer.objects.create(application=offered, status=OfferStatus.ACCEPTED, responded_at=offered.submitted_at)
    draft = Application.objects.create(recruitment_round=recruitment_round, person=mallory)
    return {"offered": offered, "draft": draft}


def test_the_pipeline_lists_each_application_with_its_stage_scores_decision_and_offer(recruitment_round, applications):
    header, rows = pipeline_rows(recruitment_round)

    assert header == PIPELINE_HEADER
    table = list(rows)
    assert table[0] == [
        applications["offered"].reference,
        "Ada",
        "Adams",
        "ada@example.org",
        "Offer accepted",
        dt.datetime(2022, 1, 10, 23, 30),  # GMT in January: UK time is UTC
        Decimal("4.25"),
        Decimal("3.50"),
        "Offer",
        "Accepted",
    ]
    assert table[1][4:] == ["Draft", None, None, None, "", ""]


def test_the_pipeline_export_contains_no_diversity_data(recruitment_round, applications):
    header, rows = pipeline_rows(recruitment_round)
    written = list(csv.reader(io.StringIO(csv_bytes(header, rows).decode("utf-8-sig"), newline="")))

    for name in written[0]:
        assert not any(word in name.lower() for word in ("gender", "ethnic", "disab", "age band", "diversity"))
    diversity = {
        str(text).lower()
        for choices in (Gender, EthnicGroup, Disability, AgeBand)
        for pair in choices.choices
        for text in pair
    }
    assert {cell.lower() for row in written[1:] for cell in row} & diversity == set()


def test_a_formula_in_a_name_comes_out_neutralised_in_both_formats(recruitment_round, applications):
    header, rows = pipeline_rows(recruitment_round)
    table = list(rows)

    csv_rows = list(csv.reader(io.StringIO(csv_bytes(header, table).decode("utf-8-sig"), newline="")))
    assert csv_rows[2][1] == '\'=HYPERLINK("http://evil.example","Click me")'
    sheet = load_workbook(io.BytesIO(xlsx_bytes(header, table))).worksheets[0]
    assert sheet["B3"].data_type == "s"
    assert sheet["B3"].value == '\'=HYPERLINK("http://evil.example","Click me")'
    assert sheet["G2"].value == 4.25  # scores stay numbers


def test_the_export_is_read_in_a_fixed_number_of_queries(recruitment_round, applications, django_assert_num_queries):
    header, rows = pipeline_rows(recruitment_round)
    with django_assert_num_queries(1):
        assert len(list(rows)) == 2


def test_the_download_is_named_after_the_round(recruitment_round):
    assert pipeline_filename(recruitment_round, "xlsx") == "pipeline-2022.xlsx"


def test_the_command_writes_the_pipeline_as_an_xlsx_file(tmp_path, recruitment_round, applications):
    output = tmp_path / "pipeline.xlsx"
    out = StringIO()

    call_command("export_pipeline", "2022", "--format", "xlsx", "--output", str(output), stdout=out)

    assert out.getvalue().strip() == f"Wrote 2 applications of the 2022 round to {output}."
    rows = list(load_workbook(output).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == tuple(PIPELINE_HEADER)
    assert rows[1][1:5] == ("Ada", "Adams", "ada@example.org", "Offer accepted")


def test_the_command_writes_csv_by_default(tmp_path, recruitment_round, applications):
    output = tmp_path / "pipeline.csv"

    call_command("export_pipeline", "2022", "--output", str(output), stdout=StringIO())

    assert output.read_bytes().startswith(b"\xef\xbb\xbfReference,First name")


def test_the_command_refuses_an_unknown_round(tmp_path, db):
    with pytest.raises(CommandError, match="There is no 2019 recruitment round."):
        call_command("export_pipeline", "2019", "--output", str(tmp_path / "x.csv"), stdout=StringIO())
