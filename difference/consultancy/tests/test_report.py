"""The engagement report: per-school rates with n and interval, funnels against England, each school beside its LA
and England, disproportionality; rendered as HTML, PDF and XLSX, each export audited."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from difference.accounts.models import AuditAction, AuditEvent
from difference.benchmarks.services import load_dfe_files
from difference.consultancy.imports import PUPIL_COLUMNS, upload_data
from difference.consultancy.models import Engagement
from difference.consultancy.report import build_report
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory

LA_SERIES = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "exc_nat_region_la.csv.gz"
NEUTRAL = re.compile(r"\b(good|bad|worse|better|worst|best)\b", re.IGNORECASE)


def _pupils(urn: int, count: int, *, suspended: int, excluded: int, prefix: str) -> list[list[object]]:
    rows = []
    for n in range(count):
        sen = "sen_support" if n % 7 == 0 else ("ehc_plan" if n % 23 == 0 else "none")
        ethnicity = ["white", "asian", "black", "mixed", "white", "white", "other"][n % 7]
        rows.append([
            f"{prefix}{n:05d}", urn, "8", sen, "yes" if n % 4 == 0 else "no", ethnicity,
            2 if n < suspended else 0, "yes" if n < excluded else "no", 320, 40 if n % 5 == 0 else 10,
        ])  # fmt: skip
    return rows


@pytest.fixture
def engagement(world) -> Engagement:
    """Trust A's engagement with six Birmingham secondaries, one with three exclusions (a small cell)."""
    load_dfe_files(paths=[LA_SERIES])
    birmingham = LocalAuthorityFactory(code="330", name="Birmingham")
    engagement = world.consultancy["own"]
    rows: list[list[object]] = []
    plan = [(900, 60, 0), (1100, 300, 3), (1000, 40, 5), (800, 70, 2), (1200, 90, 0), (700, 200, 9)]
    for number, (size, suspended, excluded) in enumerate(plan):
        school = SchoolFactory(
            name=f"Report Secondary {number}", phase="Secondary", trust=world.trusts["trust_a"],
            local_authority=birmingham,
        )  # fmt: skip
        rows += _pupils(school.urn, size, suspended=suspended, excluded=excluded, prefix=f"S{number}-")
    content = "\n".join(",".join(str(v) for v in row) for row in [PUPIL_COLUMNS, *rows]).encode()
    upload = io.BytesIO(content)
    upload.name = "pupils.csv"
    result = upload_data(engagement, upload, kind="pupil")
    assert result.ok, result.errors[:3]
    return engagement


def test_the_report_places_each_secondary_against_englands_2022_23_secondary_rate(engagement):
    report = build_report(engagement)
    assert report.source == "pupil-level" and len(report.lines) == 6
    one_plus = next(f for f in report.funnels if f.measure.key == "one_plus_suspension_rate")
    assert one_plus.school_type == "State-funded secondary"
    # DfE's 2022/23 state-funded secondary figure, computed from its exact counts.
    assert one_plus.centre.rate == Decimal("7.12214") and one_plus.centre.basis == "computed"
    bands = {p.name: p.band for p in one_plus.points}
    # 300 of 1,100 (27%) is far above 7%; 40 of 1,000 (4%) below it.
    assert bands["Report Secondary 1"] == "well_above"
    assert bands["Report Secondary 2"] == "well_below"
    assert all(p.limits is not None and p.limits.n == p.n for p in one_plus.points)


def test_each_school_stands_beside_birmingham_and_england_for_the_same_year_and_type(engagement):
    line = build_report(engagement).lines[0]
    position = line.positions["permanent_exclusion_rate"]
    assert position.local_authority is not None and position.england is not None
    assert (position.local_authority.area, position.local_authority.rate) == ("Birmingham", Decimal("0.23664"))
    assert position.england.rate == Decimal("0.22186") and position.england.year == "2022/23"


def test_a_small_count_is_withheld_with_its_reason_in_the_table_and_the_funnel(engagement):
    report = build_report(engagement)
    three = next(line for line in report.lines if line.school.name == "Report Secondary 1")
    rate = three.rates["permanent_exclusion_rate"]
    assert rate.per_100 is None and "fewer than 5 — suppressed" in rate.as_text()
    funnel = next(f for f in report.funnels if f.measure.key == "permanent_exclusion_rate")
    point = next(p for p in funnel.points if p.name == "Report Secondary 1")
    assert point.count is None and point.rate is None and point.band is None


