"""The engagement report: per-school rates with n and interval, funnels against England, each school beside its LA
and England, disproportionality; rendered as HTML, PDF and XLSX, each export audited."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from difference.accounts.models import AuditAction, AuditEvent
from difference.benchmarks.services import load_dfe_files
from difference.consultancy import analysis
from difference.consultancy.analysis import GROUPINGS, PARTS
from difference.consultancy.imports import PUPIL_COLUMNS, upload_data
from difference.consultancy.models import Engagement
from difference.consultancy.report import ETHNICITY_LABELS, SEN_LABELS, build_report
from difference.core.stats import SECONDARY_REASON
from difference.core.tests.disclosure import worked_out
from difference.jobs.models import Job
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
    html = response.content.decode()
    assert html.count('class="chart funnel"') == 3 and html.count('class="chart dots"') == 3
    assert html.count('class="chart forest"') == len(analysis.OUTCOMES) and "Disproportionality" in text


def _report_file(client: Any, pk: int, file_format: str, on_commit: Any) -> Any:
    """Ask for the report as ``file_format``, as its page does: a job makes it; the job's page offers the file."""
    with on_commit(execute=True):
        started = client.post(reverse(f"consultancy:report_{file_format}_prepare", kwargs={"pk": pk}))
    assert started.status_code == 302, started.content
    job = Job.objects.get(pk=started["Location"].rstrip("/").rsplit("/", 1)[1])
    assert job.state == "done", job.error
    download = client.get(reverse("jobs:job_file", kwargs={"pk": job.pk}))
    content = b"".join(download.streaming_content)
    return HttpResponse(content, status=download.status_code, headers=dict(download.items()))


def test_the_pdf_report_has_the_figures_and_suppression_in_its_text_and_is_audited(
    engagement, client_for, world, django_capture_on_commit_callbacks
):
    response = _report_file(client_for("trust_partner"), engagement.pk, "pdf", django_capture_on_commit_callbacks)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Trust A" in text and "Report Secondary 4" in text
    assert "95% CI" in text and "suppressed" in text
    assert "7.12" in text and "7.12214" not in text  # England's rate at the centre, to the report's 2 decimals
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="consultancy.engagement")
    assert event.object_id == str(engagement.pk)
    assert event.actor == world.users["trust_partner"] and "PDF" in event.detail


def test_the_xlsx_report_withholds_small_cells_as_blanks_with_the_reason(
    engagement, client_for, django_capture_on_commit_callbacks
):
    response = _report_file(client_for("staff_admin"), engagement.pk, "xlsx", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[:4] == ["About", "Schools", "Against LA and England", "Funnel plots"]
    rows = list(workbook["Schools"].iter_rows(values_only=True))
    withheld = [r for r in rows if r[1] == "Report Secondary 1" and r[3] == "Permanent exclusion rate"]
    assert withheld == [(withheld[0][0], "Report Secondary 1", "Secondary", "Permanent exclusion rate", None, None,
                         None, None, None, "fewer than 5 — suppressed")]  # fmt: skip
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert exports.filter(object_type="consultancy.engagement", detail__contains="XLSX").count() == 1
    assert exports.filter(object_type="jobs.job", detail__startswith="job result").count() == 1


def test_the_html_export_is_a_self_contained_document_and_is_audited(engagement, client_for):
    response = client_for("staff_research").get(f"/consultancy/{engagement.pk}/report.html")
    # Opened as a page in the browser, not downloaded; the name is kept for "Save as".
    assert response["Content-Disposition"].startswith("inline;")
    text = response.content.decode()
    assert text.startswith("<!doctype html>") and "<link" not in text and "<script" not in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__contains="HTML").count() == 1


def test_an_engagement_with_no_data_reports_that_plainly(world, client_for, django_capture_on_commit_callbacks):
    other = world.consultancy["other"].pk
    response = _report_file(client_for("staff_research"), other, "pdf", django_capture_on_commit_callbacks)
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


# --- Secondary suppression ------------------------------------------------------------------------------------------
EXCLUDED = {0: (), 1: range(10, 13), 2: range(10, 16), 3: (*range(10, 15), 80, 81), 4: range(10, 18)}


