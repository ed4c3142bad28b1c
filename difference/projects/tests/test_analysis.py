"""The projects' pupil-data analysis, on constructed data checked by hand and against SciPy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from scipy.stats import ttest_1samp, wilcoxon

from difference.core.stats import (
    SECONDARY_REASON,
    TOO_FEW_PAIRS,
    paired_test,
    proportion,
    small_count_reason,
    small_group_reason,
)
from difference.projects.analysis import (
    CANNOT_RESOURCE,
    CAVEAT_FEW_PUPILS,
    CAVEAT_MISSING,
    CAVEAT_NO_COMPARISON,
    CAVEAT_REGRESSION,
    CAVEAT_SHORT_WINDOW,
    CAVEAT_TEST_FORM,
    DAYS_PER_MONTH,
    GAIN_TARGET,
    GAIN_WINDOW,
    NO_TESTS,
    ONE_ROUND,
    RATIO_GAIN_BANDS,
    analyse_project,
    analyse_projects,
    chronological_age_months,
    in_gain_window,
    months_between,
    ratio_gain,
    ratio_gain_band,
    share_gaining_target,
    summary,
)
from difference.projects.models import Absence, MeasureKind
from difference.projects.tests.factories import AssessmentFactory, MeasureFactory, ProjectFactory, PupilFactory
from difference.schools.tests.factories import SchoolFactory
from difference.training.tests.factories import LeaderEnrolmentFactory

D = dt.date
# Every pupil below is born in March 2010, so taken as born on 15 March 2010: on 15 October 2022 they are exactly
# 151 months old, and tests on the 15th keep every chronological age a whole number of months.
FIRST = D(2022, 10, 15)
SIX_MONTHS_ON = D(2023, 4, 15)
AGE_AT_FIRST = 151.0


# --- Ages and time -----------------------------------------------------------------------------------------------
def test_a_pupil_is_taken_as_born_on_the_15th_of_their_birth_month():
    assert chronological_age_months(2010, 3, D(2022, 3, 15)) == 144.0
    assert chronological_age_months(2010, 3, FIRST) == AGE_AT_FIRST


def test_the_part_month_is_the_remaining_days_over_30_4375():
    assert DAYS_PER_MONTH == 30.4375
    # 15 March to 14 April: no whole month, 30 days.
    assert chronological_age_months(2010, 3, D(2022, 4, 14)) == pytest.approx(144 + 30 / 30.4375)
    # 15 February 2022 to 14 March 2022 is 27 days: February 2022 has 28.
    assert chronological_age_months(2010, 3, D(2022, 3, 14)) == pytest.approx(143 + 27 / 30.4375)
    # From the 15th to the month's end of a 31-day month.
    assert chronological_age_months(2010, 1, D(2010, 1, 31)) == pytest.approx(16 / 30.4375)


def test_ages_across_29_february_count_the_leap_day():
    # Born February 2012 (the 15th): 14 days to 29 February 2024, and 28 days to 14 March 2024.
    assert chronological_age_months(2012, 2, D(2024, 2, 29)) == pytest.approx(144 + 14 / 30.4375)
    assert chronological_age_months(2012, 2, D(2024, 3, 14)) == pytest.approx(144 + 28 / 30.4375)
    assert chronological_age_months(2012, 2, D(2023, 3, 14)) == pytest.approx(132 + 27 / 30.4375)


def test_a_date_before_birth_gives_a_negative_age():
    assert chronological_age_months(2010, 3, D(2010, 2, 15)) == -1.0


def test_months_between_counts_calendar_months_then_days_at_month_ends():
    assert months_between(D(2022, 10, 3), D(2023, 4, 3)) == 6.0
    # A month from 31 January ends on 28 February (the month's last day); 1 March is a month and a day.
    assert months_between(D(2023, 1, 31), D(2023, 2, 28)) == 1.0
    assert months_between(D(2023, 1, 31), D(2023, 3, 1)) == pytest.approx(1 + 1 / 30.4375)
    assert months_between(D(2023, 1, 31), D(2023, 2, 27)) == pytest.approx(27 / 30.4375)
    # From the end of a short month, whole months land on the same day number: 28 February to 30 March.
    assert months_between(D(2023, 2, 28), D(2023, 3, 30)) == pytest.approx(1 + 2 / 30.4375)
    assert months_between(D(2023, 1, 31), D(2023, 3, 31)) == 2.0


def test_months_between_from_29_february_reaches_a_year_on_28_february():
    assert months_between(D(2024, 2, 29), D(2025, 2, 28)) == 12.0
    assert months_between(D(2024, 2, 29), D(2025, 3, 1)) == pytest.approx(12 + 1 / 30.4375)
    assert months_between(D(2023, 2, 28), D(2024, 2, 29)) == pytest.approx(12 + 1 / 30.4375)


def test_months_between_is_negative_backwards():
    assert months_between(D(2023, 4, 3), D(2022, 10, 3)) == -6.0


# --- Ratio gains --------------------------------------------------------------------------------------------------
def test_a_ratio_gain_is_the_reading_age_gain_over_the_months_elapsed():
    assert ratio_gain(12, 6) == 2.0
    assert ratio_gain(6, 6) == 1.0  # keeping pace with age: the ordinary rate
    assert ratio_gain(-3, 6) == -0.5
    with pytest.raises(ValueError, match="time to pass"):
        ratio_gain(5, 0)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (-0.5, "modest impact"),
        (1.0, "modest impact"),
        (1.39, "modest impact"),
        (1.4, "useful impact"),
        (1.9, "useful impact"),
        (1.95, "useful impact"),
        (2.0, "substantial impact"),
        (2.9, "substantial impact"),
        (2.99, "substantial impact"),
        (3.0, "remarkable impact"),
        (7.5, "remarkable impact"),
    ],
)
def test_ratio_gains_fall_in_brooks_bands(value, band):
    assert ratio_gain_band(value) == band


def test_the_bands_are_brooks_lower_bounds_highest_first():
    assert [bound for bound, _ in RATIO_GAIN_BANDS[:3]] == [3.0, 2.0, 1.4]


# --- The 12-in-6 share ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("elapsed", "inside"), [(5.0, True), (6.0, True), (7.0, True), (4.9, False), (7.1, False)])
def test_the_window_is_5_to_7_months_with_both_ends_in(elapsed, inside):
    assert GAIN_WINDOW == (5.0, 7.0)
    assert in_gain_window(elapsed) is inside


def test_the_share_counts_gains_of_12_months_or_more_among_pupils_in_the_window():
    assert GAIN_TARGET == 12
    pairs = [(5.0, 12), (7.0, 14), (6.0, 11.99), (6.0, 3), (6.0, 20), (4.9, 30), (7.1, 30)]
    share = share_gaining_target(pairs, threshold=3)
    assert (share.numerator, share.n) == (3, 5)
    assert share == proportion(3, 5, threshold=3)
    assert share.low is not None and share.low < 0.6 < share.high


def test_a_small_share_is_withheld_by_the_one_rule():
    share = share_gaining_target([(6.0, 12)] * 3 + [(6.0, 2)] * 3, threshold=5)
    assert share.suppressed_reason == small_count_reason(5)
    assert share_gaining_target([(6.0, 12)] * 4, threshold=5).suppressed_reason == small_group_reason(5)


# --- Building projects ----------------------------------------------------------------------------------------------
def make_project(**kwargs):
    return ProjectFactory(enrolment=LeaderEnrolmentFactory(), school=SchoolFactory(), **kwargs)


def pupil_tested(measure, tests, *, code=None, left_on=None, born=(2010, 3)):
    """A pupil of ``measure``'s project with ``tests``: (date, value) or (date, value, form)."""
    extra = {"code": code} if code else {}
    pupil = PupilFactory(project=measure.project, birth_year=born[0], birth_month=born[1], left_on=left_on, **extra)
    for test in tests:
        on, value, *form = test
        AssessmentFactory(
            measure=measure, pupil=pupil, assessed_on=on, value=Decimal(str(value)), test_form=(form or ["A"])[0]
        )
    return pupil


