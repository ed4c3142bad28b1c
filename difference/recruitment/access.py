"""Who may open which recruitment round, application, sift reading and centre candidate, and for what.

Applicants act on their own applications only (staff cannot act as the applicant); programme staff manage;
research staff read the aggregates; assessors reach answers and centre candidates by reference alone.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from difference.accounts.policy import can, deny, get_scoped, require
from difference.accounts.roles import Capability
from difference.recruitment.models import Application, RecruitmentRound, SiftReview


def may_apply(user: Any) -> bool:
    return can(user, Capability.APPLY)


def may_manage_recruitment(user: Any) -> bool:
    return can(user, Capability.MANAGE_RECRUITMENT)


def may_read_recruitment_aggregates(user: Any) -> bool:
    return can(user, Capability.VIEW_RECRUITMENT_AGGREGATES)


def may_assess(user: Any) -> bool:
    return can(user, Capability.ASSESS_APPLICATIONS)


def may_open_applications(user: Any) -> bool:
    return may_apply(user) or may_manage_recruitment(user)


def may_import_demographics(user: Any) -> bool:
    """An import may carry diversity answers only from someone who may read them row by row."""
    return can(user, Capability.VIEW_DEMOGRAPHICS_ROWS)


def require_applicant(request: HttpRequest) -> None:
    require(request, may_apply(request.user), reason=f"role lacks {Capability.APPLY}")


def require_recruiter(request: HttpRequest) -> None:
    require(request, may_manage_recruitment(request.user), reason=f"role lacks {Capability.MANAGE_RECRUITMENT}")


def require_recruitment_aggregates(request: HttpRequest) -> None:
    require(
        request,
        may_read_recruitment_aggregates(request.user),
        reason=f"role lacks {Capability.VIEW_RECRUITMENT_AGGREGATES}",
    )


def require_assessor(request: HttpRequest) -> None:
    require(request, may_assess(request.user), reason=f"role lacks {Capability.ASSESS_APPLICATIONS}")


def get_round_to_manage(request: HttpRequest, year: int) -> RecruitmentRound:
    require_recruiter(request)
    return get_scoped(request, RecruitmentRound.objects.all(), RecruitmentRound.objects.all(), year=year)


def get_round_for_aggregates(request: HttpRequest, year: int) -> RecruitmentRound:
    """The funnel and validity pages are aggregates: research staff read them as well as recruiters."""
    require_recruitment_aggregates(request)
    return get_scoped(request, RecruitmentRound.objects.all(), RecruitmentRound.objects.all(), year=year)


def get_application(request: HttpRequest, pk: int) -> Application:
    """Staff open any application, an applicant their own (404 for anyone else's)."""
    require(request, may_open_applications(request.user), reason="role may not open applications")
    base = Application.objects.select_related("person", "recruitment_round")
    return get_scoped(request, base.for_user(request.user), base, pk=pk)  # type: ignore[arg-type]


def get_application_to_manage(request: HttpRequest, pk: int) -> Application:
    application = get_application(request, pk)
    require_recruiter(request)
    return application


def get_own_application(request: HttpRequest, pk: int) -> Application:
    """The applicant's own application, to act on as the applicant; staff cannot act in their place."""
    application = get_application(request, pk)
    if application.person.user_id != request.user.pk:
        raise deny(
            request, reason="only the applicant may do this", object_type="recruitment.application", object_id=str(pk)
        )
    return application


def get_review_to_score(request: HttpRequest, pk: int) -> SiftReview:
    """An assessor's own sift reading, and nobody else's: staff follow the sift from the overview."""
    require_assessor(request)
    base = SiftReview.objects.select_related("answer__question", "answer__application__recruitment_round")
    return get_scoped(request, base.filter(assessor=request.user.pk), base, pk=pk)


def get_centre_candidate_to_score(request: HttpRequest, reference: str) -> Application:
    require_assessor(request)
    base = Application.objects.select_related("recruitment_round")
    return get_scoped(request, base.at_centre_for(request.user), base, reference=reference)  # type: ignore[arg-type]
