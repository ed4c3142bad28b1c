"""``manage.py import_registers PATH [--dry-run]``: import session registers from CSV or XLSX.

All or nothing: every row is checked first, and a file with any fault is reported row by row and not written
(exit status 1). The columns are described in ``difference.training.imports``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.core.background import add_background_option, report_queued
from difference.core.commands import print_outcome, progress_printer
from difference.training.imports import TEMPLATE_HEADER, import_registers
from difference.training.tasks import start_registers_import


class Command(BaseCommand):
    help = (
        "Import session registers from a CSV or XLSX file with the columns "
        f"{', '.join(TEMPLATE_HEADER)}. Nothing is written unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the file: .csv (UTF-8 or Windows-1252) or .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")
        add_background_option(parser)

    def handle(self, *args: Any, path: Path, dry_run: bool, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["background"] and not dry_run:
            with path.open("rb") as handle:
                job = start_registers_import(upload=File(handle, name=path.name), by=None)
            report_queued(self, job)
            return
        progress = progress_printer(self, options["verbosity"])
        try:
            outcome = import_registers(path, dry_run=dry_run, progress=progress)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        print_outcome(self, outcome)
