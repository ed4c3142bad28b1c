"""The consultancy report's statistics: rates with intervals, funnel limits, disproportionality and suppression."""

from __future__ import annotations

import pytest
from scipy.stats import chi2

from difference.consultancy.analysis import (
    BAND_WORDING,
    ETHNICITY_GROUPS,
    GROUPINGS,
    MEASURES,
    OUTCOMES,
    SESSIONS_CAVEAT,
    PupilRecord,
    SchoolCounts,
    compare,
    disproportionality,
    funnel,
    is_persistent_absentee,
    pooled_rate,
    ratio_reading,
    school_counts_from_pupils,
    school_rate,
    school_rates,
)
from difference.core.stats import Band, Rate, proportion

T = 5  # the platform's default small-cell threshold, passed explicitly so the tests do not depend on settings


def school(urn: int = 1, name: str = "Oak Academy", headcount: int = 1000, **counts: int | None) -> SchoolCounts:
    values: dict[str, int | None] = {
        "suspensions": 93,
        "one_plus_suspensions": 40,
        "permanent_exclusions": 0,
        "sessions_possible": 300_000,
        "sessions_missed": 21_000,
        "persistent_absentees": 180,
    }
    values.update(counts)
    return SchoolCounts(urn=urn, name=name, phase="Secondary", year="2022/23", headcount=headcount, **values)


def pupil(ref: str, **fields: object) -> PupilRecord:
    values: dict[str, object] = {
        "urn": 1,
        "year_group": "Y9",
        "sen_status": "None",
        "fsm": False,
        "ethnicity_group": "White",
        "suspensions": 0,
        "permanent_exclusion": False,
        "sessions_possible": 300,
        "sessions_missed": 10,
    }
    values.update(fields)
    return PupilRecord(pupil_ref=ref, **values)  # type: ignore[arg-type]


def pupils(n: int, prefix: str, **fields: object) -> list[PupilRecord]:
    return [pupil(f"{prefix}{i}", **fields) for i in range(n)]


# --- Aggregation ------------------------------------------------------------------------------------------------------
def test_persistent_absence_starts_at_exactly_ten_percent_of_possible_sessions():
    assert is_persistent_absentee(300, 30)
    assert not is_persistent_absentee(300, 29)
    assert not is_persistent_absentee(0, 0)


def test_pupil_rows_add_up_to_one_row_per_school_in_the_order_given():
    rows = [
        pupil("a", urn=2, suspensions=3, sessions_missed=40),
        pupil("b", urn=2, permanent_exclusion=True, suspensions=1),
        pupil("c", urn=2, sessions_possible=0, sessions_missed=0),
        pupil("d", urn=1),
        pupil("e", urn=9),
    ]
    counts = school_counts_from_pupils(rows, {1: ("Ash", "Primary"), 2: ("Birch", "Secondary")}, "2022/23")
    assert [c.urn for c in counts] == [1, 2, 9]
    birch = counts[1]
    assert (birch.name, birch.phase, birch.year, birch.headcount) == ("Birch", "Secondary", "2022/23", 3)
    assert (birch.suspensions, birch.one_plus_suspensions, birch.permanent_exclusions) == (4, 2, 1)
    assert (birch.sessions_possible, birch.sessions_missed, birch.persistent_absentees) == (600, 50, 1)
    assert counts[2].name == "URN 9"


# --- Per-school rates -------------------------------------------------------------------------------------------------
def test_a_permanent_exclusion_rate_of_5_in_1000_has_the_score_interval_worked_by_hand():
    # The score interval: centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p(1-p)/n + z²/4n²), with z = 1.95996.
    rate = school_rate(school(permanent_exclusions=5), "permanent_exclusion_rate", threshold=T)
    assert rate.estimate is not None and rate.estimate.low is not None and rate.estimate.high is not None
    assert rate.estimate.low == pytest.approx(0.0021375, abs=1e-7)
    assert rate.estimate.high == pytest.approx(0.0116510, abs=1e-7)
    assert rate.as_text() == "0.50 per 100 pupils (5/1,000; 95% CI 0.21–1.17)"


