"""The definitions of a career outcome, on roles built in memory (none needs the database)."""

from __future__ import annotations

import datetime as dt

from difference.careers.models import CareerRole, Level, Sector
from difference.careers.outcomes import (
    BACK_TO_MAINSTREAM,
    SENIOR_LEADERSHIP,
    Change,
    Checkpoint,
    baseline,
    checkpoint_on,
    checkpoints,
    outcome_at,
    programme_end,
    programme_start,
    role_at,
)
from difference.training.models import Cohort, Programme

D = dt.date


def role(
    level: int,
    starts: dt.date,
    ends: dt.date | None = None,
    *,
    sector: str = Sector.MAINSTREAM,
    is_baseline: bool = False,
    pk: int | None = None,
) -> CareerRole:
    return CareerRole(
        pk=pk, title="Role", level=level, sector=sector, starts_on=starts, ends_on=ends, is_baseline=is_baseline
    )


MIDDLE_BEFORE = role(Level.MIDDLE, D(2016, 9, 1), D(2019, 8, 31), is_baseline=True)
AP_PLACEMENT = role(Level.SENIOR, D(2019, 9, 1), D(2021, 8, 31), sector=Sector.AP)


def test_promotion_is_judged_against_the_baseline_level_not_the_programme_post():
    deputy = role(Level.SENIOR, D(2021, 9, 1), sector=Sector.MAINSTREAM)
    roles = [MIDDLE_BEFORE, AP_PLACEMENT, deputy]
    # The same level as the AP post they held on the programme, but a step up from the baseline.
    outcome = outcome_at(roles, baseline(roles), D(2021, 9, 1))
    assert outcome.change == Change.PROMOTED and outcome.role is deputy
    back = role(Level.MIDDLE, D(2021, 9, 1))
    assert outcome_at([MIDDLE_BEFORE, AP_PLACEMENT, back], MIDDLE_BEFORE, D(2021, 9, 1)).change == Change.SAME
    lower = role(Level.CLASSROOM, D(2021, 9, 1))
    assert outcome_at([MIDDLE_BEFORE, lower], MIDDLE_BEFORE, D(2022, 1, 1)).change == Change.LOWER


def test_a_role_with_no_end_date_is_current_from_its_start_onwards():
    head = role(Level.HEAD, D(2021, 9, 1))
    assert role_at([head], D(2030, 1, 1)) is head
    assert role_at([head], D(2021, 8, 31)) is None
    assert head.is_current


def test_a_role_is_held_on_its_first_and_last_days():
    assert role_at([AP_PLACEMENT], D(2019, 9, 1)) is AP_PLACEMENT
    assert role_at([AP_PLACEMENT], D(2021, 8, 31)) is AP_PLACEMENT
    assert role_at([AP_PLACEMENT], D(2021, 9, 1)) is None


def test_overlapping_roles_count_the_highest_level_then_the_latest_start():
    deputy = role(Level.SENIOR, D(2021, 9, 1), pk=1)
    acting_head = role(Level.HEAD, D(2022, 1, 1), D(2022, 3, 31), pk=2)
    second_deputy = role(Level.SENIOR, D(2022, 6, 1), pk=3)
    roles = [deputy, acting_head, second_deputy]
    assert role_at(roles, D(2022, 2, 1)) is acting_head
    assert role_at(roles, D(2022, 7, 1)) is second_deputy
    assert role_at(roles, D(2021, 12, 1)) is deputy


def test_a_gap_between_roles_is_unknown_and_is_kept_as_a_category():
    roles = [MIDDLE_BEFORE, AP_PLACEMENT, role(Level.SENIOR, D(2022, 1, 1))]
    outcome = outcome_at(roles, MIDDLE_BEFORE, D(2021, 9, 1))
    assert outcome.change == Change.UNKNOWN and not outcome.known
    assert (outcome.sector, outcome.level, outcome.senior_leadership, outcome.back_to_mainstream) == (
        None,
        None,
        False,
        False,
    )


