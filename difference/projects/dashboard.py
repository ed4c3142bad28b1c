"""Projects' items on the home page and their part of a person's page.

A leader sees their project's next step; a headteacher and a trust partner their schools' projects; programme
staff the projects waiting at each early stage; research staff how many projects are measured so far."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse

from difference.core.dashboard import DashboardItem, PersonSection, Urgency
from difference.projects.access import may_analyse_projects, may_manage_projects, may_use_projects
from difference.projects.models import Project, Stage

LISTED = 10
# What a leader does next at each stage, in the words of the programme.
NEXT_STEP = {
    Stage.TRAINING: "Next: complete the whole-school audit after the topic training.",
    Stage.AUDIT: "Next: complete the whole-school audit.",
    Stage.PLAN: "Next: write the plan the audit's findings call for, and the measures it will collect.",
    Stage.RUNNING: "Next: enter the next test round.",
    Stage.MEASURED: "Next: complete the end audit and write the project up.",
    Stage.WRITTEN_UP: "Written up: read the report.",
}


def items_for(user: Any) -> list[DashboardItem]:
    if not may_use_projects(user):
        return []
    projects = Project.objects.for_user(user).select_related("school", "enrolment__person", "enrolment__cohort")
    if may_manage_projects(user):
        return _stage_items(projects)
    if may_analyse_projects(user):
        return [_analysis_item(projects)]
    return [_project_item(user, project) for project in projects[:LISTED]]


def _project_item(user: Any, project: Project) -> DashboardItem:
    own = project.enrolment.person.user_id == user.pk
    title = f"Your project: {project.title}" if own else f"{project.leader}'s project: {project.title}"
    return DashboardItem(
        title=title,
        detail=f"{project.get_stage_display()}. {NEXT_STEP[Stage(project.stage)]}" if own else project.school.name,
        url=project.get_absolute_url(),
        section="Research-action project" if own else f"{project.school.name}: projects",
        urgency=Urgency.SOON if own else Urgency.INFO,
    )


def _stage_items(projects: Any) -> list[DashboardItem]:
    counts = dict(projects.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    items = []
    for stage, wording in ((Stage.TRAINING, "at topic training"), (Stage.AUDIT, "at audit"), (Stage.PLAN, "at plan")):
        if counts.get(stage):
            items.append(
                DashboardItem(
                    title=f"{counts[stage]} project{'s' if counts[stage] != 1 else ''} {wording}",
                    count=counts[stage],
                    detail=NEXT_STEP[stage].removeprefix("Next: ").capitalize(),
                    url=f"{reverse('projects:project_list')}?stage={stage.value}",
                    section="Projects",
                    urgency=Urgency.SOON,
                )
            )
    return items


def _analysis_item(projects: Any) -> DashboardItem:
    total = projects.count()
    measured = projects.filter(stage__in=(Stage.MEASURED, Stage.WRITTEN_UP)).count()
    return DashboardItem(
        title="What changed across projects",
        detail=f"{measured} of {total} projects measured or written up.",
        url=reverse("projects:analysis"),
        section="Projects",
        urgency=Urgency.INFO,
        done=measured,
        total=total,
    )


def person_sections(user: Any, person: Any) -> list[PersonSection]:
    if not may_use_projects(user):
        return []
    projects = list(Project.objects.for_user(user).filter(enrolment__person=person).select_related("school"))
    if not projects:
        return []
    return [
        PersonSection(
            title="Research-action project",
            template="projects/_person_projects.html",
            order=35,
            context={"projects": projects},
        )
    ]
