"""How a round's selection worked: the funnel from interest to completion, and whether scores predict outcomes.

Both reports are computed from records that do not move on (registrations,
submissions, stage changes, centre decisions, offers, placements, enrolments),
never from ``Application.stage``, which only says where an application is now.
Every percentage is a ``core.stats.Proportion``, so each carries its n and
interval and small cells are suppressed the same way as everywhere else; the
groups of a question add up to the round's counts, so core.stats also withholds
enough further cells that no suppressed one is the total less the rest. Ratio
intervals come from core.stats; correlations from SciPy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, TextChoices
from scipy.stats import pearsonr, rankdata, spearmanr

from difference.core.charts import Bar, BarChart, bar_chart
from difference.core.stats import (
    NO_ONE,
    SECONDARY_REASON,
    Proportion,
    default_threshold,
    proportion,
    ratio_interval,
    secondary_suppression,
    small_count_reason,
    withhold,
)
from difference.people.models import PREFER_NOT_TO_SAY, AgeBand, Disability, EthnicGroup, Gender
from difference.placements.models import Placement
from difference.recruitment.models import (
    Application,
    CentreDecision,
    InterestRegistration,
    Offer,
    RecruitmentRound,
    Stage,
    StageChange,
)
from difference.training.models import Enrolment, EnrolmentStatus

DLP_CODE = "dlp"
NOT_ANSWERED = "not_answered"
# Groups that say nothing about who a person is cannot be the benchmark other groups are compared with.
NOT_REFERENCE = frozenset({PREFER_NOT_TO_SAY[0], NOT_ANSWERED})


@dataclass(frozen=True)
class StageDefinition:
    key: str
    label: str
    # How to describe people counted at this stage with no record of the previous one.
    skipped_previous: str


STAGES: tuple[StageDefinition, ...] = (
    StageDefinition("registered", "Registered interest", ""),
    StageDefinition("applied", "Applied", "applied without registering interest for this round"),
    StageDefinition("sifted_in", "Sifted in (shortlisted)", "had no submitted application"),
    StageDefinition("assessed", "Assessed at the centre", "had a centre decision without being shortlisted"),
    StageDefinition("offered", "Offered a place", "had an offer without a centre decision"),
    StageDefinition("placed", "Placed in a school", "had a placement without an offer in this round"),
    StageDefinition("completed", "Completed the programme", "completed without a placement recorded for this year"),
)
# The diversity questionnaire is part of the application, so only stages from "applied" on have groups.
APPLICANT_STAGES = tuple(s for s in STAGES if s.key != "registered")

DIMENSIONS: tuple[tuple[str, str, type[TextChoices]], ...] = (
    ("gender", "Gender", Gender),
    ("ethnic_group", "Ethnic group", EthnicGroup),
    ("disability", "Disability", Disability),
    ("age_band", "Age band", AgeBand),
)


# --- Funnel -----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FunnelStage:
    """Everyone at one stage of the round. ``conversion`` is from the previous stage (None for the first)."""

    key: str
    label: str
    count: int
    conversion: Proportion | None
    # People counted here who have no record at the previous stage, so are outside the conversion's numerator.
    skipped_previous: int = 0
    skipped_previous_text: str = ""


@dataclass(frozen=True)
class GroupStage:
    """One demographic group at one stage after "applied".

    ``conversion`` is from the previous stage; ``reached`` is out of the group's applicants. Their numerators are
    counts of people, so show them only through the Proportion (which suppresses small cells).
    """

    key: str
    label: str
    conversion: Proportion
    reached: Proportion
    # The group's share of everyone at this stage (out of the stage's people, all groups together).
    share: Proportion | None = None


@dataclass(frozen=True)
class StageNotAnswered:
    """How many people at a stage did not answer a question, or why that count is withheld."""

    key: str
    label: str
    count: int | None
    suppressed_reason: str = ""

    def as_text(self) -> str:
        return self.suppressed_reason if self.count is None else str(self.count)


@dataclass(frozen=True)
class AdverseImpact:
    """A group's selection rate (offered ÷ applied) as a ratio of the highest group's rate, with a 95% interval."""

    selection_rate: Proportion
    ratio: float | None
    low: float | None
    high: float | None
    reading: str
    is_reference: bool = False
    suppressed_reason: str = ""

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppressed_reason)

    def as_text(self) -> str:
        """ "0.62 (95% CI 0.35–1.10)", "1.00 (reference)", or the reading when there is no ratio to show."""
        if self.is_reference:
            return f"{self.ratio:.2f} (reference)"
        if self.ratio is None or self.low is None or self.high is None:
            return self.reading
        return f"{self.ratio:.2f} (95% CI {self.low:.2f}–{self.high:.2f})"


@dataclass(frozen=True)
class GroupFunnel:
    value: str
    label: str
    # The group's share of all applicants in the round.
    applicants: Proportion
    stages: tuple[GroupStage, ...]
    adverse_impact: AdverseImpact


@dataclass(frozen=True)
class DimensionFunnel:
    key: str
    label: str
    groups: tuple[GroupFunnel, ...]
    reference_label: str
    # Every stage from "applied", with how many there did not answer this question.
    not_answered: tuple[StageNotAnswered, ...] = ()

    @property
    def chart(self) -> BarChart:
        return stage_share_chart(self)

    def shares_at(self, stage: str) -> tuple[tuple[GroupFunnel, Proportion], ...]:
        """Each answering group's share of everyone at ``stage`` ("applied" is the share of applicants)."""
        shares = []
        for group in self.groups:
            if group.value == NOT_ANSWERED:
                continue
            share = group.applicants if stage == "applied" else next(s.share for s in group.stages if s.key == stage)
            assert share is not None
            shares.append((group, share))
        return tuple(shares)


