"""A small schools registry for the demo's tests, so that ``load_demo`` need not load England.

The tests over the whole demo charity, loaded once, are in ``charity/``; the tests here try one part of the demo
on its own.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from difference.schools.models import SchoolCategory
from difference.schools.services.headcounts import HEADCOUNT_SOURCE, HEADCOUNT_YEAR
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

# Enough academies in trusts for the ILC demo to reach the impact report's 25 MATs and 32 local authorities, of
# the sizes secondary academies have (500 to 1,800 pupils), as the report's "over 60,000 students" needs.
SMALL_REGISTRY_TRUSTS = 25
SMALL_REGISTRY_LOCAL_AUTHORITIES = 32
SMALL_REGISTRY_ACADEMIES = 70
SMALL_REGISTRY_WITHOUT_PUPILS = {7, 30, 51}  # opened since 2016/17, so without a headcount


def make_small_registry() -> None:
    """A few of the partner schools under their registry names, the ARK Schools trust, and academies in 25 trusts
    across 32 local authorities, most with a 2016/17 headcount as ``load_headcounts`` would give them."""
    SchoolFactory(name="Burnside Secondary PRU", category=SchoolCategory.PRU)
    SchoolFactory(name="Harris Aspire Academy", category=SchoolCategory.AP_ACADEMY)
    SchoolFactory(name="Ark Globe Academy")
    SchoolFactory(name="Ark Swift Primary Academy")
    TrustFactory(uid=2157, name="ARK Schools")
    trusts = [
        TrustFactory(uid=95000 + n, name=f"Example Academy Trust {n + 1:02d}") for n in range(SMALL_REGISTRY_TRUSTS)
    ]
    authorities = [
        LocalAuthorityFactory(code=f"{900 + n}", name=f"Example Authority {n + 1:02d}")
        for n in range(SMALL_REGISTRY_LOCAL_AUTHORITIES)
    ]
    for n in range(SMALL_REGISTRY_ACADEMIES):
        has_pupils = n not in SMALL_REGISTRY_WITHOUT_PUPILS
        SchoolFactory(
            urn=790000 + n,
            name=f"Example Academy {n + 1:02d}",
            establishment_type="Academy Converter",
            trust=trusts[n % len(trusts)],
            local_authority=authorities[n % len(authorities)],
            pupils=500 + (n * 137) % 1300 if has_pupils else None,
            pupils_source=HEADCOUNT_SOURCE if has_pupils else "",
            pupils_year=HEADCOUNT_YEAR if has_pupils else "",
        )


def run_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def small_registry(db: Any) -> None:
    make_small_registry()