def test_the_percentage_text_keeps_whole_percents_unless_asked_for_places():
    share = proportion(27, 29, threshold=T)
    assert share.as_text() == "93% (27/29; 95% CI 78–98%)"
    assert proportion(5, 1000, threshold=T).as_text(decimals=2) == "0.50% (5/1000; 95% CI 0.21–1.17%)"


def test_the_suspension_rate_has_the_exact_interval_from_the_chi_squared_formula():
    rate = school_rate(school(suspensions=93), "suspension_rate", threshold=T)
    assert isinstance(rate.estimate, Rate)
    # Garwood: [χ²(0.025; 2k)/2, χ²(0.975; 2k+2)/2] for the count, divided by the pupils.
    assert rate.estimate.low == pytest.approx(chi2.ppf(0.025, 2 * 93) / 2 / 1000, rel=1e-9)
    assert rate.estimate.high == pytest.approx(chi2.ppf(0.975, 2 * 94) / 2 / 1000, rel=1e-9)
    assert rate.as_text().startswith("9.30 per 100 pupils (93 suspensions, 1,000 pupils; 95% CI 7.51–11.39)")
    assert rate.caveat


def test_a_small_count_is_suppressed_with_its_reason_and_a_zero_is_shown():
    few = school_rate(school(permanent_exclusions=3), "permanent_exclusion_rate", threshold=T)
    assert few.as_text() == "fewer than 5 — suppressed" and not few.is_shown and few.per_100 is None
    none = school_rate(school(permanent_exclusions=0), "permanent_exclusion_rate", threshold=T)
    assert none.is_shown and none.as_text().startswith("0.00 per 100 pupils (0/1,000")


def test_suspensions_of_fewer_pupils_than_the_threshold_are_suppressed_however_many_suspensions():
    rate = school_rate(school(suspensions=12, one_plus_suspensions=2), "suspension_rate", threshold=T)
    assert rate.as_text() == "fewer than 5 — suppressed"


def test_overall_absence_carries_the_clustering_caveat_and_is_suppressed_for_a_tiny_school():
    rate = school_rate(school(), "absence_rate", threshold=T)
    assert rate.caveat == SESSIONS_CAVEAT and "too narrow" in rate.caveat
    assert rate.as_text().startswith("7.0 per 100 sessions (21,000/300,000; 95% CI")
    tiny = school_rate(school(headcount=3, sessions_possible=900, sessions_missed=60), "absence_rate", threshold=T)
    assert tiny.as_text() == "group of fewer than 5 — suppressed"


def test_figures_not_supplied_are_reported_as_such_not_as_zero():
    rates = school_rates(school(persistent_absentees=None, suspensions=None), threshold=T)
    assert rates["persistent_absence_rate"].as_text() == "not supplied"
    assert rates["suspension_rate"].estimate is None
    assert [r.measure.key for r in rates.rates] == [m.key for m in MEASURES]


def test_figures_that_do_not_add_up_are_not_shown():
    rate = school_rate(school(headcount=10, permanent_exclusions=11), "permanent_exclusion_rate", threshold=T)
    assert rate.estimate is None and "more permanent exclusions than pupils" in rate.reason


def test_the_pooled_rate_is_every_event_over_every_pupil_that_supplied_the_measure():
    schools = [school(1, suspensions=10), school(2, headcount=500, suspensions=40), school(3, suspensions=None)]
    assert pooled_rate(schools, "suspension_rate") == pytest.approx(50 / 1500)


# --- Funnel plots ----------------------------------------------------------------------------------------------------
def test_each_school_on_the_funnel_gets_its_band_in_neutral_words():
    schools = [
        school(1, "Ash", permanent_exclusions=0),
        school(2, "Birch", permanent_exclusions=5),
        school(3, "Cedar", permanent_exclusions=9),
        school(4, "Damson", permanent_exclusions=2),
        school(5, "Elm", permanent_exclusions=None),
    ]
    points = funnel(schools, "permanent_exclusion_rate", 0.001, threshold=T)
    assert [p.band for p in points] == [Band.WITHIN, Band.ABOVE, Band.WELL_ABOVE, None, None]
    birch = points[1]
    assert (birch.count, birch.n, birch.rate_per_100) == (5, 1000, pytest.approx(0.5))
    assert birch.wording == "above what its size would lead us to expect (outside the 95% limits)"
    assert birch.reading == (
        "Birch's permanent exclusion rate is above what its size would lead us to expect (outside the 95% limits)"
    )
    assert points[2].wording == "well above what its size would lead us to expect (outside the 99.8% limits)"
    assert points[0].wording == "within what its size would lead us to expect"
    # Two exclusions would be read straight off the plot, so the point is withheld entirely.
    damson = points[3]
    assert (damson.count, damson.rate, damson.limits) == (None, None, None)
    assert damson.wording == "fewer than 5 — suppressed" and not damson.is_plotted
    assert points[4].wording == "not supplied"


