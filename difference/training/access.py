"""Who may open which cohort, session, enrolment, certificate, calendar feed and note, and for what.

Programme staff run cohorts; a leader sees their own record; an enrolment's coach and supervisor see that
enrolment (and write its notes); staff admin may read any note, and that reading is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from difference.accounts import audit
from difference.accounts.models import AuditAction
from difference.accounts.policy import can, deny, get_scoped, is_active, require
from difference.accounts.roles import Capability
from difference.training.models import CalendarFeed, Certificate, Cohort, Enrolment, Session, SupervisionNote
from difference.training.notes import kinds_for


def may_manage_training(user: Any) -> bool:
    return can(user, Capability.MANAGE_TRAINING)


def may_see_own_training(user: Any) -> bool:
    return can(user, Capability.VIEW_OWN_TRAINING)


def may_see_training(user: Any) -> bool:
    return may_manage_training(user) or may_see_own_training(user)


def may_read_any_notes(user: Any) -> bool:
    return can(user, Capability.READ_ANY_NOTES)


def is_party_to(user: Any, enrolment: Enrolment) -> bool:
    """The leader, their coach and their supervisor: the people a note is about or by."""
    return is_active(user) and user.pk in (enrolment.person.user_id, enrolment.coach_id, enrolment.supervisor_id)


def _coaches_anyone(user: Any) -> bool:
    return Enrolment.objects.filter(Q(coach=user.pk) | Q(supervisor=user.pk)).exists()


def require_trainer(request: HttpRequest) -> None:
    require(request, may_manage_training(request.user), reason=f"role lacks {Capability.MANAGE_TRAINING}")


def require_own_training(request: HttpRequest) -> None:
    require(request, may_see_own_training(request.user), reason=f"role lacks {Capability.VIEW_OWN_TRAINING}")


def get_cohort_to_manage(request: HttpRequest, pk: int) -> Cohort:
    require_trainer(request)
    base = Cohort.objects.select_related("programme")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_session_to_manage(request: HttpRequest, pk: int) -> Session:
    require_trainer(request)
    base = Session.objects.select_related("cohort__programme", "component")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    """Staff see any enrolment, a leader their own, a coach or supervisor the enrolments they look after."""
    user = request.user
    require(request, is_active(user), reason="not signed in")
    require(request, may_see_training(user) or _coaches_anyone(user), reason="role may not see enrolments")
    base = Enrolment.objects.select_related("person", "cohort__programme")
    visible = base.for_user(user) | base.filter(Q(coach=user.pk) | Q(supervisor=user.pk))  # type: ignore[arg-type]
    return get_scoped(request, visible, base, pk=pk)


def get_enrolment_to_manage(request: HttpRequest, pk: int) -> Enrolment:
    enrolment = get_enrolment(request, pk)
    if not may_manage_training(request.user):
        raise deny(request, reason="only staff change an enrolment's status", object_type="training.enrolment")
    return enrolment


def get_enrolment_to_write_notes(request: HttpRequest, pk: int) -> Enrolment:
    enrolment = get_enrolment(request, pk)
    if not kinds_for(enrolment, request.user):
        raise deny(request, reason="only the coach or supervisor writes notes", object_type="training.enrolment")
    return enrolment


def readable_notes(request: HttpRequest, enrolment: Enrolment) -> QuerySet[SupervisionNote]:
    """The notes of an enrolment, for the leader and their coach or supervisor; staff admin may read them too,
    and every such reading is audited. Anyone else gets none."""
    notes = SupervisionNote.objects.filter(enrolment=enrolment).select_related("author")
    user = request.user
    if is_party_to(user, enrolment):
        return notes
    if may_read_any_notes(user):
        audit.record(AuditAction.SENSITIVE_READ, request=request, obj=enrolment, object_type="training.supervisionnote")
        return notes
    return notes.none()


def get_certificate(request: HttpRequest, pk: int) -> Certificate:
    require(request, may_see_training(request.user), reason="role may not see certificates")
    base = Certificate.objects.select_related("person", "certification")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_feed_to_manage(request: HttpRequest, pk: int) -> CalendarFeed:
    """Staff manage any calendar feed; a leader only the feeds of their own person record."""
    user = request.user
    require(request, may_see_training(user), reason="role may not manage calendar feeds")
    base = CalendarFeed.objects.select_related("person", "cohort")
    visible = base if may_manage_training(user) else base.filter(person__user=user.pk)
    return get_scoped(request, visible, base, pk=pk)
