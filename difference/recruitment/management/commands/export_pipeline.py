"""``manage.py export_pipeline YEAR --format csv|xlsx --output PATH``: a round's pipeline as a spreadsheet.

The same export as the staff pipeline page's download button; it holds no diversity data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.core.exports import EXPORT_FORMATS, ExportFormat, render_export
from difference.recruitment.exports import pipeline_rows
from difference.recruitment.models import RecruitmentRound


class Command(BaseCommand):
    help = "Write a recruitment round's applications (stage, scores, decision, offer) to a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="the round's year, e.g. 2022")
        parser.add_argument(
            "--format", dest="file_format", choices=EXPORT_FORMATS, default="csv", help="csv (default) or xlsx"
        )
        parser.add_argument("--output", type=Path, required=True, metavar="PATH", help="the file to write")

    def handle(self, *args: Any, year: int, file_format: ExportFormat, output: Path, **options: Any) -> None:
        recruitment_round = RecruitmentRound.objects.filter(year=year).first()
        if recruitment_round is None:
            raise CommandError(f"There is no {year} recruitment round.")
        header, rows = pipeline_rows(recruitment_round)
        # A round has hundreds of applications, not millions: a list is simple and gives the count.
        table = list(rows)
        content = render_export(header, table, file_format=file_format, title=f"Pipeline {year}")
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}") from exc
        self.stdout.write(f"Wrote {len(table):,} applications of the {year} round to {output}.")
