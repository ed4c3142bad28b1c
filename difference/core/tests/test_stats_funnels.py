"""Funnel-plot limits, checked against the defining property of SciPy's binomial and Poisson quantiles."""

from __future__ import annotations

import itertools

import pytest
from scipy.stats import binom, poisson

from difference.core.stats import Band, funnel_limits

P0S = (0.001, 0.0011, 0.005, 0.02, 0.09, 0.3, 0.5)
SIZES = (10, 11, 25, 60, 99, 150, 333, 500, 999, 1200, 2000)


@pytest.mark.parametrize(("p0", "n"), list(itertools.product(P0S, SIZES)))
def test_the_funnel_limits_are_the_exact_binomial_quantiles_at_the_national_rate(p0, n):
    limits = funnel_limits(p0, n)
    # The defining property of each limit count k for quantile q: cdf(k) >= q and cdf(k - 1) < q.
    for q, value in (
        (0.001, limits.lower_998),
        (0.025, limits.lower_95),
        (0.975, limits.upper_95),
        (0.999, limits.upper_998),
    ):
        k = round(value * n)
        assert value == pytest.approx(k / n)
        assert binom.cdf(k, n, p0) >= q
        assert binom.cdf(k - 1, n, p0) < q
    # The upper limit can sit below p0 when fewer than one event is expected: then any event is unusual.
    assert limits.lower_998 <= limits.lower_95 <= min(p0, limits.upper_95) <= limits.upper_95 <= limits.upper_998


@pytest.mark.parametrize(("p0", "n"), list(itertools.product((0.001, 0.05, 0.093, 0.4, 1.7), SIZES)))
def test_the_suspension_rate_funnel_uses_exact_poisson_quantiles(p0, n):
    limits = funnel_limits(p0, n, "rate")
    assert limits.kind == "rate"
    for q, k in (
        (0.001, limits.lower_998_count),
        (0.025, limits.lower_95_count),
        (0.975, limits.upper_95_count),
        (0.999, limits.upper_998_count),
    ):
        assert poisson.cdf(k, p0 * n) >= q
        assert poisson.cdf(k - 1, p0 * n) < q


def test_a_school_outside_a_limit_has_a_count_that_unlikely_at_the_national_rate():
    p0, n = 0.001, 1000
    limits = funnel_limits(p0, n)
    # Expected one permanent exclusion; 95% upper limit is 3 (cdf(3) = 0.981), 99.8% upper is 5 (cdf(5) = 0.9994).
    assert (limits.upper_95_count, limits.upper_998_count, limits.lower_95_count) == (3, 5, 0)
    assert [limits.band(k) for k in (0, 3, 4, 5, 6)] == [
        Band.WITHIN,
        Band.WITHIN,
        Band.ABOVE,
        Band.ABOVE,
        Band.WELL_ABOVE,
    ]
    assert 1 - binom.cdf(3, n, p0) <= 0.025 < 1 - binom.cdf(2, n, p0)


def test_a_school_can_fall_below_its_limits_when_the_rate_is_common():
    limits = funnel_limits(0.3, 1000)
    assert limits.band(limits.lower_95_count) == Band.WITHIN
    assert limits.band(limits.lower_95_count - 1) == Band.BELOW
    assert limits.band(limits.lower_998_count - 1) == Band.WELL_BELOW


def test_funnel_limits_reject_an_impossible_rate_or_size():
    with pytest.raises(ValueError):
        funnel_limits(1.2, 100)
    with pytest.raises(ValueError):
        funnel_limits(0.1, 0)
    funnel_limits(1.2, 100, "rate")  # suspensions per pupil can exceed one


def test_a_rate_of_zero_puts_every_limit_at_zero_and_any_event_above_them():
    limits = funnel_limits(0.0, 500)
    assert (limits.lower_998_count, limits.lower_95_count, limits.upper_95_count, limits.upper_998_count) == (0,) * 4
    assert limits.band(0) == Band.WITHIN and limits.band(1) == Band.WELL_ABOVE


def test_a_school_of_one_pupil_has_limits_of_none_or_one():
    limits = funnel_limits(0.5, 1)
    assert (limits.lower_998_count, limits.upper_998_count) == (0, 1)


def test_an_unknown_kind_of_estimate_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        funnel_limits(0.1, 10, "ratio")  # type: ignore[arg-type]