def measured_project(gains=(6, 9, 12, 3, 15), *, first=AGE_AT_FIRST, second_on=SIX_MONTHS_ON, **kwargs):
    """Five pupils of 151 months first tested at reading age ``first`` and again on ``second_on``."""
    project = make_project(**kwargs)
    measure = MeasureFactory(project=project)
    for gain in gains:
        pupil_tested(measure, [(FIRST, first), (second_on, first + gain)])
    return project, measure


pytestmark = pytest.mark.django_db


# --- Not yet measured -----------------------------------------------------------------------------------------------
def test_a_project_without_a_measure_or_a_test_is_not_yet_measured_for_want_of_tests():
    bare = analyse_project(make_project())
    assert (bare.status.measured, bare.status.reason, bare.measure) == (False, NO_TESTS, None)
    project = make_project()
    MeasureFactory(project=project)
    PupilFactory(project=project)
    untested = analyse_project(project)
    assert (untested.status.reason, untested.pupils, untested.not_tested, untested.measured) == (NO_TESTS, 1, 1, 0)
    assert (
        untested.ratio_gain is None
        and untested.caveats == []
        and untested.status.label == "Not yet measured: No tests yet"
    )


def test_a_project_with_one_round_is_not_yet_measured_with_the_reason():
    project = make_project()
    measure = MeasureFactory(project=project)
    pupil_tested(measure, [(FIRST, 140)])
    pupil_tested(measure, [(FIRST + dt.timedelta(days=2), 150)])  # the same round, over two days
    a = analyse_project(project)
    assert (a.status.measured, a.status.reason) == (False, ONE_ROUND)
    assert (a.only_one, a.measured, a.ratio_gain, a.gained_12_in_6, a.paired) == (2, 0, None, None, None)
    assert len(a.series) == 2