def _protected_row(school: int, urn: int, n: int) -> list[object]:
    """Pupil ``n`` of school ``school``: three Asian pupils in one school, six with an EHC plan in another; the
    two pupils with SEN support excluded are the only SEN exclusions in the trust."""
    ethnicity = "asian" if (school, n) in {(2, 0), (2, 1), (2, 2)} else ("black" if n % 10 == 9 else "white")
    sen = "ehc_plan" if school == 4 and 90 <= n < 96 else ("sen_support" if 80 <= n < 88 else "none")
    return [
        f"Q{school}-{n:03d}", urn, "9", sen, "yes" if n % 5 == 0 else "no", ethnicity, 1 if n % 4 == 1 else 0,
        "yes" if n in EXCLUDED[school] else "no", 320, 40 if n % 5 == 0 else 10,
    ]  # fmt: skip


@pytest.fixture
def protected(world) -> Engagement:
    """Five Birmingham secondaries of 100 pupils; permanent exclusions 0, 3, 6, 7 and 8, so the school with three
    is the only small cell beside the trust's total of 24."""
    load_dfe_files(paths=[LA_SERIES])
    birmingham = LocalAuthorityFactory(code="330", name="Birmingham")
    engagement = world.consultancy["own"]
    rows: list[list[object]] = []
    for number in range(5):
        school = SchoolFactory(
            name=f"Protected Secondary {number}", phase="Secondary", trust=world.trusts["trust_a"],
            local_authority=birmingham,
        )  # fmt: skip
        rows += [_protected_row(number, school.urn, n) for n in range(100)]
    content = "\n".join(",".join(str(v) for v in row) for row in [PUPIL_COLUMNS, *rows]).encode()
    upload = io.BytesIO(content)
    upload.name = "pupils.csv"
    assert upload_data(engagement, upload, kind="pupil").ok
    return engagement


def test_no_school_suppressed_in_the_report_can_be_worked_out_from_the_trusts_total(protected, client_for):
    payload = client_for("trust_partner").get(f"/api/v1/engagements/{protected.pk}/report/").json()

    limit = payload["small_cell_threshold"]
    trust = {rate["measure"]: rate for rate in payload["trust"]}
    for measure, total in trust.items():
        assert total["count"] is not None  # every trust-wide figure is large enough to show
        rates = {s["urn"]: next(r for r in s["rates"] if r["measure"] == measure) for s in payload["schools"]}
        reasons = {urn: rate["withheld_because"] for urn, rate in rates.items()}
        for figure in ("count", "denominator"):
            cells = {urn: rate[figure] for urn, rate in rates.items()}
            assert worked_out(total[figure], cells, reasons, limit) == [], (measure, figure, cells, reasons)
    excluded = {s["name"]: next(r for r in s["rates"] if r["measure"] == "permanent_exclusion_rate") for s in
                payload["schools"]}  # fmt: skip
    assert excluded["Protected Secondary 1"]["withheld_because"] == "fewer than 5 — suppressed"
    # The smallest other school (no exclusions) is withheld with it, so 24 less the rest is not the three.
    assert excluded["Protected Secondary 0"] == {
        "measure": "permanent_exclusion_rate", "count": None, "denominator": None, "per_100": None,
        "low_per_100": None, "high_per_100": None, "withheld_because": SECONDARY_REASON,
    }  # fmt: skip
    assert excluded["Protected Secondary 2"]["count"] == 6
    funnel = next(f for f in payload["funnels"] if f["measure"] == "permanent_exclusion_rate")
    points = {p["urn"]: p for p in funnel["points"]}
    zero = next(s["urn"] for s in payload["schools"] if s["name"] == "Protected Secondary 0")
    assert points[zero]["count"] is None and points[zero]["per_100"] is None
    assert points[zero]["position"] is None and points[zero]["wording"] == SECONDARY_REASON


def _part_figures(report: Any) -> Iterator[tuple[str, tuple[str, ...], dict[str, Any], dict[str, str]]]:
    """For each outcome and each set of parts that makes up the trust's pupils, what the report shows of each part
    ((count, n), or None where withheld) and the reason given for it."""
    groupings = {g.key: g for g in GROUPINGS}
    for outcome in report.disproportionality:
        shown: dict[str, tuple[int, int] | None] = {}
        reasons: dict[str, str] = {}
        for c in outcome.comparisons:
            grouping = groupings[c.grouping]
            sides = [(grouping.key, grouping.group_label, c.group)]
            if grouping.reference_part:
                sides.append((grouping.reference_part, grouping.reference_label, c.reference))
            for part, label, estimate in sides:
                if estimate is not None:
                    shown[part] = (estimate.numerator, estimate.n)
                else:
                    shown.setdefault(part, None)
                    prefix = f"{label[0].upper()}{label[1:]}: "
                    if c.suppressed_reason.startswith(prefix):
                        reasons[part] = c.suppressed_reason.removeprefix(prefix)
                    elif c.suppressed_reason == SECONDARY_REASON:
                        reasons.setdefault(part, SECONDARY_REASON)
        for parts in PARTS:
            yield outcome.outcome.key, parts, {p: shown[p] for p in parts}, {p: reasons.get(p, "") for p in parts}


