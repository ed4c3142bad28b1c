from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from difference.core.imports import ImportOutcome
from difference.core.tests.summaries import assert_summary_shape
from difference.schools.models import School
from difference.schools.tests.conftest import GIAS_HEADER

pytestmark = pytest.mark.django_db

ROW = {
    "URN": "990101",
    "LA (code)": "202",
    "LA (name)": "Camden",
    "EstablishmentNumber": "1999",
    "EstablishmentName": "Camden Learning Centre",
    "TypeOfEstablishment (name)": "Pupil referral unit",
    "GOR (name)": "London",
}


def test_it_loads_the_registry_then_an_extract_and_prints_a_summary(
    registry: ImportOutcome, gias_extract: Callable[..., Path]
) -> None:
    out = StringIO()

    call_command("load_schools", "--gias", str(gias_extract([ROW])), stdout=out)

    output = out.getvalue()
    assert "- Reading the shipped registry files" in output  # progress
    assert "Schools registry (shipped data): " in output
    assert "  schools: 0 created, 0 updated, 39,488 unchanged" in output
    assert "GIAS extract edubasealldata20250422.csv: " in output
    assert "  schools: 1 created, 0 updated, 0 unchanged" in output
    assert "in establishment_type_by_urn_edubase_nov2016.tsv: URN not in the registry" in output
    assert School.objects.get(urn=990101).region == "London"
    summaries = [line for line in output.splitlines() if not line.startswith(("-", " "))]
    assert [assert_summary_shape(line)["source"] for line in summaries] == [
        "Schools registry (shipped data)",
        "School headcounts 2016/17 (shipped data)",
        "GIAS extract edubasealldata20250422.csv",
    ]


def test_it_stops_before_loading_anything_when_an_extract_is_missing(db: None, tmp_path: Path) -> None:
    schools_before = School.objects.count()

    with pytest.raises(CommandError, match="GIAS extract not found: .*no-such-file.csv"):
        call_command("load_schools", "--gias", str(tmp_path / "no-such-file.csv"), stdout=StringIO())

    assert School.objects.count() == schools_before


def test_it_fails_with_a_clear_message_for_a_malformed_extract(
    registry: ImportOutcome, gias_extract: Callable[..., Path]
) -> None:
    path = gias_extract([ROW], columns=[column for column in GIAS_HEADER if column != "Postcode"])

    with pytest.raises(CommandError) as raised:
        call_command("load_schools", "--gias", str(path), verbosity=0, stdout=StringIO())

    assert str(raised.value) == (
        "GIAS extract edubasealldata20250422.csv: 0 rows read, 0 written, 0 skipped, 1 error — nothing written\n"
        "  Row 1: Missing required column: Postcode."
    )

    assert not School.objects.filter(urn=990101).exists()