def test_a_school_that_cannot_resource_the_tests_says_so_instead_of_the_data():
    project = make_project(cannot_resource_tests=True)
    measure = MeasureFactory(project=project)
    pupil_tested(measure, [(FIRST, 140)])
    assert analyse_project(project).status.reason == CANNOT_RESOURCE
    assert analyse_project(make_project(cannot_resource_tests=True)).status.reason == CANNOT_RESOURCE


def test_a_measured_project_ignores_the_flag_and_has_no_reason():
    project, _ = measured_project(cannot_resource_tests=True)
    status = analyse_project(project).status
    assert (status.measured, status.reason) == (True, "")


# --- Measured ---------------------------------------------------------------------------------------------------
def test_the_ratio_gain_is_the_mean_of_the_pupils_ratio_gains_with_its_t_interval():
    project, _ = measured_project()
    a = analyse_project(project, threshold=5)
    # Gains 6, 9, 12, 3, 15 over 6 months: ratio gains 1, 1.5, 2, 0.5, 2.5; mean 1.5, sd sqrt(2.5 / 4).
    ratios = [1.0, 1.5, 2.0, 0.5, 2.5]
    assert a.ratio_gain.value == pytest.approx(1.5)
    assert a.ratio_gain.n == 5
    half = 2.776445 * (2.5 / 4) ** 0.5 / 5**0.5
    assert (a.ratio_gain.low, a.ratio_gain.high) == (pytest.approx(1.5 - half), pytest.approx(1.5 + half))
    ci = ttest_1samp(ratios, 0).confidence_interval()
    assert a.ratio_gain.low == pytest.approx(ci.low)
    assert a.ratio_gain_band == "useful impact"
    assert a.ratio_gain_text.startswith("1.5 (95% CI 0.5–2.5; 5 pupils), useful impact; the interval reaches 1")
    assert a.change.value == pytest.approx(9.0)
    assert a.median_elapsed == 6.0


