"""What a research-action project's pupil data can honestly say, and what it cannot.

The charity's reports say of its literacy projects that "student reading ages [are] improving faster than
chronological ages", and of one school that "71% of students had made progress of 12 months or more over a 6 month
period". This module computes those figures so that they can be checked and shown with what they rest on:

* **which pupils count.** Alternative provision intakes churn: pupils join late and leave early. Only pupils with
  two tests on the measure have a gain; everyone else is counted by why they have none (one test and left, one
  test and absent from a later round, no test at all), never dropped silently. A pupil who left stays in every
  count;
* **the ratio gain** (Brooks): a pupil's reading-age gain in months over the months between their first and last
  test. 1 is progress at the ordinary rate, so a pupil keeping pace with their age scores 1, not 0. The project's
  figure is the mean of its pupils' ratio gains with a 95% interval, read against Brooks' bands;
* **the "12 months in about 6" share**: among pupils whose first two tests are 5 to 7 months apart (inclusive), the
  share who gained 12 months or more between them, with its n and interval, and withheld by the one small-cell
  rule of ``core.stats`` when the group or the count is small;
* **the gap** between chronological and reading age at the first and at the last test;
* **a paired test**: each pupil's gain against the months that passed (Wilcoxon signed-rank, with the rank-biserial
  effect size), that is whether reading ages rose faster than the pupils aged;
* **caveats** that are written out whenever their condition holds: above all, there is no comparison group, so
  none of this says what would have happened without the project.

Every interval and every decision to withhold comes from ``core.stats``; this module says what is counted.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, prefetch_related_objects

from difference.core.stats import (
    SECONDARY_REASON,
    MeanEstimate,
    PairedComparison,
    Proportion,
    mean_interval,
    paired_test,
    proportion,
    suppress_counts,
    suppression_reason,
    threshold_or_default,
    withhold_small_group,
)
from difference.projects.models import Assessment, Measure, MeasureKind, Pupil

if TYPE_CHECKING:
    from difference.projects.models import Project

# --- Ages and time ---------------------------------------------------------------------------------------------
# The mean length of a Gregorian month in days (365.2425 / 12 rounds to this at four places), for the part-month
# after the whole calendar months.
DAYS_PER_MONTH = 30.4375
# We keep only a pupil's month and year of birth, so every pupil is taken to be born on the 15th: the middle of the
# month, which makes the error at most about half a month either way.
BIRTH_DAY = 15


def months_between(earlier: dt.date, later: dt.date) -> float:
    """Months from ``earlier`` to ``later``: whole calendar months as ``dateutil.relativedelta`` counts them, plus
    the remaining days over 30.4375. Negative when ``later`` comes first.

    A month from a day that a shorter month lacks ends on that month's last day, so 31 January to 28 February is
    one month and to 1 March a month and a day; 29 February to 28 February a year later is 12 months.
    """
    if later < earlier:
        return -months_between(later, earlier)
    delta = relativedelta(later, earlier)
    whole = delta.years * 12 + delta.months
    days = (later - (earlier + relativedelta(months=whole))).days
    return whole + days / DAYS_PER_MONTH


def chronological_age_months(birth_year: int, birth_month: int, on: dt.date) -> float:
    """A pupil's age in months on ``on``. We keep only the month and year of birth, so the day of birth is taken
    as the 15th of the month; the age is then ``months_between`` that day and ``on``."""
    return months_between(dt.date(birth_year, birth_month, BIRTH_DAY), on)


# --- Ratio gains -----------------------------------------------------------------------------------------------
ORDINARY_RATE = 1.0
# Brooks, *What works for children and young people with literacy difficulties*: each band's lower bound, highest
# first. Below 1.4 is "modest impact"; 1.4 to 1.9 useful, 2.0 to 2.9 substantial, 3.0 and above remarkable (read as
# "below 2.0" and "below 3.0", so 1.95 is useful). A ratio gain of 1 is progress at the ordinary rate.
RATIO_GAIN_BANDS: tuple[tuple[float, str], ...] = (
    (3.0, "remarkable impact"),
    (2.0, "substantial impact"),
    (1.4, "useful impact"),
    (-math.inf, "modest impact"),
)


def ratio_gain(gain_months: float, elapsed_months: float) -> float:
    """Brooks' ratio gain: the reading-age gain in months over the months elapsed."""
    if elapsed_months <= 0:
        raise ValueError(f"a ratio gain needs time to pass, got {elapsed_months} months")
    return gain_months / elapsed_months


