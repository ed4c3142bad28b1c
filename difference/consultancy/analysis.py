"""The statistics of the MAT consultancy report: per-school rates, funnel plots and disproportionality.

Plain functions over plain dataclasses, so they can be checked by hand and need no database; ``SchoolCounts`` and
``PupilRecord`` are built from what the trust sent.

Conventions, the same as everywhere else on the platform:

* every rate carries its numerator, its denominator and a 95% interval, and a small cell (a group of fewer than
  the threshold, or a count of 1 to threshold-1) is suppressed with its reason: its figures are withheld, not
  merely hidden;
* rates are per pupil (a proportion, or suspensions per pupil) inside this module and per 100 when shown, the way
  DfE states them;
* the words describe where a school sits against what its size would lead us to expect. They never call a rate
  good, bad, better or worse: the charity does not hold that fewer exclusions is always the right answer.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

import numpy as np
from scipy.stats import binom, binomtest, poisson
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.rates import confint_poisson

from difference.core.stats import Proportion, default_threshold, proportion

Distribution = Literal["binomial", "poisson"]
CONFIDENCE = 0.95
# A pupil is a persistent absentee when they miss 10% or more of their possible sessions (DfE's definition).
PERSISTENT_ABSENCE_SHARE = 0.10


# --- Inputs -----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchoolCounts:
    """One school in one academic year, from the school-level template or aggregated from pupil rows.

    A count of None was not supplied; it is reported as such, never taken as zero.
    """

    urn: int
    name: str
    phase: str  # "Primary", "Secondary", "Special", "Alternative provision" or ""
    year: str  # "2022/23"
    headcount: int
    suspensions: int | None
    one_plus_suspensions: int | None  # pupils with one or more suspensions
    permanent_exclusions: int | None
    sessions_possible: int | None
    sessions_missed: int | None
    persistent_absentees: int | None = None  # only known from pupil-level data


@dataclass(frozen=True)
class PupilRecord:
    """One pupil in the engagement's year. ``pupil_ref`` is the trust's pseudonymous reference."""

    pupil_ref: str
    urn: int
    year_group: str
    sen_status: str  # "None", "SEN support" or "EHC plan"
    fsm: bool
    ethnicity_group: str  # DfE major group: White, Mixed, Asian, Black, Chinese, Any other, Unclassified
    suspensions: int
    permanent_exclusion: bool
    sessions_possible: int
    sessions_missed: int


SEN_NONE, SEN_SUPPORT, SEN_EHC_PLAN = "None", "SEN support", "EHC plan"
ETHNICITY_GROUPS: tuple[str, ...] = ("White", "Mixed", "Asian", "Black", "Chinese", "Any other", "Unclassified")


def is_persistent_absentee(sessions_possible: int, sessions_missed: int) -> bool:
    """Missed 10% or more of possible sessions; a pupil with no possible sessions cannot be one."""
    # Integer arithmetic, so a pupil on exactly 10% is not lost to floating point.
    return sessions_possible > 0 and sessions_missed * 10 >= sessions_possible


def school_counts_from_pupils(
    pupils: Iterable[PupilRecord], schools: Mapping[int, tuple[str, str]], year: str
) -> list[SchoolCounts]:
    """One ``SchoolCounts`` per school with pupils, in the order of ``schools`` (then any URN it lacks, by URN).

    ``schools`` maps URN to (name, phase); a pupil at a URN it does not list is still counted, under the URN.
    """
    by_school: dict[int, list[PupilRecord]] = defaultdict(list)
    for pupil in pupils:
        by_school[pupil.urn].append(pupil)
    order = [urn for urn in schools if urn in by_school] + sorted(urn for urn in by_school if urn not in schools)
    counts = []
    for urn in order:
        rows = by_school[urn]
        name, phase = schools.get(urn, (f"URN {urn}", ""))
        counts.append(
            SchoolCounts(
                urn=urn,
                name=name,
                phase=phase,
                year=year,
                headcount=len(rows),
                suspensions=sum(p.suspensions for p in rows),
                one_plus_suspensions=sum(1 for p in rows if p.suspensions > 0),
                permanent_exclusions=sum(1 for p in rows if p.permanent_exclusion),
                sessions_possible=sum(p.sessions_possible for p in rows),
                sessions_missed=sum(p.sessions_missed for p in rows),
                persistent_absentees=sum(
                    1 for p in rows if is_persistent_absentee(p.sessions_possible, p.sessions_missed)
                ),
            )
        )
    return counts


# --- A rate of events that can repeat ---------------------------------------------------------------------------------
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


def poisson_interval(count: int, exposure: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact (Garwood) central interval for a Poisson rate, from statsmodels' gamma-based "exact-c"."""
    low, high = confint_poisson(count, exposure, method="exact-c", alpha=1 - confidence)
    return float(low), float(high)


