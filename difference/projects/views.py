"""Project pages: the list, a project's page (plan, audits, measures, what changed), its audits, pupils and test
rounds, its write-up, and the cross-project analysis for research staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from difference.core.errors import errors_to_form, errors_to_messages
from difference.core.lists import render_filtered_list
from difference.projects import analysis, charts, imports, reports, services
from difference.projects.access import (
    get_project,
    get_project_pupils,
    get_project_to_comment,
    get_project_to_edit,
    get_template_to_manage,
    may_analyse_projects,
    may_comment,
    may_edit_project,
    may_see_pupils,
    require_project_analysis,
    require_project_manager,
    require_projects,
)
from difference.projects.filters import PROJECT_EXPORT, ProjectFilterSet
from difference.projects.forms import (
    AuditForm,
    CommentForm,
    ImportForm,
    MeasureForm,
    PlanForm,
    PupilForm,
    RoundForm,
    StatementForm,
)
from difference.projects.models import AuditRound, AuditTemplate, Measure, Project


@require_safe
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    require_projects(request)
    projects = (
        Project.objects.for_user(request.user)  # type: ignore[arg-type]
        .select_related("enrolment__person", "enrolment__cohort__programme", "school")
        .annotate(pupil_count=Count("pupils", distinct=True))
    )
    return render_filtered_list(
        request,
        queryset=projects,
        filterset_class=ProjectFilterSet,
        ordering=("-enrolment__cohort__year", "school__name", "pk"),
        template="projects/project_list.html",
        partial="projects/_project_rows.html",
        export=PROJECT_EXPORT,
        extra_context={"may_analyse": may_analyse_projects(request.user)},
    )


@require_safe
@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project(request, pk)
    sees_pupils = may_see_pupils(request.user)
    result = analysis.analyse_project(project).suppressed_for(sees_pupils)
    context = {
        "project": project,
        "result": result,
        "sees_pupils": sees_pupils,
        "chart": charts.pupil_chart(result) if sees_pupils and result.series else None,
        "may_edit": may_edit_project(request.user, project),
        "may_comment": may_comment(request.user, project),
        "comment_form": CommentForm(),
        "comments": project.comments.select_related("author"),
        "audits": {audit.round: audit for audit in project.audits.all()},
        "measures": project.measures.all(),
    }
    return render(request, "projects/project_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_to_edit(request, pk)
    form = PlanForm(request.POST if request.method == "POST" else None, instance=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The project's plan is saved.")
        return redirect(project)
    return render(
        request, "projects/project_form.html", {"project": project, "form": form}, status=400 if form.errors else 200
    )


@require_POST
@login_required
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_to_comment(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a comment before sending it.")
        return redirect(project)
    services.add_comment(project=project, text=form.cleaned_data["text"], by=request.user)
    messages.success(request, "Comment added.")
    return redirect(project)


@require_http_methods(["GET", "POST"])
@login_required
def audit_edit(request: HttpRequest, pk: int, round: str) -> HttpResponse:
    project = get_project_to_edit(request, pk)
    if round not in AuditRound.values:
        raise Http404("No such audit round")
    try:
        audit = services.audit_for(project, round)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect(project)
    form = AuditForm(request.POST if request.method == "POST" else None, audit=audit)
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_audit(audit=audit, completed_on=form.cleaned_data["completed_on"], ratings=form.ratings())
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"The audit {audit.get_round_display().lower()} is saved.")
            return redirect("projects:audit_compare", pk=project.pk)
    context = {"project": project, "audit": audit, "form": form}
    return render(request, "projects/audit_form.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def audit_compare(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project(request, pk)
    context = {
        "project": project,
        "may_edit": may_edit_project(request.user, project),
        **services.audit_comparison(project),
    }
    return render(request, "projects/audit_compare.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_to_edit(request, pk)
    form = MeasureForm(request.POST if request.method == "POST" else None, instance=Measure(project=project))
    if request.method == "POST" and form.is_valid():
        measure = form.save()
        messages.success(request, f"{measure} added: enter its first test round next.")
        return redirect(project)
    return render(
        request, "projects/measure_form.html", {"project": project, "form": form}, status=400 if form.errors else 200
    )


@require_safe
@login_required
def pupil_list(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_pupils(request, pk)
    pupils = project.pupils.prefetch_related("assessments__measure").order_by("code")
    context = {"project": project, "pupils": pupils, "may_edit": may_edit_project(request.user, project)}
    return render(request, "projects/pupil_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def pupil_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_to_edit(request, pk)
    form = PupilForm(request.POST if request.method == "POST" else None, project=project)
    if request.method == "POST" and form.is_valid():
        pupil = form.save()
        messages.success(request, f"Pupil {pupil.code} added.")
        return redirect("projects:pupil_list", pk=project.pk)
    return render(
        request, "projects/pupil_form.html", {"project": project, "form": form}, status=400 if form.errors else 200
    )


def _measure_of(request: HttpRequest, project: Project) -> Measure:
    """The measure a round is for: ``?measure=`` (one of the project's), or its first."""
    measures = project.measures.all()
    wanted = request.GET.get("measure") or request.POST.get("measure")
    if wanted:
        measure = measures.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    else:
        measure = measures.first()
    if measure is None:
        raise Http404("No such measure in this project")
    return measure


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    """One test round on one form: a result for each pupil on roll, blank for a pupil who was absent."""
    project = get_project_to_edit(request, pk)
    try:
        measure = _measure_of(request, project)
    except Http404:
        messages.error(request, "Add the measure the project collects before entering a test round.")
        return redirect(project)
    pupils = list(project.pupils.filter(left_on__isnull=True).order_by("code"))
    form = RoundForm(request.POST if request.method == "POST" else None, measure=measure, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        try:
            saved = imports.record_round(
                measure=measure,
                held_on=form.cleaned_data["held_on"],
                test_form=form.cleaned_data["test_form"],
                results=form.results(),
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            absent = f"; {saved.absences} absent" if saved.absences else ""
            messages.success(request, f"Test round saved: {saved.assessments} results{absent}.")
            return redirect(project)
    context = {"project": project, "measure": measure, "form": form, "pupils": pupils}
    return render(request, "projects/round_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_import(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_to_edit(request, pk)
    try:
        measure = _measure_of(request, project)
    except Http404:
        messages.error(request, "Add the measure the project collects before importing its results.")
        return redirect(project)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.import_assessments(
            project=project,
            measure=measure,
            path_or_file=upload,
            dry_run=request.POST.get("dry_run") == "on",
            by=request.user,  # type: ignore[arg-type]
        )
        if result.ok and not result.dry_run:
            messages.success(request, result.summary())
            return redirect(project)
    status = 400 if form.errors or (result is not None and not result.ok) else 200
    context = {"project": project, "measure": measure, "form": form, "result": result, "columns": imports.COLUMNS}
    return render(request, "projects/import_form.html", context, status=status)


@require_safe
@login_required
def project_report(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project(request, pk)
    return render(request, "projects/report.html", reports.report_context(project, viewer=request.user))


@require_safe
@login_required
def project_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project(request, pk)
    return reports.report_pdf_response(request, project)


@require_safe
@login_required
def analysis_overview(request: HttpRequest) -> HttpResponse:
    """Every project side by side, on pseudonymous data: pupils measured, ratio gain, share gaining 12 months."""
    require_project_analysis(request)
    projects = Project.objects.for_user(request.user).select_related(  # type: ignore[arg-type]
        "school", "enrolment__person", "enrolment__cohort__programme"
    )
    cohort = request.GET.get("cohort_year", "")
    if cohort.isdigit():
        projects = projects.filter(enrolment__cohort__year=int(cohort))
    results = analysis.analyse_projects(projects)
    context = {
        "results": results,
        "summary": analysis.summary(results),
        "chart": charts.projects_chart(results),
        "cohort_year": cohort if cohort.isdigit() else "",
        "years": sorted(set(Project.objects.values_list("enrolment__cohort__year", flat=True)), reverse=True),
    }
    return render(request, "projects/analysis.html", context)


@require_safe
@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    require_project_manager(request)
    templates = AuditTemplate.objects.annotate(statements=Count("sections__statements"))
    return render(request, "projects/template_list.html", {"templates": templates})


@require_http_methods(["GET", "POST"])
@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A topic's audit template; programme staff add statements (to an existing section or a new one)."""
    template = get_template_to_manage(request, pk)
    form = StatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.add_statement(template=template, section=form.cleaned_data["section"], text=form.cleaned_data["text"])
        messages.success(request, "Statement added.")
        return redirect(template)
    context = {"template": template, "sections": template.sections.prefetch_related("statements"), "form": form}
    return render(request, "projects/template_detail.html", context, status=400 if form.errors else 200)
