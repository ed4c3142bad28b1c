"""The one outcome of every import: its summary line, its details, and how a command prints it."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import BaseCommand, CommandError

from difference.core.commands import print_outcome, progress_printer
from difference.core.files import RowError
from difference.core.imports import Counts, ImportOutcome, error_report
from difference.core.tests.summaries import assert_summary_shape


def test_the_summary_says_what_was_read_written_skipped_and_wrong_in_one_shape():
    written = ImportOutcome(source="file.csv", rows_read=1234, rows_written=1200)
    written.skip("a blank URN", "row 7", rows=34)
    refused = ImportOutcome(source="file.csv", rows_read=1, errors=[RowError(2, "email", "Not an email.")])
    checked = ImportOutcome(source="file.csv", dry_run=True, rows_read=2, rows_written=2)

    assert written.summary() == "file.csv: 1,234 rows read, 1,200 written, 34 skipped, 0 errors"
    assert refused.summary() == "file.csv: 1 row read, 0 written, 0 skipped, 1 error — nothing written"
    assert checked.summary() == "file.csv: 2 rows read, 2 to write, 0 skipped, 0 errors — dry run, nothing written"
    for outcome in (written, refused, checked):
        assert assert_summary_shape(outcome.summary())["source"] == "file.csv"


def test_the_details_give_records_by_kind_totals_skipped_rows_by_reason_and_notes():
    outcome = ImportOutcome(source="Registry", counts={"schools": Counts(created=3, unchanged=1)}, duration=2.25)
    outcome.totals["sessions"] = 2
    for urn in (1, 2, 3, 4):
        outcome.skip("URN not in the registry", f"URN {urn}", file="links.csv")
    outcome.skip("placements is negative", "“-3”", rows=5)
    outcome.notes.append("Read as Windows-1252.")

    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.rows_skipped) == (3, 0, 1, 9)
    assert outcome.details() == [
        "schools: 3 created, 0 updated, 1 unchanged",
        "sessions: 2",
        "4 skipped in links.csv: URN not in the registry (URN 1, URN 2, URN 3, ...)",
        "5 skipped: placements is negative (“-3”, ...)",
        "Read as Windows-1252.",
        "took 2.2 s",
    ]


def test_a_command_prints_progress_then_the_summary_and_its_details():
    command = BaseCommand(stdout=io.StringIO())
    outcome = ImportOutcome(source="file.csv", rows_read=2, rows_written=2, totals={"sessions": 1})

    progress = progress_printer(command, verbosity=1)
    assert progress is not None
    progress("Validated 2 of 2 rows")
    print_outcome(command, outcome)

    assert command.stdout.getvalue().splitlines() == [  # type: ignore[attr-defined]
        "- Validated 2 of 2 rows",
        "file.csv: 2 rows read, 2 written, 0 skipped, 0 errors",
        "  sessions: 1",
    ]
    assert progress_printer(command, verbosity=0) is None


def test_a_command_fails_with_every_fault_or_the_first_few():
    outcome = ImportOutcome(source="x.csv", rows_read=3)
    outcome.errors = [RowError(n, "urn", "Not a URN.") for n in (2, 3, 4)]
    outcome.refuse("The platform changed while importing.")

    with pytest.raises(CommandError) as every:
        print_outcome(BaseCommand(), outcome)
    with pytest.raises(CommandError) as first:
        print_outcome(BaseCommand(), outcome, max_errors=2, afterword="Nothing loaded.")

    assert str(every.value).splitlines() == [
        "x.csv: 3 rows read, 0 written, 0 skipped, 4 errors — nothing written",
        "  Row 2, urn: Not a URN.",
        "  Row 3, urn: Not a URN.",
        "  Row 4, urn: Not a URN.",
        "  File: The platform changed while importing.",
    ]
    assert str(first.value).splitlines()[1:] == [
        "  Row 2, urn: Not a URN.",
        "  Row 3, urn: Not a URN.",
        "  ... and 2 more",
        "Nothing loaded.",
    ]


def test_the_errors_can_be_downloaded_as_a_table():
    assert error_report([RowError(None, "", "Empty."), RowError(2, "email", "Bad.")]) == (
        ["row", "column", "problem"],
        [[None, "", "Empty."], [2, "email", "Bad."]],
    )
