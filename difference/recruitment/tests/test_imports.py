"""Importing past rounds' applications: all or nothing, every fault reported by spreadsheet row."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from difference.core.files import RowError
from difference.core.imports import Counts, ImportOutcome, error_report
from difference.core.tests.summaries import assert_summary_shape
from difference.people.models import Demographics, Person
from difference.people.tests.factories import DemographicsFactory, PersonFactory
from difference.placements.models import Candidate
from difference.recruitment.imports import TEMPLATE_HEADER, import_applications
from difference.recruitment.models import (
    Application,
    CentreDecision,
    Offer,
    OfferStatus,
    RecruitmentRound,
    Stage,
    StageChange,
)

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
# One row of each outcome, in turn: (shortlisted, centre score?, decision, offer status) and the stage it gives.
OUTCOMES = [
    ("", False, "", "", Stage.SUBMITTED),
    ("no", False, "", "", Stage.NOT_SHORTLISTED),
    ("yes", False, "", "", Stage.SHORTLISTED),
    ("yes", True, "", "", Stage.INVITED),
    ("yes", True, "decline", "", Stage.NOT_SELECTED),
    ("yes", True, "reserve", "", Stage.RESERVE),
    ("yes", True, "reserve", "made", Stage.OFFERED),
    ("yes", True, "offer", "accepted", Stage.ACCEPTED),
    ("yes", True, "offer", "declined", Stage.OFFER_DECLINED),
    ("yes", True, "offer", "withdrawn", Stage.OFFER_WITHDRAWN),
]
GENDERS = ["woman", "man", "non_binary", "prefer_not_to_say", ""]


def _round(year: int) -> RecruitmentRound:
    opens = dt.datetime(year - 1, 11, 1, 9, tzinfo=UK)
    return RecruitmentRound.objects.create(year=year, opens_at=opens, closes_at=opens + dt.timedelta(days=90))


@pytest.fixture
def rounds() -> dict[int, RecruitmentRound]:
    return {year: _round(year) for year in (2021, 2022)}


def applicant_rows(count: int, year: int = 2022) -> list[dict[str, Any]]:
    """``count`` valid rows, cycling through every outcome, typed as a spreadsheet would hold them."""
    rows = []
    for n in range(count):
        shortlisted, scored, decision, offer_status, _ = OUTCOMES[n % len(OUTCOMES)]
        rows.append(
            {
                "round_year": year,
                "first_name": f"Applicant{n}",
                "last_name": "Example",
                "email": f"applicant{n}@example.org",
                "submitted_on": dt.date(year - 1, 12, 1) + dt.timedelta(days=n % 60),
                "sift_score": 1 + (n % 17) * 0.25,
                "shortlisted": shortlisted,
                "centre_score": 2.5 + (n % 6) * 0.5 if scored else None,
                "decision": decision,
                "offer_status": offer_status,
                "gender": GENDERS[n % len(GENDERS)],
                "age_band": "35_44" if n % 2 else "",
            }
        )
    return rows


def write_xlsx(path: Path, rows: list[dict[str, Any]], header: list[str] = TEMPLATE_HEADER) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name) for name in header])
    workbook.save(path)
    return path


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def counts() -> dict[str, int]:
    models = (Person, Application, StageChange, CentreDecision, Offer, Demographics, Candidate)
    return {model.__name__: model.objects.count() for model in models}


def run(path: Path, **kwargs: Any) -> ImportOutcome:
    kwargs.setdefault("may_write_demographics", True)
    return import_applications(path, **kwargs)


# --- The 1,000-row file ----------------------------------------------------------------------------------------------
@pytest.fixture
def thousand_rows(rounds: dict[int, RecruitmentRound]) -> list[dict[str, Any]]:
    return applicant_rows(1000)


def test_a_file_with_three_bad_rows_writes_nothing_and_names_exactly_those_rows(tmp_path, thousand_rows):
    rows = [dict(row) for row in thousand_rows]
    rows[10]["email"] = "not-an-email"  # spreadsheet row 12
    rows[500]["sift_score"] = 7  # row 502
    assert rows[901]["shortlisted"] == "no"
    rows[901]["decision"] = "decline"  # row 903: a decision for someone never shortlisted
    before = counts()

    result = run(write_xlsx(tmp_path / "past.xlsx", rows))

    assert result.errors == [
        RowError(12, "email", "“not-an-email” is not a valid email address."),
        RowError(502, "sift_score", "Scores run from 1 to 5; this is 7."),
        RowError(903, "decision", "A centre decision needs shortlisted = yes."),
    ]
    assert result.rows_written == 0
    assert result.summary() == "past.xlsx: 1,000 rows read, 0 written, 0 skipped, 3 errors — nothing written"
    assert counts() == before


def test_the_corrected_file_imports_all_1000_applications_with_their_history(tmp_path, thousand_rows):
    # One applicant is already known to the platform, under an email that differs only in case.
    known = PersonFactory(first_name="Known", last_name="Before", email="Applicant7@Example.org")
    before = counts()

    result = run(write_xlsx(tmp_path / "past.xlsx", thousand_rows))

    assert result.errors == []
    # The known applicant is matched, so their person record is unchanged.
    assert result.counts == {"applications": Counts(created=1000), "people": Counts(created=999, unchanged=1)}
    assert result.summary() == "past.xlsx: 1,000 rows read, 1,000 written, 0 skipped, 0 errors"
    assert result.details() == [
        "applications: 1,000 created, 0 updated, 0 unchanged",
        "people: 999 created, 0 updated, 1 unchanged",
        "rounds: 2022",
    ]
    after = counts()
    assert after["Person"] - before["Person"] == 999
    assert after["Application"] == 1000
    # Everyone submitted; 800 were shortlisted; 800 moved on from where those two records leave them.
    assert after["StageChange"] == 1000 + 800 + 800
    assert after["CentreDecision"] == 600
    assert after["Offer"] == 400
    assert after["Candidate"] == 100

    applications = Application.objects.filter(recruitment_round__year=2022)
    assert Counter(applications.values_list("stage", flat=True)) == {stage: 100 for *_, stage in OUTCOMES}
    assert applications.filter(imported=True).count() == 1000

    first = Application.objects.get(person__email="applicant0@example.org")
    assert first.submitted_at == dt.datetime(2021, 12, 1, 12, tzinfo=UK)
    assert first.sift_score == Decimal("1.00")
    assert first.centre_score is None
    assert list(first.stage_changes.values_list("from_stage", "to_stage", "reason")) == [("", "submitted", "Imported")]

    accepted = Application.objects.select_related("offer", "centre_decision").get(person=known)
    assert accepted.stage == Stage.ACCEPTED
    assert (accepted.sift_score, accepted.centre_score) == (Decimal("2.75"), Decimal("3.00"))
    assert accepted.offer.status == OfferStatus.ACCEPTED
    assert accepted.offer.responded_at == accepted.offer.made_at
    assert accepted.centre_decision.decision == "offer"
    assert accepted.centre_decision.rationale == "Imported from past.xlsx"
    assert list(accepted.stage_changes.values_list("from_stage", "to_stage", "reason")) == [
        ("", "submitted", "Imported"),
        ("submitted", "shortlisted", "Imported: shortlisted"),
        ("shortlisted", "accepted", "Imported: offer accepted"),
    ]
    assert Candidate.objects.filter(person=known, placement_round__year=2022).exists()
    known.refresh_from_db()
    assert (known.first_name, known.email) == ("Known", "Applicant7@Example.org")  # the platform's record stands

    made = Application.objects.select_related("offer").get(person__email="applicant6@example.org")
    assert (made.stage, made.offer.status, made.offer.responded_at) == (Stage.OFFERED, OfferStatus.MADE, None)


def test_demographics_are_written_for_everyone_who_answered(tmp_path, thousand_rows):
    run(write_xlsx(tmp_path / "past.xlsx", thousand_rows))

    # Rows with neither a gender nor an age band (every tenth) leave no record.
    assert Demographics.objects.count() == 900
    record = Demographics.objects.get(person__email="applicant1@example.org")
    assert (record.gender, record.ethnic_group, record.age_band) == ("man", "", "35_44")


# --- Reading files ----------------------------------------------------------------------------------------------------
def test_it_reads_a_windows_1252_csv_with_a_plain_header_and_uk_dates(tmp_path, rounds):
    path = write_csv(
        tmp_path / "old.csv",
        [
            "Round Year,First Name,Last Name,Email,Submitted On,Sift Score,Shortlisted",
            "2021,Zoë,Ångström,zoe@example.org,05/03/2021,4.5,Yes",
            "2021,Siân,O'Brien,sian@example.org,1/2/2021,,",
            ",,,,,,",
        ],
        encoding="cp1252",
    )

    result = run(path)

    assert result.errors == []
    assert result.rows_read == 2
    zoe = Application.objects.select_related("person").get(person__email="zoe@example.org")
    assert (zoe.person.first_name, zoe.person.last_name) == ("Zoë", "Ångström")
    assert zoe.submitted_at == dt.datetime(2021, 3, 5, 12, tzinfo=UK)
    assert (zoe.stage, zoe.sift_score) == (Stage.SHORTLISTED, Decimal("4.50"))
    sian = Application.objects.get(person__email="sian@example.org")
    assert (sian.submitted_at, sian.stage) == (dt.datetime(2021, 2, 1, 12, tzinfo=UK), Stage.SUBMITTED)


def test_it_reads_utf8_with_a_byte_order_mark_and_semicolons(tmp_path, rounds):
    path = tmp_path / "export.csv"
    text = "round_year;first_name;last_name;email;submitted_on\r\n2022;Zoë;Kowalczyk;ZOE@Example.org;2022-01-31\r\n"
    path.write_bytes(text.encode("utf-8-sig"))

    result = run(path)

    assert result.errors == []
    assert Person.objects.get(email="zoe@example.org").first_name == "Zoë"


def test_a_year_saved_as_a_decimal_still_names_its_round(tmp_path, rounds):
    path = write_csv(
        tmp_path / "floats.csv",
        [
            "round_year,first_name,last_name,email,submitted_on,sift_score",
            "2022.0,Ann,Lee,ann@example.org,2022-01-02,4.0",
        ],
    )

    result = run(path)

    assert result.errors == []
    assert Application.objects.get().recruitment_round.year == 2022


def test_an_upload_is_read_from_a_file_object_under_its_own_name(rounds):
    content = "round_year,first_name,last_name,email,submitted_on\n2022,Ada,Lovelace,ada@example.org,2022-01-02\n"
    upload = io.BytesIO(content.encode())

    result = import_applications(upload, filename="upload.csv", may_write_demographics=False, dry_run=True)

    assert result.summary() == "upload.csv: 1 row read, 1 to write, 0 skipped, 0 errors — dry run, nothing written"
    assert result.details() == [
        "applications: 1 created, 0 updated, 0 unchanged",
        "people: 1 created, 0 updated, 0 unchanged",
        "rounds: 2022",
    ]
    assert not Application.objects.exists()


def test_an_old_excel_file_is_refused_with_advice(tmp_path, rounds):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))

    result = run(path)

    assert [str(e) for e in result.errors] == [
        "File: This is an old-style Excel file (.xls). Save it as .xlsx or CSV and try again."
    ]


def test_a_missing_required_column_is_reported_on_the_header_row(tmp_path, rounds):
    header = [name for name in TEMPLATE_HEADER if name not in ("email", "submitted_on")]
    result = run(write_xlsx(tmp_path / "past.xlsx", applicant_rows(3), header=header))

    assert result.errors == [RowError(1, "", "Missing required columns: email, submitted_on.")]


def test_an_unknown_column_is_reported_rather_than_silently_ignored(tmp_path, rounds):
    path = write_csv(
        tmp_path / "typo.csv",
        ["round_year,first_name,last_name,email,submitted_on,sift_scor", "2022,A,B,a@example.org,2022-01-02,3"],
    )

    result = run(path)

    assert len(result.errors) == 1
    assert result.errors[0].row == 1
    assert result.errors[0].message.startswith("Unknown column “sift_scor”. The columns are: round_year, first_name")


# --- Validating rows --------------------------------------------------------------------------------------------------
CSV_HEADER = (
    "round_year,first_name,last_name,email,submitted_on,sift_score,shortlisted,centre_score,decision,offer_status"
)


def _csv_rows(tmp_path: Path, *lines: str) -> Path:
    return write_csv(tmp_path / "rows.csv", [CSV_HEADER, *lines])


def test_every_fault_of_a_row_is_reported_with_its_column(tmp_path, rounds):
    path = _csv_rows(tmp_path, "2022,,Smith,x@example.org,31/02/2022,3.456,maybe,0,hire,made")

    result = run(path)

    assert [(e.row, e.column) for e in result.errors] == [
        (2, "first_name"),
        (2, "submitted_on"),
        (2, "sift_score"),
        (2, "shortlisted"),
        (2, "centre_score"),
        (2, "decision"),
    ]
    messages = {e.column: e.message for e in result.errors}
    assert messages["first_name"] == "Every row needs a first_name."
    assert messages["submitted_on"] == "Give the date as YYYY-MM-DD or DD/MM/YYYY."
    assert messages["sift_score"] == "Give at most 2 decimal places (this is 3.456)."
    assert messages["shortlisted"] == "“maybe” is not allowed: use one of yes, no, or leave it blank."
    assert messages["decision"] == "“hire” is not allowed: use one of offer, reserve, decline, or leave it blank."


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("2022,A,B,a@example.org,2022-01-02,,no,4,,", "centre_score", "A centre score needs shortlisted = yes."),
        (
            "2022,A,B,a@example.org,2022-01-02,,,,offer,accepted",
            "decision",
            "A centre decision needs shortlisted = yes.",
        ),
        (
            "2022,A,B,a@example.org,2022-01-02,,yes,4,decline,made",
            "offer_status",
            "An offer_status needs a decision of offer or reserve.",
        ),
        ("2022,A,B,a@example.org,2022-01-02,,yes,4,,accepted", "offer_status", "An offer_status needs a decision"),
        (
            "2022,A,B,a@example.org,2022-01-02,,yes,4,offer,",
            "offer_status",
            "A decision of offer needs an offer_status",
        ),
        ("2022,A,B,a@example.org,2099-01-02,,,,,", "submitted_on", "The date is in the future"),
        ("2022,A,B,a@example.org,2022-01-02,0.5,,,,", "sift_score", "Scores run from 1 to 5; this is 0.5."),
        ("2022,A,B,a@example.org,2022-01-02,,yes,five,,", "centre_score", "Give a number from 1 to 5"),
        ("2022,A,B,a@example.org,2022-01-02,,yes,4,offer,sent", "offer_status", "use one of made, accepted, declined"),
    ],
)
def test_inconsistent_or_out_of_range_outcomes_are_refused(tmp_path, rounds, line, column, message):
    result = run(_csv_rows(tmp_path, line))

    assert [(e.row, e.column) for e in result.errors] == [(2, column)]
    assert message in result.errors[0].message


def test_the_same_person_twice_in_a_round_is_refused_on_the_later_row(tmp_path, rounds):
    path = _csv_rows(
        tmp_path,
        "2022,Ann,Lee,ann@example.org,2022-01-02,,,,,",
        "2021,Ann,Lee,ann@example.org,2021-01-02,,,,,",
        "2022,Ann,Lee,ANN@example.org,2022-01-03,,,,,",
    )

    result = run(path)

    assert result.errors == [
        RowError(
            4,
            "email",
            "Row 2 is the same person (ann@example.org) in the same round; a person applies once per round.",
        )
    ]
    assert not Person.objects.filter(email="ann@example.org").exists()


def test_an_application_already_on_the_platform_is_refused(tmp_path, rounds):
    person = PersonFactory(email="ann@example.org")
    Application.objects.create(
        recruitment_round=rounds[2022], person=person, stage=Stage.SUBMITTED, submitted_at=rounds[2022].opens_at
    )

    result = run(
        _csv_rows(
            tmp_path, "2021,Ann,Lee,Ann@Example.org,2021-01-02,,,,,", "2022,Ann,Lee,ann@example.org,2022-01-02,,,,,"
        )
    )

    assert result.errors == [
        RowError(3, "email", "ann@example.org already has an application in the 2022 round on the platform.")
    ]
    assert Application.objects.count() == 1


def test_a_round_that_does_not_exist_must_be_created_first(tmp_path, rounds):
    result = run(
        _csv_rows(tmp_path, "2019,Ann,Lee,ann@example.org,2019-01-02,,,,,", "2019,Bo,Ng,bo@example.org,oops,,,,,")
    )

    assert result.errors == [
        RowError(2, "round_year", "There is no 2019 recruitment round on the platform. Create it first, then import."),
        RowError(3, "round_year", "There is no 2019 recruitment round on the platform. Create it first, then import."),
        RowError(3, "submitted_on", "Give the date as YYYY-MM-DD or DD/MM/YYYY."),
    ]


def test_the_error_report_can_be_downloaded_as_a_table(tmp_path, rounds):
    result = run(_csv_rows(tmp_path, "2019,Ann,Lee,ann@example.org,2019-01-02,,,,,"))

    header, rows = error_report(result.errors)

    assert header == ["row", "column", "problem"]
    assert rows == [[2, "round_year", result.errors[0].message]]


# --- Diversity data ---------------------------------------------------------------------------------------------------
def test_diversity_answers_are_refused_unless_the_user_may_write_them(tmp_path, rounds):
    before = counts()

    result = run(write_xlsx(tmp_path / "past.xlsx", applicant_rows(20)), may_write_demographics=False)

    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.row, error.column) == (None, "gender, age_band")
    assert error.message.startswith("The file contains diversity answers (rows 2, 3, 4, 5, 7 and 13 more).")
    assert "only a staff admin may import" in error.message
    assert counts() == before


def test_blank_diversity_columns_do_not_stop_an_import_by_someone_who_may_not_write_them(tmp_path, rounds):
    rows = [{**row, "gender": "", "age_band": ""} for row in applicant_rows(5)]

    result = run(write_xlsx(tmp_path / "past.xlsx", rows), may_write_demographics=False)

    assert result.errors == []
    assert Application.objects.count() == 5
    assert not Demographics.objects.exists()


def test_an_import_updates_known_demographics_without_erasing_unanswered_questions(tmp_path, rounds):
    person = PersonFactory(email="ann@example.org")
    DemographicsFactory(person=person, gender="woman", ethnic_group="asian", disability="no")
    path = write_csv(
        tmp_path / "d.csv",
        [
            "round_year,first_name,last_name,email,submitted_on,gender,ethnic_group,disability,age_band",
            "2022,Ann,Lee,ann@example.org,2022-01-02,,Mixed,,25_34",
            "2022,Bo,Ng,bo@example.org,2022-01-02,Prefer_Not_To_Say,,,",
        ],
    )

    result = run(path)

    assert result.errors == []
    ann = Demographics.objects.get(person=person)
    assert (ann.gender, ann.ethnic_group, ann.disability, ann.age_band) == ("woman", "mixed", "no", "25_34")
    bo = Demographics.objects.get(person__email="bo@example.org")
    assert (bo.gender, bo.ethnic_group) == ("prefer_not_to_say", "")


def test_an_unknown_diversity_code_lists_the_allowed_ones(tmp_path, rounds):
    path = write_csv(
        tmp_path / "d.csv",
        ["round_year,first_name,last_name,email,submitted_on,age_band", "2022,Ann,Lee,ann@example.org,2022-01-02,40"],
    )

    result = run(path)

    assert result.errors == [
        RowError(
            2,
            "age_band",
            "“40” is not allowed: use one of under_25, 25_34, 35_44, 45_54, 55_plus, prefer_not_to_say, "
            "or leave it blank.",
        )
    ]


# --- The command ------------------------------------------------------------------------------------------------------
def test_the_command_shows_progress_and_a_summary(tmp_path, rounds):
    path = write_xlsx(tmp_path / "past.xlsx", applicant_rows(250, year=2021))
    out = StringIO()

    call_command("import_applications", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[:3] == ["- Validated 100 of 250 rows", "- Validated 200 of 250 rows", "- Validated 250 of 250 rows"]
    assert "- Written 250 of 250 rows" in lines
    assert lines[-4:] == [
        "past.xlsx: 250 rows read, 250 written, 0 skipped, 0 errors",
        "  applications: 250 created, 0 updated, 0 unchanged",
        "  people: 250 created, 0 updated, 0 unchanged",
        "  rounds: 2021",
    ]
    assert_summary_shape(lines[-4])
    assert Application.objects.count() == 250
    assert Demographics.objects.exists()  # operators may import diversity answers


def test_the_command_reports_every_fault_and_exits_with_status_1_having_written_nothing(tmp_path, rounds):
    rows = applicant_rows(30)
    rows[3]["email"] = "nobody"
    rows[20]["round_year"] = 2019
    path = write_xlsx(tmp_path / "past.xlsx", rows)

    with pytest.raises(CommandError) as raised:
        call_command("import_applications", str(path), verbosity=0, stdout=StringIO())

    assert raised.value.returncode == 1
    assert str(raised.value) == (
        "past.xlsx: 30 rows read, 0 written, 0 skipped, 2 errors — nothing written\n"
        "  Row 5, email: “nobody” is not a valid email address.\n"
        "  Row 22, round_year: There is no 2019 recruitment round on the platform. Create it first, then import."
    )
    assert not Application.objects.exists()


def test_the_command_dry_run_checks_without_writing(tmp_path, rounds):
    out = StringIO()

    call_command(
        "import_applications", str(write_xlsx(tmp_path / "p.xlsx", applicant_rows(3))), "--dry-run", stdout=out
    )

    assert out.getvalue().splitlines()[-4:] == [
        "p.xlsx: 3 rows read, 3 to write, 0 skipped, 0 errors — dry run, nothing written",
        "  applications: 3 created, 0 updated, 0 unchanged",
        "  people: 3 created, 0 updated, 0 unchanged",
        "  rounds: 2022",
    ]
    assert not Person.objects.exists()


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file: .*missing.csv"):
        call_command("import_applications", str(tmp_path / "missing.csv"), stdout=StringIO())


def test_the_import_page_lists_each_bad_row_and_refuses_diversity_answers_from_programme_staff(tmp_path, rounds):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from difference.accounts.roles import Role
    from difference.accounts.tests.factories import UserFactory

    rows = applicant_rows(3)
    for row in rows:
        row.update(gender="", ethnic_group="", disability="", age_band="")
    rows[1]["email"] = "not-an-email"
    rows[2]["gender"] = "woman"
    content = write_xlsx(tmp_path / "past.xlsx", rows).read_bytes()
    client = Client()
    client.force_login(UserFactory(role=Role.STAFF_PROGRAMME))
    before = counts()
    upload = SimpleUploadedFile("past.xlsx", content)
    response = client.post(reverse("recruitment:import_applications"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "past.xlsx: 3 rows read, 0 written, 0 skipped, 2 errors — nothing written" in body
    assert "<td>3</td><td>email</td>" in body
    assert "The file contains diversity answers (row 4)" in body
    assert counts() == before

    rows[1]["email"], rows[2]["gender"] = "fixed@example.org", ""
    upload = SimpleUploadedFile("past.xlsx", write_xlsx(tmp_path / "fixed.xlsx", rows).read_bytes())
    response = client.post(reverse("recruitment:import_applications"), {"file": upload}, follow=True)
    assert "past.xlsx: 3 rows read, 3 written, 0 skipped, 0 errors" in response.content.decode()
    assert Application.objects.count() == 3


def test_the_import_page_checks_a_file_without_writing_and_shows_what_it_would_do(tmp_path, rounds):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from difference.accounts.roles import Role
    from difference.accounts.tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(role=Role.STAFF_ADMIN))
    upload = SimpleUploadedFile("past.xlsx", write_xlsx(tmp_path / "past.xlsx", applicant_rows(3)).read_bytes())

    response = client.post(reverse("recruitment:import_applications"), {"file": upload, "dry_run": "on"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<p>past.xlsx: 3 rows read, 3 to write, 0 skipped, 0 errors — dry run, nothing written</p>" in body
    assert "<li>people: 3 created, 0 updated, 0 unchanged</li><li>rounds: 2022</li>" in body
    assert not Application.objects.exists()
