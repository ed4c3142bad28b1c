"""``manage.py load_dfe PATH [PATH ...]``: load DfE statistics files (all or none), printing what each held."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.benchmarks.reading import FileProblem
from difference.benchmarks.services import load_dfe_files


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

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        for path in paths:
            if not path.is_file():
                raise CommandError(f"File not found: {path}. Nothing loaded.")
        try:
            reports = load_dfe_files(paths=paths)
        except FileProblem as exc:
            raise CommandError(f"Nothing loaded: {exc}") from exc
        for report in reports:
            for line in report.summary_lines():
                self.stdout.write(line)
