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
from difference.schools.tests.factories import SchoolFactory, TrustFactory


def make_small_registry() -> None:
    """A few of the partner schools under their registry names, and the ARK Schools trust."""
    SchoolFactory(name="Burnside Secondary PRU", category=SchoolCategory.PRU)
    SchoolFactory(name="Harris Aspire Academy", category=SchoolCategory.AP_ACADEMY)
    SchoolFactory(name="Ark Globe Academy")
    SchoolFactory(name="Ark Swift Primary Academy")
    TrustFactory(uid=2157, name="ARK Schools")


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