def test_the_gap_is_chronological_less_reading_age_at_the_first_and_last_test():
    project, _ = measured_project(first=141)
    a = analyse_project(project)
    # First: 151 - 141 = 10 for each. Last: 157 - (141 + gain); mean gain 9, so 157 - 150 = 7.
    assert (a.gap_first.value, a.gap_first.n) == (pytest.approx(10.0), 5)
    assert a.gap_last.value == pytest.approx(7.0)


def test_the_paired_test_is_scipys_wilcoxon_of_gains_against_months_elapsed():
    project, _ = measured_project()
    a = analyse_project(project)
    gains, elapsed = [6, 9, 12, 3, 15], [6.0] * 5
    expected = wilcoxon(gains, elapsed, zero_method="pratt")
    assert a.paired.p_value == pytest.approx(expected.pvalue)
    assert a.paired.statistic == pytest.approx(expected.statistic)
    # d = 0, 3, 6, -3, 9: ranks 1, 2.5, 4, 2.5, 5; (R+ - R-) / 15 = (11.5 - 2.5) / 15.
    assert a.paired.effect_size == pytest.approx(0.6)
    assert a.paired == paired_test(gains, elapsed)


def test_the_12_in_6_share_uses_each_pupils_first_two_tests_at_the_windows_edges():
    project = make_project()
    measure = MeasureFactory(project=project)
    start = D(2022, 10, 3)
    pupil_tested(measure, [(start, 120), (D(2023, 3, 3), 132)])  # 5.0 months, +12: in, gained
    pupil_tested(measure, [(start, 120), (D(2023, 5, 3), 140)])  # 7.0 months, +20: in, gained
    pupil_tested(measure, [(start, 120), (D(2023, 4, 3), 131), (D(2023, 9, 3), 150)])  # first two: 6.0, +11
    pupil_tested(measure, [(start, 120), (D(2023, 5, 4), 150)])  # 7.03 months: out
    pupil_tested(measure, [(start, 120), (D(2023, 3, 2), 150)])  # 4.97 months: out
    a = analyse_project(project, threshold=1)
    assert (a.gained_12_in_6.numerator, a.gained_12_in_6.n) == (2, 3)
    assert a.gained_12_in_6 == proportion(2, 3, threshold=1)


def test_pupils_are_counted_by_why_they_have_fewer_than_two_tests_and_leavers_are_kept():
    project, measure = measured_project(gains=(6, 9))
    latest = SIX_MONTHS_ON
    pupil_tested(measure, [(FIRST, 140)], left_on=D(2023, 1, 10))  # left before the latest round
    pupil_tested(measure, [(FIRST, 140)], left_on=D(2023, 6, 1))  # on roll at the latest round: not "left"
    absent = pupil_tested(measure, [(FIRST, 140)])
    Absence.objects.create(measure=measure, pupil=absent, round_on=latest)
    left_and_absent = pupil_tested(measure, [(FIRST, 140)], left_on=D(2023, 2, 1))
    Absence.objects.create(measure=measure, pupil=left_and_absent, round_on=latest)
    pupil_tested(measure, [(latest, 140)], left_on=D(2023, 5, 1))  # tested in the latest round, then left
    pupil_tested(measure, [], left_on=D(2022, 11, 1))
    PupilFactory(project=project)
    pupil_tested(measure, [(FIRST, 140), (latest, 146)], left_on=D(2023, 5, 1))  # left after two tests
    a = analyse_project(project)
    assert a.pupils == 10
    assert (a.measured, a.only_one, a.not_tested) == (3, 5, 2)
    assert (a.only_one_left, a.only_one_absent, a.only_one_other) == (3, 1, 1)
    assert sum(1 for s in a.series if s.left_on) == 5