def test_no_group_suppressed_in_the_disproportionality_tables_can_be_worked_out_from_the_total(protected):
    report = build_report(protected)
    pupils = _pupil_records(protected)
    assert report.trust_total is not None
    assert report.trust_total["permanent_exclusion_rate"].estimate.numerator == 24  # type: ignore[union-attr]

    checked = 0
    for key, parts, shown, reasons in _part_figures(report):
        # What a reader has from the trust's own rates, or from any comparison's two sides: the whole.
        outcome = next(o for o in analysis.OUTCOMES if o.key == key)
        rows = [r for r in pupils if outcome.included(r)]
        totals = (sum(outcome.events(r) for r in rows), len(rows))
        for figure in (0, 1):
            cells = {p: None if v is None else v[figure] for p, v in shown.items()}
            assert worked_out(totals[figure], cells, reasons, report.threshold) == [], (key, parts, shown, reasons)
            checked += 1
    assert checked == 2 * len(analysis.OUTCOMES) * len(PARTS)
    by_outcome = {o.outcome.key: {c.grouping: c for c in o.comparisons} for o in report.disproportionality}
    exclusions = by_outcome["permanent_exclusion"]
    # SEN: two exclusions among pupils with SEN, so "no SEN" (the trust's total less them) goes from the EHC plan
    # comparison too, which would otherwise show it.
    assert exclusions["sen_any"].suppressed_reason == "Pupils with SEN (support or EHC plan): fewer than 5 — suppressed"
    assert exclusions["sen_ehc_plan"].suppressed_reason == SECONDARY_REASON
    assert exclusions["sen_ehc_plan"].reference is None and exclusions["sen_ehc_plan"].ratio is None
    # Ethnicity: three Asian pupils, and every pupil in the trust is White, Black or Asian, so an empty group is
    # withheld too rather than said to be empty.
    assert exclusions["ethnicity_asian"].suppressed_reason == "Asian: group of fewer than 5 — suppressed"
    assert exclusions["ethnicity_mixed"].suppressed_reason == SECONDARY_REASON
    assert exclusions["ethnicity_chinese"].suppressed_reason == "Chinese: no one in this group"
    assert exclusions["fsm"].ratio is not None


def _pupil_records(engagement: Engagement) -> list[analysis.PupilRecord]:
    return [
        analysis.PupilRecord(
            p.pupil_ref, p.school.urn, p.year_group, SEN_LABELS[p.sen_status], p.fsm,
            ETHNICITY_LABELS[p.ethnicity_group], p.suspensions, p.permanent_exclusion, p.sessions_possible,
            p.sessions_missed,
        )
        for p in engagement.pupil_returns.select_related("school")
    ]  # fmt: skip


def test_the_page_and_the_workbook_withhold_the_school_the_total_would_give_away(
    protected, client_for, django_capture_on_commit_callbacks
):
    page = client_for("staff_research").get(f"/consultancy/{protected.pk}/report/").content.decode()
    row = re.search(r"Protected Secondary 0 <span.*?</tr>", page, flags=re.DOTALL)
    assert row is not None and SECONDARY_REASON in row.group(0)
    assert "0.00 per 100 pupils (0/100;" not in row.group(0)
    xlsx = _report_file(client_for("staff_admin"), protected.pk, "xlsx", django_capture_on_commit_callbacks)
    workbook = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    rows = list(workbook["Schools"].iter_rows(values_only=True))
    zero = [r for r in rows if r[1] == "Protected Secondary 0" and r[3] == "Permanent exclusion rate"]
    assert zero == [(zero[0][0], "Protected Secondary 0", "Secondary", "Permanent exclusion rate", None, None, None,
                     None, None, SECONDARY_REASON)]  # fmt: skip
    plots = list(workbook["Funnel plots"].iter_rows(values_only=True))
    point = next(r for r in plots if r[5] == "Protected Secondary 0" and r[0] == "Permanent exclusion rate")
    assert point[7] is None and point[8] is None and point[-1] == SECONDARY_REASON
    pdf = _report_file(client_for("trust_partner"), protected.pk, "pdf", django_capture_on_commit_callbacks).content
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "cannot be worked out from the total" in text