def test_a_person_recorded_out_of_education_is_out_of_education_not_unknown():
    year_out = role(Level.CLASSROOM, D(2021, 9, 1), D(2022, 8, 31), sector=Sector.OUT_OF_EDUCATION)
    outcome = outcome_at([MIDDLE_BEFORE, AP_PLACEMENT, year_out], MIDDLE_BEFORE, D(2021, 9, 1))
    assert outcome.change == Change.OUT_OF_EDUCATION
    assert not outcome.in_education and not outcome.senior_leadership
    assert outcome_at([year_out], MIDDLE_BEFORE, D(2022, 9, 1)).change == Change.UNKNOWN


def test_a_role_in_education_outranks_an_overlapping_out_of_education_record():
    year_out = role(Level.CLASSROOM, D(2021, 9, 1), sector=Sector.OUT_OF_EDUCATION)
    tutor = role(Level.CLASSROOM, D(2022, 1, 1), sector=Sector.OTHER_EDUCATION)
    assert role_at([year_out, tutor], D(2022, 2, 1)) is tutor


def test_without_a_baseline_the_change_is_unknown_but_where_they_work_is_kept():
    deputy = role(Level.SENIOR, D(2021, 9, 1))
    outcome = outcome_at([deputy], None, D(2021, 9, 1))
    assert outcome.change == Change.UNKNOWN
    assert outcome.senior_leadership and outcome.back_to_mainstream


def test_the_baseline_is_the_marked_role_else_the_latest_role_started_before_the_programme():
    teacher = role(Level.CLASSROOM, D(2012, 9, 1), D(2016, 8, 31))
    middle = role(Level.MIDDLE, D(2016, 9, 1), D(2019, 8, 31))
    assert baseline([teacher, middle, AP_PLACEMENT], D(2019, 8, 1)) is middle
    assert baseline([teacher, middle, AP_PLACEMENT]) is None
    marked = role(Level.CLASSROOM, D(2012, 9, 1), D(2016, 8, 31), is_baseline=True)
    assert baseline([marked, middle, AP_PLACEMENT], D(2019, 8, 1)) is marked


def test_senior_leadership_and_back_to_mainstream_are_the_named_definitions():
    assert SENIOR_LEADERSHIP == Level.SENIOR and BACK_TO_MAINSTREAM == Sector.MAINSTREAM
    for level, senior in ((Level.MIDDLE, False), (Level.SENIOR, True), (Level.EXECUTIVE, True)):
        assert outcome_at([role(level, D(2021, 9, 1))], MIDDLE_BEFORE, D(2021, 9, 1)).senior_leadership is senior
    in_ap = outcome_at([role(Level.HEAD, D(2021, 9, 1), sector=Sector.AP)], MIDDLE_BEFORE, D(2021, 9, 1))
    assert in_ap.senior_leadership and not in_ap.back_to_mainstream


def test_a_two_year_cohort_ends_on_31_july_and_is_read_each_1_september_after():
    cohort = Cohort(year=2019, programme=Programme(code="dlp", name="DLP", duration_years=2))
    end = programme_end(cohort)
    assert end == D(2021, 7, 31)
    assert programme_start(end, 2) == D(2019, 8, 1)
    assert checkpoint_on(end) == D(2021, 9, 1)
    assert checkpoints(end) == [Checkpoint(k, D(2021 + k, 9, 1)) for k in range(3)]
    assert [c.label for c in checkpoints(end)] == ["At programme end", "1 year on", "2 years on"]
    # Years not yet reached are left out; the programme end is always there.
    assert checkpoints(end, until=D(2022, 12, 1)) == checkpoints(end)[:2]
    assert checkpoints(end, until=D(2021, 8, 1)) == checkpoints(end)[:1]
    # An end passed in (a graduation day) is read on the next 1 September too.
    assert checkpoint_on(D(2021, 7, 16)) == D(2021, 9, 1)
    assert checkpoint_on(D(2021, 9, 1)) == D(2022, 9, 1)
