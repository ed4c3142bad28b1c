"""The consultancy demo: an invented trust of 39 schools and a year of invented pupil-level data, loaded through the
real import. Loaded once for the module (it takes a few seconds); each test runs in its own savepoint."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Q, Sum
from scipy.stats import binom

from difference.accounts.models import Membership, User
from difference.accounts.roles import Role
from difference.accounts.tests.factories import MembershipFactory, UserFactory
from difference.consultancy.imports import UPN
from difference.consultancy.models import DataUpload, Engagement, EngagementStatus, PupilReturn, SchoolReturn
from difference.demo.consultancy import (
    ENGAGEMENT_YEAR,
    RESEARCH_EMAIL,
    SOURCE,
    TRUST_PARTNER_EMAIL,
    TRUST_UID,
    load_consultancy,
    national_rates,
)
from difference.schools.models import LocalAuthority, School, SchoolCategory, Trust
from difference.schools.tests.factories import LocalAuthorityFactory, TrustFactory

PRIMARY_YEARS = {"R", "1", "2", "3", "4", "5", "6"}
SECONDARY_YEARS = {"7", "8", "9", "10", "11", "12", "13"}


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo over an empty registry but for Birmingham (the rest of its local authorities it creates), with the
    research and trust-partner logins, the partner already a member of another trust."""
    with django_db_blocker.unblock(), transaction.atomic():
        LocalAuthorityFactory(code="330", name="Birmingham", gss_code="E08000025", region="West Midlands")
        UserFactory(email=RESEARCH_EMAIL, role=Role.STAFF_RESEARCH, with_totp=False)
        partner = UserFactory(email=TRUST_PARTNER_EMAIL, role=Role.TRUST_PARTNER, with_totp=False)
        MembershipFactory(user=partner, trust=TrustFactory(uid=2157, name="ARK Schools"))
        yield load_consultancy()
        transaction.set_rollback(True)


@pytest.fixture
def summary(loaded: str, db: Any) -> str:
    return loaded


def _trust() -> Trust:
    return Trust.objects.get(uid=TRUST_UID)


def _pupils() -> Any:
    return PupilReturn.objects.filter(engagement__trust__uid=TRUST_UID)


def test_the_invented_trust_has_39_invented_schools(summary: str) -> None:
    trust = _trust()
    schools = School.objects.filter(trust=trust)

    assert "invented" in trust.name
    assert trust.group_type == "Multi-academy trust"
    assert schools.count() == 39
    assert set(schools.values_list("source", flat=True)) == {SOURCE}
    assert all(990101 <= urn <= 990139 for urn in schools.values_list("urn", flat=True))
    assert Counter(schools.values_list("phase", flat=True)) == {"Primary": 28, "Secondary": 10, "Special": 1}
    assert set(schools.filter(phase="Special").values_list("category", flat=True)) == {SchoolCategory.SPECIAL}
    assert "Ark" not in trust.name and not schools.filter(name__istartswith="Ark").exists()
    assert "39 invented schools in 6 local authorities" in summary


def test_the_schools_sit_in_the_registrys_local_authorities_creating_only_those_missing(summary: str) -> None:
    schools = School.objects.filter(trust=_trust())

    assert LocalAuthority.objects.filter(code="330").count() == 1
    assert schools.filter(local_authority__code="330").count() == 10
    assert schools.values("local_authority").distinct().count() == 6
    assert set(schools.values_list("region", flat=True)) == {"West Midlands", "London"}


def test_the_engagement_asks_why_the_schools_exclude_at_different_rates(summary: str) -> None:
    engagement = Engagement.objects.get(trust=_trust())

    assert engagement.title == "Why do our schools exclude at different rates?"
    assert engagement.academic_year == ENGAGEMENT_YEAR == "2022/23"
    assert engagement.status == EngagementStatus.REPORTED
    assert engagement.created_by == User.objects.get(email=RESEARCH_EMAIL)
    assert engagement.question


def test_every_school_has_pupils_and_there_are_about_twenty_thousand(summary: str) -> None:
    pupils = _pupils()
    per_school = dict(pupils.values_list("school__urn").annotate(n=Count("pk")))

    assert 18_000 <= pupils.count() <= 22_000
    assert len(per_school) == 39
    for school in School.objects.filter(trust=_trust()):
        assert per_school[school.urn] == school.pupils
        low, high = {"Primary": (180, 650), "Secondary": (700, 1700), "Special": (80, 200)}[school.phase]
        assert school.pupils is not None and low <= school.pupils <= high, school


def test_the_pupils_were_uploaded_through_the_pupil_level_import(summary: str) -> None:
    engagement = Engagement.objects.get(trust=_trust())
    uploads = DataUpload.objects.filter(engagement=engagement)

    assert uploads.filter(kind="pupil", replaced=False).get().rows == _pupils().count()
    assert uploads.filter(kind="school", replaced=False).get().schools == 39
    assert uploads.count() == 2


def test_year_groups_match_each_schools_phase(summary: str) -> None:
    pupils = _pupils()

    assert set(pupils.filter(school__phase="Primary").values_list("year_group", flat=True)) == PRIMARY_YEARS
    secondary = set(pupils.filter(school__phase="Secondary").values_list("year_group", flat=True))
    assert secondary == SECONDARY_YEARS
    assert (
        pupils.filter(school__phase="Secondary", year_group__in=["12", "13"]).values("school").distinct().count() < 10
    )


