"""The demo charity against the figures it is built to match: the charity's published Impact Report 2021-22.

Each expected number below is copied from the report (the section it is printed in is named beside it), not from
the demo's own constants, and each figure is computed through the apps' own queries and analysis, the way the
pages and the annual report compute it. So these tests fail if the demo drifts from the report, and if a query
the report's figures come from drifts from the demo.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from difference.consultancy.models import Engagement
from difference.consultancy.report import build_report
from difference.home.queries import staff_home_counts
from difference.placements.models import PlacementRound
from difference.placements.queries import published_run, round_overview
from difference.recruitment.analysis import funnel_report
from difference.recruitment.models import RecruitmentRound
from difference.training.ledger import cohort_ledger
from difference.training.models import Cohort, EnrolmentChange, EnrolmentStatus
from difference.training.reach import reach

# "This Year: Clear Commitment to Inclusion": "664 educators registered interest in applying for the Difference
# Leadership Programme and moving to work in AP".
REGISTERED_INTEREST_2022 = 664
# "Developing Transformational Leaders": "For our 2022 Cohort, we recruited and placed 19 leaders, falling slightly
# short of our target of 20."
PLACED_2022, TARGET_2022 = 19, 20
# "This year, we worked with: 10 Difference Leader Alumni from the 2019 Cohort; 29 current Difference Leaders across
# the 2020 and 2021 Cohorts; 19 Difference Leaders recruited for the 2022 Cohort".
ALUMNI_2019, CURRENT_2020_AND_2021, RECRUITED_2022 = 10, 29, 19
# "Diversity at The Difference": "Out of the 62 Difference Leaders recruited so far".
RECRUITED_SO_FAR = 62
# "The Difference Model": "two years as an AP senior leader, plus 290 hours of teacher development".
DEVELOPMENT_HOURS = Decimal(290)
# "This Year: Transformational Leaders": "66 mainstream leaders, working across schools spanning 25 MATs, 32 local
# authorities and over 60,000 students".
ILC_PARTICIPANTS, ILC_MATS, ILC_LOCAL_AUTHORITIES, ILC_STUDENTS_OVER = 66, 25, 32, 60_000
# "Tracking Alumni Impact": "Our first Difference Leader Cohort graduated in July 2021"; "Growing the Alumni
# Network": "Our second Cohort has now graduated, in July 2022".
GRADUATED = {2019: (2021, 7), 2020: (2022, 7)}
# "Growing Investment from MATs": "Consultancy for Ark Schools, a Multi-Academy Trust running 39 schools" (the
# demo's trust is invented, its size is the report's).
CONSULTANCY_TRUST_SCHOOLS = 39


def _dlp(year: int) -> Cohort:
    return Cohort.objects.get(programme__code="dlp", year=year)


def _leaders(counts: Sequence[object], *years: int) -> int:
    labels = {str(_dlp(year)) for year in years}
    return sum(count.leaders for count in counts if count.label in labels)  # type: ignore[attr-defined]


def test_the_2022_funnel_counts_the_664_who_registered_interest_and_19_placed_against_a_target_of_20(demo):
    report = funnel_report(RecruitmentRound.objects.get(year=2022))

    registered = next(stage for stage in report.stages if stage.key == "registered")
    assert registered.count == REGISTERED_INTEREST_2022
    assert (report.placed, report.target) == (PLACED_2022, TARGET_2022)
    assert report.cohort_enrolled == RECRUITED_2022


def test_the_2022_placement_run_fills_19_of_the_20_posts(demo):
    placement_round = PlacementRound.objects.get(year=2022)

    overview = round_overview(placement_round)
    run = published_run(placement_round)

    assert overview["posts"] == TARGET_2022
    assert run is not None and run.placements.count() == PLACED_2022


def test_the_staff_home_counts_the_cohorts_of_2021_22_and_the_62_leaders_recruited_so_far(demo):
    counts = staff_home_counts().cohorts

    assert _leaders(counts, 2019) == ALUMNI_2019
    assert _leaders(counts, 2020, 2021) == CURRENT_2020_AND_2021
    assert _leaders(counts, 2022) == RECRUITED_2022
    dlp = [count for count in counts if count.label.startswith("DLP ")]
    assert sum(count.leaders + count.withdrawn for count in dlp) == RECRUITED_SO_FAR
    assert next(count.target for count in dlp if count.label == str(_dlp(2022))) == TARGET_2022


def test_the_2019_leaders_are_alumni_and_the_2020_and_2021_leaders_were_current_in_2021_22(demo):
    statuses = {
        year: set(_dlp(year).enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).values_list("status", flat=True))
        for year in (2019, 2020, 2021, 2022)
    }

    assert statuses[2019] == {EnrolmentStatus.COMPLETED}
    # The 2020 cohort was current through 2021-22 and graduated at its end, in July 2022.
    assert statuses[2020] == {EnrolmentStatus.COMPLETED}
    assert statuses[2021] == statuses[2022] == {EnrolmentStatus.ACTIVE}


def test_the_first_two_cohorts_graduated_in_july_2021_and_july_2022(demo):
    for year, month in GRADUATED.items():
        graduations = EnrolmentChange.objects.filter(enrolment__cohort=_dlp(year), to_status=EnrolmentStatus.COMPLETED)
        assert {(change.on.year, change.on.month) for change in graduations} == {month}


def test_every_dlp_leaders_ledger_asks_for_the_290_hours_of_teacher_development(demo):
    for year in (2019, 2020, 2021, 2022):
        ledgers = cohort_ledger(_dlp(year))
        assert ledgers
        assert {sum(line.required for line in ledger.components) for ledger in ledgers} == {DEVELOPMENT_HOURS}


def test_the_ilc_reaches_66_leaders_in_schools_of_25_mats_and_32_local_authorities_with_over_60000_pupils(demo):
    result = reach([Cohort.objects.get(programme__code="ilc-senior", year=2021)])

    assert (result.participants, result.trusts, result.local_authorities) == (
        ILC_PARTICIPANTS,
        ILC_MATS,
        ILC_LOCAL_AUTHORITIES,
    )
    assert result.pupils > ILC_STUDENTS_OVER


def test_the_consultancy_report_covers_every_school_of_the_trust(demo):
    report = build_report(Engagement.objects.get(title="Why do our schools exclude at different rates?"))

    assert len(report.lines) == CONSULTANCY_TRUST_SCHOOLS
    assert len({line.school.pk for line in report.lines}) == CONSULTANCY_TRUST_SCHOOLS
