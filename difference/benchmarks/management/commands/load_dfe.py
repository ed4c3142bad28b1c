"""``manage.py load_dfe PATH [PATH ...]``: load DfE statistics files (all or none), printing what each held."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.benchmarks.services import load_dfe_files
from difference.benchmarks.tasks import start_dfe_load
from difference.core.background import add_background_option, report_queued
from difference.core.commands import print_outcome, progress_printer


class Command(BaseCommand):
    help = (
        "Load DfE statistics files (CSV, .csv.gz or a zip holding one CSV; UTF-8 with or without BOM, or "
        "Windows-1252). Known: suspensions and permanent exclusions (EES tidy and long SFR layouts); pupil absence, "
        "full year or by term; KS4 destination measures; alternative provision counts (AP census, school-arranged "
        "AP). All files load in one transaction: if any cannot be read, nothing is loaded. Loading a file again "
        "replaces its earlier load."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        add_background_option(parser)

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        for path in paths:
            if not path.is_file():
                raise CommandError(f"File not found: {path}. Nothing loaded.")
        if options["background"]:
            report_queued(self, start_dfe_load(paths=paths, by=None))
            return
        try:
            outcomes = load_dfe_files(paths=paths, progress=progress_printer(self, options["verbosity"]))
        except OSError as exc:
            raise CommandError(f"Nothing loaded: cannot read a file ({exc.strerror or exc}).") from exc
        for outcome in outcomes:
            print_outcome(self, outcome, afterword="Nothing loaded: the files of a run load together or not at all.")