def test_the_funnel_wording_never_judges_a_school():
    texts = list(BAND_WORDING.values())
    points = funnel(
        [school(i, permanent_exclusions=k) for i, k in enumerate((0, 5, 9, 40))],
        "one_plus_suspension_rate",
        0.04,
        threshold=T,
    )
    texts += [p.wording for p in points] + [p.reading for p in points]
    for text in texts:
        for word in ("good", "bad", "worse", "better", "best", "worst", "poor"):
            assert word not in text.lower()


def test_suspensions_are_placed_on_a_rate_funnel_and_absence_has_none():
    point = funnel([school(suspensions=150)], "suspension_rate", 0.093, threshold=T)[0]
    assert point.limits is not None and point.limits.kind == "rate"
    assert point.band == Band.WELL_ABOVE  # expected 93, the 99.8% upper limit is 124
    with pytest.raises(ValueError, match="no funnel"):
        funnel([school()], "absence_rate", 0.07)


# --- Disproportionality -----------------------------------------------------------------------------------------------
def cohort() -> list[PupilRecord]:
    """200 pupils with SEN support (20 suspended) and 400 with none (10 suspended)."""
    return (
        pupils(20, "s", sen_status="SEN support", suspensions=1)
        + pupils(180, "t", sen_status="SEN support")
        + pupils(10, "n", suspensions=1)
        + pupils(390, "m")
    )


def outcome(key: str):
    return next(o for o in OUTCOMES if o.key == key)


def grouping(key: str):
    return next(g for g in GROUPINGS if g.key == key)


def test_the_rate_ratio_of_20_in_200_against_10_in_400_is_four():
    result = compare(cohort(), outcome("one_plus_suspension"), grouping("sen_any"), threshold=T)
    assert result.ratio == pytest.approx(4.0)
    # statsmodels' log-adjusted interval for the ratio, as the recruitment report uses.
    assert (result.low, result.high) == (pytest.approx(1.8903, abs=1e-4), pytest.approx(8.0459, abs=1e-4))
    assert result.reading == "4.00 times the rate of pupils with no SEN (95% CI 1.89–8.05)"
    assert result.includes_one is False


def test_a_ratio_whose_interval_includes_one_says_there_is_no_clear_difference():
    text = ratio_reading(1.3, 0.8, 2.1, "all other pupils")
    assert (
        text
        == "1.30 times the rate of all other pupils (95% CI 0.80–2.10): the interval includes 1, so no clear difference"
    )


def test_the_suspension_rate_ratio_counts_every_suspension():
    rows = (
        pupils(10, "a", fsm=True, suspensions=3)
        + pupils(90, "b", fsm=True)
        + pupils(10, "c", suspensions=1)
        + pupils(190, "d")
    )
    result = compare(rows, outcome("suspension_rate"), grouping("fsm"), threshold=T)
    assert result.ratio == pytest.approx((30 / 100) / (10 / 200))
    assert isinstance(result.group, Rate) and result.group.count == 30


def test_a_comparison_with_a_small_group_is_suppressed_and_its_numbers_withheld():
    rows = cohort() + pupils(3, "e", sen_status="EHC plan", suspensions=1)
    result = compare(rows, outcome("one_plus_suspension"), grouping("sen_ehc_plan"), threshold=T)
    assert result.is_suppressed
    assert result.suppressed_reason == "Pupils with an EHC plan: group of fewer than 5 — suppressed"
    assert (result.group, result.reference, result.ratio, result.low, result.high) == (None,) * 5
    assert result.reading == result.suppressed_reason


