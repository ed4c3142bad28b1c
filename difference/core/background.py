"""``--background`` for import commands: queue the work as a job instead of running it here."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from difference.core.site import absolute_url


def add_background_option(parser: CommandParser) -> None:
    parser.add_argument(
        "--background",
        action="store_true",
        help="queue the work as a background job (a worker runs it; its page shows the progress) and return",
    )


def report_queued(command: BaseCommand, job: Any) -> None:
    command.stdout.write(f"Queued as job {job.pk}: follow it at {absolute_url(job.get_absolute_url())}")
