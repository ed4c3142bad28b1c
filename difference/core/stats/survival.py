"""Time to an event, with people still being followed counted as censored: the Kaplan–Meier estimate from lifelines.

A cohort's careers are followed for different lengths of time (a graduate who confirmed their role last month is
known for longer than one who last replied two years ago), so the share still in a state after t years cannot be
a plain proportion: the people whose follow-up ended before t are neither stayers nor leavers. Kaplan–Meier uses
each person for as long as they are followed and no longer. lifelines' ``KaplanMeierFitter`` makes the curve and
its band (the exponential Greenwood interval, on the log(-log) scale, so it stays between 0 and 1).

A curve from a group smaller than the small-cell threshold is withheld with its reason, like a proportion; its
figures are kept so that the page can still say how many people it follows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from difference.core.stats.estimates import CONFIDENCE
from difference.core.stats.suppression import NO_ONE, small_group_reason, threshold_or_default

# How the band is made, for the notes that say so.
SURVIVAL_INTERVAL = "exponential Greenwood (log-log)"


@dataclass(frozen=True)
class SurvivalStep:
    """The curve from ``time`` until the next step: the share still in the state, its band, and the people
    behind it (at risk just before ``time``; the events and the censorings at ``time``)."""

    time: float
    survival: float
    low: float
    high: float
    at_risk: int
    events: int
    censored: int


@dataclass(frozen=True)
class SurvivalCurve:
    """A Kaplan–Meier curve as steps from time 0, with ``n`` people of whom ``events`` left the state."""

    steps: tuple[SurvivalStep, ...]
    n: int
    events: int
    confidence: float
    threshold: int
    suppressed_reason: str = ""

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppressed_reason)

    @property
    def censored(self) -> int:
        return self.n - self.events

    @property
    def median(self) -> float | None:
        """The first time the curve is at or below one half, or None while more than half are still in the state
        (lifelines' own rule)."""
        return next((s.time for s in self.steps if s.survival <= 0.5), None)

    @property
    def last_time(self) -> float:
        return self.steps[-1].time if self.steps else 0.0

    def step_at(self, time: float) -> SurvivalStep | None:
        """The step in force at ``time`` (the curve is right-continuous), or None before 0 or with no one."""
        current = None
        for step in self.steps:
            if step.time > time:
                break
            current = step
        return current

    def at(self, time: float) -> float | None:
        step = self.step_at(time)
        return step.survival if step else None


def kaplan_meier(
    durations: Sequence[float],
    observed: Sequence[bool],
    *,
    confidence: float = CONFIDENCE,
    threshold: int | None = None,
) -> SurvivalCurve:
    """The Kaplan–Meier curve of ``durations`` (time each person was followed, to the event or to the end of
    their follow-up), where ``observed[i]`` says whether person i's event happened (else they are censored).

    Steps come at 0 and at every distinct duration, event or censoring, so a chart can mark the censorings.
    """
    if len(durations) != len(observed):
        raise ValueError(f"need one observed flag per duration, got {len(durations)} and {len(observed)}")
    if any(d < 0 or not math.isfinite(d) for d in durations):
        raise ValueError("durations must be finite and not negative")
    limit = threshold_or_default(threshold)
    n = len(durations)
    events = sum(1 for o in observed if o)
    if n == 0:
        return SurvivalCurve((), 0, 0, confidence, limit, NO_ONE)
    from lifelines import KaplanMeierFitter  # here: lifelines is heavy, and only this needs it

    fitter = KaplanMeierFitter(alpha=round(1 - confidence, 12))
    fitter.fit([float(d) for d in durations], event_observed=[bool(o) for o in observed])
    survival = fitter.survival_function_.iloc[:, 0]
    band = fitter.confidence_interval_survival_function_
    table = fitter.event_table
    steps = tuple(
        SurvivalStep(
            time=float(time),
            survival=float(survival.loc[time]),
            low=float(band.iloc[i, 0]),
            high=float(band.iloc[i, 1]),
            at_risk=int(table.loc[time, "at_risk"]),
            events=int(table.loc[time, "observed"]),
            censored=int(table.loc[time, "censored"]),
        )
        for i, time in enumerate(survival.index)
    )
    reason = small_group_reason(limit) if n < limit else ""
    return SurvivalCurve(steps, n, events, confidence, limit, reason)
