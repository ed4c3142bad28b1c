"""The report as a file: a self-contained HTML page, a PDF of the same page (WeasyPrint), or an XLSX workbook.

Every export is written to the audit log before the file is handed over. The HTML and PDF come from one template,
so they cannot say different things; the workbook carries the same figures, cell by cell, with the same
suppression (a withheld figure is a blank cell and the reason beside it, never 0).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from difference.accounts.audit import record
from difference.accounts.models import AuditAction
from difference.consultancy import analysis
from difference.consultancy.models import Engagement
from difference.consultancy.report import Report
from difference.core.exports import (
    CONTENT_TYPES,
    Cell,
    FileFormat,
    Sheet,
    attachment_response,
    safe_filename,
    workbook_bytes,
)
from difference.core.pdf import html_to_pdf
from difference.core.stats import PROPORTION_INTERVAL, RATE_INTERVAL

FORMATS: tuple[FileFormat, ...] = ("html", "pdf", "xlsx")


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    filename: str
    content_type: str
    file_format: FileFormat
    audit_detail: str


def report_file(engagement: Engagement, report: Report, file_format: str) -> ReportFile:
    """The report in ``file_format``, with the name it is downloaded under and how its export is audited."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown report format {file_format!r}")
    fmt: FileFormat = file_format  # type: ignore[assignment]
    if fmt == "xlsx":
        content = report_xlsx(report)
    else:
        html = report_html(report)
        content = html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    name = f"{engagement.trust.name} {engagement.academic_year} consultancy report".replace("/", "-")
    return ReportFile(
        content=content,
        filename=safe_filename(name, fmt),
        content_type=CONTENT_TYPES[fmt],
        file_format=fmt,
        audit_detail=f"consultancy report as {fmt.upper()} ({report.source or 'no'} data, {len(report.lines)} schools)",
    )


def report_response(request: HttpRequest, engagement: Engagement, report: Report, file_format: str) -> HttpResponse:
    """The report straight away (the HTML; the PDF and XLSX are made by a job, ``tasks.py``). The HTML opens as a
    page in the browser (inline, with its file name for "Save as"); anything else downloads."""
    export = report_file(engagement, report, file_format)
    record(AuditAction.EXPORT, request=request, obj=engagement, detail=export.audit_detail)
    response = attachment_response(export.content, filename=export.filename, file_format=export.file_format)
    if export.file_format == "html":
        response["Content-Disposition"] = content_disposition_header(False, export.filename) or "inline"
    return response


def report_html(report: Report) -> str:
    """The report as one HTML document with its styles inline and no external resources."""
    return render_to_string("consultancy/report_document.html", {"report": report, "engagement": report.engagement})


def _estimate_cells(rate: analysis.SchoolRate) -> list[Cell]:
    """count, denominator, rate per 100, low, high, note: blanks and the reason where the figures are withheld."""
    per_100 = rate.per_100
    if rate.estimate is None or per_100 is None:
        return [None, None, None, None, None, rate.withheld_because]
    decimals = rate.measure.decimals + 2
    value, low, high = (round(x, decimals) for x in per_100)
    return [rate.estimate.numerator, rate.estimate.n, value, low, high, rate.caveat]


def _schools_sheet(report: Report) -> Sheet:
    header = ["URN", "School", "Phase", "Measure", "Count", "Out of", "Rate per 100", "95% CI low", "95% CI high",
              "Note"]  # fmt: skip
    rows: list[list[Cell]] = []
    lines = [(line.school.urn, line.school.name, line.school.phase, line.rates) for line in report.lines]
    if report.trust_total is not None:
        lines.append((None, report.trust_total.school.name, "", report.trust_total))  # type: ignore[arg-type]
    for urn, name, phase, rates in lines:
        for rate in rates.rates:
            rows.append([urn, name, phase, rate.measure.label, *_estimate_cells(rate)])
    return ("Schools", header, rows)


def _positions_sheet(report: Report) -> Sheet:
    header = ["URN", "School", "Measure", "DfE school type", "Year", "School per 100", "LA", "LA per 100",
              "LA basis", "England per 100", "England basis", "Note"]  # fmt: skip
    rows: list[list[Cell]] = []
    for line in report.lines:
        for rate, position in line.comparisons():
            per_100 = rate.per_100
            la, england = position.local_authority, position.england
            note = " ".join(n for n in (position.type_note, position.year_note) if n)
            if per_100 is None:
                note = " ".join(filter(None, [rate.withheld_because, note]))
            rows.append([
                line.school.urn, line.school.name, rate.measure.label, position.school_type,
                england.year if england else None,
                None if per_100 is None else round(per_100[0], rate.measure.decimals + 2),
                la.area if la else None, la.rate if la else None, la.basis if la else None,
                england.rate if england else None, england.basis if england else None, note,
            ])  # fmt: skip
    return ("Against LA and England", header, rows)


def _funnel_sheet(report: Report) -> Sheet:
    header = ["Measure", "DfE school type", "England per 100", "Basis", "URN", "School", "Pupils", "Count",
              "Rate per 100", "Lower 99.8%", "Lower 95%", "Upper 95%", "Upper 99.8%", "Position"]  # fmt: skip
    rows: list[list[Cell]] = []
    for funnel in report.funnels:
        for p in funnel.points:
            limits = p.limits
            bounds: list[Cell] = (
                [round(x * 100, 4) for x in (limits.lower_998, limits.lower_95, limits.upper_95, limits.upper_998)]
                if limits
                else [None] * 4
            )
            rows.append([
                funnel.measure.label, funnel.school_type, funnel.centre.rate, funnel.centre.basis, p.urn, p.name,
                p.n, p.count, None if p.rate_per_100 is None else round(p.rate_per_100, 4), *bounds, p.wording,
            ])  # fmt: skip
    return ("Funnel plots", header, rows)


def _disproportionality_sheet(report: Report) -> Sheet:
    header = ["Outcome", "Comparison", "Rate ratio", "95% CI low", "95% CI high", "Reading", "Note"]
    rows: list[list[Cell]] = []
    for outcome in report.disproportionality:
        for c in outcome.comparisons:
            figures: list[Cell] = (
                [None, None, None] if c.is_suppressed else [_round(c.ratio), _round(c.low), _round(c.high)]
            )
            rows.append([outcome.outcome.label, c.label, *figures, c.reading, c.suppressed_reason or outcome.caveat])
    return ("Disproportionality", header, rows)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def report_xlsx(report: Report) -> bytes:
    engagement = report.engagement
    about: Sheet = (
        "About",
        ["Item", "Value"],
        [
            ["Trust", engagement.trust.name],
            ["Engagement", engagement.title],
            ["Year", report.year],
            ["Data", f"{report.source or 'none uploaded'}"],
            ["Small cells", f"Counts of 1 to {report.threshold - 1} and groups under {report.threshold} withheld"],
            ["Totals", "Where a total is shown, the smallest other figures beside a withheld one are withheld too"],
            ["Intervals", f"95%: {PROPORTION_INTERVAL} for proportions, {RATE_INTERVAL} for suspensions per pupil"],
            ["DfE basis", "computed = from DfE's exact counts; published = DfE's own rate (its counts are rounded)"],
            ["Wording", "Above or below what a school's size would lead us to expect; never good or bad"],
            *[["Note", note] for note in [*report.year_notes, *report.funnel_notes]],
        ],
    )
    sheets = [about, _schools_sheet(report), _positions_sheet(report), _funnel_sheet(report)]
    if report.disproportionality:
        sheets.append(_disproportionality_sheet(report))
    return workbook_bytes(sheets)