@dataclass(frozen=True)
class FunnelReport:
    year: int
    target: int
    threshold: int
    stages: tuple[FunnelStage, ...]
    dimensions: tuple[DimensionFunnel, ...]
    # Enrolments in the year's DLP cohort; none means the cohort has not started, so no one can have completed.
    cohort_enrolled: int
    # True while anyone in the year's DLP cohort is still enrolled: completion is not yet a final figure.
    cohort_running: bool
    # Applicants whose enrolment in the year's cohort is active or deferred: no completion outcome yet.
    awaiting_outcome: int

    @property
    def chart(self) -> BarChart:
        return funnel_chart(self)

    @property
    def group_stage_labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in APPLICANT_STAGES[1:])

    @property
    def placed(self) -> int:
        return self._count("placed")

    @property
    def completed(self) -> int:
        return self._count("completed")

    def _count(self, key: str) -> int:
        return next(s.count for s in self.stages if s.key == key)


@dataclass(frozen=True)
class _Applicant:
    person_id: int
    stages: frozenset[str]
    groups: dict[str, str]
    enrolment_status: str | None


def funnel_report(recruitment_round: RecruitmentRound) -> FunnelReport:
    """The round's selection funnel overall and by each demographic dimension, with adverse-impact ratios.

    Three queries whatever the size of the round: registrations, applicants (with every stage as an EXISTS and
    their diversity answers joined), and the state of the year's cohort.
    """
    year = recruitment_round.year
    registered = set(
        InterestRegistration.objects.filter(recruitment_round=recruitment_round)
        .order_by()
        .values_list("person_id", flat=True)
    )
    applicants = _applicants(recruitment_round)
    people = {"registered": registered}
    for stage in APPLICANT_STAGES:
        people[stage.key] = {a.person_id for a in applicants if stage.key in a.stages}
    cohort = Enrolment.objects.filter(cohort__programme__code=DLP_CODE, cohort__year=year).aggregate(
        enrolled=Count("pk"), active=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE))
    )
    pending = (EnrolmentStatus.ACTIVE, EnrolmentStatus.DEFERRED)
    return FunnelReport(
        year=year,
        target=recruitment_round.target_leaders,
        threshold=default_threshold(),
        stages=_overall_stages(people),
        dimensions=tuple(_dimension(field, label, choices, applicants) for field, label, choices in DIMENSIONS),
        cohort_enrolled=cohort["enrolled"],
        cohort_running=cohort["active"] > 0,
        awaiting_outcome=sum(1 for a in applicants if a.enrolment_status in pending),
    )


