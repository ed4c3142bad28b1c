"""How every import command prints: progress as it goes, then each outcome's summary and details, or its faults.

A command with faults to report fails (exit status 1) with the summary and every fault, one per line, so that the
file can be corrected once from the report.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from difference.core.imports import ImportOutcome, Progress
from difference.core.progress import progress_for


def progress_printer(command: BaseCommand, verbosity: int) -> Progress | None:
    """Progress as a bar in a terminal, else printed as "- Validated 100 of 250 rows"; none at verbosity 0."""
    if verbosity <= 0:
        return None
    return progress_for(command.stdout)


def print_outcome(
    command: BaseCommand, outcome: ImportOutcome, *, max_errors: int | None = None, afterword: str = ""
) -> None:
    """Print ``outcome``'s summary and details; if it has errors, raise ``CommandError`` listing them instead.

    ``max_errors`` caps the faults listed (a whole GIAS extract can be wrong); ``afterword`` ends the failure.
    """
    if outcome.errors:
        shown = outcome.errors if max_errors is None else outcome.errors[:max_errors]
        lines = [outcome.summary(), *(f"  {error}" for error in shown)]
        if len(shown) < len(outcome.errors):
            lines.append(f"  ... and {len(outcome.errors) - len(shown):,} more")
        if afterword:
            lines.append(afterword)
        raise CommandError("\n".join(lines))
    command.stdout.write(outcome.summary())
    for line in outcome.details():
        command.stdout.write(f"  {line}")
