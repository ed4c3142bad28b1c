"""Paired comparisons and means, checked by hand on small data and against SciPy called directly."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import bootstrap, t, ttest_1samp, wilcoxon

from difference.core.stats import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    NO_DIFFERENCES,
    TOO_FEW_PAIRS,
    ZERO_METHOD,
    mean_interval,
    paired_test,
    rank_biserial,
    small_group_reason,
    withhold_small_group,
)

# Six pupils' reading-age gains (months) over six months: differences 5, 2, 3, -3, 6, 1.
GAINS = [11.0, 8.0, 9.0, 3.0, 12.0, 7.0]
ELAPSED = [6.0] * 6


def test_the_rank_biserial_correlation_is_the_signed_rank_sums_over_all_ranks_by_hand():
    # |d| ranks: 1→1, 2→2, 3 and 3→3.5 each, 5→5, 6→6. R+ = 5 + 2 + 3.5 + 6 + 1 = 17.5, R- = 3.5, total 21.
    assert rank_biserial(GAINS, ELAPSED) == pytest.approx((17.5 - 3.5) / 21)


def test_a_zero_difference_is_ranked_and_counted_but_on_neither_side():
    # d = 0, 2, 3, -2: ranks 1, 2.5, 4, 2.5; R+ = 6.5, R- = 2.5 over n(n+1)/2 = 10.
    assert rank_biserial([6, 8, 9, 4], [6, 6, 6, 6]) == pytest.approx(0.4)


def test_every_pupil_above_gives_one_and_every_pupil_below_minus_one():
    assert rank_biserial([7, 9, 8], [6, 6, 6]) == 1
    assert rank_biserial([5, 3, 4], [6, 6, 6]) == -1


def test_the_wilcoxon_result_is_scipys_two_sided_with_pratts_zeros():
    result = paired_test(GAINS, ELAPSED)
    expected = wilcoxon(GAINS, ELAPSED, zero_method="pratt", alternative="two-sided")
    assert ZERO_METHOD == "pratt"
    assert result.n == 6
    assert result.statistic == pytest.approx(expected.statistic) == 3.5  # the smaller rank sum, by hand
    assert result.p_value == pytest.approx(expected.pvalue)
    assert not result.is_suppressed


def test_pratts_zeros_drop_the_zeros_rank_from_the_statistic_but_not_the_ranking():
    result = paired_test([6, 8, 9, 4], [6, 6, 6, 6])
    # Ranks with the zero: 1, 2.5, 4, 2.5; the zero's rank dropped: R+ = 6.5, R- = 2.5.
    assert result.statistic == 2.5
    assert result.p_value == pytest.approx(wilcoxon([6, 8, 9, 4], [6] * 4, zero_method="pratt").pvalue)
    assert result.effect_size == pytest.approx(0.4)


def test_the_effect_size_interval_is_scipys_seeded_paired_percentile_bootstrap():
    result = paired_test(GAINS, ELAPSED)
    expected = bootstrap(
        (np.array(GAINS), np.array(ELAPSED)),
        rank_biserial,
        paired=True,
        vectorized=True,
        n_resamples=BOOTSTRAP_RESAMPLES,
        method="percentile",
        rng=np.random.default_rng(BOOTSTRAP_SEED),
    ).confidence_interval
    assert result.effect_size == pytest.approx(2 / 3)
    assert (result.low, result.high) == (pytest.approx(expected.low), pytest.approx(expected.high))
    assert -1 <= result.low < result.effect_size <= result.high <= 1


def test_the_interval_is_the_same_every_time():
    assert paired_test(GAINS, ELAPSED) == paired_test(GAINS, ELAPSED)


def test_the_bootstrap_resamples_whole_pairs_not_each_side_apart():
    # Resampling each side separately would mix pupils: with paired resamples every pupil's pair stays intact, so
    # when every x is above its y every resample's effect size is 1.
    result = paired_test([7.0, 9.0, 8.0, 10.0], [6.0, 8.5, 7.0, 9.0])
    assert (result.effect_size, result.low, result.high) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(("x", "y"), [([], []), ([10.0], [6.0])])
def test_fewer_than_two_pairs_give_no_test_with_the_reason(x, y):
    result = paired_test(x, y)
    assert result.suppressed_reason == TOO_FEW_PAIRS
    assert (result.statistic, result.p_value, result.effect_size, result.low, result.high) == (None,) * 5
    assert result.n == len(x)


def test_all_differences_zero_give_no_test_with_the_reason():
    result = paired_test([6.0, 7.0, 8.0], [6.0, 7.0, 8.0])
    assert result.suppressed_reason == NO_DIFFERENCES
    assert result.p_value is None


def test_unequal_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        paired_test([1.0, 2.0], [1.0])


def test_the_mean_interval_is_students_t_by_hand_and_as_scipy_gives_it():
    values = [1.0, 2.0, 3.0]
    m = mean_interval(values)
    # mean 2, sd 1, se 1/sqrt(3), t(0.975, 2) = 4.3027
    half = t.ppf(0.975, 2) / np.sqrt(3)
    assert (m.value, m.n) == (2.0, 3)
    assert m.low == pytest.approx(2 - half) == pytest.approx(-0.4841377)
    assert m.high == pytest.approx(2 + half)
    ci = ttest_1samp(values, 0).confidence_interval(0.95)
    assert (m.low, m.high) == (pytest.approx(ci.low), pytest.approx(ci.high))


def test_a_mean_of_one_value_has_no_interval_and_of_none_no_value():
    one = mean_interval([1.7])
    assert (one.value, one.low, one.high, one.n, one.has_interval) == (1.7, None, None, 1, False)
    none = mean_interval([])
    assert (none.value, none.n) == (None, 0)


def test_identical_values_have_an_interval_of_no_width():
    m = mean_interval([2.0, 2.0, 2.0])
    assert (m.value, m.low, m.high) == (2.0, 2.0, 2.0)


def test_a_figure_on_fewer_pupils_than_the_threshold_is_withheld_with_its_numbers_removed():
    small = withhold_small_group(mean_interval([1.0, 2.0, 3.0]), threshold=5)
    assert small.suppressed_reason == small_group_reason(5)
    assert (small.value, small.low, small.high, small.n) == (None, None, None, 3)
    test = withhold_small_group(paired_test(GAINS, ELAPSED), threshold=7)
    assert test.suppressed_reason == small_group_reason(7)
    assert (test.statistic, test.p_value, test.effect_size, test.low, test.high) == (None,) * 5


def test_a_figure_on_enough_pupils_is_left_as_it_is():
    m = mean_interval([1.0, 2.0, 3.0, 4.0, 5.0])
    assert withhold_small_group(m, threshold=5) == m
    none = paired_test([1.0], [0.0])
    assert withhold_small_group(none, threshold=5).suppressed_reason == TOO_FEW_PAIRS