def test_sen_fsm_and_ethnicity_have_census_like_shares(summary: str) -> None:
    mainstream = _pupils().exclude(school__phase="Special")
    total = mainstream.count()

    def share(**kwargs: Any) -> float:
        return mainstream.filter(**kwargs).count() / total

    assert 0.11 <= share(sen_status="sen_support") <= 0.16
    assert 0.025 <= share(sen_status="ehc_plan") <= 0.05
    assert 0.20 <= share(fsm=True) <= 0.28
    special = _pupils().filter(school__phase="Special")
    assert special.filter(sen_status="ehc_plan").count() / special.count() > 0.9
    groups = Counter(mainstream.values_list("ethnicity_group", flat=True))
    assert set(groups) == {"white", "mixed", "asian", "black", "chinese", "other", "unclassified"}
    assert groups.most_common(1)[0][0] == "white"
    fsm_by_school = [
        row["fsm"] / row["n"]
        for row in mainstream.values("school").annotate(n=Count("pk"), fsm=Count("pk", filter=Q(fsm=True)))
    ]
    assert min(fsm_by_school) < 0.15 and max(fsm_by_school) > 0.35


@pytest.mark.parametrize(("phase", "band"), [("Primary", 0.25), ("Secondary", 0.1)])
def test_the_suspension_rates_by_phase_are_close_to_national(summary: str, phase: str, band: float) -> None:
    national = national_rates()[phase, "2022/23"]
    pupils = _pupils().filter(school__phase=phase)
    count = pupils.count()

    one_plus = pupils.filter(suspensions__gt=0).count() / count
    suspensions = pupils.aggregate(total=Sum("suspensions"))["total"] / count

    assert abs(one_plus / national.one_plus - 1) < band
    assert abs(suspensions / national.suspensions - 1) < band


def test_permanent_exclusions_are_rare_and_near_the_national_rate(summary: str) -> None:
    rates = national_rates()
    pupils = _pupils()
    secondary = pupils.filter(school__phase="Secondary")
    primary = pupils.filter(school__phase="Primary")

    secondary_rate = secondary.filter(permanent_exclusion=True).count() / secondary.count()
    assert 0.6 < secondary_rate / rates["Secondary", "2022/23"].permanent < 1.4
    assert primary.filter(permanent_exclusion=True).count() / primary.count() < 0.001
    # A permanently excluded pupil has nearly always been suspended first, and leaves part-way through the year.
    excluded = pupils.filter(permanent_exclusion=True)
    assert excluded.filter(suspensions__gt=0).count() >= 0.6 * excluded.count()
    assert excluded.filter(sessions_possible__lt=300).count() == excluded.count()


def test_absence_is_about_seven_per_cent_with_a_fifth_to_a_quarter_persistently_absent(summary: str) -> None:
    pupils = _pupils()
    totals = pupils.aggregate(possible=Sum("sessions_possible"), missed=Sum("sessions_missed"))
    persistent = sum(1 for possible, missed in pupils.values_list("sessions_possible", "sessions_missed")
                     if missed >= 0.1 * possible)  # fmt: skip

    assert 0.06 <= totals["missed"] / totals["possible"] <= 0.08
    assert 0.20 <= persistent / pupils.count() <= 0.25
    assert pupils.filter(sessions_possible__range=(320, 330)).count() > 0.9 * pupils.count()


def test_a_few_schools_stand_outside_the_funnel_around_the_national_rate(summary: str) -> None:
    rates = national_rates()
    outside_95 = outside_998 = 0
    for row in (
        _pupils().values("school", "school__phase").annotate(n=Count("pk"), x=Count("pk", filter=Q(suspensions__gt=0)))
    ):
        p0, n, x = rates[row["school__phase"], "2022/23"].one_plus, row["n"], row["x"]
        outside_95 += not binom.ppf(0.025, n, p0) <= x <= binom.ppf(0.975, n, p0)
        outside_998 += not binom.ppf(0.001, n, p0) <= x <= binom.ppf(0.999, n, p0)

    assert 3 <= outside_95 <= 5
    assert 1 <= outside_998 <= 2


def test_no_pupil_ref_looks_like_a_name_or_a_upn(summary: str) -> None:
    refs = list(_pupils().values_list("pupil_ref", flat=True))

    assert all(re.fullmatch(r"WLT-\d{6}", ref) for ref in refs)
    assert not any(UPN.match(ref) for ref in refs)
    assert len(set(refs)) == len(refs)


def test_the_earlier_years_come_as_school_rows_for_a_trend(summary: str) -> None:
    returns = SchoolReturn.objects.filter(engagement__trust__uid=TRUST_UID)

    assert Counter(returns.values_list("academic_year", flat=True)) == {"2019/20": 39, "2020/21": 39, "2021/22": 39}
    assert not returns.filter(academic_year="2021/22", sessions_possible__isnull=True).exists()
    assert not returns.filter(academic_year="2019/20", sessions_possible__isnull=False).exists()


def test_the_trust_partner_is_linked_to_the_trust_and_keeps_their_other_membership(summary: str) -> None:
    partner = User.objects.get(email=TRUST_PARTNER_EMAIL)

    assert set(Membership.objects.filter(user=partner).values_list("trust__uid", flat=True)) == {2157, TRUST_UID}
    assert list(Engagement.objects.for_user(partner)) == [Engagement.objects.get(trust=_trust())]


def test_running_it_twice_leaves_the_same_records(summary: str) -> None:
    def counts() -> list[int]:
        return [
            model.objects.count()
            for model in (Trust, School, LocalAuthority, Engagement, DataUpload, PupilReturn, SchoolReturn, Membership)
        ]

    before = counts()
    second = load_consultancy()

    assert counts() == before
    assert "already uploaded, left as they are" in second
