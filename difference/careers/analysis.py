"""Cohort career outcomes: what a graduating cohort went on to, read at the checkpoints ``outcomes`` defines.

For each cohort, at each checkpoint: how many were promoted, at the same level, lower, out of education or not
known, and in which sector, each with its n and interval; the share in senior leadership; the share back to
mainstream against the cohort's target (met or not, and whether the interval reaches across the target, i.e.
whether a cohort this size can tell); and of those who were mainstream senior leaders at programme end, how many
still are a year or more on. With censoring, how long graduates stay in senior leadership and in education
(Kaplan–Meier, from ``core.stats``). Across all alumni: the schools and trusts that employ them on a day.

Counts of people here are small (a cohort is ten or twelve), so at the platform's small-cell threshold much is
withheld. Every function takes ``threshold``: pages use the default; the impact report passes the threshold the
charity publishes at (its own figures, e.g. "nine out of ten", are published). The n, the counts and the intervals
are always kept on the figures; only what is shown honours the threshold.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from difference.careers.models import CareerRole, MainstreamTarget, RefreshRequest, RefreshState, Sector
from difference.careers.outcomes import (
    Change,
    Checkpoint,
    Outcome,
    baseline,
    checkpoints,
    outcome_at,
    programme_end,
    programme_start,
)
from difference.core.stats import (
    Proportion,
    SurvivalCurve,
    kaplan_meier,
    proportion,
    suppress_counts,
    threshold_or_default,
    withhold,
)
from difference.people.models import Person
from difference.schools.models import School, Trust
from difference.training.models import Cohort, EnrolmentStatus

DEFAULT_MAINSTREAM_TARGET = Decimal(str(MainstreamTarget._meta.get_field("share").default))
"""A cohort year with no target of its own is judged against the model's default (60%)."""

ALUMNI_STATUS = EnrolmentStatus.COMPLETED
"""Alumni: people with a completed enrolment in any programme (DLP graduates and ILC participants alike)."""

ANSWERED = (RefreshState.CONFIRMED, RefreshState.UPDATED)
"""A refresh request answered, either way, confirms the person's history up to the day they answered."""

DAYS_PER_YEAR = 365.25
NOT_KNOWN = "unknown"
"""The sector column of someone with no role known on the day."""


# --- The people of a cohort ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    """A graduate of a cohort, their roles, their baseline, and how far their history is known."""

    person: Person
    roles: tuple[CareerRole, ...]
    baseline: CareerRole | None
    followed_until: dt.date | None

    def outcome(self, on: dt.date) -> Outcome:
        return outcome_at(self.roles, self.baseline, on)


def followed_until(roles: Iterable[CareerRole], confirmed_on: dt.date | None) -> dt.date | None:
    """The last day someone's history is known to be right: their last confirmation, or the last date in their
    roles (a start or an end), whichever is later. A current role says nothing about the days after it was last
    confirmed."""
    days = [d for role in roles for d in (role.starts_on, role.ends_on) if d is not None]
    if confirmed_on is not None:
        days.append(confirmed_on)
    return max(days, default=None)


def last_confirmations(person_ids: Iterable[int], as_of: dt.date) -> dict[int, dt.date]:
    """Each person's last answered refresh on or before ``as_of``, as a local date."""
    rows = (
        RefreshRequest.objects.filter(person__in=list(person_ids), state__in=ANSWERED, answered_at__isnull=False)
        .values("person")
        .annotate(last=Max("answered_at"))
    )
    confirmed = {row["person"]: timezone.localdate(row["last"]) for row in rows}
    return {pk: min(day, as_of) for pk, day in confirmed.items()}


