"""Estimates as the platform shows them: a count, its denominator, a 95% interval, and suppression.

Two kinds: a ``Proportion`` (k of n people, with SciPy's Wilson interval) and a ``Rate`` (events that one person
can have several of, per person, with the exact Poisson interval from statsmodels). Every figure on a page or in a
report is one of them, so none appears without its n and interval, and no small cell escapes suppression.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

import numpy as np
from scipy.stats import binomtest
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.rates import confint_poisson

from difference.core.stats.suppression import SECONDARY_REASON, suppression_reason, threshold_or_default

CONFIDENCE = 0.95
# "proportion": a count of people out of a group (binomial); "rate": events per person, where one person can
# have several (Poisson).
EstimateKind = Literal["proportion", "rate"]
# How each kind's interval is made, for the notes that say so.
PROPORTION_INTERVAL = "Wilson"
RATE_INTERVAL = "exact Poisson"


def _alpha(confidence: float) -> float:
    # 1 - 0.95 is 0.050000000000000044 in floating point; statsmodels' own default is 0.05.
    return round(1 - confidence, 12)


@dataclass(frozen=True)
class Proportion:
    """k out of n, with its interval; ``suppressed_reason`` is set when it must not be shown."""

    numerator: int
    n: int
    low: float | None
    high: float | None
    confidence: float
    threshold: int
    suppressed_reason: str = ""

    @property
    def value(self) -> float | None:
        return self.numerator / self.n if self.n else None

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppressed_reason)

    def as_text(self, decimals: int = 0) -> str:
        """ "93% (27/29; 95% CI 78–98%)", or the reason it is not shown.

        ``decimals`` is for rare outcomes: an exclusion rate near 0.1% reads as "0%" in whole percents.
        """
        if self.suppressed_reason:
            return self.suppressed_reason
        assert self.value is not None and self.low is not None and self.high is not None
        level = round(self.confidence * 100)
        d = decimals
        return (
            f"{self.value * 100:.{d}f}% ({self.numerator}/{self.n}; "
            f"{level}% CI {self.low * 100:.{d}f}–{self.high * 100:.{d}f}%)"
        )

    def per_100_text(self, unit: str = "pupils", decimals: int = 2) -> str:
        """ "0.12 per 100 pupils (6/5,000; 95% CI 0.05–0.26)", the way DfE states exclusion rates."""
        if self.suppressed_reason:
            return self.suppressed_reason
        assert self.value is not None and self.low is not None and self.high is not None
        level = round(self.confidence * 100)
        d = decimals
        return (
            f"{self.value * 100:.{d}f} per 100 {unit} ({self.numerator:,}/{self.n:,}; "
            f"{level}% CI {self.low * 100:.{d}f}–{self.high * 100:.{d}f})"
        )


@dataclass(frozen=True)
class Rate:
    """``count`` events over ``exposure`` (pupils), with an exact Poisson interval; used where one pupil can
    contribute several events, so the count is not a number of pupils and a proportion would be wrong."""

    count: int
    exposure: int
    low: float | None
    high: float | None
    confidence: float
    threshold: int
    suppressed_reason: str = ""

    @property
    def value(self) -> float | None:
        return self.count / self.exposure if self.exposure else None

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppressed_reason)

    # The names a Proportion uses, so that every Estimate reads the same: events over pupils.
    @property
    def numerator(self) -> int:
        return self.count

    @property
    def n(self) -> int:
        return self.exposure

    def per_100_text(self, unit: str = "pupils", decimals: int = 2, events: str = "suspensions") -> str:
        """ "9.30 per 100 pupils (93 suspensions, 1,000 pupils; 95% CI 7.51–11.39)", or why it is not shown."""
        if self.suppressed_reason:
            return self.suppressed_reason
        assert self.value is not None and self.low is not None and self.high is not None
        level = round(self.confidence * 100)
        d = decimals
        return (
            f"{self.value * 100:.{d}f} per 100 {unit} ({self.count:,} {events}, {self.exposure:,} {unit}; "
            f"{level}% CI {self.low * 100:.{d}f}–{self.high * 100:.{d}f})"
        )


Estimate = Proportion | Rate
E = TypeVar("E", bound=Proportion | Rate)


def wilson_interval(numerator: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    ci = binomtest(numerator, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def proportion(numerator: int, n: int, *, threshold: int | None = None, confidence: float = CONFIDENCE) -> Proportion:
    """Build a proportion, suppressing it when the group or the count is below ``threshold``.

    A zero count is shown (it discloses nothing about an individual); a count of
    1 to threshold-1, or a group smaller than the threshold, is suppressed.
    """
    if n < 0 or numerator < 0 or numerator > n:
        raise ValueError(f"need 0 <= numerator <= n, got {numerator}/{n}")
    limit = threshold_or_default(threshold)
    low = high = None
    if n > 0:
        low, high = wilson_interval(numerator, n, confidence)
    return Proportion(numerator, n, low, high, confidence, limit, suppression_reason(numerator, n, threshold=limit))


def poisson_interval(count: int, exposure: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact (Garwood) central interval for a Poisson rate, from statsmodels' gamma-based "exact-c"."""
    low, high = confint_poisson(count, exposure, method="exact-c", alpha=_alpha(confidence))
    return float(low), float(high)