def _applicants(recruitment_round: RecruitmentRound) -> list[_Applicant]:
    year = recruitment_round.year
    application = OuterRef("pk")
    enrolment = Enrolment.objects.filter(
        person_id=OuterRef("person_id"), cohort__programme__code=DLP_CODE, cohort__year=year
    ).values("status")[:1]
    rows = (
        Application.objects.filter(recruitment_round=recruitment_round, submitted_at__isnull=False)
        .annotate(
            was_sifted_in=Exists(StageChange.objects.filter(application=application, to_stage=Stage.SHORTLISTED)),
            was_assessed=Exists(CentreDecision.objects.filter(application=application)),
            was_offered=Exists(Offer.objects.filter(application=application)),
            was_placed=Exists(
                Placement.objects.filter(candidate__person=OuterRef("person"), candidate__placement_round__year=year)
            ),
            dlp_status=Subquery(enrolment),
        )
        .order_by()
        .values_list(
            "person_id",
            "was_sifted_in",
            "was_assessed",
            "was_offered",
            "was_placed",
            "dlp_status",
            *(f"person__demographics__{field}" for field, _, _ in DIMENSIONS),
        )
    )
    applicants = []
    for person_id, sifted_in, assessed, offered, placed, status, *answers in rows:
        flags = {
            "applied": True,
            "sifted_in": sifted_in,
            "assessed": assessed,
            "offered": offered,
            "placed": placed,
            "completed": status == EnrolmentStatus.COMPLETED,
        }
        # A missing Demographics row and a blank answer both mean the question was not answered.
        groups = {field: answer or NOT_ANSWERED for (field, _, _), answer in zip(DIMENSIONS, answers, strict=True)}
        applicants.append(_Applicant(person_id, frozenset(k for k, v in flags.items() if v), groups, status))
    return applicants


def _overall_stages(people: dict[str, set[int]]) -> tuple[FunnelStage, ...]:
    stages = [FunnelStage(STAGES[0].key, STAGES[0].label, len(people[STAGES[0].key]), None)]
    for previous, stage in zip(STAGES, STAGES[1:], strict=False):
        here, before = people[stage.key], people[previous.key]
        # The numerator is only those who were also at the previous stage, so the conversion is a true proportion
        # even when, say, someone applied without registering interest first.
        carried = len(here & before)
        skipped = len(here) - carried
        stages.append(
            FunnelStage(
                stage.key,
                stage.label,
                len(here),
                proportion(carried, len(before)),
                skipped,
                stage.skipped_previous if skipped else "",
            )
        )
    return tuple(stages)


def _dimension(field: str, label: str, choices: type[TextChoices], applicants: list[_Applicant]) -> DimensionFunnel:
    values = [(str(value), str(text)) for value, text in choices.choices] + [(NOT_ANSWERED, "Not answered")]
    members = {value: [a for a in applicants if a.groups[field] == value] for value, _ in values}
    cells = _GroupCells({value: members[value] for value, _ in values}, len(applicants), default_threshold())
    rates = [(value, text, cells.reached(value, "offered")) for value, text in values]
    impacts, reference_label = _adverse_impacts(rates)
    groups = tuple(
        GroupFunnel(
            value=value,
            label=text,
            applicants=cells.share(value),
            stages=tuple(
                GroupStage(
                    stage.key,
                    stage.label,
                    cells.conversion(value, stage.key),
                    cells.reached(value, stage.key),
                    cells.stage_share(value, stage.key),
                )
                for stage in APPLICANT_STAGES[1:]
            ),
            adverse_impact=impacts[value],
        )
        for value, text in values
    )
    not_answered = tuple(cells.not_answered(stage) for stage in APPLICANT_STAGES)
    return DimensionFunnel(field, label, groups, reference_label, not_answered)