def ratio_gain_band(value: float) -> str:
    """Brooks' band for a ratio gain."""
    return next(label for bound, label in RATIO_GAIN_BANDS if value >= bound)


# --- The "12 months in about 6" share --------------------------------------------------------------------------
GAIN_WINDOW = (5.0, 7.0)  # months between a pupil's first and second reading-age test, both ends included
GAIN_TARGET = 12  # months of reading age gained


def in_gain_window(elapsed_months: float) -> bool:
    low, high = GAIN_WINDOW
    return low <= elapsed_months <= high


def share_gaining_target(first_two: Iterable[tuple[float, float]], *, threshold: int | None = None) -> Proportion:
    """Of the pupils whose first two tests (``(months elapsed, months gained)``) are in ``GAIN_WINDOW``, how many
    gained ``GAIN_TARGET`` months or more: a proportion with its n and interval, withheld when small."""
    gains = [gain for elapsed, gain in first_two if in_gain_window(elapsed)]
    return proportion(sum(1 for gain in gains if gain >= GAIN_TARGET), len(gains), threshold=threshold)


# --- Status ----------------------------------------------------------------------------------------------------
NO_TESTS = "No tests yet"
CANNOT_RESOURCE = "The school cannot resource the tests"
ONE_ROUND = "One test round so far"
REASONS = (NO_TESTS, CANNOT_RESOURCE, ONE_ROUND)


@dataclass(frozen=True)
class Status:
    """Whether a project is measured (two test dates and a pupil with two tests) and, if not, the one reason."""

    measured: bool
    reason: str = ""

    @property
    def label(self) -> str:
        return "Measured" if self.measured else f"Not yet measured: {self.reason}"


def project_status(*, test_dates: int, pupils_with_two: int, cannot_resource: bool) -> Status:
    """Measured, or why not. The school's word that it cannot resource the tests explains any project without a
    second round; otherwise the data say whether there is no test yet or one round."""
    if test_dates >= 2 and pupils_with_two >= 1:
        return Status(True)
    if cannot_resource:
        return Status(False, CANNOT_RESOURCE)
    return Status(False, NO_TESTS if test_dates == 0 else ONE_ROUND)


# --- Caveats ---------------------------------------------------------------------------------------------------
CAVEAT_NO_COMPARISON = (
    "There is no comparison group: these figures say how the pupils progressed during the project, not how they "
    "would have progressed without it."
)
CAVEAT_REGRESSION = (
    "On average the pupils' first reading ages were 12 months or more below their chronological ages. Low first "
    "scores tend to rise on a retest by chance alone (regression to the mean), so part of the gain may not be the "
    "project's."
)
CAVEAT_MISSING = (
    "Only pupils with two tests have a gain. Pupils who left, missed a test or were never tested are not in the "
    "gains, and they may have progressed differently from those who stayed."
)
CAVEAT_TEST_FORM = (
    "Some pupils sat a different form of the test at their last test than at their first. Forms are meant to be "
    "equivalent but are not identical, so part of the change may come from the form."
)
CAVEAT_SHORT_WINDOW = (
    "Half the pupils or more were retested within 4 months of their first test. Over so short a time the test's own "
    "error is large beside the change, and ratio gains swing widely."
)
CAVEAT_FEW_PUPILS = "Fewer than {threshold} pupils have two tests: too few to say much beyond these pupils."
# How far below their age the pupils must start, on average, for the regression caveat (months).
REGRESSION_GAP = 12.0
SHORT_WINDOW_MONTHS = 4.0


# --- Results ---------------------------------------------------------------------------------------------------
class Point(NamedTuple):
    on: dt.date
    age: float  # chronological age in months
    value: float  # the result: a reading age in months, or the measure's own unit


@dataclass(frozen=True)
class PupilSeries:
    """One pupil's tests in date order, for the chart and the table beside it."""

    code: str
    left_on: dt.date | None
    points: tuple[Point, ...]

    @property
    def gain(self) -> float | None:
        return self.points[-1].value - self.points[0].value if len(self.points) >= 2 else None

    @property
    def elapsed(self) -> float | None:
        return months_between(self.points[0].on, self.points[-1].on) if len(self.points) >= 2 else None


# The pupil counts a page shows, and the lines whose totals it shows: all pupils, and those with one test.
COUNT_NAMES = ("pupils", "measured", "only_one", "only_one_left", "only_one_absent", "only_one_other", "not_tested")