def _suppression(count: int, n: int, limit: int, *, people: int | None = None) -> str:
    # The same rule as core.stats.proportion; ``people`` is how many pupils the events belong to, which must
    # also clear the threshold, or six suspensions of one pupil would be shown.
    if n == 0:
        return "no one in this group"
    if n < limit:
        return f"group of fewer than {limit} — suppressed"
    if 0 < count < limit or (people is not None and 0 < people < limit):
        return f"fewer than {limit} — suppressed"
    return ""


def poisson_rate(
    count: int,
    exposure: int,
    *,
    people: int | None = None,
    threshold: int | None = None,
    confidence: float = CONFIDENCE,
) -> Rate:
    """A rate of repeatable events per pupil, suppressed like a proportion (see ``_suppression``)."""
    if count < 0 or exposure < 0:
        raise ValueError(f"need a count and an exposure of 0 or more, got {count} and {exposure}")
    limit = default_threshold() if threshold is None else threshold
    low = high = None
    if exposure > 0:
        low, high = poisson_interval(count, exposure, confidence)
    return Rate(count, exposure, low, high, confidence, limit, _suppression(count, exposure, limit, people=people))


Estimate = Proportion | Rate


# --- Measures ---------------------------------------------------------------------------------------------------------
SESSIONS_CAVEAT = (
    "Sessions are not independent: a pupil who misses one session is more likely to miss others, so the interval, "
    "which treats every session as a separate chance, is too narrow. Read it as a lower bound on the uncertainty."
)
SUSPENSIONS_CAVEAT = (
    "Suspensions cluster in a few pupils, so this interval, which treats every suspension as independent, is too "
    "narrow; the one-plus suspension rate says how many pupils are involved."
)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    events: str  # what the numerator counts, for sentences
    unit: str  # what the denominator counts: "pupils" or "sessions"
    distribution: Distribution
    numerator: Callable[[SchoolCounts], int | None]
    denominator: Callable[[SchoolCounts], int | None]
    decimals: int  # for per-100 display; exclusions are rare, so they need two places
    caveat: str = ""
    # A funnel needs a denominator of independent units: sessions are not, so overall absence has no funnel.
    has_funnel: bool = True


MEASURES: tuple[Measure, ...] = (
    Measure(
        "permanent_exclusion_rate",
        "Permanent exclusion rate",
        "permanent exclusions",
        "pupils",
        "binomial",
        lambda s: s.permanent_exclusions,
        lambda s: s.headcount,
        2,
    ),
    Measure(
        "suspension_rate",
        "Suspension rate",
        "suspensions",
        "pupils",
        "poisson",
        lambda s: s.suspensions,
        lambda s: s.headcount,
        2,
        SUSPENSIONS_CAVEAT,
    ),
    Measure(
        "one_plus_suspension_rate",
        "Pupils with one or more suspensions",
        "pupils suspended",
        "pupils",
        "binomial",
        lambda s: s.one_plus_suspensions,
        lambda s: s.headcount,
        2,
    ),
    Measure(
        "persistent_absence_rate",
        "Persistent absence rate",
        "persistent absentees",
        "pupils",
        "binomial",
        lambda s: s.persistent_absentees,
        lambda s: s.headcount,
        1,
    ),
    Measure(
        "absence_rate",
        "Overall absence rate",
        "sessions missed",
        "sessions",
        "binomial",
        lambda s: s.sessions_missed,
        lambda s: s.sessions_possible,
        1,
        SESSIONS_CAVEAT,
        has_funnel=False,
    ),
)
MEASURE_BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}


