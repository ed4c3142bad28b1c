"""``manage.py import_assessments PROJECT FILE [--measure ID] [--dry-run]``: a project's pupils and results.

All or nothing: every row is checked first, and a file with any fault is reported row by row and not stored (exit
status 1). The columns are described in ``difference.projects.imports``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from difference.core.commands import print_outcome, progress_printer
from difference.projects.imports import COLUMNS, import_assessments
from difference.projects.models import Measure, Project


class Command(BaseCommand):
    help = (
        "Import a research-action project's pupils and their results on one measure from CSV or XLSX "
        f"({', '.join(COLUMNS)}). "
        "Nothing is stored unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", type=int, help="the project's id (shown in its page's address)")
        parser.add_argument("path", type=Path, help="the file: .csv (UTF-8 or Windows-1252) or .xlsx")
        parser.add_argument("--measure", type=int, help="the measure's id; needed when the project has several")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; store nothing")

    def handle(self, *args: Any, project: int, path: Path, measure: int | None, dry_run: bool, **options: Any) -> None:
        found = Project.objects.select_related("school").filter(pk=project).first()
        if found is None:
            raise CommandError(f"No project with id {project}.")
        chosen = self._measure(found, measure)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        progress = progress_printer(self, options["verbosity"])
        if progress is not None:
            progress(f"{found}: checking {path.name} as results of {chosen}")
        try:
            outcome = import_assessments(
                project=found, measure=chosen, path_or_file=path, dry_run=dry_run, by=None, progress=progress
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        print_outcome(self, outcome)

    def _measure(self, project: Project, measure: int | None) -> Measure:
        measures = list(project.measures.order_by("pk"))
        listed = ", ".join(f"{m.pk} ({m})" for m in measures) or "none yet"
        if measure is not None:
            for candidate in measures:
                if candidate.pk == measure:
                    return candidate
            raise CommandError(f"Project {project.pk} has no measure {measure}; its measures are: {listed}.")
        if len(measures) != 1:
            raise CommandError(f"Say which measure with --measure: project {project.pk}'s measures are: {listed}.")
        return measures[0]