@dataclass(frozen=True)
class ProjectAnalysis:
    """A project's pupil data on one measure, as every page, export and the impact report read it.

    The counts keep every pupil on the project, including those who left. For a viewer who sees aggregates only,
    use ``suppressed_for(False)``: it drops the pupils' series, withholds figures resting on too few pupils and
    says which counts are withheld in ``count_reasons`` (read them through ``count_text``).
    """

    project: Project
    measure: Measure | None
    status: Status
    pupils: int
    measured: int
    only_one: int
    only_one_left: int
    only_one_absent: int
    not_tested: int
    threshold: int
    ratio_gain: MeanEstimate | None = None
    ratio_gain_band: str = ""
    gained_12_in_6: Proportion | None = None
    gap_first: MeanEstimate | None = None
    gap_last: MeanEstimate | None = None
    change: MeanEstimate | None = None  # the mean of last less first test, in the measure's unit
    paired: PairedComparison | None = None
    median_elapsed: float | None = None
    caveats: list[str] = field(default_factory=list)
    series: list[PupilSeries] = field(default_factory=list)
    sees_pupils: bool = True
    count_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def school_name(self) -> str:
        return self.project.school.name

    @property
    def is_reading_age(self) -> bool:
        return self.measure is not None and self.measure.kind == MeasureKind.READING_AGE

    @property
    def only_one_other(self) -> int:
        """Pupils with one test who neither left nor are recorded absent: no reason is known."""
        return self.only_one - self.only_one_left - self.only_one_absent

    def count_text(self, name: str) -> str:
        """A pupil count as a page shows it: the number, or why it is withheld."""
        if name not in COUNT_NAMES:
            raise ValueError(f"no count called {name!r}")
        return self.count_reasons.get(name) or str(getattr(self, name))

    @property
    def ratio_gain_text(self) -> str:
        """ "1.8 (95% CI 1.2–2.4; 12 pupils), useful impact", or why there is none."""
        estimate = self.ratio_gain
        if estimate is None:
            return self.status.reason or "no ratio gain for this measure"
        if estimate.suppressed_reason:
            return estimate.suppressed_reason
        assert estimate.value is not None
        if not estimate.has_interval:
            return f"{estimate.value:.1f} (one pupil; no interval), {self.ratio_gain_band}"
        level = round(estimate.confidence * 100)
        text = (
            f"{estimate.value:.1f} ({level}% CI {estimate.low:.1f}–{estimate.high:.1f}; {estimate.n} pupils), "
            f"{self.ratio_gain_band}"
        )
        if estimate.low is not None and estimate.low <= ORDINARY_RATE:
            text += "; the interval reaches 1, progress at the ordinary rate"
        return text

    def suppressed_for(self, user_sees_pupils: bool) -> ProjectAnalysis:
        """The analysis as a viewer may see it: whole for one who sees the project's pupils; for one who sees
        aggregates only (a trust partner), no per-pupil series, figures on fewer pupils than the threshold
        withheld with the reason, and the small pupil counts withheld with enough others that none can be worked
        out from the totals. The 12-in-6 share is withheld by the same rule for everyone."""
        if user_sees_pupils:
            return self

        def small(figure: MeanEstimate | None) -> MeanEstimate | None:
            return None if figure is None else withhold_small_group(figure, threshold=self.threshold)

        ratio = small(self.ratio_gain)
        few = bool(suppression_reason(self.measured, self.measured, threshold=self.threshold))
        return replace(
            self,
            series=[],
            sees_pupils=False,
            ratio_gain=ratio,
            ratio_gain_band="" if ratio is None or ratio.suppressed_reason else self.ratio_gain_band,
            gap_first=small(self.gap_first),
            gap_last=small(self.gap_last),
            change=small(self.change),
            paired=None if self.paired is None else withhold_small_group(self.paired, threshold=self.threshold),
            median_elapsed=None if few else self.median_elapsed,
            count_reasons=_count_reasons(self),
        )


