"""``manage.py import_engagement_data ENGAGEMENT PATH --kind school|pupil [--dry-run]``: a trust's data file.

All or nothing: every row is checked first, and a file with any fault is reported row by row and not stored
(exit status 1). An accepted file replaces the engagement's earlier rows of the same kind. The two templates are
described in ``difference.consultancy.imports``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.consultancy.imports import PUPIL_COLUMNS, SCHOOL_COLUMNS, upload_data
from difference.consultancy.models import Engagement, UploadKind
from difference.consultancy.tasks import start_upload
from difference.core.background import add_background_option, report_queued
from difference.core.commands import print_outcome, progress_printer


class Command(BaseCommand):
    help = (
        "Upload a trust's data for an engagement from CSV or XLSX: the school-level template "
        f"({', '.join(SCHOOL_COLUMNS)}) or the pupil-level one ({', '.join(PUPIL_COLUMNS)}). "
        "Nothing is stored unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("engagement", type=int, help="the engagement's id (shown in its page's address)")
        parser.add_argument("path", type=Path, help="the file: .csv (UTF-8 or Windows-1252) or .xlsx")
        parser.add_argument("--kind", required=True, choices=UploadKind.values, help="which template the file uses")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; store nothing")
        add_background_option(parser)

    def handle(self, *args: Any, engagement: int, path: Path, kind: str, dry_run: bool, **options: Any) -> None:
        found = Engagement.objects.select_related("trust").filter(pk=engagement).first()
        if found is None:
            raise CommandError(f"No engagement with id {engagement}.")
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["background"] and not dry_run:
            with path.open("rb") as handle:
                job = start_upload(engagement=found, upload=File(handle, name=path.name), kind=kind, by=None)
            report_queued(self, job)
            return
        progress = progress_printer(self, options["verbosity"])
        if progress is not None:
            progress(f"{found}: checking {path.name} against the {kind}-level template")
        try:
            outcome = upload_data(found, path, kind=kind, dry_run=dry_run, progress=progress)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        print_outcome(self, outcome)
