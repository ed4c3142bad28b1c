from __future__ import annotations

import math

import pytest
from django.template import Context, Template
from scipy.stats import binom, chi2
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from difference.core.stats import (
    PROPORTION_INTERVAL,
    RATE_INTERVAL,
    SECONDARY_REASON,
    THRESHOLD_SETTING,
    default_threshold,
    estimate,
    poisson_interval,
    poisson_rate,
    proportion,
    ratio_interval,
    small_count_reason,
    small_group_reason,
    suppression_reason,
    wilson_interval,
    withhold,
)

GRID = [
    (k, n) for n in (1, 2, 5, 7, 10, 29, 50, 100, 664, 1000) for k in sorted({0, 1, n // 3, n // 2, n - 1, n}) if k >= 0
]


@pytest.mark.parametrize(("k", "n"), GRID)
def test_the_wilson_interval_matches_statsmodels_to_six_places(k, n):
    low, high = wilson_interval(k, n)
    expected_low, expected_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert low == pytest.approx(expected_low, abs=1e-6)
    assert high == pytest.approx(expected_high, abs=1e-6)


def test_it_renders_a_proportion_with_n_and_interval():
    assert proportion(27, 29, threshold=5).as_text() == "93% (27/29; 95% CI 78–98%)"


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_it_suppresses_counts_below_the_threshold(k):
    p = proportion(k, 100, threshold=5)
    assert p.is_suppressed
    assert p.as_text() == "fewer than 5 — suppressed"
    assert f"{k}/100" not in p.as_text()


def test_it_suppresses_groups_smaller_than_the_threshold():
    p = proportion(4, 4, threshold=5)
    assert p.is_suppressed
    assert "fewer than 5" in p.as_text()


def test_it_shows_a_true_zero():
    p = proportion(0, 40, threshold=5)
    assert not p.is_suppressed
    assert p.as_text().startswith("0% (0/40; 95% CI 0–")


def test_the_threshold_comes_from_settings(settings):
    settings.DIFFERENCE_SMALL_CELL_THRESHOLD = 10
    assert proportion(7, 100).as_text() == "fewer than 10 — suppressed"
    assert not proportion(10, 100).is_suppressed


def test_an_empty_group_says_so():
    assert proportion(0, 0).as_text() == "no one in this group"


@pytest.mark.parametrize(("k", "n"), [(-1, 5), (6, 5), (0, -1)])
def test_impossible_counts_are_refused(k, n):
    with pytest.raises(ValueError):
        proportion(k, n)


def test_the_template_tag_renders_the_same_text_everywhere():
    template = Template("{% load figures %}{% proportion a %}|{% proportion b %}")
    html = template.render(Context({"a": proportion(27, 29, threshold=5), "b": proportion(2, 29, threshold=5)}))
    assert html == (
        '<span class="proportion">93% (27/29; 95% CI 78–98%)</span>|'
        '<span class="suppressed">fewer than 5 — suppressed</span>'
    )


def test_a_group_of_everyone_with_the_outcome_is_shown_with_an_interval_that_reaches_one():
    p = proportion(40, 40, threshold=5)
    assert not p.is_suppressed and p.value == 1 and p.high == pytest.approx(1.0)
    assert p.low == pytest.approx(proportion_confint(40, 40, alpha=0.05, method="wilson")[0])


def test_a_group_exactly_at_the_threshold_is_shown_and_one_below_it_is_not():
    assert not proportion(5, 5, threshold=5).is_suppressed
    assert proportion(4, 4, threshold=5).suppressed_reason == "group of fewer than 5 — suppressed"
    assert proportion(0, 4, threshold=5).suppressed_reason == "group of fewer than 5 — suppressed"


# --- The rule, in one function --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("count", "n", "people", "reason"),
    [
        (0, 0, None, "no one in this group"),
        (0, 4, None, "group of fewer than 5 — suppressed"),
        (4, 4, None, "group of fewer than 5 — suppressed"),
        (0, 5, None, ""),
        (1, 5, None, "fewer than 5 — suppressed"),
        (4, 100, None, "fewer than 5 — suppressed"),
        (5, 5, None, ""),
        (5, 100, None, ""),
        (12, 100, 2, "fewer than 5 — suppressed"),  # six suspensions each of two pupils
        (12, 100, 5, ""),
        (0, 100, 0, ""),
    ],
)
def test_the_suppression_rule_withholds_small_groups_and_counts_and_shows_zero(count, n, people, reason):
    assert suppression_reason(count, n, people=people, threshold=5) == reason


def test_the_rule_reads_the_threshold_from_settings_when_it_is_asked(settings):
    setattr(settings, THRESHOLD_SETTING, 3)
    assert default_threshold() == 3
    assert suppression_reason(2, 100) == "fewer than 3 — suppressed"
    assert suppression_reason(3, 100) == ""
    assert (
        small_group_reason(3) == "group of fewer than 3 — suppressed"
        and small_count_reason(3) == "fewer than 3 — suppressed"
    )


def test_a_withheld_estimate_keeps_its_figures_for_the_code_but_shows_only_the_reason():
    hidden = withhold(proportion(40, 100, threshold=5))
    assert hidden.is_suppressed and hidden.as_text() == SECONDARY_REASON and hidden.numerator == 40
    assert withhold(poisson_rate(50, 100, threshold=5), "because").per_100_text() == "because"


# --- Rates of repeatable events -------------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [0, 1, 7, 250])
def test_the_poisson_interval_matches_the_chi_squared_formula_for_any_count(count):
    low, high = poisson_interval(count, 400)
    expected_low = 0.0 if count == 0 else chi2.ppf(0.025, 2 * count) / 2 / 400
    assert low == pytest.approx(expected_low, rel=1e-9, abs=1e-12)
    assert high == pytest.approx(chi2.ppf(0.975, 2 * count + 2) / 2 / 400, rel=1e-9)


def test_a_rate_is_suppressed_like_a_proportion_and_for_too_few_people():
    assert poisson_rate(12, 3, threshold=5).suppressed_reason == "group of fewer than 5 — suppressed"
    assert poisson_rate(12, 100, people=2, threshold=5).suppressed_reason == "fewer than 5 — suppressed"
    assert poisson_rate(3, 100, threshold=5).suppressed_reason == "fewer than 5 — suppressed"
    zero = poisson_rate(0, 100, threshold=5)
    assert not zero.is_suppressed and zero.low == 0 and zero.high == pytest.approx(chi2.ppf(0.975, 2) / 2 / 100)


def test_a_rate_of_no_one_has_no_interval_and_says_so():
    empty = poisson_rate(0, 0, threshold=5)
    assert (empty.low, empty.high, empty.value) == (None, None, None)
    assert empty.per_100_text() == "no one in this group"


def test_a_rate_can_exceed_one_event_per_person():
    rate = poisson_rate(150, 100, threshold=5)
    assert rate.value == 1.5 and rate.low is not None and rate.low < 1.5 < (rate.high or 0)
    assert rate.per_100_text() == "150.00 per 100 pupils (150 suspensions, 100 pupils; 95% CI 126.96–176.02)"


@pytest.mark.parametrize(("count", "exposure"), [(-1, 10), (1, -1)])
def test_an_impossible_rate_is_refused(count, exposure):
    with pytest.raises(ValueError):
        poisson_rate(count, exposure)


def test_an_estimate_is_a_proportion_or_a_rate_by_its_kind():
    assert estimate(5, 10, "proportion", threshold=5) == proportion(5, 10, threshold=5)
    assert estimate(15, 10, "rate", people=6, threshold=5) == poisson_rate(15, 10, people=6, threshold=5)


# --- Ratios ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2"), [(10, 40, 20, 40), (0, 20, 10, 20), (20, 200, 10, 400), (40, 40, 5, 40)]
)
def test_the_ratio_of_two_proportions_has_statsmodels_log_adjusted_interval(k1, n1, k2, n2):
    expected = confint_proportions_2indep(k1, n1, k2, n2, compare="ratio", method="log-adjusted")
    assert ratio_interval(k1, n1, k2, n2) == (pytest.approx(expected[0]), pytest.approx(expected[1]))


