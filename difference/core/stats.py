"""Proportions as the platform shows them: numerator, n, a Wilson 95% interval, and suppression.

Every percentage on a page or in a report goes through ``proportion`` so that
no figure appears without its n and interval, and no small cell escapes
suppression. The interval comes from SciPy's binomial test implementation.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.stats import binomtest


def default_threshold() -> int:
    from django.conf import settings

    return int(getattr(settings, "DIFFERENCE_SMALL_CELL_THRESHOLD", 5))


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


def wilson_interval(numerator: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    ci = binomtest(numerator, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def proportion(numerator: int, n: int, *, threshold: int | None = None, confidence: float = 0.95) -> Proportion:
    """Build a proportion, suppressing it when the group or the count is below ``threshold``.

    A zero count is shown (it discloses nothing about an individual); a count of
    1 to threshold-1, or a group smaller than the threshold, is suppressed.
    """
    if n < 0 or numerator < 0 or numerator > n:
        raise ValueError(f"need 0 <= numerator <= n, got {numerator}/{n}")
    limit = default_threshold() if threshold is None else threshold
    reason = ""
    if n == 0:
        reason = "no one in this group"
    elif n < limit:
        reason = f"group of fewer than {limit} — suppressed"
    elif 0 < numerator < limit:
        reason = f"fewer than {limit} — suppressed"
    low = high = None
    if n > 0:
        low, high = wilson_interval(numerator, n, confidence)
    return Proportion(numerator, n, low, high, confidence, limit, reason)
