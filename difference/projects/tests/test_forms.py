"""Results typed as tests print them, and what the round form refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from difference.projects.forms import PupilForm, RoundForm


def test_the_round_form_refuses_a_future_date_and_an_unreadable_result(world):
    measure = world.projects["measure_a1"]
    pupils = list(measure.project.pupils.order_by("code"))
    data = {"held_on": (dt.date.today() + dt.timedelta(days=1)).isoformat(), f"pupil_{pupils[0].pk}": "ten"}
    form = RoundForm(data, measure=measure, pupils=pupils)
    assert not form.is_valid()
    assert "The test date is in the future." in form.errors["held_on"]
    assert f"pupil_{pupils[0].pk}" in form.errors


def test_a_blank_result_is_an_absence(world):
    measure = world.projects["measure_a1"]
    pupils = list(measure.project.pupils.order_by("code"))
    data = {"held_on": "2023-04-03", f"pupil_{pupils[0].pk}": "10:01"}
    form = RoundForm(data, measure=measure, pupils=pupils)
    assert form.is_valid()
    results = form.results()
    assert results[pupils[0].pk] == Decimal(121)
    assert results[pupils[1].pk] is None


def test_a_pupil_code_with_a_space_looks_like_a_name_and_is_refused(world):
    form = PupilForm(
        {"code": "Amy Smith", "birth_year": 2010, "birth_month": 4, "year_group": 8}, project=world.projects["a1"]
    )
    assert not form.is_valid()
    assert "never a name" in form.errors["code"][0]
