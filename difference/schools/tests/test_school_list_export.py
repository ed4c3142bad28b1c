"""The schools registry as a file, with the page's filters."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from difference.accounts.models import AuditAction, AuditEvent
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory


def test_the_schools_export_holds_the_schools_of_the_chosen_local_authority(world, client_for):
    # An authority code no real one has: this package's tests may see the whole shipped registry beside the world.
    authority = LocalAuthorityFactory(code="Z01", name="Nowhere")
    SchoolFactory(name="Beta AP Academy", local_authority=authority)
    SchoolFactory(name="Beta Primary", local_authority=authority)
    response = client_for("staff_research").get("/schools/", {"local_authority": authority.pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["URN", "Name"]
    assert sorted(row[1] for row in rows[1:]) == ["Beta AP Academy", "Beta Primary"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="schools.school").count() == 1


def test_the_schools_xlsx_keeps_urns_as_numbers(world, client_for):
    response = client_for("staff_admin").get("/schools/", {"q": "Alpha PRU", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert list(sheet.iter_rows(min_row=2, values_only=True))[0][:2] == (world.schools["a1"].urn, "Alpha PRU")


def test_a_trust_partner_reads_the_registry_but_may_not_export_it(world, client_for):
    client = client_for("trust_partner")
    assert client.get("/schools/").status_code == 200
    assert client.get("/schools/", {"format": "xlsx"}).status_code == 403


def test_a_headteacher_with_one_school_gets_no_filter_form(world, client_for):
    assert b'class="filters"' not in client_for("headteacher").get("/schools/").content
