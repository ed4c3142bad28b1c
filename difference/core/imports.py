"""What an import did: the one ``ImportOutcome`` every import and loader returns, whatever it reads.

Imports read their files with ``difference.core.files``, check every row, and write all or nothing; the outcome
says what was read, written and skipped, and every fault by spreadsheet row. Commands print it with
``difference.core.commands.print_outcome`` and pages show it with ``templates/includes/import_result.html``, so
that every import speaks to its users the same way::

    past.xlsx: 1,000 rows read, 1,000 written, 0 skipped, 0 errors
    past.xlsx: 1,000 rows read, 0 written, 0 skipped, 3 errors — nothing written
    past.xlsx: 1,000 rows read, 1,000 to write, 0 skipped, 0 errors — dry run, nothing written
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from difference.core.files import RowError

# Told what an import is doing ("Validated 100 of 250 rows"), for a command to print as progress.
Progress = Callable[[str], None]


def no_progress(message: str) -> None:
    """The ``Progress`` of an import nobody watches."""


class ProgressStep(str):
    """A progress message that also carries its figures, for whoever draws a bar (a terminal, a job's page)."""

    done: int
    total: int

    def __new__(cls, text: str, done: int, total: int) -> ProgressStep:
        step = super().__new__(cls, text)
        step.done, step.total = done, total
        return step


def rows_done(verb: str, done: int, total: int) -> ProgressStep:
    """A progress message in the one wording imports use: "Validated 100 of 250 rows"."""
    return ProgressStep(f"{verb} {done:,} of {total:,} rows", done, total)


@dataclass
class Counts:
    """Records of one kind an import created, updated, or found as they should be."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class Skipped:
    """Rows an import left out on purpose (not faults): why, where (enough to find them), and how many."""

    reason: str
    where: str = ""  # "URN 100947", or the first offending value: “lots”
    file: str = ""  # for a load of several files
    rows: int = 1


@dataclass
class ImportOutcome:
    """What one import found and did. With any ``errors`` nothing was written, and neither was it in a dry run.

    ``rows_written`` counts the file's rows written (or, in a dry run, to be written); ``counts`` breaks the records
    written down by kind ("applications", "schools"), ``totals`` gives other figures worth reporting by what they
    count ("sessions": 2), and ``notes`` anything else a person should know about the file.
    """

    source: str
    dry_run: bool = False
    rows_read: int = 0
    rows_written: int = 0
    counts: dict[str, Counts] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration: float = 0.0  # seconds, for the loaders that time themselves

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts.values())

    @property
    def rows_skipped(self) -> int:
        return sum(s.rows for s in self.skipped)

    def skip(self, reason: str, where: str = "", *, file: str = "", rows: int = 1) -> None:
        self.skipped.append(Skipped(reason, where, file, rows))

    def refuse(self, message: str) -> None:
        """A fault of the file as a whole (``row`` None), such as a ``FileProblem``."""
        self.errors.append(RowError(None, "", message))

    def summary(self) -> str:
        """The one line every import command and page ends with (see the module's docstring)."""
        line = (
            f"{self.source}: {_plural(self.rows_read, 'row')} read, "
            f"{self.rows_written:,} {'to write' if self.dry_run else 'written'}, "
            f"{self.rows_skipped:,} skipped, {_plural(len(self.errors), 'error')}"
        )
        if self.errors:
            return f"{line} — nothing written"
        return f"{line} — dry run, nothing written" if self.dry_run else line

    def details(self) -> list[str]:
        """The lines under the summary: records by kind, other totals, rows skipped by reason, notes."""
        lines = [
            f"{kind}: {c.created:,} created, {c.updated:,} updated, {c.unchanged:,} unchanged"
            for kind, c in self.counts.items()
        ]
        lines += [f"{name}: {value:,}" for name, value in self.totals.items()]
        lines += self._skipped_lines()
        lines += self.notes
        if self.duration:
            lines.append(f"took {self.duration:.1f} s")
        return lines

    def _skipped_lines(self) -> list[str]:
        groups: dict[tuple[str, str], list[Skipped]] = {}
        for skipped in self.skipped:
            groups.setdefault((skipped.file, skipped.reason), []).append(skipped)
        lines = []
        for (file, reason), group in groups.items():
            rows = sum(s.rows for s in group)
            wheres = [s.where for s in group if s.where][:3]
            examples = ", ".join(wheres) + (", ..." if rows > len(wheres) else "")
            place = f" in {file}" if file else ""
            lines.append(f"{rows:,} skipped{place}: {reason}" + (f" ({examples})" if wheres else ""))
        return lines


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def error_report(errors: Sequence[RowError]) -> tuple[list[str], list[list[Any]]]:
    """The errors as a table (header, rows) for ``difference.core.exports``, for users to download."""
    return ["row", "column", "problem"], [[e.row, e.column, e.message] for e in errors]