class _GroupCells:
    """One question's groups at each stage from "applied": how many reached it, and how many of them came from
    the stage before. The groups add up to the round's counts at each stage, which the page shows, so a cell
    core.stats withholds for its own sake is protected by withholding enough others (the smallest) in its stage;
    every proportion that shows a withheld cell, as its count or its n, is withheld with it."""

    def __init__(self, members: dict[str, list[_Applicant]], applicants: int, limit: int) -> None:
        self.applicants = applicants
        self.limit = limit
        self.counts: dict[tuple[str, str], tuple[int, int]] = {}
        for value, people in members.items():
            for previous, stage in zip((None, *APPLICANT_STAGES), APPLICANT_STAGES, strict=False):
                at = [a for a in people if stage.key in a.stages]
                carried = len(at) if previous is None else sum(1 for a in at if previous.key in a.stages)
                self.counts[value, stage.key] = (len(at), carried)
        small = small_count_reason(limit)
        self.withheld = {cell: small for cell, figures in self.counts.items() if any(0 < f < limit for f in figures)}
        stages = [[(value, stage.key) for value in members] for stage in APPLICANT_STAGES]
        self.secondary = secondary_suppression(self.counts, self.withheld, stages, threshold=limit)

    def share(self, value: str) -> Proportion:
        """The group's share of all applicants."""
        return self._shown(proportion(self.counts[value, "applied"][0], self.applicants), (value, "applied"))

    def conversion(self, value: str, stage: str) -> Proportion:
        """From the previous stage: those who came from it, out of the group's people there."""
        previous = APPLICANT_STAGES[[s.key for s in APPLICANT_STAGES].index(stage) - 1].key
        share = proportion(self.counts[value, stage][1], self.counts[value, previous][0])
        return self._shown(share, (value, stage), (value, previous))

    def stage_share(self, value: str, stage: str) -> Proportion:
        """Out of everyone at the stage, every group together (the stage's total, which the page shows)."""
        total = sum(self.counts[group, stage][0] for group, key in self.counts if key == stage)
        return self._shown(proportion(self.counts[value, stage][0], total), (value, stage))

    def not_answered(self, stage: StageDefinition) -> StageNotAnswered:
        """The "Not answered" group's count at the stage: a count of people, so withheld as its cell is."""
        cell = (NOT_ANSWERED, stage.key)
        count = self.counts[cell][0]
        if cell in self.secondary or (cell in self.withheld and not 0 < count < self.limit):
            # Withheld to protect another figure (or this cell's count from the stage before), not for its size.
            return StageNotAnswered(stage.key, stage.label, None, SECONDARY_REASON)
        if cell in self.withheld:
            return StageNotAnswered(stage.key, stage.label, None, self.withheld[cell])
        return StageNotAnswered(stage.key, stage.label, count)

    def reached(self, value: str, stage: str) -> Proportion:
        """Out of the group's applicants."""
        share = proportion(self.counts[value, stage][0], self.counts[value, "applied"][0])
        return self._shown(share, (value, stage), (value, "applied"))

    def _shown(self, share: Proportion, *cells: tuple[str, str]) -> Proportion:
        # A share suppressed by its own count or group size says so, unless that cell's reason had to give way;
        # one that would show a withheld cell, or say "no one" of it, is withheld as that cell's protection.
        if any(cell in self.secondary and cell in self.withheld for cell in cells):
            return withhold(share)
        if share.is_suppressed and share.suppressed_reason != NO_ONE:
            return share
        if any(cell in self.secondary or cell in self.withheld for cell in cells):
            return withhold(share)
        return share


def _adverse_impacts(rates: list[tuple[str, str, Proportion]]) -> tuple[dict[str, AdverseImpact], str]:
    """Each group's selection rate against the highest rate among groups large enough to show.

    Ties go to the first group in the questionnaire's order; a tied group then gets a ratio of 1 whose interval
    covers 1, so the choice does not change any reading.
    """
    eligible = [r for r in rates if r[0] not in NOT_REFERENCE and not r[2].is_suppressed]
    reference = max(eligible, key=lambda r: r[2].numerator / r[2].n) if eligible else None
    impacts = {}
    for value, _, rate in rates:
        impacts[value] = _impact(rate, value, reference)
    return impacts, reference[1] if reference else ""


def _impact(rate: Proportion, value: str, reference: tuple[str, str, Proportion] | None) -> AdverseImpact:
    if rate.is_suppressed:
        return AdverseImpact(rate, None, None, None, rate.suppressed_reason, suppressed_reason=rate.suppressed_reason)
    if reference is None:
        return AdverseImpact(rate, None, None, None, "cannot be estimated: no group is large enough to compare with")
    ref_value, ref_label, ref_rate = reference
    if value == ref_value:
        return AdverseImpact(rate, 1.0, None, None, "reference group (highest rate)", is_reference=True)
    if ref_rate.numerator == 0:
        return AdverseImpact(rate, None, None, None, "cannot be estimated: no offers in any comparable group")
    ratio = (rate.numerator / rate.n) / (ref_rate.numerator / ref_rate.n)
    interval = ratio_interval(rate.numerator, rate.n, ref_rate.numerator, ref_rate.n)
    if interval is None:
        return AdverseImpact(rate, None, None, None, "cannot be estimated")
    low, high = interval
    return AdverseImpact(rate, ratio, low, high, _ratio_reading(low, high, ref_label))


def _ratio_reading(low: float, high: float, reference_label: str) -> str:
    if low <= 1 <= high:
        return "no evidence of a difference"
    direction = "lower" if high < 1 else "higher"
    return f"{direction} selection rate than {reference_label}, and the interval excludes 1"