def test_a_measure_that_is_not_a_reading_age_gets_the_change_from_first_to_last_test():
    project = make_project()
    measure = MeasureFactory(project=project, kind=MeasureKind.STANDARDISED, name="Standardised score")
    for first, last in ((85, 90), (80, 88), (92, 91)):
        pupil_tested(measure, [(FIRST, first), (SIX_MONTHS_ON, last)])
    a = analyse_project(project)
    assert a.status.measured and not a.is_reading_age
    assert a.change.value == pytest.approx(4.0)
    assert a.paired == paired_test([90, 88, 91], [85, 80, 92])
    assert (a.ratio_gain, a.gained_12_in_6, a.gap_first) == (None, None, None)
    assert a.ratio_gain_text == "no ratio gain for this measure"


def test_the_first_reading_age_measure_is_the_one_analysed():
    project = make_project()
    MeasureFactory(project=project, kind=MeasureKind.OTHER, name="Attendance")
    reading = MeasureFactory(project=project)
    MeasureFactory(project=project, name="Spelling age")
    assert analyse_project(project).measure == reading


def test_a_pupil_tested_twice_is_the_only_measured_one_with_no_test_below_two():
    project, _ = measured_project(gains=(6,))
    a = analyse_project(project)
    assert a.status.measured and a.measured == 1
    assert a.paired.suppressed_reason == TOO_FEW_PAIRS
    assert a.ratio_gain.value == 1.0 and not a.ratio_gain.has_interval


# --- Caveats --------------------------------------------------------------------------------------------------------
def test_a_measured_project_always_says_there_is_no_comparison_group_and_nothing_else_when_nothing_else_holds():
    project, _ = measured_project(first=AGE_AT_FIRST - 11.5)
    assert analyse_project(project, threshold=5).caveats == [CAVEAT_NO_COMPARISON]


def test_regression_to_the_mean_is_named_when_first_reading_ages_are_12_months_or_more_below_age():
    project, _ = measured_project(first=AGE_AT_FIRST - 12)
    assert analyse_project(project, threshold=5).caveats == [CAVEAT_NO_COMPARISON, CAVEAT_REGRESSION]


def test_pupils_left_out_of_the_gains_are_named():
    project, measure = measured_project()
    PupilFactory(project=project)
    assert CAVEAT_MISSING in analyse_project(project, threshold=5).caveats
    pupil_tested(measure, [(FIRST, 150)])
    assert analyse_project(project, threshold=5).caveats == [CAVEAT_NO_COMPARISON, CAVEAT_MISSING]


@pytest.mark.parametrize(("first_form", "last_form", "named"), [("A", "B", True), ("a", "A ", False), ("A", "", False)])
def test_a_change_of_test_form_is_named_only_when_both_forms_are_known_and_differ(first_form, last_form, named):
    project, measure = measured_project()
    pupil_tested(measure, [(FIRST, 151, first_form), (SIX_MONTHS_ON, 160, "X"), (D(2023, 9, 15), 165, last_form)])
    assert (CAVEAT_TEST_FORM in analyse_project(project, threshold=5).caveats) is named


def test_a_median_retest_under_4_months_is_a_short_window():
    short, _ = measured_project(second_on=D(2023, 1, 14))
    assert analyse_project(short, threshold=5).caveats == [CAVEAT_NO_COMPARISON, CAVEAT_SHORT_WINDOW]
    four, _ = measured_project(second_on=D(2023, 2, 15))
    assert CAVEAT_SHORT_WINDOW not in analyse_project(four, threshold=5).caveats


def test_fewer_measured_pupils_than_the_threshold_are_named():
    project, _ = measured_project()
    assert analyse_project(project, threshold=6).caveats == [
        CAVEAT_NO_COMPARISON,
        CAVEAT_FEW_PUPILS.format(threshold=6),
    ]
    assert (
        CAVEAT_FEW_PUPILS.format(threshold=6)
        == "Fewer than 6 pupils have two tests: too few to say much beyond these pupils."
    )


