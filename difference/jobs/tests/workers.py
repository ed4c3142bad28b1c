"""Real worker processes for tests: ``manage.py run_worker`` on the test database, with the database backend."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable

from difference.core.tests.processes import ROOT, environment_for_this_test_database

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def start_worker(*extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.05", "--no-startup-delay", *extra],
        cwd=ROOT,
        env=environment_for_this_test_database(DIFFERENCE_TEST_TASKS="database"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stop(worker: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 60) -> str:
    if worker.poll() is None:
        worker.send_signal(sig)
    try:
        output, _ = worker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output.decode(errors="replace")


def wait_until(condition: Callable[[], bool], *, timeout: float = 120, what: str = "the condition") -> None:
    """Poll until ``condition()``; the bound is generous, since a test must not depend on the machine's speed."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)