# --- Charts of the funnel ------------------------------------------------------------------------------------------
def funnel_chart(report: FunnelReport) -> BarChart:
    """Bars of people at each stage, each saying its conversion from the stage before with n and interval."""
    bars = []
    for stage in report.stages:
        text = f"{stage.count}"
        if stage.conversion is not None and stage.conversion.n == 0:
            text += " — no one at the previous stage"
        elif stage.conversion is not None and stage.conversion.is_suppressed:
            text += f" — share of the previous stage: {stage.conversion.as_text()}"
        elif stage.conversion is not None:
            text += f" — {stage.conversion.as_text()} of the previous stage"
        bars.append(Bar(stage.label, stage.count, text))
    return bar_chart(
        bars,
        chart_id=f"funnel-{report.year}",
        title=f"People at each stage of the {report.year} round",
        description="Bars are numbers of people; each stage after the first says what share of the previous "
        "stage's people reached it, with n and a 95% interval.",
    )


def stage_share_chart(dimension: DimensionFunnel) -> BarChart:
    """Each group's share of everyone at each stage, with its interval; suppressed shares say why."""
    not_answered = {n.key: n.as_text() for n in dimension.not_answered}
    bars = []
    for stage in APPLICANT_STAGES:
        heading = f"{stage.label} (did not answer: {not_answered[stage.key]})"
        for group, share in dimension.shares_at(stage.key):
            bars.append(_share_bar(group.label, share, heading))
    return bar_chart(
        bars,
        chart_id=f"stage-share-{dimension.key.replace('_', '-')}",
        title=f"{dimension.label}: each group's share of the people at each stage",
        description="Bars are percentages of everyone at the stage, with 95% intervals as whiskers; small "
        "groups are suppressed and say so.",
        maximum=100,
    )


def _share_bar(label: str, share: Proportion, heading: str) -> Bar:
    if share.is_suppressed or share.value is None or share.low is None or share.high is None:
        return Bar(label, 0, share.as_text(), suppressed=share.as_text(), group=heading)
    return Bar(label, share.value * 100, share.as_text(), share.low * 100, share.high * 100, group=heading)


# --- Validity ---------------------------------------------------------------------------------------------------------
# An outcome source maps application pk to its value; None means the outcome is known to be still to come
# (an enrolment that is active or deferred). Applications with no entry have no record of the outcome.
OutcomeSource = Callable[[QuerySet[Application]], dict[int, float | None]]


@dataclass(frozen=True)
class OutcomeDefinition:
    """A later outcome the selection scores are checked against. ``source`` is None while the platform has no
    record of it; recording one later means writing its source, and nothing else changes."""

    key: str
    label: str
    description: str
    source: OutcomeSource | None


def _programme_completion(applications: QuerySet[Application]) -> dict[int, float | None]:
    status = Enrolment.objects.filter(
        person_id=OuterRef("person_id"),
        cohort__programme__code=DLP_CODE,
        cohort__year=OuterRef("recruitment_round__year"),
    ).values("status")[:1]
    rows = applications.annotate(dlp_status=Subquery(status)).filter(dlp_status__isnull=False)
    outcome = {EnrolmentStatus.COMPLETED.value: 1.0, EnrolmentStatus.WITHDRAWN.value: 0.0}
    return {pk: outcome.get(value) for pk, value in rows.order_by().values_list("pk", "dlp_status")}


OUTCOMES: tuple[OutcomeDefinition, ...] = (
    OutcomeDefinition(
        "completed",
        "Completed the programme",
        "1 if the enrolment in that year's DLP cohort is completed, 0 if withdrawn. Enrolments still active or "
        "deferred are left out: they have no outcome yet.",
        _programme_completion,
    ),
    OutcomeDefinition("promoted", "Promoted within two years", "Not recorded in the platform yet.", None),
    OutcomeDefinition("impact_rating", "Headteacher's impact rating", "Not recorded in the platform yet.", None),
)

SCORES: tuple[tuple[str, str], ...] = (("sift_score", "Sift score"), ("centre_score", "Centre score"))


@dataclass(frozen=True)
class Correlation:
    """Spearman's rank correlation between one score and one outcome, with a 95% interval."""

    score_key: str
    score_label: str
    n: int
    rho: float | None
    low: float | None
    high: float | None
    reading: str

    @property
    def is_estimated(self) -> bool:
        return self.rho is not None

    def as_text(self) -> str:
        """ "ρ = 0.31 (95% CI −0.05 to 0.60; n = 34)", or the reading when there is no estimate."""
        if self.rho is None or self.low is None or self.high is None:
            return self.reading
        return f"ρ = {_signed(self.rho)} (95% CI {_signed(self.low)} to {_signed(self.high)}; n = {self.n})"