def _count_reasons(analysis: ProjectAnalysis) -> dict[str, str]:
    """Which pupil counts an aggregate viewer may not see: the one rule on the project's counts (whose total, the
    pupils on the project, is shown), then on the breakdown of pupils with one test when that total is shown."""
    limit = analysis.threshold
    reasons = {"pupils": suppression_reason(analysis.pupils, analysis.pupils, threshold=limit)}
    if reasons["pupils"]:
        return dict.fromkeys(COUNT_NAMES, reasons["pupils"])
    top = {"measured": analysis.measured, "only_one": analysis.only_one, "not_tested": analysis.not_tested}
    reasons |= suppress_counts(top, [list(top)], threshold=limit)
    parts = {
        "only_one_left": analysis.only_one_left,
        "only_one_absent": analysis.only_one_absent,
        "only_one_other": analysis.only_one_other,
    }
    if reasons["only_one"]:
        reasons |= dict.fromkeys(parts, SECONDARY_REASON)
    else:
        reasons |= suppress_counts(parts, [list(parts)], threshold=limit)
    return {name: reason for name, reason in reasons.items() if reason}


# --- Analysis --------------------------------------------------------------------------------------------------
def analysis_measure(project: Project) -> Measure | None:
    """The measure a project is analysed on: its first reading-age measure, else its first measure."""
    measures = sorted(project.measures.all(), key=lambda m: m.pk)
    reading = [m for m in measures if m.kind == MeasureKind.READING_AGE]
    chosen = reading or measures
    return chosen[0] if chosen else None


def analyse_project(project: Project, *, threshold: int | None = None) -> ProjectAnalysis:
    """One project's analysis (see the module's docstring); prefetches what it needs if it was not."""
    return analyse_projects([project], threshold=threshold)[0]


def analyse_projects(projects: Iterable[Project], *, threshold: int | None = None) -> list[ProjectAnalysis]:
    """Each project's analysis, in the order given, in a fixed handful of queries however many projects."""
    items = list(projects)
    prefetch_related_objects(
        items,
        "school",
        Prefetch("pupils", queryset=Pupil.objects.order_by("code")),
        Prefetch("measures", queryset=Measure.objects.order_by("pk")),
        Prefetch("measures__assessments", queryset=Assessment.objects.order_by("pupil_id", "assessed_on")),
        "measures__absences",
    )
    limit = threshold_or_default(threshold)
    return [_analyse(project, limit) for project in items]


def _analyse(project: Project, threshold: int) -> ProjectAnalysis:
    pupils = list(project.pupils.all())
    measure = analysis_measure(project)
    tests: dict[int, list[Assessment]] = defaultdict(list)
    absent: set[int] = set()
    if measure is not None:
        for assessment in measure.assessments.all():
            tests[assessment.pupil_id].append(assessment)
        absent = {absence.pupil_id for absence in measure.absences.all()}
    dates = sorted({a.assessed_on for taken in tests.values() for a in taken})
    with_two = [p for p in pupils if len(tests[p.pk]) >= 2]
    with_one = [p for p in pupils if len(tests[p.pk]) == 1]
    left = [p for p in with_one if _left_before_another_round(p, tests[p.pk][0].assessed_on, dates)]
    absent_only = [p for p in with_one if p.pk in absent and p not in left]
    status = project_status(
        test_dates=len(dates), pupils_with_two=len(with_two), cannot_resource=project.cannot_resource_tests
    )
    base = ProjectAnalysis(
        project=project,
        measure=measure,
        status=status,
        pupils=len(pupils),
        measured=len(with_two),
        only_one=len(with_one),
        only_one_left=len(left),
        only_one_absent=len(absent_only),
        not_tested=sum(1 for p in pupils if not tests[p.pk]),
        threshold=threshold,
        series=[_series(p, tests[p.pk]) for p in pupils if tests[p.pk]],
    )
    if not status.measured or measure is None:
        return base
    figures = _figures([(p, tests[p.pk]) for p in with_two], measure.kind == MeasureKind.READING_AGE, threshold)
    caveats = _caveats(base, figures, [tests[p.pk] for p in with_two])
    return replace(base, caveats=caveats, **figures)


def _left_before_another_round(pupil: Pupil, tested_on: dt.date, dates: Sequence[dt.date]) -> bool:
    """A pupil with one test left before they could have another: they have left, and either no test on the
    measure came after theirs or they had gone by the latest one. (A round can spread over several days, so the
    latest test date, not the next, says whether they missed a round by leaving.)"""
    if pupil.left_on is None:
        return False
    later = [d for d in dates if d > tested_on]
    return not later or pupil.left_on <= later[-1]


