"""The demo charity for tests: ``load_demo`` over a small schools registry, so that it need not load England.

Loading it takes a couple of seconds, so a test module that only reads it shares one load: ``demo`` gives the
command's output, and each test still runs in its own savepoint inside the module's load, so no test sees
another's changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from difference.schools.models import SchoolCategory
from difference.schools.services.headcounts import HEADCOUNT_SOURCE, HEADCOUNT_YEAR
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

# Enough academies in trusts for the ILC demo to reach the impact report's 25 MATs and 32 local authorities.
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
            pupils=200 + (n * 137) % 1300 if has_pupils else None,
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


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo, loaded once per module in a transaction that is rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        make_small_registry()
        yield run_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_demo: str, db: Any) -> str:
    """The output of ``load_demo``; the test runs in a savepoint inside the module's loaded demo."""
    return loaded_demo
