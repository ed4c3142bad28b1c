"""The reach of one or more cohorts through their participants' schools: how many schools, academy trusts (the
impact report's MATs) and local authorities, and how many pupils those schools have on roll."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from difference.schools.models import School
from difference.schools.services.headcounts import pupils_source_text
from difference.training.models import Cohort, Enrolment, EnrolmentStatus


@dataclass(frozen=True)
class Reach:
    participants: int  # distinct people with a non-withdrawn enrolment in the cohorts
    participants_without_school: int
    schools: int  # distinct schools of those participants
    trusts: int  # distinct academy trusts of those schools (schools outside a trust count towards none)
    local_authorities: int
    pupils: int  # pupils on roll, summed over the schools that have a number
    schools_without_pupils: int
    # Where the numbers of pupils came from, e.g. ("DfE school-level exclusions statistics, 2016/17 headcount",).
    pupils_sources: tuple[str, ...]

    @property
    def pupils_source(self) -> str:
        """The sources as one phrase for a page: "pupils on roll: {{ reach.pupils_source }}"."""
        return "; ".join(self.pupils_sources)


def reach(cohorts: Iterable[Cohort] | QuerySet[Cohort]) -> Reach:
    """The reach of ``cohorts`` through the schools their participants work in now (``Person.school``).

    Withdrawn enrolments do not count; a person in two of the cohorts counts once. Three queries, however many
    cohorts and schools.
    """
    cohort_filter = cohorts if isinstance(cohorts, QuerySet) else [cohort.pk for cohort in cohorts]
    enrolments = Enrolment.objects.filter(cohort__in=cohort_filter).exclude(status=EnrolmentStatus.WITHDRAWN)
    people = enrolments.aggregate(
        participants=Count("person", distinct=True),
        without_school=Count("person", distinct=True, filter=Q(person__school__isnull=True)),
    )
    schools = School.objects.filter(pk__in=enrolments.values("person__school"))
    totals = schools.aggregate(
        school_count=Count("pk"),
        trust_count=Count("trust", distinct=True),
        local_authority_count=Count("local_authority", distinct=True),
        pupil_count=Sum("pupils"),
        without_pupils=Count("pk", filter=Q(pupils__isnull=True)),
    )
    sources = (
        schools.filter(pupils__isnull=False)
        .order_by("pupils_source", "pupils_year")
        .values_list("pupils_source", "pupils_year")
        .distinct()
    )
    return Reach(
        participants=people["participants"],
        participants_without_school=people["without_school"],
        schools=totals["school_count"],
        trusts=totals["trust_count"],
        local_authorities=totals["local_authority_count"],
        pupils=totals["pupil_count"] or 0,
        schools_without_pupils=totals["without_pupils"],
        pupils_sources=tuple(
            pupils_source_text(source, year) if source else "source not recorded" for source, year in sources
        ),
    )
