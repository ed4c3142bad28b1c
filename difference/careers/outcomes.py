"""What an alumnus's career outcome is, defined once: every careers page and the impact report judge it here.

The definitions, each a name below:

* ``role_at``: the role someone held on a day. A role with no end date is current (held from its start onwards).
  Where roles overlap (a headship held alongside a trust role), the one that counts is the highest on the ladder,
  then the latest started. A day no role covers is unknown, unless what covers it is a role recorded as out of
  education.
* ``baseline``: the role promotion is judged against: the role marked as the baseline, else the latest role that
  started before the programme did.
* ``Change``: how an outcome compares with the baseline: promoted (a higher level), the same level, a lower level,
  out of education, or unknown (no role recorded that day, or no baseline to judge against). Unknown is a category
  like the others: it is counted, never dropped, so a cohort's shares are always of the whole cohort.
* ``SENIOR_LEADERSHIP``: senior leadership is the ladder's senior-leader level (assistant or deputy head) or above.
* ``BACK_TO_MAINSTREAM``: back to mainstream is a role whose sector, as it was recorded, is a mainstream school. A
  school that later changes type does not change the sector of a role held there.
* ``programme_end`` and ``checkpoints``: a cohort's programme ends on 31 July of its last year. Roles change at
  the turn of the school year (on 31 July a graduate still holds their programme post), so outcomes are read on
  the first day of each school year after it: 1 September after the programme ends ("at programme end"), a year
  later, two years later, and so on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models

from difference.careers.models import CareerRole, Level, Sector
from difference.training.models import Cohort

SENIOR_LEADERSHIP = Level.SENIOR
"""Senior leadership: a role at the senior-leader level (assistant or deputy head) or higher on the ladder."""

BACK_TO_MAINSTREAM = Sector.MAINSTREAM
"""Back to mainstream: a role in the mainstream sector, as the sector was recorded with the role."""

PROGRAMME_END_DAY = (7, 31)
"""A programme ends on 31 July of its last year: the cohort's year plus the programme's length in years."""

CHECKPOINT_DAY = (9, 1)
"""Outcomes are read on 1 September, the first day of a school year, when the roles that follow a programme
begin."""


class Change(models.TextChoices):
    """How an outcome compares with the person's baseline role."""

    PROMOTED = "promoted", "Promoted"
    SAME = "same", "Same level"
    LOWER = "lower", "Lower level"
    OUT_OF_EDUCATION = "out_of_education", "Out of education"
    UNKNOWN = "unknown", "Not known"


@dataclass(frozen=True)
class Outcome:
    """Where someone was on a day, and how that compares with their baseline.

    ``sector`` and ``level`` are those of the role held (None when no role is known); ``change`` is unknown when no
    role is known, or a role is known but there is no baseline to judge a promotion against.
    """

    change: Change
    sector: str | None
    level: int | None
    role: CareerRole | None

    @property
    def senior_leadership(self) -> bool:
        """In senior leadership: in education at ``SENIOR_LEADERSHIP`` level or above."""
        return self.in_education and self.level is not None and self.level >= SENIOR_LEADERSHIP

    @property
    def back_to_mainstream(self) -> bool:
        """Back to mainstream: the role held is in the ``BACK_TO_MAINSTREAM`` sector."""
        return self.sector == BACK_TO_MAINSTREAM

    @property
    def in_education(self) -> bool:
        """Known to hold a role in education (any sector but out of education)."""
        return self.sector is not None and self.sector != Sector.OUT_OF_EDUCATION

    @property
    def known(self) -> bool:
        return self.role is not None


def holds_on(role: CareerRole, on: dt.date) -> bool:
    """Whether ``role`` covers ``on``: from its start to its end, both included; with no end, from its start on."""
    return role.starts_on <= on and (role.ends_on is None or on <= role.ends_on)


def _precedence(role: CareerRole) -> tuple[bool, int, dt.date, int]:
    # A role in education outranks an "out of education" record that overlaps it: someone working is working.
    return (role.sector != Sector.OUT_OF_EDUCATION, role.level, role.starts_on, role.pk or 0)


