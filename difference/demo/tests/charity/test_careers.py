"""The demo's alumni careers against the 2021-22 impact report, read through the careers app's own analysis."""

from __future__ import annotations

import datetime as dt

from difference.careers import analysis
from difference.careers.models import CareerRole, Opportunity, RefreshRequest, RefreshState
from difference.demo.careers import TRUSTS_EMPLOYING
from difference.schools.models import Trust
from difference.training.models import Cohort


def _cohort(year: int) -> Cohort:
    return Cohort.objects.get(programme__code="dlp", year=year)


def test_the_2019_cohort_nine_of_ten_senior_six_back_to_mainstream_all_six_still_there_in_september_2022(demo):
    result = analysis.analyse_cohort(_cohort(2019), as_of=dt.date(2022, 9, 30), threshold=1)
    end = result.at_end
    assert (end.n, end.senior.numerator, end.mainstream.numerator) == (10, 9, 6)
    assert end.target.met
    (continued,) = [c for c in result.continuations if c.on == dt.date(2022, 9, 1)]
    assert (continued.still.numerator, continued.still.n) == (6, 6)


def test_the_2020_cohort_ten_promoted_one_same_one_out_six_in_ap_and_the_target_not_met(demo):
    end = analysis.analyse_cohort(_cohort(2020), as_of=dt.date(2022, 9, 30), threshold=1).at_end
    changes = {row.key: row.count for row in end.changes}
    sectors = {row.key: row.count for row in end.sectors}
    assert (changes["promoted"], changes["same"], changes["out_of_education"]) == (10, 1, 1)
    assert sectors["ap"] == 6
    assert (
        CareerRole.objects.filter(
            person__enrolments__cohort=_cohort(2020), starts_on=dt.date(2022, 9, 1), level__gte=3, sector="ap"
        )
        .exclude(title="Assistant Headteacher")
        .count()
        == 5
    )
    assert not end.target.met


def test_trusts_employing_a_difference_trained_senior_leader_reach_the_report_figure_as_far_as_the_registry_allows(
    demo,
):
    trusts = len(analysis.employers().trusts_with_senior_leaders)
    assert 0 < trusts <= min(TRUSTS_EMPLOYING, Trust.objects.filter(schools__isnull=False).distinct().count())
    assert f"{trusts} trusts employ a Difference-trained senior leader" in demo
    assert trusts == TRUSTS_EMPLOYING or "too few academy trusts" in demo


def test_some_refresh_requests_are_answered_some_outstanding_and_two_opportunities_are_open(demo):
    states = set(RefreshRequest.objects.values_list("state", flat=True))
    assert {RefreshState.CONFIRMED, RefreshState.SENT} <= states
    assert Opportunity.objects.filter(status="open").count() == 2
