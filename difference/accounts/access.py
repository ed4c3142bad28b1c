"""The one place that decides who may see what.

Two kinds of function live here:

* ``scope_*`` narrow a queryset to the rows a user may see. Models expose them
  as ``Model.objects.for_user(user)`` so every list, export and API endpoint
  starts from the same rule.
* ``get_*_for_user`` resolve one object named in a URL. They check the role's
  capability (403 when the role may not use that part of the platform at all),
  then look the object up inside the user's scope (404 when it is outside, so
  ids of other organisations' records are not confirmed), and audit refusals.

Scoping functions take the queryset rather than importing models, which keeps
this module free of import cycles with the apps it guards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest

from difference.accounts.models import AuditAction
from difference.accounts.roles import STAFF_ROLES, Capability, Role

if TYPE_CHECKING:
    from difference.accounts.models import User
    from difference.people.models import Demographics, Person
    from difference.schools.models import School, Trust
    from difference.training.models import Cohort

Q_ = TypeVar("Q_", bound=models.QuerySet[Any])


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _membership_ids(user: User, field: str) -> list[int]:
    return [
        pk
        for pk in user.memberships.current().exclude(**{f"{field}__isnull": True}).values_list(field, flat=True)
        if pk is not None
    ]


def scope_schools(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in STAFF_ROLES:
        return qs
    if user.role in (Role.HEADTEACHER, Role.LEADER):
        own = Q(pk__in=_membership_ids(user, "school"))
        if user.role == Role.LEADER:
            own |= Q(people__user=user)
        return qs.filter(own).distinct()
    if user.role == Role.TRUST_PARTNER:
        return qs.filter(trust__in=_membership_ids(user, "trust"))
    return qs.none()


def scope_trusts(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in STAFF_ROLES:
        return qs
    if user.role == Role.TRUST_PARTNER:
        return qs.filter(pk__in=_membership_ids(user, "trust"))
    return qs.none()


def scope_people(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in (Role.STAFF_ADMIN, Role.STAFF_PROGRAMME):
        return qs
    if user.role in (Role.LEADER, Role.APPLICANT):
        return qs.filter(user=user)
    if user.role == Role.HEADTEACHER:
        # The leaders placed in the headteacher's own school (placements in post), nobody else.
        return qs.filter(
            placement_candidacies__placement__vacancy__school__in=_membership_ids(user, "school"),
            placement_candidacies__placement__status="active",
        ).distinct()
    return qs.none()


def scope_cohorts(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in (Role.STAFF_ADMIN, Role.STAFF_PROGRAMME):
        return qs
    if user.role == Role.LEADER:
        return qs.filter(pk__in=_membership_ids(user, "cohort"))
    return qs.none()


def deny(request: HttpRequest, *, reason: str, object_type: str = "", object_id: str = "") -> PermissionDenied:
    """Audit a refusal and return the exception for the caller to raise."""
    from difference.accounts.audit import record

    record(AuditAction.AUTHZ_DENIED, request=request, object_type=object_type, object_id=object_id, detail=reason)
    return PermissionDenied(reason)


def require_capability(request: HttpRequest, capability: Capability) -> None:
    user = request.user
    if not _active(user) or not user.can(capability):  # type: ignore[union-attr]
        raise deny(request, reason=f"role lacks {capability}")


def _get_scoped(
    request: HttpRequest, scoped: models.QuerySet[Any], unscoped: models.QuerySet[Any], **lookup: Any
) -> Any:
    obj = scoped.filter(**lookup).first()
    if obj is not None:
        return obj
    existing = unscoped.filter(**lookup).first()
    if existing is not None:
        deny(
            request,
            reason="object outside the user's scope",
            object_type=existing._meta.label_lower,
            object_id=str(existing.pk),
        )
    raise Http404("No such record")


def get_school_for_user(request: HttpRequest, urn: int) -> School:
    from difference.schools.models import School

    require_capability(request, Capability.VIEW_SCHOOLS)
    base = School.objects.select_related("local_authority", "trust")
    return _get_scoped(request, base.for_user(request.user), base, urn=urn)  # type: ignore[arg-type]


def get_trust_for_user(request: HttpRequest, uid: int) -> Trust:
    from difference.schools.models import Trust

    require_capability(request, Capability.VIEW_SCHOOLS)
    return _get_scoped(request, scope_trusts(Trust.objects.all(), request.user), Trust.objects.all(), uid=uid)  # type: ignore[arg-type]


def get_person_for_user(request: HttpRequest, pk: int) -> Person:
    from difference.people.models import Person

    require_capability(request, Capability.VIEW_PEOPLE)
    base = Person.objects.select_related("school", "user")
    return _get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_demographics_for_user(request: HttpRequest, person: Person) -> Demographics | None:
    """Special-category data, row by row: staff admin only, and every read is audited."""
    from difference.accounts.audit import record
    from difference.people.models import Demographics

    require_capability(request, Capability.VIEW_DEMOGRAPHICS_ROWS)
    demographics = Demographics.objects.filter(person=person).first()
    record(AuditAction.SENSITIVE_READ, request=request, obj=person, object_type="people.demographics")
    return demographics


def get_cohort_for_user(request: HttpRequest, pk: int) -> Cohort:
    from difference.training.models import Cohort

    base = Cohort.objects.select_related("programme")
    return _get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


# --- Placements ---------------------------------------------------------------------------------------------
_PLACEMENT_MANAGERS = (Role.STAFF_ADMIN, Role.STAFF_PROGRAMME)
_CANDIDATE_ROLES = (Role.LEADER, Role.APPLICANT)


def scope_vacancies(qs: Q_, user: User) -> Q_:
    """Staff see every vacancy; a school its own; a candidate the vacancies of the rounds they are in."""
    if not _active(user):
        return qs.none()
    if user.role in _PLACEMENT_MANAGERS:
        return qs
    if user.role == Role.HEADTEACHER:
        return qs.filter(school__in=_membership_ids(user, "school"))
    if user.role in _CANDIDATE_ROLES:
        return qs.filter(placement_round__candidates__person__user=user).distinct()
    return qs.none()


def scope_candidates(qs: Q_, user: User) -> Q_:
    """A school sees the candidates who ranked one of its vacancies or whom it ranked; a candidate only themself."""
    if not _active(user):
        return qs.none()
    if user.role in _PLACEMENT_MANAGERS:
        return qs
    if user.role == Role.HEADTEACHER:
        schools = _membership_ids(user, "school")
        return qs.filter(
            Q(preferences__vacancy__school__in=schools) | Q(school_rankings__vacancy__school__in=schools)
        ).distinct()
    if user.role in _CANDIDATE_ROLES:
        return qs.filter(person__user=user)
    return qs.none()


def scope_match_runs(qs: Q_, user: User) -> Q_:
    if _active(user) and user.role in _PLACEMENT_MANAGERS:
        return qs
    return qs.none()


def scope_placements(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in _PLACEMENT_MANAGERS:
        return qs
    if user.role == Role.HEADTEACHER:
        return qs.filter(vacancy__school__in=_membership_ids(user, "school"))
    if user.role in _CANDIDATE_ROLES:
        return qs.filter(candidate__person__user=user)
    return qs.none()


def get_round_for_user(request: HttpRequest, year: int) -> Any:
    from difference.placements.models import PlacementRound

    require_capability(request, Capability.MANAGE_PLACEMENTS)
    return _get_scoped(request, PlacementRound.objects.all(), PlacementRound.objects.all(), year=year)


def get_vacancy_for_user(request: HttpRequest, pk: int) -> Any:
    from difference.placements.models import Vacancy

    require_capability(request, Capability.VIEW_PLACEMENTS)
    base = Vacancy.objects.select_related("school", "placement_round")
    return _get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_candidate_for_user(request: HttpRequest, pk: int) -> Any:
    from difference.placements.models import Candidate

    require_capability(request, Capability.VIEW_PLACEMENTS)
    base = Candidate.objects.select_related("person", "placement_round")
    return _get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_run_for_user(request: HttpRequest, pk: int) -> Any:
    from difference.placements.models import MatchRun

    require_capability(request, Capability.MANAGE_PLACEMENTS)
    base = MatchRun.objects.select_related("placement_round", "parent")
    return _get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_placement_for_user(request: HttpRequest, pk: int) -> Any:
    from difference.placements.models import Placement

    require_capability(request, Capability.VIEW_PLACEMENTS)
    base = Placement.objects.select_related("candidate__person", "vacancy__school", "run")
    return _get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


# --- Recruitment ----------------------------------------------------------------------------------------------
_RECRUITERS = (Role.STAFF_ADMIN, Role.STAFF_PROGRAMME)


def scope_applications(qs: Q_, user: User) -> Q_:
    """Staff see every application; an applicant (or a leader who applied) their own. Assessors see none:
    they know answers and centre candidates only by reference, through the two scopes below."""
    if not _active(user):
        return qs.none()
    if user.role in _RECRUITERS:
        return qs
    if user.role in _CANDIDATE_ROLES:
        return qs.filter(person__user=user)
    return qs.none()


def scope_sift_reviews(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in _RECRUITERS:
        return qs
    if user.role == Role.ASSESSOR:
        return qs.filter(assessor=user)
    return qs.none()


def scope_centre_applications(qs: Q_, user: User) -> Q_:
    """A centre assessor sees the applicants booked on their centre days, except any whose answers they sifted:
    centre assessors must not have read the application."""
    if not _active(user):
        return qs.none()
    if user.role in _RECRUITERS:
        return qs.filter(centre_invitation__slot__isnull=False)
    if user.role == Role.ASSESSOR:
        return (
            qs.filter(centre_invitation__slot__day__assessors=user).exclude(answers__reviews__assessor=user).distinct()
        )
    return qs.none()


def scope_centre_scores(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in _RECRUITERS:
        return qs
    if user.role == Role.ASSESSOR:
        return qs.filter(assessor=user)
    return qs.none()


def get_recruitment_round_for_user(request: HttpRequest, year: int) -> Any:
    from difference.recruitment.models import RecruitmentRound

    require_capability(request, Capability.MANAGE_RECRUITMENT)
    return _get_scoped(request, RecruitmentRound.objects.all(), RecruitmentRound.objects.all(), year=year)


def get_funnel_round_for_user(request: HttpRequest, year: int) -> Any:
    """The funnel and validity pages are aggregates: research staff read them as well as recruiters."""
    from difference.recruitment.models import RecruitmentRound

    require_capability(request, Capability.VIEW_RECRUITMENT_AGGREGATES)
    return _get_scoped(request, RecruitmentRound.objects.all(), RecruitmentRound.objects.all(), year=year)


def get_application_for_user(request: HttpRequest, pk: int) -> Any:
    from difference.recruitment.models import Application

    user = request.user
    if not (_active(user) and (user.can(Capability.APPLY) or user.can(Capability.MANAGE_RECRUITMENT))):  # type: ignore[union-attr]
        raise deny(request, reason="role may not open applications")
    base = Application.objects.select_related("person", "recruitment_round")
    return _get_scoped(request, base.for_user(user), base, pk=pk)  # type: ignore[arg-type]


def get_review_for_user(request: HttpRequest, pk: int) -> Any:
    """An assessor's own sift review, and nobody else's: staff follow the sift from the overview."""
    from difference.recruitment.models import SiftReview

    require_capability(request, Capability.ASSESS_APPLICATIONS)
    base = SiftReview.objects.select_related("answer__question", "answer__application__recruitment_round")
    return _get_scoped(request, base.filter(assessor=request.user.pk), base, pk=pk)


def get_centre_candidate_for_user(request: HttpRequest, reference: str) -> Any:
    from difference.recruitment.models import Application

    require_capability(request, Capability.ASSESS_APPLICATIONS)
    base = Application.objects.select_related("recruitment_round")
    return _get_scoped(request, scope_centre_applications(base, request.user), base, reference=reference)  # type: ignore[arg-type]


# --- Training -----------------------------------------------------------------------------------------------------
_TRAINERS = (Role.STAFF_ADMIN, Role.STAFF_PROGRAMME)


def scope_enrolments(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in _TRAINERS:
        return qs
    if user.role == Role.LEADER:
        return qs.filter(person__user=user)
    return qs.none()


def scope_sessions(qs: Q_, user: User) -> Q_:
    """Staff see every session; a leader those of the cohorts they are enrolled in."""
    if not _active(user):
        return qs.none()
    if user.role in _TRAINERS:
        return qs
    if user.role == Role.LEADER:
        return qs.filter(cohort__enrolments__person__user=user).distinct()
    return qs.none()


def scope_certificates(qs: Q_, user: User) -> Q_:
    if not _active(user):
        return qs.none()
    if user.role in _TRAINERS:
        return qs
    if user.role == Role.LEADER:
        return qs.filter(person__user=user)
    return qs.none()


def _coaches_anyone(user: Any) -> bool:
    from difference.training.models import Enrolment

    return Enrolment.objects.filter(Q(coach=user.pk) | Q(supervisor=user.pk)).exists()


def get_enrolment_for_user(request: HttpRequest, pk: int) -> Any:
    """Staff see any enrolment, a leader their own, a coach or supervisor the enrolments they look after."""
    from difference.training.models import Enrolment

    user = request.user
    if not _active(user):
        raise deny(request, reason="not signed in")
    capable = user.can(Capability.MANAGE_TRAINING) or user.can(Capability.VIEW_OWN_TRAINING)  # type: ignore[union-attr]
    if not capable and not _coaches_anyone(user):
        raise deny(request, reason="role may not see enrolments")
    base = Enrolment.objects.select_related("person", "cohort__programme")
    visible = scope_enrolments(base, user) | base.filter(Q(coach=user.pk) | Q(supervisor=user.pk))  # type: ignore[arg-type]
    return _get_scoped(request, visible, base, pk=pk)


def get_session_for_user(request: HttpRequest, pk: int) -> Any:
    from difference.training.models import Session

    require_capability(request, Capability.MANAGE_TRAINING)
    base = Session.objects.select_related("cohort__programme", "component")
    return _get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_certificate_for_user(request: HttpRequest, pk: int) -> Any:
    from difference.training.models import Certificate

    user = request.user
    if not (_active(user) and (user.can(Capability.MANAGE_TRAINING) or user.can(Capability.VIEW_OWN_TRAINING))):  # type: ignore[union-attr]
        raise deny(request, reason="role may not see certificates")
    base = Certificate.objects.select_related("person", "certification")
    return _get_scoped(request, base.for_user(user), base, pk=pk)  # type: ignore[arg-type]


def notes_for_user(request: HttpRequest, enrolment: Any) -> Any:
    """The notes of an enrolment, for the leader and their coach or supervisor; staff admin may read them too,
    and every such reading is audited. Anyone else gets none."""
    from difference.accounts.audit import record
    from difference.training.models import SupervisionNote

    notes = SupervisionNote.objects.filter(enrolment=enrolment).select_related("author")
    user = request.user
    if not _active(user):
        return notes.none()
    if user.pk in (enrolment.person.user_id, enrolment.coach_id, enrolment.supervisor_id):
        return notes
    if user.can(Capability.READ_ANY_NOTES):  # type: ignore[union-attr]
        record(AuditAction.SENSITIVE_READ, request=request, obj=enrolment, object_type="training.supervisionnote")
        return notes
    return notes.none()


def get_feed_for_user(request: HttpRequest, pk: int) -> Any:
    """Staff manage any calendar feed; a leader only the feeds of their own person record."""
    from difference.training.models import CalendarFeed

    user = request.user
    if not (_active(user) and (user.can(Capability.MANAGE_TRAINING) or user.can(Capability.VIEW_OWN_TRAINING))):  # type: ignore[union-attr]
        raise deny(request, reason="role may not manage calendar feeds")
    base = CalendarFeed.objects.select_related("person", "cohort")
    visible = base if user.can(Capability.MANAGE_TRAINING) else base.filter(person__user=user.pk)  # type: ignore[union-attr]
    return _get_scoped(request, visible, base, pk=pk)


# --- MAT consultancy ----------------------------------------------------------------------------------------
def scope_engagements(qs: Q_, user: User) -> Q_:
    """Research staff see every engagement; a trust partner only their own trust's; nobody else any."""
    if not _active(user):
        return qs.none()
    if user.can(Capability.MANAGE_CONSULTANCY):
        return qs
    if user.can(Capability.VIEW_CONSULTANCY):
        return qs.filter(trust__in=_membership_ids(user, "trust"))
    return qs.none()


def uses_consultancy(user: Any) -> bool:
    """Whether the role has any part in consultancy: running engagements, or reading its own trust's."""
    return _active(user) and (user.can(Capability.MANAGE_CONSULTANCY) or user.can(Capability.VIEW_CONSULTANCY))


def require_consultancy(request: HttpRequest) -> None:
    """403 for roles that have no part in consultancy at all (before any engagement is looked up)."""
    if not uses_consultancy(request.user):
        raise deny(request, reason="role lacks consultancy access")


def get_engagement_for_user(request: HttpRequest, pk: int) -> Any:
    from difference.consultancy.models import Engagement

    require_consultancy(request)
    base = Engagement.objects.select_related("trust", "created_by")
    return _get_scoped(request, scope_engagements(base, request.user), base, pk=pk)  # type: ignore[arg-type]
