"""The demo trust's report as its readers see it: key findings and contents on the first screen, the first chart
within the first two, and nothing axe calls serious; for a research officer and for the trust's own partner."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from difference.accounts.models import Membership
from difference.benchmarks.comparisons import LA_SERIES
from difference.benchmarks.services import load_dfe_files
from difference.consultancy.models import Engagement
from difference.demo.consultancy import ENGAGEMENT_TITLE, load_consultancy

pytestmark = pytest.mark.browser

SCREEN = {"width": 1280, "height": 800}
# The first chart must start within the first two screens.
FIRST_CHART_BY = 1600


@pytest.fixture
def demo_report(world: Any) -> Engagement:
    """The demo's invented 39-school trust with its pupil-level data, against DfE's LA series."""
    load_dfe_files(paths=[LA_SERIES])
    load_consultancy()
    engagement = Engagement.objects.select_related("trust").get(title=ENGAGEMENT_TITLE)
    Membership.objects.get_or_create(user=world.users["trust_partner"], trust=engagement.trust)
    return engagement


@pytest.mark.parametrize("role", ["staff_research", "trust_partner"])
def test_the_report_opens_on_its_key_findings_and_contents_with_the_first_chart_close_below(
    page: Any, world: Any, demo_report: Engagement, login_with_session, assert_accessible, role: str
):
    page.set_viewport_size(SCREEN)
    login_with_session(world.users[role])
    page.goto(f"/consultancy/{demo_report.pk}/report/")

    findings = page.get_by_role("region", name="Key findings")
    contents = page.get_by_role("navigation", name="Contents")
    expect(findings).to_contain_text("outside the 95% funnel limits")
    expect(findings).to_contain_text("Widest gaps above England")
    expect(findings).to_contain_text("times the rate of")
    for part in (findings, contents):
        box = part.bounding_box()
        assert box is not None and box["y"] + box["height"] <= SCREEN["height"], (part, box)
    expect(
        contents.get_by_role("link", name="Funnel plots: each school against England, allowing for its size")
    ).to_be_visible()
    chart = page.locator("svg.chart[role=img]").first
    box = chart.bounding_box()
    assert box is not None and box["y"] < FIRST_CHART_BY, box

    # A contents link leads to its section; the data tables open from their summaries.
    contents.get_by_role("link", name="Disproportionality: which pupils are excluded or suspended").click()
    expect(page.get_by_role("heading", name="Disproportionality", exact=False).first).to_be_in_viewport()
    page.get_by_text("The data behind the plot").first.click()
    expect(page.get_by_role("table").filter(has_text="the data behind the plot").first).to_be_visible()
    assert_accessible()


def test_the_html_link_opens_the_report_as_a_page(page: Any, world: Any, demo_report: Engagement, login_with_session):
    login_with_session(world.users["trust_partner"])
    page.goto(f"/consultancy/{demo_report.pk}/report/")
    page.get_by_role("link", name="HTML").click()
    expect(page.get_by_role("heading", name="Key findings")).to_be_visible()
    assert page.url.endswith("/report.html")
