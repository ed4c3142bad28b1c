"""The one home of the platform's statistics and disclosure control, wrapping SciPy and statsmodels.

Proportions with Wilson intervals and rates of repeatable events with exact Poisson intervals (``estimates``), the
interval of a ratio of two of them, funnel-plot limits (``funnels``), and when a figure is withheld and why,
including the further cells withheld so that a hidden one cannot be worked out from a total (``suppression``).
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

__all__ = [
    "CONFIDENCE",
    "NO_ONE",
    "PROPORTION_INTERVAL",
    "RATE_INTERVAL",
    "SECONDARY_REASON",
    "THRESHOLD_SETTING",
    "Band",
    "Estimate",
    "EstimateKind",
    "FunnelLimits",
    "Proportion",
    "Rate",
    "default_threshold",
    "estimate",
    "funnel_limits",
    "poisson_interval",
    "poisson_rate",
    "proportion",
    "ratio_interval",
    "secondary_suppression",
    "small_count_reason",
    "small_group_reason",
    "suppress_counts",
    "suppression_reason",
    "threshold_or_default",
    "wilson_interval",
    "withhold",
]
