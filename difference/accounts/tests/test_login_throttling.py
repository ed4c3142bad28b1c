"""Login throttling must hold across server processes, not per process.

Each of two separate Python processes (as two gunicorn workers would be) makes
five failed attempts for one login name against the same database; the
eleventh attempt, even with the right password, is refused.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from difference.accounts.tests.factories import TEST_PASSWORD, UserFactory
from difference.core.tests.processes import environment_for_this_test_database

ROOT = Path(__file__).resolve().parents[3]

ATTEMPTS = """
import django, sys
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()  # allows the "testserver" host, as in the test process
client = Client()
codes = [client.post("/accounts/login/", {"login": sys.argv[1], "password": "wrong password"}).status_code
         for _ in range(int(sys.argv[2]))]
print(" ".join(map(str, codes)))
"""


def fail_logins_in_another_process(email: str, times: int) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", ATTEMPTS, email, str(times)],
        cwd=ROOT,
        env=environment_for_this_test_database(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [int(code) for code in result.stdout.split()]


def login(email: str, password: str) -> tuple[Client, bytes]:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return client, response.content


@pytest.fixture
def clean_cache(transactional_db):  # type: ignore[no-untyped-def]
    # The cache table is not flushed between transactional tests.
    cache.clear()
    yield
    cache.clear()


def test_ten_failed_logins_from_two_processes_lock_the_login_name(clean_cache):
    UserFactory(email="locked@example.org", role="leader")
    assert fail_logins_in_another_process("locked@example.org", 5) == [200] * 5
    assert fail_logins_in_another_process("locked@example.org", 5) == [200] * 5

    client, content = login("locked@example.org", TEST_PASSWORD)
    assert b"Too many failed login attempts" in content
    assert "_auth_user_id" not in client.session


def test_nine_failed_logins_do_not_lock_the_login_name(clean_cache):
    UserFactory(email="careful@example.org", role="leader")
    fail_logins_in_another_process("careful@example.org", 5)
    fail_logins_in_another_process("careful@example.org", 4)

    client, _ = login("careful@example.org", TEST_PASSWORD)
    assert "_auth_user_id" in client.session


def test_the_lock_is_per_login_name(clean_cache):
    UserFactory(email="victim@example.org", role="leader")
    UserFactory(email="bystander@example.org", role="leader")
    fail_logins_in_another_process("victim@example.org", 10)

    client, _ = login("bystander@example.org", TEST_PASSWORD)
    assert "_auth_user_id" in client.session


def test_a_forged_forwarded_for_header_does_not_reset_the_count(clean_cache):
    UserFactory(email="spoof@example.org", role="leader")
    for n in range(10):
        Client().post(
            "/accounts/login/",
            {"login": "spoof@example.org", "password": "nope"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    client, content = login("spoof@example.org", TEST_PASSWORD)
    assert b"Too many failed login attempts" in content
