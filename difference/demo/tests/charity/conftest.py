"""The demo charity: ``load_demo`` over the small schools registry, loaded once for every test in this package.

Loading it takes a while (every record goes through the services), so the tests share one load: ``demo`` gives
the command's output, and each test still runs in its own savepoint inside the load, so no test sees another's
changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from difference.demo.tests.conftest import make_small_registry, run_demo


@pytest.fixture(scope="package")
def loaded_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo, loaded once for the package in a transaction that is rolled back when the package is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        make_small_registry()
        yield run_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_demo: str, db: Any) -> str:
    """The output of ``load_demo``; the test runs in a savepoint inside the package's loaded demo."""
    return loaded_demo
