"""The people list as CSV and XLSX: exactly the filtered rows, safe in a spreadsheet, audited, staff only."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from difference.accounts.models import AuditAction, AuditEvent
from difference.people.tests.factories import PersonFactory


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_export_holds_exactly_the_people_the_filters_select(world, client_for):
    response = client_for("staff_programme").get("/people/", {"q": "omar", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "people.csv" in response["Content-Disposition"]
    rows = _csv_rows(response.content)
    assert rows[0][:3] == ["First name", "Last name", "Email"]
    assert [row[:2] for row in rows[1:]] == [["Omar", "Other"]]


def test_the_xlsx_export_holds_every_page_of_the_filtered_people(world, client_for):
    for n in range(60):
        PersonFactory(first_name="Zed", last_name=f"Bulk{n:02d}")
    response = client_for("staff_admin").get("/people/", {"q": "zed", "format": "xlsx", "page": "2"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 61
    assert {row[0] for row in values[1:]} == {"Zed"}


def test_a_formula_in_a_name_is_neutralised_in_both_formats(world, client_for):
    PersonFactory(first_name='=HYPERLINK("http://x")', last_name="@Sum", job_title="-1+2")
    client = client_for("staff_admin")
    rows = _csv_rows(client.get("/people/", {"q": "hyperlink", "format": "csv"}).content)
    assert rows[1][:2] == ['\'=HYPERLINK("http://x")', "'@Sum"]
    assert rows[1][3] == "'-1+2"
    sheet = load_workbook(io.BytesIO(client.get("/people/", {"q": "hyperlink", "format": "xlsx"}).content)).active
    first, last = next(sheet.iter_rows(min_row=2, values_only=True))[:2]
    assert (first, last) == ('\'=HYPERLINK("http://x")', "'@Sum")


def test_every_export_is_audited_with_its_row_count_and_filters(world, client_for):
    client_for("staff_programme").get("/people/", {"q": "omar", "format": "csv"})
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="people.person")
    assert event.actor == world.users["staff_programme"]
    assert "1 rows" in event.detail
    assert "q=omar" in event.detail


def test_a_headteacher_sees_the_list_but_may_not_export_it(world, client_for):
    client = client_for("headteacher")
    assert client.get("/people/").status_code == 200
    assert b"format=csv" not in client.get("/people/").content
    assert client.get("/people/", {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert AuditEvent.objects.filter(action=AuditAction.AUTHZ_DENIED).exists()


def test_the_export_links_carry_the_current_filters(world, client_for):
    response = client_for("staff_admin").get("/people/", {"q": "omar", "page": "1"}, HTTP_HX_REQUEST="true")
    assert b'href="/people/?q=omar&amp;format=csv"' in response.content
    assert b'href="/people/?q=omar&amp;format=xlsx"' in response.content


def test_an_unreadable_filter_gives_the_page_with_its_error_not_a_file(world, client_for):
    response = client_for("staff_admin").get("/people/", {"cohort": "many", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_a_leader_who_sees_one_person_gets_no_filter_form_but_staff_do(world, client_for):
    assert b'class="filters"' not in client_for("leader").get("/people/").content
    assert b'class="filters"' in client_for("staff_programme").get("/people/").content
