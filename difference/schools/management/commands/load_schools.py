"""``manage.py load_schools [--gias PATH ...]``: the shipped schools registry and headcounts, then any GIAS extracts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.schools.services import LoadReport, load_gias_extract, load_headcounts, load_registry

# Enough of a bad extract's row errors to fix the first problems without flooding the terminal.
MAX_ERRORS_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Load England's schools registry and their 2016/17 pupil headcounts from the data shipped with the app, "
        "then each GIAS 'all establishments' extract (edubasealldata*.csv) given with --gias. Safe to re-run: "
        "unchanged rows are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--gias",
            nargs="+",
            action="extend",
            type=Path,
            default=[],
            metavar="PATH",
            help="a GIAS establishment extract to load after the registry (Windows-1252 CSV); may be repeated",
        )

    def handle(self, *args: Any, gias: list[Path], **options: Any) -> None:
        # Check every path before loading anything, so a typo does not leave a half-finished run.
        for path in gias:
            if not path.is_file():
                raise CommandError(f"GIAS extract not found: {path}")
        progress = self._progress if options["verbosity"] > 0 else None
        self._run("the shipped registry", partial(load_registry, progress=progress))
        self._run("the shipped headcounts", partial(load_headcounts, progress=progress))
        for path in gias:
            self._run(str(path), partial(load_gias_extract, path, progress=progress))

    def _run(self, what: str, load: Callable[[], LoadReport]) -> None:
        try:
            report = load()
        except ValidationError as exc:
            messages = exc.messages
            shown = "\n  ".join(messages[:MAX_ERRORS_SHOWN])
            more = f"\n  ... and {len(messages) - MAX_ERRORS_SHOWN} more" if len(messages) > MAX_ERRORS_SHOWN else ""
            raise CommandError(f"Nothing loaded from {what}:\n  {shown}{more}") from exc
        except (ValueError, OSError) as exc:
            raise CommandError(f"Nothing loaded from {what}: {exc}") from exc
        for line in report.summary_lines():
            self.stdout.write(line)

    def _progress(self, message: str) -> None:
        self.stdout.write(f"- {message}")