@dataclass(frozen=True)
class OutcomeResult:
    key: str
    label: str
    description: str
    recorded: bool
    with_outcome: int
    awaiting: int
    correlations: tuple[Correlation, ...]


@dataclass(frozen=True)
class ValidityReport:
    year: int
    all_rounds: bool
    years: tuple[int, ...]
    min_n: int
    scored: int
    outcomes: tuple[OutcomeResult, ...]

    @property
    def score_labels(self) -> tuple[str, ...]:
        return tuple(label for _, label in SCORES)


NOT_RECORDED = "not recorded in the platform yet"


def validity_min_n() -> int:
    # Fisher's interval divides by sqrt(n - 3), so fewer than 4 pairs can never give an interval.
    return max(int(getattr(settings, "DIFFERENCE_VALIDITY_MIN_N", 10)), 4)


def validity_report(
    recruitment_round: RecruitmentRound, *, all_rounds: bool = False, outcomes: Iterable[OutcomeDefinition] = OUTCOMES
) -> ValidityReport:
    """How sift and centre scores relate to later outcomes, for one round or (``all_rounds``) every round pooled.

    One query for the scores plus one for each recorded outcome, whatever the number of applications.
    """
    applications = Application.objects.all()
    if not all_rounds:
        applications = applications.filter(recruitment_round=recruitment_round)
    scored = applications.filter(Q(sift_score__isnull=False) | Q(centre_score__isnull=False))
    rows = list(scored.order_by().values_list("pk", "sift_score", "centre_score", "recruitment_round__year"))
    scores: dict[str, dict[int, float]] = {key: {} for key, _ in SCORES}
    for pk, sift, centre, _ in rows:
        for key, value in (("sift_score", sift), ("centre_score", centre)):
            if value is not None:
                scores[key][pk] = float(value)
    min_n = validity_min_n()
    results = tuple(_outcome_result(outcome, scored, scores, min_n) for outcome in outcomes)
    return ValidityReport(
        year=recruitment_round.year,
        all_rounds=all_rounds,
        years=tuple(sorted({row[3] for row in rows})),
        min_n=min_n,
        scored=len(rows),
        outcomes=results,
    )


def _outcome_result(
    outcome: OutcomeDefinition,
    scored: QuerySet[Application],
    scores: dict[str, dict[int, float]],
    min_n: int,
) -> OutcomeResult:
    if outcome.source is None:
        correlations = tuple(Correlation(key, label, 0, None, None, None, NOT_RECORDED) for key, label in SCORES)
        return OutcomeResult(outcome.key, outcome.label, outcome.description, False, 0, 0, correlations)
    values = outcome.source(scored)
    known = {pk: v for pk, v in values.items() if v is not None}
    correlations = tuple(_correlation(key, label, scores[key], known, min_n) for key, label in SCORES)
    awaiting = len(values) - len(known)
    return OutcomeResult(outcome.key, outcome.label, outcome.description, True, len(known), awaiting, correlations)


def _correlation(key: str, label: str, score: dict[int, float], outcome: dict[int, float], min_n: int) -> Correlation:
    pairs = sorted(pk for pk in score if pk in outcome)
    x = [score[pk] for pk in pairs]
    y = [outcome[pk] for pk in pairs]
    n = len(pairs)
    if n < min_n:
        return Correlation(key, label, n, None, None, None, f"too few to say (n = {n}; at least {min_n} needed)")
    # A constant has no ranks to correlate: SciPy would return nan with a warning.
    if len(set(x)) == 1 or len(set(y)) == 1:
        what = label.lower() if len(set(x)) == 1 else "outcome"
        return Correlation(key, label, n, None, None, None, f"too few to say: everyone here has the same {what}")
    rho = float(spearmanr(x, y).statistic)
    # Spearman's rho is Pearson's r on the ranks, so Fisher's interval on the ranks is its interval.
    interval = pearsonr(rankdata(x), rankdata(y)).confidence_interval(0.95)
    low, high = float(interval.low), float(interval.high)
    return Correlation(key, label, n, rho, low, high, _correlation_reading(low, high))


def _correlation_reading(low: float, high: float) -> str:
    if low <= 0 <= high:
        return "no clear association: the interval includes 0"
    direction = "higher" if low > 0 else "lower"
    return f"higher scores went with {direction} values of the outcome, and the interval excludes 0"


def _signed(value: float) -> str:
    # A true minus sign, as in published tables.
    return f"{value:.2f}".replace("-", "−")