def members(cohort: Cohort, end: dt.date, as_of: dt.date) -> list[Member]:
    """The cohort's graduates (completed enrolments), each with their roles in two queries in all."""
    people = list(
        Person.objects.filter(enrolments__cohort=cohort, enrolments__status=ALUMNI_STATUS)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    roles: dict[int, list[CareerRole]] = defaultdict(list)
    for role in CareerRole.objects.filter(person__in=people).select_related("school"):
        roles[role.person_id].append(role)
    confirmed = last_confirmations((p.pk for p in people), as_of)
    start = programme_start(end, cohort.programme.duration_years)
    result = []
    for person in people:
        own = tuple(roles[person.pk])
        until = followed_until(own, confirmed.get(person.pk))
        result.append(Member(person, own, baseline(own, start), min(until, as_of) if until else None))
    return result


# --- One checkpoint's table ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One category of a table: its count out of the cohort, as a proportion (withheld when it must be)."""

    key: str
    label: str
    share: Proportion

    @property
    def count(self) -> int:
        return self.share.numerator


@dataclass(frozen=True)
class TargetJudgement:
    """The mainstream share against the cohort's target: ``met`` on the figure itself; ``crosses`` when the
    interval reaches both sides of the target, so the cohort is too small to say either way."""

    target: Decimal
    share: Proportion
    met: bool
    crosses: bool

    @property
    def target_text(self) -> str:
        return f"{self.target * 100:.0f}%"


@dataclass(frozen=True)
class CheckpointOutcomes:
    checkpoint: Checkpoint
    n: int
    changes: tuple[Row, ...]
    sectors: tuple[Row, ...]
    senior: Proportion
    mainstream: Proportion
    mainstream_senior: Proportion
    target: TargetJudgement

    @property
    def promoted(self) -> Row:
        return next(row for row in self.changes if row.key == Change.PROMOTED)


def _table(keys: Sequence[tuple[str, str]], counts: Mapping[str, int], n: int, threshold: int) -> tuple[Row, ...]:
    """A column of counts adding up to the cohort: each a proportion of n, with the cells withheld so that none
    can be worked out from n and the others (one line, whose total is n). The zeros are shown, as the one rule
    says, so only the other cells are candidates to withhold: a withheld zero would protect nothing a reader
    could not already tell."""
    cells = {key: counts.get(key, 0) for key, _ in keys}
    nonzero = {key: count for key, count in cells.items() if count}
    reasons = suppress_counts(nonzero, [list(nonzero)], threshold=threshold) if n >= threshold else {}
    rows = []
    for key, label in keys:
        share = proportion(cells[key], n, threshold=threshold)
        if reasons.get(key) and not share.is_suppressed:
            share = withhold(share, reasons[key])
        rows.append(Row(key, label, share))
    return tuple(rows)


CHANGE_ROWS = [(c.value, str(c.label)) for c in Change]
SECTOR_ROWS = [(s.value, str(s.label)) for s in Sector] + [(NOT_KNOWN, "Not known")]


def judge_target(share: Proportion, target: Decimal) -> TargetJudgement:
    met = share.n > 0 and Decimal(share.numerator) >= target * share.n
    crosses = share.low is not None and share.high is not None and share.low <= target <= share.high
    return TargetJudgement(target, share, met, crosses)


def mainstream_target(cohort: Cohort) -> Decimal:
    target = MainstreamTarget.objects.filter(cohort_year=cohort.year).values_list("share", flat=True).first()
    return DEFAULT_MAINSTREAM_TARGET if target is None else Decimal(target)


def checkpoint_outcomes(
    group: Sequence[Member], checkpoint: Checkpoint, target: Decimal, *, threshold: int | None = None
) -> CheckpointOutcomes:
    limit = threshold_or_default(threshold)
    outcomes = [m.outcome(checkpoint.on) for m in group]
    n = len(outcomes)
    changes: dict[str, int] = defaultdict(int)
    sectors: dict[str, int] = defaultdict(int)
    for o in outcomes:
        changes[o.change] += 1
        sectors[o.sector or NOT_KNOWN] += 1
    mainstream = proportion(sum(o.back_to_mainstream for o in outcomes), n, threshold=limit)
    return CheckpointOutcomes(
        checkpoint=checkpoint,
        n=n,
        changes=_table(CHANGE_ROWS, changes, n, limit),
        sectors=_table(SECTOR_ROWS, sectors, n, limit),
        senior=proportion(sum(o.senior_leadership for o in outcomes), n, threshold=limit),
        mainstream=mainstream,
        mainstream_senior=proportion(
            sum(o.senior_leadership and o.back_to_mainstream for o in outcomes), n, threshold=limit
        ),
        target=judge_target(mainstream, target),
    )


# --- Staying on: still mainstream senior leaders, and the survival curves ------------------------------------------
@dataclass(frozen=True)
class Continuation:
    """Of those who were mainstream senior leaders at programme end (``since``), how many still were on ``on``."""

    since: dt.date
    on: dt.date
    still: Proportion


def still_mainstream_senior(
    group: Sequence[Member], since: dt.date, on: dt.date, *, threshold: int | None = None
) -> Continuation:
    """ "All six have continued as mainstream senior leaders": of those in mainstream senior leadership on
    ``since``, the share in it on ``on`` (not known counts as not continuing: it cannot be claimed)."""
    at_end = [m for m in group if _mainstream_senior(m.outcome(since))]
    still = sum(1 for m in at_end if _mainstream_senior(m.outcome(on)))
    return Continuation(since, on, proportion(still, len(at_end), threshold=threshold))


def _mainstream_senior(outcome: Outcome) -> bool:
    return outcome.senior_leadership and outcome.back_to_mainstream


def _years(start: dt.date, end: dt.date) -> float:
    return max((end - start).days, 0) / DAYS_PER_YEAR


def spell(member: Member, start: dt.date, stays: Callable[[Outcome], bool]) -> tuple[float, bool]:
    """How long (years from ``start``) ``member`` stayed in the state ``stays`` describes, and whether they left
    it (True) or their follow-up ended first (False, censored).

    They leave on the first day a role that is not in the state begins. A day no role covers ends the follow-up
    (what came next is not known), as does the end of what is known (``followed_until``).
    """
    until = member.followed_until or start
    changes = {r.starts_on for r in member.roles} | {
        r.ends_on + dt.timedelta(days=1) for r in member.roles if r.ends_on is not None
    }
    for day in sorted(d for d in changes if start < d <= until):
        outcome = member.outcome(day)
        if not outcome.known:
            return _years(start, day), False
        if not stays(outcome):
            return _years(start, day), True
    return _years(start, until), False


def survival(
    group: Sequence[Member], start: dt.date, stays: Callable[[Outcome], bool], *, threshold: int | None = None
) -> SurvivalCurve:
    """The Kaplan–Meier curve of staying in a state, from ``start``, for those in it on ``start``."""
    spells = [spell(m, start, stays) for m in group if stays(m.outcome(start))]
    return kaplan_meier([d for d, _ in spells], [left for _, left in spells], threshold=threshold)


def in_senior_leadership(outcome: Outcome) -> bool:
    return outcome.senior_leadership


def in_education(outcome: Outcome) -> bool:
    return outcome.in_education


# --- A cohort ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CohortOutcomes:
    cohort: Cohort
    programme_end: dt.date
    as_of: dt.date
    n: int
    target: Decimal
    checkpoints: tuple[CheckpointOutcomes, ...]
    continuations: tuple[Continuation, ...]
    senior_survival: SurvivalCurve
    education_survival: SurvivalCurve
    threshold: int

    @property
    def at_end(self) -> CheckpointOutcomes:
        return self.checkpoints[0]

    @property
    def has_ended(self) -> bool:
        return self.at_end.checkpoint.on <= self.as_of


def analyse_cohort(
    cohort: Cohort,
    *,
    as_of: dt.date | None = None,
    end: dt.date | None = None,
    threshold: int | None = None,
    most_checkpoints: int = 3,
) -> CohortOutcomes:
    """A cohort's outcomes at programme end (``end``, by default ``outcomes.programme_end``) and each year on that
    ``as_of`` (by default today) has reached, with the survival curves followed to ``as_of``."""
    as_of = as_of or timezone.localdate()
    end = end or programme_end(cohort)
    limit = threshold_or_default(threshold)
    group = members(cohort, end, as_of)
    target = mainstream_target(cohort)
    points = checkpoints(end, until=as_of, most=most_checkpoints)
    results = tuple(checkpoint_outcomes(group, p, target, threshold=limit) for p in points)
    start = points[0].on
    return CohortOutcomes(
        cohort=cohort,
        programme_end=end,
        as_of=as_of,
        n=len(group),
        target=target,
        checkpoints=results,
        continuations=tuple(still_mainstream_senior(group, start, p.on, threshold=limit) for p in points[1:]),
        senior_survival=survival(group, start, in_senior_leadership, threshold=limit),
        education_survival=survival(group, start, in_education, threshold=limit),
        threshold=limit,
    )


# --- Where alumni work -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Employer:
    """A school or trust, and how many alumni (and of them senior leaders) hold a role there on the day."""

    name: str
    alumni: int
    senior_leaders: int


@dataclass(frozen=True)
class Employers:
    on: dt.date
    alumni: int
    schools: tuple[Employer, ...]
    trusts: tuple[Employer, ...]

    @property
    def trusts_with_senior_leaders(self) -> tuple[Employer, ...]:
        """ "44 Multi-Academy-Trusts now employ a Difference-trained Senior Leader"."""
        return tuple(t for t in self.trusts if t.senior_leaders)

    @property
    def schools_with_senior_leaders(self) -> tuple[Employer, ...]:
        return tuple(s for s in self.schools if s.senior_leaders)


def alumni() -> list[Person]:
    return list(Person.objects.filter(enrolments__status=ALUMNI_STATUS).distinct())


def employers(on: dt.date | None = None, *, people: Sequence[Person] | None = None) -> Employers:
    """The schools, and the trusts those schools belong to, where alumni (by default every alumnus) hold a role
    on ``on`` (by default today). A school's trust is the one in the schools registry now: the registry keeps no
    history of which trust a school was in. Someone is counted where the role ``outcomes.role_at`` picks is held."""
    on = on or timezone.localdate()
    people = alumni() if people is None else people
    roles: dict[int, list[CareerRole]] = defaultdict(list)
    for role in CareerRole.objects.filter(person__in=people).select_related("school__trust"):
        roles[role.person_id].append(role)
    schools: dict[int, tuple[School, list[Outcome]]] = {}
    trusts: dict[int, tuple[Trust, list[Outcome]]] = {}
    for own in roles.values():
        outcome = outcome_at(own, None, on)
        if outcome.role is None or outcome.role.school is None:
            continue
        school = outcome.role.school
        schools.setdefault(school.pk, (school, []))[1].append(outcome)
        if school.trust is not None:
            trusts.setdefault(school.trust.pk, (school.trust, []))[1].append(outcome)
    return Employers(
        on=on,
        alumni=len(people),
        schools=_employers(schools.values()),
        trusts=_employers(trusts.values()),
    )


def _employers(rows: Iterable[tuple[School | Trust, list[Outcome]]]) -> tuple[Employer, ...]:
    made = [Employer(org.name, len(found), sum(o.senior_leadership for o in found)) for org, found in rows]
    return tuple(sorted(made, key=lambda e: (-e.alumni, e.name)))