def test_a_comparison_with_a_small_count_in_either_group_is_suppressed():
    rows = pupils(3, "x", fsm=True, permanent_exclusion=True) + pupils(200, "y", fsm=True) + pupils(300, "z")
    result = compare(rows, outcome("permanent_exclusion"), grouping("fsm"), threshold=T)
    assert result.suppressed_reason == "Pupils eligible for free school meals: fewer than 5 — suppressed"
    assert result.ratio is None
    rows = pupils(20, "x", fsm=True, permanent_exclusion=True) + pupils(200, "y", fsm=True)
    rows += pupils(2, "w", permanent_exclusion=True) + pupils(300, "z")
    result = compare(rows, outcome("permanent_exclusion"), grouping("fsm"), threshold=T)
    assert result.suppressed_reason == "Pupils not eligible: fewer than 5 — suppressed" and result.low is None


def test_a_ratio_against_a_reference_group_with_no_events_cannot_be_estimated():
    rows = pupils(20, "x", fsm=True, permanent_exclusion=True) + pupils(200, "y", fsm=True) + pupils(300, "z")
    result = compare(rows, outcome("permanent_exclusion"), grouping("fsm"), threshold=T)
    assert result.ratio is None and result.reading.startswith("cannot be estimated")


def test_persistent_absence_leaves_out_pupils_with_no_possible_sessions():
    rows = (
        pupils(10, "a", fsm=True, sessions_missed=60)
        + pupils(40, "b", fsm=True)
        + pupils(30, "c", fsm=True, sessions_possible=0, sessions_missed=0)
        + pupils(10, "d", sessions_missed=60)
        + pupils(90, "e")
    )
    result = compare(rows, outcome("persistent_absence"), grouping("fsm"), threshold=T)
    assert result.group is not None and (result.group.numerator, result.group.n) == (10, 50)  # type: ignore[union-attr]
    assert result.ratio == pytest.approx((10 / 50) / (10 / 100))


def test_every_outcome_is_compared_for_every_grouping_and_each_ethnic_group_against_the_rest():
    rows = (
        cohort()[:300]
        + pupils(150, "k", ethnicity_group="Black", suspensions=1)
        + pupils(150, "l", ethnicity_group="Black")
    )
    report = disproportionality(rows, threshold=T)
    assert [o.outcome.key for o in report] == [o.key for o in OUTCOMES]
    keys = [c.grouping for c in report[0].comparisons]
    assert keys[:3] == ["sen_any", "sen_ehc_plan", "fsm"] and len(keys) == 3 + len(ETHNICITY_GROUPS)
    black = next(c for c in report[0].comparisons if c.grouping == "ethnicity_black")
    # 150 of 300 Black pupils suspended against 30 of the 300 others (20 with SEN support and 10 without).
    assert black.ratio == pytest.approx(5.0) and black.reference_label == "all other pupils"
    chinese = next(c for c in report[0].comparisons if c.grouping == "ethnicity_chinese")
    assert chinese.suppressed_reason == "Chinese: no one in this group" and chinese.ratio is None
    assert report[2].caveat  # the suspension rate's clustering caveat
    for comparison in (c for o in report for c in o.comparisons):
        for word in ("good", "bad", "worse", "better"):
            assert word not in comparison.reading.lower()


def test_a_group_with_none_reads_as_an_upper_limit_not_a_ratio_outside_its_interval():
    from difference.consultancy.analysis import GROUPINGS, OUTCOMES, PupilRecord, compare

    pupils = [
        PupilRecord(f"P{n}", 1, "9", "None", False, "Chinese" if n < 40 else "White", int(n >= 40 and n % 10 == 0),
                    False, 320, 10)
        for n in range(1040)
    ]  # fmt: skip
    chinese = next(g for g in GROUPINGS if g.key == "ethnicity_chinese")
    one_plus = next(o for o in OUTCOMES if o.key == "one_plus_suspension")
    result = compare(pupils, one_plus, chinese)
    assert result.ratio == 0.0 and result.low == 0.0 and result.high is not None and result.high > 1
    assert result.reading.startswith("none of 40 pupils in this group: at most")
