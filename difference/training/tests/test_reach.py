from __future__ import annotations

from typing import Any

import pytest

from difference.people.tests.factories import PersonFactory
from difference.schools.models import School
from difference.schools.services import HEADCOUNT_SOURCE, HEADCOUNT_YEAR
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory
from difference.training.models import Cohort, EnrolmentStatus
from difference.training.reach import reach
from difference.training.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

DFE_2016_17 = "DfE school-level exclusions statistics, 2016/17 headcount"


def _school(**values: Any) -> School:
    if values.get("pupils") is not None:
        values.setdefault("pupils_source", HEADCOUNT_SOURCE)
        values.setdefault("pupils_year", HEADCOUNT_YEAR)
    return SchoolFactory(**values)


def _enrol(cohort: Cohort, school: School | None, status: str = EnrolmentStatus.COMPLETED) -> None:
    EnrolmentFactory(cohort=cohort, person=PersonFactory(school=school), status=status)


@pytest.fixture
def ilc() -> Cohort:
    """Six participants in four schools of two trusts and three LAs, one without a school; one withdrew."""
    cohort = CohortFactory(programme=ProgrammeFactory(code="ilc-senior", name="ILC"), year=2021)
    north, south = TrustFactory(), TrustFactory()
    camden, hackney, leeds = LocalAuthorityFactory(), LocalAuthorityFactory(), LocalAuthorityFactory()
    academy = _school(trust=north, local_authority=camden, pupils=500)
    _enrol(cohort, academy)
    _enrol(cohort, academy)  # two leaders from one school: the school counts once
    _enrol(cohort, _school(trust=north, local_authority=hackney, pupils=300))
    _enrol(cohort, _school(trust=south, local_authority=hackney, pupils=None))  # opened since 2016/17
    _enrol(cohort, _school(trust=None, local_authority=leeds, pupils=200))  # maintained: in no trust
    _enrol(cohort, None)
    withdrawn_school = _school(trust=TrustFactory(), local_authority=LocalAuthorityFactory(), pupils=999)
    _enrol(cohort, withdrawn_school, status=EnrolmentStatus.WITHDRAWN)
    return cohort


def test_it_counts_the_participants_schools_trusts_local_authorities_and_pupils(ilc: Cohort) -> None:
    result = reach([ilc])

    assert (result.participants, result.participants_without_school) == (6, 1)
    assert (result.schools, result.trusts, result.local_authorities) == (4, 2, 3)
    assert (result.pupils, result.schools_without_pupils) == (1000, 1)
    assert result.pupils_sources == (DFE_2016_17,)
    assert result.pupils_source == DFE_2016_17


def test_it_leaves_out_withdrawn_enrolments_and_their_schools(ilc: Cohort) -> None:
    ilc.enrolments.filter(status=EnrolmentStatus.WITHDRAWN).update(status=EnrolmentStatus.COMPLETED)
    with_the_withdrawn = reach([ilc])

    assert (with_the_withdrawn.participants, with_the_withdrawn.schools, with_the_withdrawn.trusts) == (7, 5, 3)
    assert (with_the_withdrawn.local_authorities, with_the_withdrawn.pupils) == (4, 1999)


def test_a_person_in_two_of_the_cohorts_counts_once(ilc: Cohort) -> None:
    again = CohortFactory(programme=ilc.programme, year=2022)
    person = ilc.enrolments.exclude(person__school=None).exclude(status=EnrolmentStatus.WITHDRAWN)[0].person
    EnrolmentFactory(cohort=again, person=person, status=EnrolmentStatus.ACTIVE)

    assert reach(Cohort.objects.filter(pk__in=[ilc.pk, again.pk])).participants == 6


def test_it_names_each_source_of_the_numbers_of_pupils(ilc: Cohort) -> None:
    gias = _school(pupils=120, pupils_source="GIAS extract edubasealldata20250422.csv", pupils_year="")
    _enrol(ilc, gias)

    result = reach([ilc])

    assert result.pupils == 1120
    assert result.pupils_sources == ("DfE school-level exclusions statistics, 2016/17 headcount", gias.pupils_source)


def test_it_takes_three_queries_however_many_cohorts_and_schools(ilc: Cohort, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(3):
        reach([ilc])
    more = CohortFactory(programme=ilc.programme, year=2023)
    for n in range(5):
        _enrol(more, _school(trust=TrustFactory(), pupils=100 + n))

    with django_assert_num_queries(3):
        result = reach(Cohort.objects.filter(programme=ilc.programme))

    assert (result.participants, result.schools, result.trusts) == (11, 9, 7)


def test_no_cohorts_reach_no_one() -> None:
    result = reach([])

    assert (result.participants, result.schools, result.trusts, result.pupils) == (0, 0, 0, 0)
    assert result.pupils_source == ""