def test_the_html_report_shows_every_rate_with_its_n_and_interval_and_neutral_words(engagement, client_for):
    response = client_for("staff_research").get(f"/consultancy/{engagement.pk}/report/")
    assert response.status_code == 200
    # The charts' point labels name a school's rate and size; the table beside each chart carries the interval.
    text = re.sub(r"<svg.*?</svg>", "", response.content.decode(), flags=re.DOTALL)
    rates = re.findall(r"\d+\.\d+ per 100 (?:pupils|sessions) \(([^)]*)\)", text)
    assert len(rates) > 40
    assert all("95% CI" in inside and re.search(r"\d", inside) for inside in rates)
    assert "fewer than 5 — suppressed" in text
    assert "above what its size would lead us to expect" in text
    assert not NEUTRAL.search(re.sub(r"<[^>]+>", " ", text))
    assert response.content.decode().count("<svg") == 3 and "Disproportionality" in text


def test_the_pdf_report_has_the_figures_and_suppression_in_its_text_and_is_audited(engagement, client_for, world):
    response = client_for("trust_partner").get(f"/consultancy/{engagement.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Trust A" in text and "Report Secondary 4" in text
    assert "95% CI" in text and "suppressed" in text
    assert "7.12214" in text  # England's rate at the centre of the secondary funnels
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.object_type, event.object_id) == ("consultancy.engagement", str(engagement.pk))
    assert event.actor == world.users["trust_partner"] and "PDF" in event.detail


def test_the_xlsx_report_withholds_small_cells_as_blanks_with_the_reason(engagement, client_for):
    response = client_for("staff_admin").get(f"/consultancy/{engagement.pk}/report.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[:4] == ["About", "Schools", "Against LA and England", "Funnel plots"]
    rows = list(workbook["Schools"].iter_rows(values_only=True))
    withheld = [r for r in rows if r[1] == "Report Secondary 1" and r[3] == "Permanent exclusion rate"]
    assert withheld == [(withheld[0][0], "Report Secondary 1", "Secondary", "Permanent exclusion rate", None, None,
                         None, None, None, "fewer than 5 — suppressed")]  # fmt: skip
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__contains="XLSX").count() == 1


def test_the_html_export_is_a_self_contained_document_and_is_audited(engagement, client_for):
    response = client_for("staff_research").get(f"/consultancy/{engagement.pk}/report.html")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert text.startswith("<!doctype html>") and "<link" not in text and "<script" not in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__contains="HTML").count() == 1


def test_an_engagement_with_no_data_reports_that_plainly(world, client_for):
    response = client_for("staff_research").get(f"/consultancy/{world.consultancy['other'].pk}/report.pdf")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "No data has been uploaded for this engagement yet." in text


def test_the_api_report_withholds_a_small_count_as_null_with_its_reason(engagement, client_for):
    payload = client_for("trust_partner").get(f"/api/v1/engagements/{engagement.pk}/report/").json()
    assert payload["data_source"] == "pupil-level" and len(payload["schools"]) == 6
    school = next(s for s in payload["schools"] if s["name"] == "Report Secondary 1")
    excluded = next(r for r in school["rates"] if r["measure"] == "permanent_exclusion_rate")
    assert excluded == {
        "measure": "permanent_exclusion_rate", "count": None, "denominator": None, "per_100": None,
        "low_per_100": None, "high_per_100": None, "withheld_because": "fewer than 5 — suppressed",
    }  # fmt: skip
    suspended = next(r for r in school["rates"] if r["measure"] == "one_plus_suspension_rate")
    assert (suspended["count"], suspended["denominator"]) == (300, 1100)
    assert suspended["low_per_100"] < suspended["per_100"] < suspended["high_per_100"]


def test_an_api_upload_with_a_bad_row_stores_nothing_and_lists_the_fault(world, client_for):
    engagement = world.consultancy["own"]
    bad = io.BytesIO(f"{','.join(PUPIL_COLUMNS)}\nP1,{world.schools['a1'].urn},9,none,no,white,0,no,10,11\n".encode())
    bad.name = "pupils.csv"
    response = client_for("staff_research").post(
        f"/api/v1/engagements/{engagement.pk}/upload/", {"kind": "pupil", "file": bad}
    )
    assert response.status_code == 400
    assert response.json()["problems"] == ["Row 2, sessions_missed: More sessions missed than possible (10)."]
    assert not engagement.pupil_returns.exists()
