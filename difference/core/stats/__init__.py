"""The one home of the platform's statistics and disclosure control, wrapping SciPy and statsmodels.

Proportions with Wilson intervals and rates of repeatable events with exact Poisson intervals (``estimates``), the
interval of a ratio of two of them, funnel-plot limits (``funnels``), paired comparisons and means with their
intervals (``paired``), time to an event with censoring (``survival``: Kaplan–Meier from lifelines), and when a
figure is withheld and why, including the further cells withheld so that a hidden one cannot be worked out from a
total (``suppression``).
No other module computes an interval or decides what is suppressed; a test keeps it so.
"""

from __future__ import annotations

from difference.core.stats.estimates import (
    CONFIDENCE,
    PROPORTION_INTERVAL,
    RATE_INTERVAL,
    Estimate,
    EstimateKind,
    Proportion,
    Rate,
    estimate,
    poisson_interval,
    poisson_rate,
    proportion,
    ratio_interval,
    wilson_interval,
    withhold,
)
from difference.core.stats.funnels import Band, FunnelLimits, funnel_limits
from difference.core.stats.paired import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    EFFECT_SIZE,
    EFFECT_SIZE_INTERVAL,
    MEAN_INTERVAL,
    NO_DIFFERENCES,
    TOO_FEW_PAIRS,
    ZERO_METHOD,
    MeanEstimate,
    PairedComparison,
    mean_interval,
    paired_test,
    rank_biserial,
    withhold_small_group,
)
from difference.core.stats.suppression import (
    NO_ONE,
    SECONDARY_REASON,
    THRESHOLD_SETTING,
    default_threshold,
    secondary_suppression,
    small_count_reason,
    small_group_reason,
    suppress_counts,
    suppression_reason,
    threshold_or_default,
)
from difference.core.stats.survival import SURVIVAL_INTERVAL, SurvivalCurve, SurvivalStep, kaplan_meier

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "CONFIDENCE",
    "EFFECT_SIZE",
    "EFFECT_SIZE_INTERVAL",
    "MEAN_INTERVAL",
    "NO_DIFFERENCES",
    "NO_ONE",
    "PROPORTION_INTERVAL",
    "RATE_INTERVAL",
    "SECONDARY_REASON",
    "SURVIVAL_INTERVAL",
    "THRESHOLD_SETTING",
    "TOO_FEW_PAIRS",
    "ZERO_METHOD",
    "Band",
    "Estimate",
    "EstimateKind",
    "FunnelLimits",
    "MeanEstimate",
    "PairedComparison",
    "Proportion",
    "Rate",
    "SurvivalCurve",
    "SurvivalStep",
    "default_threshold",
    "estimate",
    "funnel_limits",
    "kaplan_meier",
    "mean_interval",
    "paired_test",
    "poisson_interval",
    "poisson_rate",
    "proportion",
    "rank_biserial",
    "ratio_interval",
    "secondary_suppression",
    "small_count_reason",
    "small_group_reason",
    "suppress_counts",
    "suppression_reason",
    "threshold_or_default",
    "wilson_interval",
    "withhold",
    "withhold_small_group",
]
