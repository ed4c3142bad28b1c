from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from difference.jobs import services


class Command(BaseCommand):
    help = "Delete finished jobs (and the files they kept) older than --days (default 90)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: Any, **options: Any) -> None:
        removed = services.prune_finished_jobs(older_than_days=options["days"])
        self.stdout.write(
            f"Removed {removed} finished job{'s' if removed != 1 else ''} older than {options['days']} days."
        )
