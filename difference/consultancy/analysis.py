"""The statistics of the MAT consultancy report: per-school rates, funnel plots and disproportionality.

Plain functions over plain dataclasses, so they can be checked by hand and need no database; ``SchoolCounts`` and
``PupilRecord`` are built from what the trust sent.

Conventions, the same as everywhere else on the platform:

* every rate carries its numerator, its denominator and a 95% interval, and a small cell (a group of fewer than
  the threshold, or a count of 1 to threshold-1) is suppressed with its reason: its figures are withheld, not
  merely hidden. Where the report also shows the total (the trust's rate, or every part of a whole), enough
  further cells are withheld that a suppressed one is not the total less the rest. The intervals, funnel limits
  and every decision to withhold come from ``core.stats``; this module says what is counted;
* rates are per pupil (a proportion, or suspensions per pupil) inside this module and per 100 when shown, the way
  DfE states them;
* the words describe where a school sits against what its size would lead us to expect. They never call a rate
  good, bad, better or worse: the charity does not hold that fewer exclusions is always the right answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from difference.core.stats import (
    SECONDARY_REASON,
    Band,
    Estimate,
    EstimateKind,
    FunnelLimits,
    Rate,
    estimate,
    funnel_limits,
    proportion,
    ratio_interval,
    secondary_suppression,
    suppression_reason,
    threshold_or_default,
    withhold,
)

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
    kind: EstimateKind
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
        "proportion",
        lambda s: s.permanent_exclusions,
        lambda s: s.headcount,
        2,
    ),
    Measure(
        "suspension_rate",
        "Suspension rate",
        "suspensions",
        "pupils",
        "rate",
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
        "proportion",
        lambda s: s.one_plus_suspensions,
        lambda s: s.headcount,
        2,
    ),
    Measure(
        "persistent_absence_rate",
        "Persistent absence rate",
        "persistent absentees",
        "pupils",
        "proportion",
        lambda s: s.persistent_absentees,
        lambda s: s.headcount,
        1,
    ),
    Measure(
        "absence_rate",
        "Overall absence rate",
        "sessions missed",
        "sessions",
        "proportion",
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
    if m.kind == "rate":
        return SchoolRate(m, estimate(count, n, m.kind, people=school.one_plus_suspensions, threshold=threshold))
    if count > n:
        return SchoolRate(m, None, f"cannot be shown: more {m.events} than {m.unit} were supplied")
    shown = proportion(count, n, threshold=threshold)
    if m.unit == "sessions" and not shown.is_suppressed:
        # Sessions are counted in thousands even for a handful of pupils, so the group that must clear the
        # threshold is the pupils.
        reason = suppression_reason(0, school.headcount, threshold=shown.threshold)
        if reason:
            shown = withhold(shown, reason)
    return SchoolRate(m, shown)


def school_rates(school: SchoolCounts, *, threshold: int | None = None) -> SchoolRates:
    return SchoolRates(school, tuple(school_rate(school, m, threshold=threshold) for m in MEASURES))


def school_table(
    schools: Sequence[SchoolCounts], total: SchoolCounts, *, threshold: int | None = None
) -> tuple[list[SchoolRates], SchoolRates]:
    """Each school's rates and the trust's, as the report shows them side by side.

    The trust's count is the sum of its schools', so wherever the trust's rate is shown a school's withheld count
    would be the trust's less the others': core.stats withholds enough further schools' figures (the smallest)
    that it cannot be. For absence, the sessions possible are withheld with the sessions missed.
    """
    limit = threshold_or_default(threshold)
    rows = [school_rates(school, threshold=limit) for school in schools]
    trust = school_rates(total, threshold=limit)
    withheld_by_measure: dict[str, frozenset[int]] = {}
    for m in MEASURES:
        if not trust[m.key].is_shown:
            continue  # no total is published, so there is nothing to work a figure out from
        cells: dict[int, tuple[int, ...]] = {}
        reasons: dict[int, str] = {}
        for index, row in enumerate(rows):
            rate = row[m.key]
            count, n = m.numerator(row.school), m.denominator(row.school)
            cells[index] = (count or 0, n or 0) if m.unit == "sessions" else (count or 0,)
            if not rate.is_shown:
                reasons[index] = rate.withheld_because
        withheld_by_measure[m.key] = secondary_suppression(cells, reasons, [list(cells)], threshold=limit)
    protected = [
        SchoolRates(
            row.school,
            tuple(
                _withheld_rate(rate) if index in withheld_by_measure.get(rate.measure.key, ()) else rate
                for rate in row.rates
            ),
        )
        for index, row in enumerate(rows)
    ]
    return protected, trust


def _withheld_rate(rate: SchoolRate) -> SchoolRate:
    if rate.estimate is None:
        return SchoolRate(rate.measure, None, SECONDARY_REASON)
    return SchoolRate(rate.measure, withhold(rate.estimate))


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
    return funnel_points([school_rates(school, threshold=threshold) for school in schools], measure, p0)


def funnel_points(rows: Iterable[SchoolRates], measure: Measure | str, p0: float) -> list[FunnelPoint]:
    """``funnel`` from rates already worked out, so the plot withholds exactly what the report's table does."""
    m = get_measure(measure)
    if not m.has_funnel:
        raise ValueError(f"{m.label} has no funnel: its denominator ({m.unit}) is not a count of independent units")
    points = []
    for row in rows:
        school, rate = row.school, row[m.key]
        n = school.headcount
        if rate.estimate is None or rate.estimate.is_suppressed:
            reason = rate.withheld_because
            points.append(
                FunnelPoint(school.urn, school.name, school.phase, m.key, n, None, None, None, reason, None, reason)
            )
            continue
        count = rate.estimate.numerator
        limits = funnel_limits(p0, n, m.kind)
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
    kind: EstimateKind
    events: Callable[[PupilRecord], int]  # 0/1 for a proportion, a count for a rate
    included: Callable[[PupilRecord], bool]  # who is in the denominator
    caveat: str = ""


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "one_plus_suspension",
        "One or more suspensions",
        "proportion",
        lambda p: int(p.suspensions > 0),
        lambda p: True,
    ),
    Outcome(
        "permanent_exclusion",
        "Permanent exclusion",
        "proportion",
        lambda p: int(p.permanent_exclusion),
        lambda p: True,
    ),
    Outcome(
        "suspension_rate",
        "Suspensions per pupil",
        "rate",
        lambda p: p.suspensions,
        lambda p: True,
        "Suspensions cluster in a few pupils, so this interval, which treats every suspension as independent, is "
        "too narrow; the one-or-more suspensions comparison counts pupils instead.",
    ),
    Outcome(
        "persistent_absence",
        "Persistent absence",
        "proportion",
        lambda p: int(is_persistent_absentee(p.sessions_possible, p.sessions_missed)),
        # A pupil with no possible sessions cannot be absent, so is not in the denominator.
        lambda p: p.sessions_possible > 0,
    ),
)