def test_the_ratio_of_20_in_200_against_10_in_400_has_the_interval_of_the_consultancy_report():
    low, high = ratio_interval(20, 200, 10, 400, "proportion")  # type: ignore[misc]
    assert (low, high) == (pytest.approx(1.8903, abs=1e-4), pytest.approx(8.0459, abs=1e-4))


def test_the_poisson_rate_ratio_interval_is_exact_given_the_total():
    # 30 suspensions in 200 pupils against 20 in 400: the ratio is 3. Given the 50 events, the group's share is
    # binomial, so at each limit one tail of that binomial is exactly 2.5%.
    low, high = ratio_interval(30, 200, 20, 400, "rate")  # type: ignore[misc]
    assert low < 3 < high
    share = lambda r: r * 200 / (r * 200 + 400)  # noqa: E731 - the group's expected share at ratio r
    assert binom.sf(29, 50, share(low)) == pytest.approx(0.025, abs=1e-6)
    assert binom.cdf(30, 50, share(high)) == pytest.approx(0.025, abs=1e-6)


def test_a_group_with_no_events_still_gets_a_ratio_of_zero_with_an_interval():
    low, high = ratio_interval(0, 100, 10, 400, "rate")  # type: ignore[misc]
    assert low == 0 and 0 < high < math.inf
    binomial = ratio_interval(0, 100, 10, 400, "proportion")
    assert binomial is not None and binomial[0] < binomial[1]


def test_a_ratio_with_no_events_anywhere_or_a_reference_of_none_cannot_be_estimated():
    assert ratio_interval(0, 100, 0, 100, "rate") is None
    assert ratio_interval(10, 100, 0, 100, "rate") is None  # the upper end is infinite
    assert ratio_interval(0, 0, 5, 10) is None  # an empty group has no rate to compare
    # The log-adjusted interval adds 0.5 to zero counts, so two groups with none still get a (wide) interval.
    low, high = ratio_interval(0, 100, 0, 100) or (math.nan, math.nan)
    assert low < 1 < high and math.isfinite(high)


def test_the_interval_methods_are_named_for_the_notes_that_state_them():
    assert (PROPORTION_INTERVAL, RATE_INTERVAL) == ("Wilson", "exact Poisson")