def _series(pupil: Pupil, taken: Sequence[Assessment]) -> PupilSeries:
    points = tuple(
        Point(
            a.assessed_on, chronological_age_months(pupil.birth_year, pupil.birth_month, a.assessed_on), float(a.value)
        )
        for a in taken
    )
    return PupilSeries(pupil.code, pupil.left_on, points)


def _figures(
    measured: Sequence[tuple[Pupil, Sequence[Assessment]]], reading_age: bool, threshold: int
) -> dict[str, Any]:
    firsts = [float(taken[0].value) for _, taken in measured]
    lasts = [float(taken[-1].value) for _, taken in measured]
    elapsed = [months_between(taken[0].assessed_on, taken[-1].assessed_on) for _, taken in measured]
    gains = [last - first for first, last in zip(firsts, lasts, strict=True)]
    figures: dict[str, Any] = {"change": mean_interval(gains), "median_elapsed": statistics.median(elapsed)}
    if not reading_age:
        # A score has no age to be compared with: the change from first to last test, tested against none.
        figures["paired"] = paired_test(lasts, firsts)
        return figures
    ages_first = [chronological_age_months(p.birth_year, p.birth_month, t[0].assessed_on) for p, t in measured]
    ages_last = [chronological_age_months(p.birth_year, p.birth_month, t[-1].assessed_on) for p, t in measured]
    ratio = mean_interval([ratio_gain(g, e) for g, e in zip(gains, elapsed, strict=True)])
    first_two = [
        (months_between(t[0].assessed_on, t[1].assessed_on), float(t[1].value) - float(t[0].value)) for _, t in measured
    ]
    figures |= {
        "ratio_gain": ratio,
        "ratio_gain_band": ratio_gain_band(ratio.value) if ratio.value is not None else "",
        "gained_12_in_6": share_gaining_target(first_two, threshold=threshold),
        "gap_first": mean_interval([a - r for a, r in zip(ages_first, firsts, strict=True)]),
        "gap_last": mean_interval([a - r for a, r in zip(ages_last, lasts, strict=True)]),
        # Did reading ages rise faster than the pupils aged? Each pupil's gain against their months elapsed.
        "paired": paired_test(gains, elapsed),
    }
    return figures


def _form_changed(taken: Sequence[Assessment]) -> bool:
    """The first and last test used different forms. A form left blank is not known, so it is no change."""
    first, last = taken[0].test_form.strip().casefold(), taken[-1].test_form.strip().casefold()
    return bool(first and last and first != last)


def _caveats(base: ProjectAnalysis, figures: dict[str, Any], measured: Sequence[Sequence[Assessment]]) -> list[str]:
    """Each caveat whose condition holds, in a fixed order."""
    caveats = [CAVEAT_NO_COMPARISON]
    gap = figures.get("gap_first")
    if isinstance(gap, MeanEstimate) and gap.value is not None and gap.value >= REGRESSION_GAP:
        caveats.append(CAVEAT_REGRESSION)
    if base.only_one or base.not_tested:
        caveats.append(CAVEAT_MISSING)
    if any(_form_changed(taken) for taken in measured):
        caveats.append(CAVEAT_TEST_FORM)
    median_elapsed = figures["median_elapsed"]
    if isinstance(median_elapsed, float) and median_elapsed < SHORT_WINDOW_MONTHS:
        caveats.append(CAVEAT_SHORT_WINDOW)
    if base.measured < base.threshold:
        caveats.append(CAVEAT_FEW_PUPILS.format(threshold=base.threshold))
    return caveats


# --- Summary ---------------------------------------------------------------------------------------------------
def summary(analyses: Iterable[ProjectAnalysis]) -> dict[str, object]:
    """The counts every summary of projects gives: how many projects, how many measured, how many not yet and
    why (every reason, zeros included), and of those measured on reading age, how many have a ratio gain whose
    whole interval is above 1 (the only ones where "faster than chronological age" is more than chance)."""
    items = list(analyses)
    measured = [a for a in items if a.status.measured]
    by_reason = {reason: sum(1 for a in items if a.status.reason == reason) for reason in REASONS}
    above = [
        a
        for a in measured
        if a.ratio_gain is not None and a.ratio_gain.has_interval and (a.ratio_gain.low or 0) > ORDINARY_RATE
    ]
    return {
        "projects": len(items),
        "measured": len(measured),
        "not_measured": len(items) - len(measured),
        "by_reason": by_reason,
        "measured_on_reading_age": sum(1 for a in measured if a.is_reading_age),
        "faster_than_age": len(above),
    }