# --- Who sees what --------------------------------------------------------------------------------------------------
def test_a_viewer_who_sees_pupils_gets_the_whole_analysis():
    project, _ = measured_project()
    a = analyse_project(project, threshold=5)
    assert a.suppressed_for(True) is a
    assert len(a.series) == 5
    assert a.series[0].points[0] == (FIRST, AGE_AT_FIRST, AGE_AT_FIRST)


def test_an_aggregate_viewer_gets_no_series_and_figures_on_too_few_pupils_withheld():
    project, _ = measured_project(gains=(6, 9, 12, 3))
    a = analyse_project(project, threshold=5).suppressed_for(False)
    assert a.series == [] and not a.sees_pupils
    reason = small_group_reason(5)
    assert a.gained_12_in_6.suppressed_reason == reason
    assert (a.ratio_gain.suppressed_reason, a.ratio_gain.value, a.ratio_gain_band) == (reason, None, "")
    assert a.ratio_gain_text == reason
    assert a.paired.suppressed_reason == reason and a.paired.p_value is None
    assert a.gap_first.value is None and a.change.value is None and a.median_elapsed is None
    assert a.count_text("pupils") == reason and a.count_text("measured") == reason


def test_an_aggregate_viewer_sees_figures_on_enough_pupils_and_small_counts_withheld_with_their_partners():
    project, measure = measured_project(gains=(6, 9, 12, 3, 15, 6, 7))
    pupil_tested(measure, [(FIRST, 140)], left_on=D(2023, 1, 1))
    PupilFactory.create_batch(5, project=project)
    whole = analyse_project(project, threshold=5)
    a = whole.suppressed_for(False)
    assert a.ratio_gain == whole.ratio_gain and a.paired == whole.paired
    assert (whole.count_text("only_one"), whole.count_text("not_tested")) == ("1", "5")
    assert a.count_text("pupils") == "13" and a.count_text("measured") == "7"
    # One pupil with one test: withheld, and so is the smaller other count, or 13 - 7 - 5 would give it away.
    assert a.count_text("only_one") == small_count_reason(5)
    assert a.count_text("not_tested") == SECONDARY_REASON
    # The breakdown of a withheld count is withheld with it.
    assert {a.count_reasons[name] for name in ("only_one_left", "only_one_absent", "only_one_other")} == {
        SECONDARY_REASON
    }
    with pytest.raises(ValueError):
        a.count_text("ratio_gain")


# --- Many projects --------------------------------------------------------------------------------------------------
def test_many_projects_are_analysed_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    from difference.projects.models import Project

    for _ in range(3):
        measured_project()
    with django_assert_max_num_queries(7):
        three = analyse_projects(Project.objects.all())
    for _ in range(3):
        measured_project()
    with django_assert_max_num_queries(7):
        six = analyse_projects(Project.objects.all())
    assert (len(three), len(six)) == (3, 6)
    assert [a.project for a in six] == list(Project.objects.all())


def test_the_summary_counts_projects_measured_and_not_yet_by_every_reason():
    fast, _ = measured_project(gains=(14, 13, 12, 15, 16))  # ratio gains about 2.3, interval wholly above 1
    slow, _ = measured_project()
    one = make_project()
    pupil_tested(MeasureFactory(project=one), [(FIRST, 140)])
    analyses = analyse_projects([fast, slow, one, make_project(), make_project(cannot_resource_tests=True)])
    assert summary(analyses) == {
        "projects": 5,
        "measured": 2,
        "not_measured": 3,
        "by_reason": {NO_TESTS: 1, CANNOT_RESOURCE: 1, ONE_ROUND: 1},
        "measured_on_reading_age": 2,
        "faster_than_age": 1,
    }
    assert summary([])["by_reason"] == {NO_TESTS: 0, CANNOT_RESOURCE: 0, ONE_ROUND: 0}


def test_the_effect_size_interval_of_a_project_is_reproducible():
    project, _ = measured_project(gains=tuple(np.arange(2, 16)))
    assert analyse_project(project).paired == analyse_project(project).paired
