"""Careers for the shared test ``world`` (conftest.py), as ``world.careers`` (object kind ``careers`` in the
matrix): the leader's history (``leader_a1``: a baseline middle-leader role at b2, then a senior role at a1, current)
and Omar's (``leader_b1``: a baseline, then a headship at b1); opportunities ``opp_a`` (trust A's, the trust partner's)
and ``opp_b1`` (school b1's, another trust's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from difference.careers.models import Level, Sector
from difference.careers.tests.factories import CareerRoleFactory, OpportunityFactory


def careers_world(schools: dict[str, Any], trusts: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    lena, omar = people["leader_a1"], people["leader_b1"]
    CareerRoleFactory(
        person=lena,
        title="Head of Year 9",
        level=Level.MIDDLE,
        school=schools["b2"],
        sector=Sector.MAINSTREAM,
        starts_on=dt.date(2018, 9, 1),
        ends_on=dt.date(2022, 8, 31),
        is_baseline=True,
    )
    CareerRoleFactory(
        person=lena, title="Assistant Head", school=schools["a1"], sector=Sector.AP, starts_on=dt.date(2022, 9, 1)
    )
    CareerRoleFactory(
        person=omar,
        title="Head of English",
        level=Level.MIDDLE,
        school=schools["a2"],
        starts_on=dt.date(2017, 9, 1),
        ends_on=dt.date(2022, 8, 31),
        is_baseline=True,
    )
    CareerRoleFactory(person=omar, title="Headteacher", level=Level.HEAD, school=schools["b1"], sector=Sector.AP)
    return {
        "leader_a1": lena,
        "leader_b1": omar,
        "opp_a": OpportunityFactory(trust=trusts["trust_a"], title="Deputy Head, Alpha High"),
        "opp_b1": OpportunityFactory(school=schools["b1"], title="Assistant Head, Beta AP Academy"),
    }