def get_measure(measure: Measure | str) -> Measure:
    return measure if isinstance(measure, Measure) else MEASURE_BY_KEY[measure]


@dataclass(frozen=True)
class SchoolRate:
    """One measure for one school. ``estimate`` is None when the school did not supply the figures (or they do
    not add up), and ``reason`` then says which; otherwise the estimate carries its own suppression."""

    measure: Measure
    estimate: Estimate | None
    reason: str = ""

    @property
    def caveat(self) -> str:
        return self.measure.caveat

    @property
    def is_shown(self) -> bool:
        return self.estimate is not None and not self.estimate.is_suppressed

    @property
    def withheld_because(self) -> str:
        """Why the figures are not shown (not supplied, do not add up, or suppressed); "" when they are."""
        return self.reason if self.estimate is None else self.estimate.suppressed_reason

    @property
    def per_100(self) -> tuple[float, float, float] | None:
        """(rate, low, high) per 100, or None when it is not to be shown."""
        e = self.estimate
        if e is None or e.is_suppressed or e.value is None or e.low is None or e.high is None:
            return None
        return e.value * 100, e.low * 100, e.high * 100

    def as_text(self) -> str:
        if self.estimate is None:
            return self.reason
        if isinstance(self.estimate, Rate):
            return self.estimate.per_100_text(self.measure.unit, self.measure.decimals, self.measure.events)
        return self.estimate.per_100_text(self.measure.unit, self.measure.decimals)


@dataclass(frozen=True)
class SchoolRates:
    school: SchoolCounts
    rates: tuple[SchoolRate, ...]  # in the order of MEASURES

    def __getitem__(self, key: str) -> SchoolRate:
        # KeyError, not StopIteration, for an unknown key: templates try ``rates["rates"]`` before the attribute.
        for rate in self.rates:
            if rate.measure.key == key:
                return rate
        raise KeyError(key)


def school_rate(school: SchoolCounts, measure: Measure | str, *, threshold: int | None = None) -> SchoolRate:
    m = get_measure(measure)
    count, n = m.numerator(school), m.denominator(school)
    if count is None or n is None:
        return SchoolRate(m, None, "not supplied")
    if count < 0 or n < 0:
        return SchoolRate(m, None, "cannot be shown: a negative figure was supplied")
    if m.distribution == "poisson":
        return SchoolRate(m, poisson_rate(count, n, people=school.one_plus_suspensions, threshold=threshold))
    if count > n:
        return SchoolRate(m, None, f"cannot be shown: more {m.events} than {m.unit} were supplied")
    estimate = proportion(count, n, threshold=threshold)
    if m.unit == "sessions" and not estimate.is_suppressed:
        # Sessions are counted in thousands even for a handful of pupils, so the group that must clear the
        # threshold is the pupils.
        reason = _suppression(0, school.headcount, estimate.threshold)
        if reason:
            estimate = replace(estimate, suppressed_reason=reason)
    return SchoolRate(m, estimate)


def school_rates(school: SchoolCounts, *, threshold: int | None = None) -> SchoolRates:
    return SchoolRates(school, tuple(school_rate(school, m, threshold=threshold) for m in MEASURES))


def pooled_rate(schools: Iterable[SchoolCounts], measure: Measure | str) -> float | None:
    """The rate across every school that supplied the measure (the trust's own average), per pupil or session.

    The funnel's centre is normally the national rate; this is for comparing schools with their own trust.
    """
    m = get_measure(measure)
    total = events = 0
    for school in schools:
        count, n = m.numerator(school), m.denominator(school)
        if count is not None and n is not None:
            events += count
            total += n
    return events / total if total else None


# --- Funnel plots -----------------------------------------------------------------------------------------------------
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
    distribution: Distribution
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


