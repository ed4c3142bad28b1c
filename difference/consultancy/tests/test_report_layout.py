# ruff: noqa: F811 - the shared fixture `engagement` is imported and then asked for by name
"""The report reads from its key findings down: findings in words, contents, charts before the long tables, and
no figure with more than 2 decimals on the page, in the HTML export or in the PDF."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from pypdf import PdfReader

from difference.consultancy.charts import DotRow, ForestRow, dot_chart, forest_chart
from difference.consultancy.report import build_report
from difference.consultancy.tests.test_report import _report_file, engagement  # noqa: F401 - the shared fixture

TOO_PRECISE = re.compile(r"(?<![\d.])\d+\.\d{3,}(?![\d.])")


def _visible_text(html: str) -> str:
    """The text a reader sees: no tags, no attribute values (SVG coordinates are not figures)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_key_findings_name_the_schools_outside_the_limits_the_widest_gap_and_the_largest_ratio(engagement):
    report = build_report(engagement)
    texts = {finding.section: finding.text for finding in report.findings}
    assert set(texts) == {"funnels", "positions", "disproportionality"}
    # Report Secondary 1 (300 of 1,100 suspended) and 5 (200 of 700) are far above England's secondary rate.
    assert "outside the 95% funnel limits" in texts["funnels"] and "Report Secondary" in texts["funnels"]
    assert "Widest gaps above England" in texts["positions"] and "local authority" in texts["positions"]
    # These pupils' SEN and ethnic groups are spread evenly across the schools: no clear difference to report.
    assert texts["disproportionality"] == "No pupil group's rate differs clearly from its comparison group's."
    for text in texts.values():
        assert not TOO_PRECISE.search(text), text


def test_the_report_page_puts_findings_and_contents_before_the_first_chart_and_the_long_tables(engagement, client_for):
    html = client_for("trust_partner").get(f"/consultancy/{engagement.pk}/report/").content.decode()
    findings, contents = html.index('id="findings"'), html.index('id="contents"')
    first_chart, school_table = html.index("<svg"), html.index('id="schools"')
    assert findings < contents < first_chart < school_table
    for section in build_report(engagement).sections:
        assert f'href="#{section.anchor}"' in html and f'id="{section.anchor}"' in html


def test_no_figure_on_the_report_page_or_in_its_html_export_has_more_than_two_decimals(engagement, client_for):
    client = client_for("staff_research")
    for url in (f"/consultancy/{engagement.pk}/report/", f"/consultancy/{engagement.pk}/report.html"):
        text = _visible_text(client.get(url).content.decode())
        assert not TOO_PRECISE.findall(text), (url, TOO_PRECISE.findall(text)[:5])


def test_the_pdf_has_a_cover_a_contents_page_numbered_pages_and_no_figure_beyond_two_decimals(
    engagement, client_for, django_capture_on_commit_callbacks
):
    response = _report_file(client_for("trust_partner"), engagement.pk, "pdf", django_capture_on_commit_callbacks)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert "Key findings" not in pages[0] and "Trust A" in pages[0]  # the cover stands alone
    assert "Key findings" in pages[1]
    contents = next(i for i, text in enumerate(pages) if "Contents" in text and "Funnel plots" in text)
    assert contents <= 2 and re.search(r"Funnel plots.*?\.\s*\d+", pages[contents], re.DOTALL)
    assert f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert not TOO_PRECISE.findall(" ".join(pages))


def test_the_forest_plot_draws_a_line_at_one_and_an_interval_per_shown_group():
    svg = forest_chart(
        chart_id="f",
        title="Permanent exclusion",
        desc="Ratios",
        rows=[
            ForestRow("EHC plan vs no SEN", 3.2, 1.8, 5.6),
            ForestRow("Chinese vs all other", None, None, None, "withheld"),
        ],
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find("{http://www.w3.org/2000/svg}title").text == "Permanent exclusion"
    assert 'class="no-difference"' in svg and svg.count('class="estimate"') == 1 and "withheld" in svg
    assert "3.20 (95% CI 1.80–5.60)" in svg


def test_the_dot_chart_has_a_row_per_school_with_its_la_and_england_in_the_tooltip():
    svg = dot_chart(
        chart_id="d",
        title="Suspensions",
        desc="Each school",
        rows=[DotRow("Oak Academy", 12.345, 10.0, 18.89525), DotRow("Ash School", None, 9.0, 18.9, "suppressed")],
        x_label="Suspensions per 100 pupils",
    )
    ET.fromstring(svg)
    assert svg.count('class="row"') == 2
    assert "Oak Academy: school 12.35 per 100, local authority 10.00 per 100, England 18.90 per 100" in svg
    assert not TOO_PRECISE.search(_visible_text(svg))
