"""``manage.py load_schools [--gias PATH ...]``: the shipped schools registry and headcounts, then any GIAS extracts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.core.commands import print_outcome, progress_printer
from difference.core.imports import ImportOutcome
from difference.schools.services import load_gias_extract, load_headcounts, load_registry

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
        progress = progress_printer(self, options["verbosity"])
        self._run("the shipped registry", partial(load_registry, progress=progress))
        self._run("the shipped headcounts", partial(load_headcounts, progress=progress))
        for path in gias:
            self._run(str(path), partial(load_gias_extract, path, progress=progress))

    def _run(self, what: str, load: Callable[[], ImportOutcome]) -> None:
        try:
            outcome = load()
        except OSError as exc:
            raise CommandError(f"Nothing loaded from {what}: {exc}") from exc
        print_outcome(self, outcome, max_errors=MAX_ERRORS_SHOWN)