def funnel_limits(p0: float, n: int, distribution: Distribution = "binomial") -> FunnelLimits:
    """The 95% and 99.8% two-sided limits at size ``n`` around the rate ``p0`` (per pupil).

    Binomial for a proportion of pupils; Poisson, with mean ``p0 * n``, for suspensions, which a pupil can have
    several of (so ``p0`` may exceed 1). Poisson limits still assume independent events, which suspensions are
    not, so more schools fall outside them than chance alone would put there.
    """
    if n < 1:
        raise ValueError(f"a funnel needs a school of at least one pupil, got n={n}")
    if not math.isfinite(p0) or p0 < 0 or (distribution == "binomial" and p0 > 1):
        raise ValueError(f"p0 must be a rate of 0 or more (at most 1 for a proportion), got {p0}")
    quantiles = [0.001, 0.025, 0.975, 0.999]
    if distribution == "binomial":
        counts = binom.ppf(quantiles, n, p0)
    elif distribution == "poisson":
        counts = poisson.ppf(quantiles, p0 * n)
    else:
        raise ValueError(f"unknown distribution {distribution!r}")
    lower_998, lower_95, upper_95, upper_998 = (int(c) for c in counts)
    return FunnelLimits(p0, n, distribution, lower_998, lower_95, upper_95, upper_998)


# Deliberately neutral: a school's position against its expected range, not a judgement of the school.
BAND_WORDING: dict[Band, str] = {
    Band.WELL_BELOW: "well below what its size would lead us to expect (outside the 99.8% limits)",
    Band.BELOW: "below what its size would lead us to expect (outside the 95% limits)",
    Band.WITHIN: "within what its size would lead us to expect",
    Band.ABOVE: "above what its size would lead us to expect (outside the 95% limits)",
    Band.WELL_ABOVE: "well above what its size would lead us to expect (outside the 99.8% limits)",
}


@dataclass(frozen=True)
class FunnelPoint:
    """One school on a funnel plot. When ``suppressed_reason`` is set (a small count, or figures not supplied),
    ``count``, ``rate`` and ``band`` are withheld and ``wording`` gives the reason."""

    urn: int
    name: str
    phase: str
    measure: str
    n: int
    count: int | None
    rate: float | None  # per pupil
    band: Band | None
    wording: str
    limits: FunnelLimits | None
    suppressed_reason: str = ""

    @property
    def rate_per_100(self) -> float | None:
        return None if self.rate is None else self.rate * 100

    @property
    def is_plotted(self) -> bool:
        return self.rate is not None

    @property
    def reading(self) -> str:
        """ "Oak Academy's permanent exclusion rate is above what its size would lead us to expect (…)"."""
        if self.band is None:
            return f"{self.name}: {self.wording}"
        label = MEASURE_BY_KEY[self.measure].label
        return f"{self.name}'s {label[0].lower()}{label[1:]} is {self.wording}"


def funnel(
    schools: Iterable[SchoolCounts], measure: Measure | str, p0: float, *, threshold: int | None = None
) -> list[FunnelPoint]:
    """Each school's rate against the funnel limits around ``p0`` (per pupil: 0.0011, not 0.11 per 100).

    Suppression follows the per-school rates: a count of 1 to threshold-1 would be read straight off the plot
    (rate × size), so such a school is listed but not placed.
    """
    m = get_measure(measure)
    if not m.has_funnel:
        raise ValueError(f"{m.label} has no funnel: its denominator ({m.unit}) is not a count of independent units")
    points = []
    for school in schools:
        rate = school_rate(school, m, threshold=threshold)
        n = school.headcount
        if rate.estimate is None or rate.estimate.is_suppressed:
            reason = rate.withheld_because
            points.append(
                FunnelPoint(school.urn, school.name, school.phase, m.key, n, None, None, None, reason, None, reason)
            )
            continue
        count = rate.estimate.numerator
        limits = funnel_limits(p0, n, m.distribution)
        band = limits.band(count)
        points.append(
            FunnelPoint(
                school.urn, school.name, school.phase, m.key, n, count, count / n, band, BAND_WORDING[band], limits
            )
        )
    return points


