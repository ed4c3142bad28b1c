"""Test settings: only speed-ups and isolation on top of the real settings."""

from __future__ import annotations

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Jobs run at once, in the test's own thread; the tests of the worker itself run worker processes, which use the
# database backend (DIFFERENCE_TEST_TASKS=database) on the test database.
_TASKS_BACKEND = (
    "django_tasks_db.DatabaseBackend"
    if os.environ.get("DIFFERENCE_TEST_TASKS") == "database"
    else "django_tasks.backends.immediate.ImmediateBackend"
)
TASKS = {"default": {"BACKEND": _TASKS_BACKEND, "QUEUES": ["default"]}}
DIFFERENCE_MAIL_RETRY_SECONDS = 0.01
# The demo's tests need the LA series only; every shipped file is loaded by the benchmarks' own tests.
DIFFERENCE_DEMO_BENCHMARKS = "series"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# A file-backed SQLite test database lets the multi-process tests (login
# throttling across server processes) share it; PostgreSQL needs nothing.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("DIFFERENCE_TEST_SQLITE", "var/test.sqlite3")}
