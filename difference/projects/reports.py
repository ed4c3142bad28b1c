"""A project's write-up: its question, audit, plan, what was measured and what changed, for the school and the
charity, as a page and as a PDF. One project's report is a few pages, so it is printed in the request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from difference.accounts.audit import record
from difference.accounts.models import AuditAction
from difference.core.exports import attachment_response
from difference.core.pdf import html_to_pdf
from difference.projects import analysis, charts, services
from difference.projects.access import may_see_pupils
from difference.projects.models import Project


def report_context(project: Project, *, viewer: Any) -> dict[str, Any]:
    sees_pupils = may_see_pupils(viewer)
    result = analysis.analyse_project(project).suppressed_for(sees_pupils)
    return {
        "project": project,
        "result": result,
        "sees_pupils": sees_pupils,
        "chart": charts.pupil_chart(result) if sees_pupils and result.series else None,
        "comparison": services.audit_comparison(project),
        "comments": project.comments.select_related("author"),
    }


def report_pdf_response(request: HttpRequest, project: Project) -> HttpResponse:
    html = render_to_string(
        "projects/report_document.html", report_context(project, viewer=request.user), request=request
    )
    pdf = html_to_pdf(html)
    record(AuditAction.EXPORT, request=request, obj=project, detail="project report as PDF")
    return attachment_response(pdf, filename=f"project-{slugify(project.title)}", file_format="pdf")
