"""``manage.py run_worker``: run queued jobs until stopped.

The worker is django-tasks' database worker with what people rely on added: it records its id on the jobs it
runs, keeps their heartbeat, and every few seconds fails the jobs of workers that stopped beating (killed, or
their machine gone). SIGTERM or Ctrl-C lets the current job finish, then stops; a second one stops at once, and
that job is then failed by the next worker's check, keeping nothing. Run several, on one machine or many, against
one PostgreSQL: each job is claimed by exactly one.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from difference.jobs import runner, services


def _reap_every(seconds: float, stop: threading.Event) -> None:
    try:
        while not stop.wait(seconds):
            try:
                services.reap_stale_jobs()
            except OperationalError:
                continue  # SQLite busy with a commit: try at the next turn
    finally:
        close_old_connections()
        connection.close()


class Command(DatabaseWorkerCommand):
    help = "Run background jobs until stopped (SIGTERM finishes the current job first)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        # Reloading would stop a job mid-way whenever a file changes: off unless asked for.
        # A quarter-second poll when idle: a job starts within about that, for one light query per poll.
        parser.set_defaults(reload=False, queue_name=settings.DIFFERENCE_JOBS_QUEUE, interval=0.25)

    def handle(self, *args: Any, **options: Any) -> None:
        runner.WORKER_ID = options["worker_id"]
        services.reap_stale_jobs()
        stop = threading.Event()
        reaper = threading.Thread(
            target=_reap_every, args=(settings.DIFFERENCE_JOB_REAP_SECONDS, stop), name="job-reaper", daemon=True
        )
        reaper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
