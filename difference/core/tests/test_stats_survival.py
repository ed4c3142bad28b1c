"""Kaplan–Meier curves, checked against lifelines itself and against the estimate worked by hand."""

from __future__ import annotations

import pytest
from lifelines import KaplanMeierFitter

from difference.core.stats import NO_ONE, kaplan_meier

# A constructed cohort of ten followed in years: six leave the state, four are censored (still in it when their
# follow-up ended), one censoring tied with an event at 2 years.
DURATIONS = [0.5, 1.0, 1.0, 1.5, 2.0, 2.0, 2.5, 3.0, 3.0, 3.5]
OBSERVED = [True, True, False, True, True, False, False, True, True, False]


def test_the_curve_and_its_band_are_lifelines_kaplan_meier_with_censoring():
    curve = kaplan_meier(DURATIONS, OBSERVED, threshold=0)
    fitter = KaplanMeierFitter().fit(DURATIONS, event_observed=OBSERVED)
    expected = fitter.survival_function_["KM_estimate"]
    band = fitter.confidence_interval_survival_function_
    assert [s.time for s in curve.steps] == list(expected.index)
    assert [s.survival for s in curve.steps] == pytest.approx(list(expected))
    assert [s.low for s in curve.steps] == pytest.approx(list(band.iloc[:, 0]))
    assert [s.high for s in curve.steps] == pytest.approx(list(band.iloc[:, 1]))
    assert [s.at_risk for s in curve.steps] == list(fitter.event_table["at_risk"])
    assert curve.median == fitter.median_survival_time_


def test_the_curve_is_the_product_limit_worked_by_hand():
    curve = kaplan_meier(DURATIONS, OBSERVED, threshold=0)
    # At 0.5: 1 of 10 leaves; at 1: 1 of 9 (one censored too); at 1.5: 1 of 7; at 2: 1 of 6 (one censored).
    by_hand = 9 / 10 * 8 / 9 * 6 / 7 * 5 / 6
    assert curve.at(2.0) == pytest.approx(by_hand)
    assert curve.at(2.4) == pytest.approx(by_hand)
    assert curve.at(0.4) == 1.0
    assert (curve.n, curve.events, curve.censored) == (10, 6, 4)
    step = curve.step_at(1.0)
    assert step is not None and (step.at_risk, step.events, step.censored) == (9, 1, 1)


def test_a_cohort_where_no_one_leaves_stays_at_one_with_no_median():
    curve = kaplan_meier([1.0, 2.0, 3.0], [False, False, False], threshold=0)
    assert {s.survival for s in curve.steps} == {1.0}
    assert curve.median is None


def test_the_band_takes_the_confidence_asked_for():
    curve = kaplan_meier(DURATIONS, OBSERVED, confidence=0.9, threshold=0)
    fitter = KaplanMeierFitter(alpha=0.1).fit(DURATIONS, event_observed=OBSERVED)
    assert [s.low for s in curve.steps] == pytest.approx(list(fitter.confidence_interval_.iloc[:, 0]))


def test_a_group_below_the_threshold_is_withheld_but_keeps_its_figures():
    curve = kaplan_meier(DURATIONS[:4], OBSERVED[:4], threshold=5)
    assert curve.is_suppressed and "fewer than 5" in curve.suppressed_reason
    assert curve.n == 4 and curve.steps


def test_no_one_followed_is_no_curve():
    curve = kaplan_meier([], [], threshold=0)
    assert curve.steps == () and curve.suppressed_reason == NO_ONE


def test_durations_and_flags_must_pair_up_and_be_real_times():
    with pytest.raises(ValueError):
        kaplan_meier([1.0, 2.0], [True])
    with pytest.raises(ValueError):
        kaplan_meier([-1.0], [True])
