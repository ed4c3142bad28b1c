"""Who may do what with a research-action project.

Programme staff oversee every project and edit the audit templates; research staff analyse every project's
pseudonymous pupil data; a leader runs their own project; their headteacher reads and comments on their school's;
a trust partner reads their trust's schools' projects as aggregates only (no pupil codes, small cells suppressed).
Anything outside a user's scope is a 404, so other schools' project ids are not confirmed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.policy import can, get_scoped, is_active, require
from difference.accounts.roles import Capability, Role
from difference.projects.models import AuditTemplate, Project


def may_manage_projects(user: Any) -> bool:
    return can(user, Capability.MANAGE_PROJECTS)


def may_analyse_projects(user: Any) -> bool:
    """The cross-project analysis: research staff, and the programme staff who oversee the projects."""
    return can(user, Capability.ANALYSE_PROJECTS) or may_manage_projects(user)


def may_use_projects(user: Any) -> bool:
    return may_analyse_projects(user) or can(user, Capability.VIEW_PROJECTS)


def may_edit_project(user: Any, project: Project) -> bool:
    """The plan, the stage, the audits, the pupils and their results: the leader who runs it, or programme staff."""
    if may_manage_projects(user):
        return True
    return is_active(user) and user.role == Role.LEADER and project.enrolment.person.user_id == user.pk


def may_comment(user: Any, project: Project) -> bool:
    """The headteacher of the project's school (the scope of ``for_user``), and programme staff."""
    return may_manage_projects(user) or (is_active(user) and user.role == Role.HEADTEACHER)


def may_see_pupils(user: Any) -> bool:
    """Pupil codes and the per-pupil chart: everyone in a project's scope but a trust partner, who sees aggregates."""
    return is_active(user) and user.role != Role.TRUST_PARTNER and may_use_projects(user)


def require_projects(request: HttpRequest) -> None:
    require(request, may_use_projects(request.user), reason="role has no part in projects")


def require_project_analysis(request: HttpRequest) -> None:
    require(request, may_analyse_projects(request.user), reason=f"role lacks {Capability.ANALYSE_PROJECTS}")


def require_project_manager(request: HttpRequest) -> None:
    require(request, may_manage_projects(request.user), reason=f"role lacks {Capability.MANAGE_PROJECTS}")


def get_project(request: HttpRequest, pk: int) -> Project:
    require_projects(request)
    base = Project.objects.select_related("enrolment__person", "enrolment__cohort__programme", "school")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_project_to_edit(request: HttpRequest, pk: int) -> Project:
    project = get_project(request, pk)
    require(request, may_edit_project(request.user, project), reason="only the project's leader or programme staff")
    return project


def get_project_to_comment(request: HttpRequest, pk: int) -> Project:
    project = get_project(request, pk)
    require(request, may_comment(request.user, project), reason="only the school's headteacher or programme staff")
    return project


def get_project_pupils(request: HttpRequest, pk: int) -> Project:
    """A project whose pupil rows the viewer may read (403 for a trust partner in scope)."""
    project = get_project(request, pk)
    require(request, may_see_pupils(request.user), reason="pupil rows are not shown to this role")
    return project


def get_template_to_manage(request: HttpRequest, pk: int) -> AuditTemplate:
    require_project_manager(request)
    base = AuditTemplate.objects.all()
    return get_scoped(request, base, base, pk=pk)