def role_at(roles: Iterable[CareerRole], on: dt.date) -> CareerRole | None:
    """The role held on ``on``: of the roles covering that day, the highest level, then the latest start; None when
    none covers it (unknown, unless the person is recorded out of education, which is itself a role)."""
    held = [role for role in roles if holds_on(role, on)]
    return max(held, key=_precedence) if held else None


def baseline(roles: Iterable[CareerRole], programme_start: dt.date | None = None) -> CareerRole | None:
    """The role promotion is judged against: the one marked as the baseline; else, given when the programme
    started, the latest role that started before it (ties as ``role_at``); else None."""
    roles = list(roles)
    marked = [role for role in roles if role.is_baseline]
    if marked:
        return max(marked, key=lambda r: (r.starts_on, r.pk or 0))
    if programme_start is None:
        return None
    before = [role for role in roles if role.starts_on < programme_start and role.sector != Sector.OUT_OF_EDUCATION]
    return max(before, key=lambda r: (r.starts_on, r.level, r.pk or 0)) if before else None


def compare(level: int, baseline_level: int) -> Change:
    """Promotion is a step up the ladder from the baseline's level."""
    if level > baseline_level:
        return Change.PROMOTED
    if level == baseline_level:
        return Change.SAME
    return Change.LOWER


def outcome_at(person_roles: Iterable[CareerRole], baseline: CareerRole | None, on: dt.date) -> Outcome:
    """Someone's outcome on ``on``: the role they held (``role_at``) judged against their ``baseline`` role."""
    role = role_at(person_roles, on)
    if role is None:
        return Outcome(Change.UNKNOWN, None, None, None)
    if role.sector == Sector.OUT_OF_EDUCATION:
        return Outcome(Change.OUT_OF_EDUCATION, role.sector, role.level, role)
    change = Change.UNKNOWN if baseline is None else compare(role.level, baseline.level)
    return Outcome(change, role.sector, role.level, role)


# --- When outcomes are read ---------------------------------------------------------------------------------------
def programme_end(cohort: Cohort) -> dt.date:
    """31 July of the cohort's last programme year (a 2019 two-year cohort ends on 31 July 2021)."""
    month, day = PROGRAMME_END_DAY
    return dt.date(cohort.year + cohort.programme.duration_years, month, day)


def programme_start(end: dt.date, duration_years: int) -> dt.date:
    """The day after the programme end ``duration_years`` earlier: 1 August of the cohort's year."""
    return end - relativedelta(years=duration_years) + dt.timedelta(days=1)


@dataclass(frozen=True)
class Checkpoint:
    """A day outcomes are read on, ``years`` school years after the programme end."""

    years: int
    on: dt.date

    @property
    def label(self) -> str:
        if self.years == 0:
            return "At programme end"
        return f"{self.years} year{'s' if self.years != 1 else ''} on"


def checkpoint_on(end: dt.date, years: int = 0) -> dt.date:
    """The first 1 September after ``end``, plus ``years`` years."""
    month, day = CHECKPOINT_DAY
    first = dt.date(end.year, month, day)
    if first <= end:
        first += relativedelta(years=1)
    return first + relativedelta(years=years)


def checkpoints(end: dt.date, *, until: dt.date | None = None, most: int = 3) -> list[Checkpoint]:
    """The programme end and each year on, up to ``most`` of them, none later than ``until`` (when given); the
    programme end is always one, so that a cohort just finished shows its destinations as they are known."""
    points = [Checkpoint(k, checkpoint_on(end, k)) for k in range(most)]
    return [p for p in points if p.years == 0 or until is None or p.on <= until]


def outcomes_at(
    people_roles: Sequence[Sequence[CareerRole]], baselines: Sequence[CareerRole | None], on: dt.date
) -> list[Outcome]:
    """Each person's outcome on ``on``, in the order given."""
    return [outcome_at(roles, base, on) for roles, base in zip(people_roles, baselines, strict=True)]
