"""For tests that start other processes (server workers, job workers): the environment that points a process at
the database this test process is using."""

from __future__ import annotations

import os
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def environment_for_this_test_database(**extra: str) -> dict[str, str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings_test", PYTHONPATH=str(ROOT), **extra)
    env.pop("DATABASE_URL", None)
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DIFFERENCE_SQLITE_PATH"] = str(Path(settings["NAME"]).resolve())
    else:
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or 'localhost'}"
            f":{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    return env
