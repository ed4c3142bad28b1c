"""Reads behind the home pages: the one place that gathers figures from every app for a person's start page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from difference.accounts.models import AuditAction, AuditEvent
from difference.people.models import Person
from difference.schools.models import School, SchoolCategory
from difference.training.models import Cohort, EnrolmentStatus


@dataclass(frozen=True)
class CohortCount:
    label: str
    leaders: int
    withdrawn: int
    target: int | None


@dataclass(frozen=True)
class StaffHomeCounts:
    schools: int
    ap_schools: int
    partner_schools: int
    people: int
    active_leaders: int
    cohorts: list[CohortCount]
    failed_logins_today: int


def staff_home_counts() -> StaffHomeCounts:
    school_counts = School.objects.aggregate(
        total=Count("pk"),
        ap=Count("pk", filter=Q(category__in=[SchoolCategory.PRU, SchoolCategory.AP_ACADEMY])),
    )
    cohorts = (
        Cohort.objects.select_related("programme")
        .annotate(
            leaders=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN)),
            withdrawn=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WITHDRAWN)),
        )
        .order_by("programme__code", "year")
    )
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return StaffHomeCounts(
        schools=school_counts["total"],
        ap_schools=school_counts["ap"],
        partner_schools=School.objects.partners().count(),
        people=Person.objects.count(),
        active_leaders=Person.objects.filter(enrolments__status=EnrolmentStatus.ACTIVE).distinct().count(),
        cohorts=[CohortCount(str(c), c.leaders, c.withdrawn, c.target_size) for c in cohorts],  # type: ignore[attr-defined]
        failed_logins_today=AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, at__gte=midnight).count(),
    )


def own_person(user: Any) -> Any:
    return Person.objects.filter(user=user).select_related("school").first()


def schools_by_trust(user: Any) -> list[tuple[str, list[School]]]:
    """The schools the user may see, under each trust's name (a partner in two trusts reads two lists)."""
    grouped: dict[str, list[School]] = {}
    schools = School.objects.for_user(user).select_related("trust", "local_authority").order_by("trust__name", "name")
    for school in schools[:200]:
        grouped.setdefault(school.trust.name if school.trust else "Schools outside a trust", []).append(school)
    return list(grouped.items())


def people_in_view(user: Any) -> list[Person]:
    """The people whose pages the user may open (a headteacher's leaders in post), for the home page's list."""
    return list(Person.objects.for_user(user).select_related("school").order_by("last_name", "first_name")[:50])