@dataclass(frozen=True)
class Grouping:
    """A comparison of a group of pupils with a reference group; a pupil in neither is left out of it.

    The group is a part of the trust's pupils named by ``key``; so is the reference where ``reference_part`` names
    it, and otherwise the reference is every other pupil (the whole less the group). ``PARTS`` says which parts
    make up the whole, for disclosure control.
    """

    key: str
    label: str
    group_label: str
    reference_label: str
    in_group: Callable[[PupilRecord], bool]
    in_reference: Callable[[PupilRecord], bool]
    reference_part: str | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        return (self.key,) if self.reference_part is None else (self.key, self.reference_part)


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
        "sen_none",
    ),
    Grouping(
        "sen_ehc_plan",
        "EHC plan vs no SEN",
        "Pupils with an EHC plan",
        "pupils with no SEN",
        lambda p: p.sen_status == SEN_EHC_PLAN,
        lambda p: p.sen_status == SEN_NONE,
        "sen_none",
    ),
    Grouping(
        "fsm",
        "Eligible for free school meals vs not",
        "Pupils eligible for free school meals",
        "pupils not eligible",
        lambda p: p.fsm,
        lambda p: not p.fsm,
        "not_fsm",
    ),
    *(_ethnicity_grouping(g) for g in ETHNICITY_GROUPS),
)
# The parts that make up all of the trust's pupils, each set adding up to the trust's totals. An EHC plan is a
# part of "SEN support or EHC plan", not of the whole beside it.
PARTS: tuple[tuple[str, ...], ...] = (
    ("sen_any", "sen_none"),
    ("fsm", "not_fsm"),
    tuple(g.key for g in GROUPINGS if g.key.startswith("ethnicity_")),
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


def _side(pupils: Sequence[PupilRecord], outcome: Outcome, belongs: Callable[[PupilRecord], bool]) -> tuple[int, ...]:
    """(events, pupils, pupils with any event) among the pupils that ``belongs`` picks out."""
    events = [outcome.events(p) for p in pupils if belongs(p) and outcome.included(p)]
    return sum(events), len(events), sum(1 for e in events if e > 0)


def compare(
    pupils: Sequence[PupilRecord], outcome: Outcome, grouping: Grouping, *, threshold: int | None = None
) -> Comparison:
    limit = threshold_or_default(threshold)
    (count1, n1, people1), (count2, n2, people2) = (
        _side(pupils, outcome, grouping.in_group),
        _side(pupils, outcome, grouping.in_reference),
    )

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

    group = estimate(count1, n1, outcome.kind, people=people1, threshold=limit)
    reference = estimate(count2, n2, outcome.kind, people=people2, threshold=limit)
    for side, whose in ((group, grouping.group_label), (reference, grouping.reference_label)):
        if side.is_suppressed:
            reason = f"{whose[0].upper()}{whose[1:]}: {side.suppressed_reason}"
            return comparison(reason, suppressed=reason)
    if count2 == 0:
        both = " in either group" if count1 == 0 else f" among {grouping.reference_label}"
        return comparison(f"cannot be estimated: no {outcome.label.lower()}{both}", (group, reference))
    interval = ratio_interval(count1, n1, count2, n2, outcome.kind)
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
    limit = threshold_or_default(threshold)
    return tuple(
        OutcomeComparisons(
            outcome,
            _protect(rows, outcome, [compare(rows, outcome, g, threshold=limit) for g in GROUPINGS], limit),
        )
        for outcome in OUTCOMES
    )


def _protect(
    pupils: Sequence[PupilRecord], outcome: Outcome, comparisons: list[Comparison], limit: int
) -> tuple[Comparison, ...]:
    """The comparisons with enough more withheld that no withheld group's figures are the whole less the rest.

    Each comparison shows its parts' figures (its reference too, or the whole less its group); the parts of
    ``PARTS`` add up to the trust's totals, which the trust's own rates and every comparison's two sides show.
    A part shown by no comparison left standing is hidden; core.stats says which further parts must be.
    """
    predicates = {g.key: g.in_group for g in GROUPINGS} | {
        g.reference_part: g.in_reference for g in GROUPINGS if g.reference_part
    }
    figures = {part: _side(pupils, outcome, belongs) for part, belongs in predicates.items()}
    reasons = {
        part: estimate(count, n, outcome.kind, people=people, threshold=limit).suppressed_reason
        for part, (count, n, people) in figures.items()
    }
    values = {part: (count, n) for part, (count, n, _) in figures.items()}
    secondary: set[str] = set()
    while True:
        pairs = zip(GROUPINGS, comparisons, strict=True)
        shown = {part for g, c in pairs if not c.is_suppressed and not secondary & set(g.parts) for part in g.parts}
        withheld = {p: r for p, r in reasons.items() if r and p not in shown and p not in secondary}
        hidden = {p for p in values if p not in shown and p not in withheld}
        more = secondary_suppression(values, withheld, PARTS, hidden=hidden, threshold=limit)
        if more <= secondary:
            break
        secondary |= more

    def protected(grouping: Grouping, comparison: Comparison) -> Comparison:
        touched = secondary & set(grouping.parts)
        # A comparison withheld for a reason of its own keeps it, unless that reason would tell where a hidden
        # figure is: a part whose own reason gave way, or an empty part ("no one in this group").
        if not touched or (comparison.is_suppressed and not any(reasons[p] for p in touched)):
            return comparison
        return replace(
            comparison, group=None, reference=None, ratio=None, low=None, high=None,
            reading=SECONDARY_REASON, suppressed_reason=SECONDARY_REASON,
        )  # fmt: skip

    return tuple(protected(g, c) for g, c in zip(GROUPINGS, comparisons, strict=True))