# --- Disproportionality -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    distribution: Distribution
    events: Callable[[PupilRecord], int]  # 0/1 for a proportion, a count for a rate
    included: Callable[[PupilRecord], bool]  # who is in the denominator
    caveat: str = ""


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "one_plus_suspension",
        "One or more suspensions",
        "binomial",
        lambda p: int(p.suspensions > 0),
        lambda p: True,
    ),
    Outcome(
        "permanent_exclusion",
        "Permanent exclusion",
        "binomial",
        lambda p: int(p.permanent_exclusion),
        lambda p: True,
    ),
    Outcome(
        "suspension_rate",
        "Suspensions per pupil",
        "poisson",
        lambda p: p.suspensions,
        lambda p: True,
        "Suspensions cluster in a few pupils, so this interval, which treats every suspension as independent, is "
        "too narrow; the one-or-more suspensions comparison counts pupils instead.",
    ),
    Outcome(
        "persistent_absence",
        "Persistent absence",
        "binomial",
        lambda p: int(is_persistent_absentee(p.sessions_possible, p.sessions_missed)),
        # A pupil with no possible sessions cannot be absent, so is not in the denominator.
        lambda p: p.sessions_possible > 0,
    ),
)


@dataclass(frozen=True)
class Grouping:
    """A comparison of a group of pupils with a reference group; a pupil in neither is left out of it."""

    key: str
    label: str
    group_label: str
    reference_label: str
    in_group: Callable[[PupilRecord], bool]
    in_reference: Callable[[PupilRecord], bool]


def _ethnicity_grouping(group: str) -> Grouping:
    noun = {"Any other": "Any other ethnic group", "Unclassified": "Ethnicity unclassified"}.get(group, group)
    return Grouping(
        f"ethnicity_{group.lower().replace(' ', '_')}",
        f"{noun} vs all other pupils",
        noun,
        "all other pupils",
        lambda p: p.ethnicity_group == group,
        lambda p: p.ethnicity_group != group,
    )


GROUPINGS: tuple[Grouping, ...] = (
    Grouping(
        "sen_any",
        "SEN support or EHC plan vs no SEN",
        "Pupils with SEN (support or EHC plan)",
        "pupils with no SEN",
        lambda p: p.sen_status in (SEN_SUPPORT, SEN_EHC_PLAN),
        lambda p: p.sen_status == SEN_NONE,
    ),
    Grouping(
        "sen_ehc_plan",
        "EHC plan vs no SEN",
        "Pupils with an EHC plan",
        "pupils with no SEN",
        lambda p: p.sen_status == SEN_EHC_PLAN,
        lambda p: p.sen_status == SEN_NONE,
    ),
    Grouping(
        "fsm",
        "Eligible for free school meals vs not",
        "Pupils eligible for free school meals",
        "pupils not eligible",
        lambda p: p.fsm,
        lambda p: not p.fsm,
    ),
    *(_ethnicity_grouping(g) for g in ETHNICITY_GROUPS),
)


@dataclass(frozen=True)
class Comparison:
    """A group's rate as a multiple of the reference group's, with a 95% interval.

    When ``suppressed_reason`` is set, every figure (both groups' estimates, the ratio and its interval) is
    withheld: None here, so nothing downstream can show it by mistake.
    """

    outcome: str
    grouping: str
    label: str
    group_label: str
    reference_label: str
    group: Estimate | None
    reference: Estimate | None
    ratio: float | None
    low: float | None
    high: float | None
    reading: str
    suppressed_reason: str = ""

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppressed_reason)

    @property
    def includes_one(self) -> bool | None:
        if self.low is None or self.high is None:
            return None
        return self.low <= 1 <= self.high


@dataclass(frozen=True)
class OutcomeComparisons:
    outcome: Outcome
    comparisons: tuple[Comparison, ...]

    @property
    def caveat(self) -> str:
        return self.outcome.caveat


