"""Paired comparisons and means: the change in the same pupils between two tests, with its uncertainty.

``paired_test`` compares each pupil's ``x`` with their own ``y`` (a reading-age gain with the months that passed,
say) by SciPy's Wilcoxon signed-rank test, and gives the size of the difference as the matched-pairs rank-biserial
correlation with a bootstrap interval. ``mean_interval`` is a mean with Student's t interval. Neither assumes the
pupils are a sample of anyone but themselves: there is no comparison group, so a difference here says the pupils
changed, not why.

Choices, each stated where the figures are shown:

* zero differences (a pupil whose gain equals the months elapsed) use SciPy's ``zero_method="pratt"``: they are
  ranked with the others and then their ranks dropped from the statistic. Dropping them outright (``"wilcox"``,
  SciPy's default) would discard exactly the pupils who show no change and so overstate it; Pratt's method keeps
  them in the ranking, the more conservative documented option;
* the effect size is ``(R+ - R-) / (n(n+1)/2)``, the sums of the signed ranks of ``|x - y|`` over all ``n`` pairs
  (ties given their average rank, zeros counted in ``n`` and on neither side), so zeros pull it towards 0 as they
  pull the test towards no difference. Without zeros it is Kerby's (2014) simple difference formula. It runs from
  -1 (every ``x`` below its ``y``) to 1 (every ``x`` above);
* its 95% interval is SciPy's paired bootstrap, 9,999 resamples of whole pairs from a fixed seed, so a page shows
  the same interval every time it is drawn. It is the *percentile* interval, not BCa: the statistic is bounded and
  takes few values in a project of ten or twenty pupils, and where every pupil moved the same way every resample
  gives 1 and BCa's acceleration cannot be computed (SciPy returns NaN); the percentile interval always exists
  and stays within -1 to 1. It is a little narrow for the smallest groups, which the "few pupils" caveat says;
* a mean's interval is Student's t (``scipy.stats.ttest_1samp``), not a bootstrap: it needs no seed, is defined
  from two values, and a percentile bootstrap of a mean of ten values is too narrow (it uses no t quantile).
  Per-pupil ratio gains are skewed, so read the interval as approximate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

import numpy as np
from scipy.stats import bootstrap, rankdata, ttest_1samp, wilcoxon

from difference.core.stats.estimates import CONFIDENCE
from difference.core.stats.suppression import suppression_reason, threshold_or_default

ZERO_METHOD = "pratt"
EFFECT_SIZE = "matched-pairs rank-biserial correlation"
EFFECT_SIZE_INTERVAL = "percentile bootstrap"
BOOTSTRAP_RESAMPLES = 9999
BOOTSTRAP_SEED = 20220901
MEAN_INTERVAL = "Student's t"

TOO_FEW_PAIRS = "fewer than two pupils with two tests: no test"
NO_DIFFERENCES = "every difference is zero: no test"


@dataclass(frozen=True)
class PairedComparison:
    """The Wilcoxon signed-rank test of ``x`` against ``y`` over ``n`` pairs, and the rank-biserial effect size
    with its interval. When there is no test, only ``n`` and ``suppressed_reason`` are set."""

    n: int
    statistic: float | None
    p_value: float | None
    effect_size: float | None
    low: float | None
    high: float | None
    suppressed_reason: str = ""

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppressed_reason)


@dataclass(frozen=True)
class MeanEstimate:
    """A mean of ``n`` values with its t interval (none from a single value); ``suppressed_reason`` when withheld."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    confidence: float = CONFIDENCE
    suppressed_reason: str = ""

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppressed_reason)

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None and not self.suppressed_reason


def rank_biserial(x: Any, y: Any, axis: int = -1) -> Any:
    """The matched-pairs rank-biserial correlation of ``x`` against ``y`` along ``axis`` (vectorised, for
    SciPy's bootstrap): ``(R+ - R-) / (n(n+1)/2)`` with zero differences ranked and on neither side."""
    d = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    n = d.shape[axis]
    ranks = rankdata(np.abs(d), axis=axis)
    signed = np.sum(ranks * np.sign(d), axis=axis)
    return signed / (n * (n + 1) / 2)


def paired_test(x: Sequence[float], y: Sequence[float], *, confidence: float = CONFIDENCE) -> PairedComparison:
    """Wilcoxon signed-rank test (two-sided, Pratt's zeros) of each ``x`` against its own ``y``.

    Fewer than two pairs, or no pair that differs, gives no test and says why; SciPy would return NaN.
    """
    if len(x) != len(y):
        raise ValueError(f"paired values need the same length, got {len(x)} and {len(y)}")
    n = len(x)
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if n < 2:
        return PairedComparison(n, None, None, None, None, None, TOO_FEW_PAIRS)
    if not np.any(xs - ys):
        return PairedComparison(n, None, None, None, None, None, NO_DIFFERENCES)
    result = wilcoxon(xs, ys, zero_method=ZERO_METHOD, alternative="two-sided")
    effect = float(rank_biserial(xs, ys))
    interval = bootstrap(
        (xs, ys),
        rank_biserial,
        paired=True,
        vectorized=True,
        n_resamples=BOOTSTRAP_RESAMPLES,
        confidence_level=confidence,
        method="percentile",
        rng=np.random.default_rng(BOOTSTRAP_SEED),
    ).confidence_interval
    return PairedComparison(
        n, float(result.statistic), float(result.pvalue), effect, float(interval.low), float(interval.high)
    )


def mean_interval(values: Sequence[float], *, confidence: float = CONFIDENCE) -> MeanEstimate:
    """The mean of ``values`` with Student's t interval; one value has a mean but no interval, none neither.

    Values that are all the same have an interval of no width (SciPy's t statistic would be NaN).
    """
    n = len(values)
    if n == 0:
        return MeanEstimate(None, None, None, 0, confidence)
    data = np.asarray(values, dtype=float)
    mean = float(np.mean(data))
    if n == 1:
        return MeanEstimate(mean, None, None, 1, confidence)
    if np.all(data == data[0]):
        return MeanEstimate(mean, mean, mean, n, confidence)
    ci = ttest_1samp(data, 0.0).confidence_interval(confidence_level=confidence)
    return MeanEstimate(mean, float(ci.low), float(ci.high), n, confidence)


F = TypeVar("F", MeanEstimate, PairedComparison)


def withhold_small_group(figure: F, *, threshold: int | None = None) -> F:
    """The figure withheld, its numbers removed, with the one rule's reason when it rests on fewer pupils than the
    threshold (for a viewer who sees aggregates only: a mean of three pupils' gains says a lot about each)."""
    if figure.suppressed_reason:
        return figure
    reason = suppression_reason(figure.n, figure.n, threshold=threshold_or_default(threshold))
    if not reason:
        return figure
    # The figures go, not just a flag beside them, so no page or export can show them by mistake.
    if isinstance(figure, MeanEstimate):
        mean: MeanEstimate = figure
        return cast(F, replace(mean, value=None, low=None, high=None, suppressed_reason=reason))
    test: PairedComparison = figure
    return cast(
        F, replace(test, statistic=None, p_value=None, effect_size=None, low=None, high=None, suppressed_reason=reason)
    )
