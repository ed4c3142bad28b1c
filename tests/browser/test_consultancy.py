"""A research officer uploads a trust's pupil-level file and reads the report; the trust partner has the PDF made
and downloads it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from difference.accounts.models import AuditAction, AuditEvent
from difference.benchmarks.services import load_dfe_files
from difference.consultancy.imports import PUPIL_COLUMNS
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.browser

LA_SERIES = Path(__file__).resolve().parents[2] / "difference" / "benchmarks" / "data" / "exc_nat_region_la.csv.gz"


def _file(urns: list[int]) -> bytes:
    lines = [",".join(PUPIL_COLUMNS)]
    for school, urn in enumerate(urns):
        for n in range(400):
            suspensions = 1 if n < 20 + 15 * school else 0
            lines.append(f"B{school}-{n:04d},{urn},{7 + n % 5},none,{'yes' if n % 4 == 0 else 'no'},white,"
                         f"{suspensions},no,320,{30 if n % 6 == 0 else 8}")  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


def test_a_pupil_file_uploaded_in_the_browser_becomes_a_report_the_trust_can_download(
    page: Any, world: Any, login_with_session, assert_accessible
):
    load_dfe_files(paths=[LA_SERIES])
    la = LocalAuthorityFactory(code="330", name="Birmingham")
    urns = [
        SchoolFactory(name=f"Browser Secondary {n}", phase="Secondary", trust=world.trusts["trust_a"],
                      local_authority=la).urn
        for n in range(3)
    ]  # fmt: skip
    engagement = world.consultancy["own"]
    login_with_session(world.users["staff_research"])
    page.goto(f"/consultancy/{engagement.pk}/")
    page.get_by_label("Pupil-level (one row per pupil, pseudonymous)").check()
    page.get_by_label("File").set_input_files({"name": "pupils.csv", "mimeType": "text/csv", "buffer": _file(urns)})
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("pupils.csv: 1,200 rows read, 1,200 written, 0 skipped, 0 errors")).to_be_visible()
    uploads = page.get_by_role("table", name="Files accepted for this engagement, newest first")
    # The file, its template, its 1,200 rows for 3 schools, when, and in use.
    cells = ["pupils.csv", re.compile("Pupil-level"), "1200", "3", re.compile("by"), "yes"]
    expect(uploads.locator("tbody tr").first.locator("td")).to_have_text(cells)

    page.get_by_role("link", name="Open the report").click()
    expect(
        page.get_by_role("heading", name="Funnel plots: each school against England, allowing for its size")
    ).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    # 50 of 400 pupils suspended is far above England's 7.12 per 100 for secondaries; each plot's data table
    # opens from its summary.
    for summary in page.get_by_text(re.compile(r"^The data behind the plot")).all():
        summary.click()
    table = page.get_by_role(
        "table", name="Pupils with one or more suspensions, state-funded secondary schools: the data behind the plot"
    )
    row = table.get_by_role("row", name="Browser Secondary 2")
    expect(row).to_contain_text("well above what its size would lead us to expect")
    assert_accessible()

    login_with_session(world.users["trust_partner"])
    page.goto(f"/consultancy/{engagement.pk}/report/")
    page.get_by_role("link", name="PDF").click()
    page.get_by_role("button", name="Prepare the PDF").click()
    # The PDF is drawn by a background job (here run at once); its page offers the download.
    expect(page.get_by_role("heading", name="Done")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download .*\.pdf$")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=world.users["trust_partner"])
    assert set(exports.values_list("object_type", flat=True)) == {"consultancy.engagement", "jobs.job"}