def rate_ratio_interval(
    count1: int, n1: int, count2: int, n2: int, distribution: Distribution, confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """The interval for (count1/n1) / (count2/n2), or None when it cannot be estimated.

    Proportions use statsmodels' log-adjusted interval, as the recruitment report does: it adds 0.5 to zero
    counts, so a group with none still gets an interval. For Poisson rates, statsmodels' ``confint_poisson_2indep``
    collapses to a single point when a count is zero (as of 0.15), so we use the exact conditional interval (the
    one R's ``poisson.test`` gives): given the total, the group's share of the events is binomial, and SciPy's
    Clopper-Pearson interval for that share maps to the ratio.
    """
    alpha = 1 - confidence
    if distribution == "binomial":
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                low, high = confint_proportions_2indep(
                    count1, n1, count2, n2, compare="ratio", method="log-adjusted", alpha=alpha
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


def _estimate(count: int, n: int, distribution: Distribution, people: int, limit: int) -> Estimate:
    if distribution == "poisson":
        return poisson_rate(count, n, people=people, threshold=limit)
    return proportion(count, n, threshold=limit)


def compare(
    pupils: Sequence[PupilRecord], outcome: Outcome, grouping: Grouping, *, threshold: int | None = None
) -> Comparison:
    limit = default_threshold() if threshold is None else threshold
    sides = []
    for belongs in (grouping.in_group, grouping.in_reference):
        members = [p for p in pupils if belongs(p) and outcome.included(p)]
        events = [outcome.events(p) for p in members]
        sides.append((sum(events), len(members), sum(1 for e in events if e > 0)))
    (count1, n1, people1), (count2, n2, people2) = sides

    def comparison(
        reading: str,
        estimates: tuple[Estimate | None, Estimate | None] = (None, None),
        figures: tuple[float | None, float | None, float | None] = (None, None, None),
        suppressed: str = "",
    ) -> Comparison:
        return Comparison(
            outcome.key, grouping.key, grouping.label, grouping.group_label, grouping.reference_label,
            *estimates, *figures, reading, suppressed_reason=suppressed,
        )  # fmt: skip

    group = _estimate(count1, n1, outcome.distribution, people1, limit)
    reference = _estimate(count2, n2, outcome.distribution, people2, limit)
    for estimate, whose in ((group, grouping.group_label), (reference, grouping.reference_label)):
        if estimate.is_suppressed:
            reason = f"{whose[0].upper()}{whose[1:]}: {estimate.suppressed_reason}"
            return comparison(reason, suppressed=reason)
    if count2 == 0:
        both = " in either group" if count1 == 0 else f" among {grouping.reference_label}"
        return comparison(f"cannot be estimated: no {outcome.label.lower()}{both}", (group, reference))
    interval = rate_ratio_interval(count1, n1, count2, n2, outcome.distribution)
    if interval is None:
        return comparison("cannot be estimated", (group, reference))
    ratio = (count1 / n1) / (count2 / n2)
    low, high = interval
    if count1 == 0:
        # The log-adjusted interval moves off zero to be computable; with none in the group the honest lower end
        # is 0 and only the upper end says anything.
        reading = (
            f"none of {n1:,} pupils in this group: at most {high:.2f} times the rate of {grouping.reference_label} "
            "(upper 95% limit)"
        )
        return comparison(reading, (group, reference), (0.0, 0.0, high))
    return comparison(ratio_reading(ratio, low, high, grouping.reference_label), (group, reference), (ratio, low, high))


def ratio_reading(ratio: float, low: float, high: float, reference_label: str) -> str:
    """ "2.40 times the rate of pupils with no SEN (95% CI 1.60–3.61)", flagging an interval that includes 1."""
    text = f"{ratio:.2f} times the rate of {reference_label} (95% CI {low:.2f}–{high:.2f})"
    if low <= 1 <= high:
        return f"{text}: the interval includes 1, so no clear difference"
    return text


def disproportionality(
    pupils: Iterable[PupilRecord], *, threshold: int | None = None
) -> tuple[OutcomeComparisons, ...]:
    """For each outcome, every grouping's rate ratio against its reference group (pupil-level data only).

    Every ethnic group is listed, even one with no pupils, so the report's table is the same shape for every
    trust; a pupil whose SEN status is none of the three recorded values is left out of the SEN comparisons.
    """
    rows = list(pupils)
    return tuple(
        OutcomeComparisons(outcome, tuple(compare(rows, outcome, g, threshold=threshold) for g in GROUPINGS))
        for outcome in OUTCOMES
    )