def poisson_rate(
    count: int,
    exposure: int,
    *,
    people: int | None = None,
    threshold: int | None = None,
    confidence: float = CONFIDENCE,
) -> Rate:
    """A rate of repeatable events per person, suppressed like a proportion; ``people`` (how many people the
    events belong to) must clear the threshold too, or six suspensions of one pupil would be shown."""
    if count < 0 or exposure < 0:
        raise ValueError(f"need a count and an exposure of 0 or more, got {count} and {exposure}")
    limit = threshold_or_default(threshold)
    low = high = None
    if exposure > 0:
        low, high = poisson_interval(count, exposure, confidence)
    reason = suppression_reason(count, exposure, people=people, threshold=limit)
    return Rate(count, exposure, low, high, confidence, limit, reason)


def estimate(
    count: int, n: int, kind: EstimateKind, *, people: int | None = None, threshold: int | None = None
) -> Estimate:
    """A proportion, or for repeatable events a rate, of ``count`` over ``n``."""
    if kind == "rate":
        return poisson_rate(count, n, people=people, threshold=threshold)
    return proportion(count, n, threshold=threshold)


def withhold(figure: E, reason: str = SECONDARY_REASON) -> E:
    """The same estimate, withheld with ``reason`` (by default, so that another cannot be worked out)."""
    return replace(figure, suppressed_reason=reason)


def ratio_interval(
    count1: int, n1: int, count2: int, n2: int, kind: EstimateKind = "proportion", confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """The interval for (count1/n1) / (count2/n2), or None when it cannot be estimated.

    Proportions use statsmodels' log-adjusted interval: it adds 0.5 to zero counts, so a group with none still
    gets an interval. For rates, statsmodels' ``confint_poisson_2indep`` collapses to a single point when a count
    is zero (as of 0.15), so we use the exact conditional interval (the one R's ``poisson.test`` gives): given the
    total, the group's share of the events is binomial, and SciPy's Clopper-Pearson interval for that share maps
    to the ratio. Anything non-finite is reported as not estimable rather than shown.
    """
    if kind == "proportion":
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                low, high = confint_proportions_2indep(
                    count1, n1, count2, n2, compare="ratio", method="log-adjusted", alpha=_alpha(confidence)
                )
            except (ValueError, ZeroDivisionError, FloatingPointError):
                return None
    else:
        if count1 + count2 == 0:
            return None
        share = binomtest(count1, count1 + count2).proportion_ci(confidence_level=confidence, method="exact")
        scale = n2 / n1
        low = share.low / (1 - share.low) * scale
        high = share.high / (1 - share.high) * scale if share.high < 1 else math.inf
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return float(low), float(high)
