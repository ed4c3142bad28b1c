"""The benchmarks path a member of staff takes: national trends, every area compared, one LA, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.benchmarks.services import load_dfe_files
from difference.benchmarks.tests.test_comparisons import HEADER, ROWS

pytestmark = pytest.mark.browser


@pytest.fixture
def statistics(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "browser_benchmarks.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    load_dfe_files(paths=[path])


def test_staff_go_from_national_trends_to_the_comparison_to_an_la_and_back(
    page: Any, live_server: Any, statistics: None, login_with_session, assert_accessible
):
    login_with_session(UserFactory(role=Role.STAFF_RESEARCH))
    page.goto("/benchmarks/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("National trends")

    page.locator("#area-comparison-link").click()
    expect(page).to_have_url(f"{live_server.url}/benchmarks/areas/")
    table = page.locator("#area-results table")
    expect(table.get_by_role("row", name="Camden")).to_contain_text("lower than England")
    assert_accessible()

    # Changing a choice refreshes the table in place (htmx) and keeps the address shareable.
    page.get_by_label("Measure").select_option("suspension_rate")
    expect(page.locator("#results-heading")).to_contain_text("Suspensions per 100 pupils in 2016/17")
    expect(page).to_have_url(
        f"{live_server.url}/benchmarks/areas/?measure=suspension_rate&year=2016%2F17&school_type=Total&order=region"
    )
    expect(table.get_by_role("row", name="Lincolnshire")).to_contain_text("not available")

    page.get_by_role("link", name="Camden").click()
    expect(page).to_have_url(f"{live_server.url}/benchmarks/areas/E09000007/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Camden")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name="Back to the regions and local authorities").click()
    expect(page).to_have_url(f"{live_server.url}/benchmarks/areas/")
    page.go_back()
    page.go_back()
    expect(page.locator("#results-heading")).to_contain_text("Suspensions per 100 pupils")


def test_a_schools_figures_page_is_accessible(
    page: Any, live_server: Any, statistics: None, login_with_session, assert_accessible
):
    from difference.benchmarks.tests.test_comparisons import LAESTAB
    from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory

    camden = LocalAuthorityFactory(code="202", gss_code="E09000007", name="Camden")
    school = SchoolFactory(name="Camden Primary", laestab=LAESTAB, local_authority=camden)
    login_with_session(UserFactory(role=Role.STAFF_PROGRAMME))
    page.goto(f"/schools/{school.urn}/")
    page.get_by_role("link", name="Exclusions and suspensions compared with its local authority and England").click()
    expect(page.get_by_role("table").first).to_contain_text("Camden Primary")
    assert_accessible()
