"""Funnel-plot control limits: where a unit of a given size would fall by chance alone at a given rate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import binom, poisson

from difference.core.stats.estimates import EstimateKind


class Band(StrEnum):
    WELL_BELOW = "well_below"
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"
    WELL_ABOVE = "well_above"


@dataclass(frozen=True)
class FunnelLimits:
    """Where a school of ``n`` pupils would fall by chance alone if its true rate were ``p0``.

    The limits are exact quantiles of the binomial (or, for repeatable events, Poisson) distribution of the count,
    from SciPy's ``ppf``, with no interpolation between counts (Spiegelhalter, 2005, interpolates to draw smooth
    curves). We keep the plain quantile so each limit is a count a school could actually have and the rule for
    "outside" is exact: a count above ``upper_95_count`` has at most a 2.5% chance under ``p0``, and one below
    ``lower_95_count`` less than 2.5% (0.1% for the 99.8% limits). The price is that the curves step rather than
    glide, most visibly when the expected count is small. A count equal to a limit is inside it.
    """

    p0: float
    n: int
    kind: EstimateKind
    lower_998_count: int
    lower_95_count: int
    upper_95_count: int
    upper_998_count: int

    @property
    def lower_998(self) -> float:
        return self.lower_998_count / self.n

    @property
    def lower_95(self) -> float:
        return self.lower_95_count / self.n

    @property
    def upper_95(self) -> float:
        return self.upper_95_count / self.n

    @property
    def upper_998(self) -> float:
        return self.upper_998_count / self.n

    def band(self, count: int) -> Band:
        if count > self.upper_998_count:
            return Band.WELL_ABOVE
        if count > self.upper_95_count:
            return Band.ABOVE
        if count < self.lower_998_count:
            return Band.WELL_BELOW
        if count < self.lower_95_count:
            return Band.BELOW
        return Band.WITHIN


def funnel_limits(p0: float, n: int, kind: EstimateKind = "proportion") -> FunnelLimits:
    """The 95% and 99.8% two-sided limits at size ``n`` around the rate ``p0`` (per pupil).

    Binomial for a proportion of pupils; Poisson, with mean ``p0 * n``, for a rate of events a pupil can have
    several of (so ``p0`` may exceed 1). Poisson limits still assume independent events, which suspensions are
    not, so more schools fall outside them than chance alone would put there.
    """
    if n < 1:
        raise ValueError(f"a funnel needs a school of at least one pupil, got n={n}")
    if not math.isfinite(p0) or p0 < 0 or (kind == "proportion" and p0 > 1):
        raise ValueError(f"p0 must be a rate of 0 or more (at most 1 for a proportion), got {p0}")
    quantiles = [0.001, 0.025, 0.975, 0.999]
    if kind == "proportion":
        counts = binom.ppf(quantiles, n, p0)
    elif kind == "rate":
        counts = poisson.ppf(quantiles, p0 * n)
    else:
        raise ValueError(f"unknown kind of estimate {kind!r}")
    lower_998, lower_95, upper_95, upper_998 = (int(c) for c in counts)
    return FunnelLimits(p0, n, kind, lower_998, lower_95, upper_95, upper_998)
