from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from difference.core.imports import ImportOutcome
from difference.schools.models import LocalAuthority, School, SchoolLink, Trust
from difference.schools.services import load_registry

# The columns of a GIAS "all establishment data" download that the loader needs, plus two it ignores.
GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (name)",
    "OpenDate",
    "PhaseOfEducation (name)",
    "Street",
    "Postcode",
    "NumberOfPupils",
    "Trusts (code)",
    "Trusts (name)",
    "GOR (name)",
]


def _clear_registry() -> None:
    SchoolLink.objects.all().delete()
    School.objects.all().delete()
    Trust.objects.all().delete()
    LocalAuthority.objects.all().delete()


@pytest.fixture(scope="package")
def registry(django_db_setup: Any, django_db_blocker: Any) -> Iterator[ImportOutcome]:
    """The full shipped registry, loaded once for this package's tests and removed afterwards.

    It is committed outside the per-test transactions (tests see it, and roll back their own changes), so it is
    cleared first, in case an interrupted run left it in a reused test database, and cleared again at the end
    so that other apps' tests never see it.
    """
    with django_db_blocker.unblock():
        _clear_registry()
        report = load_registry()
    yield report
    with django_db_blocker.unblock():
        _clear_registry()


@pytest.fixture
def gias_extract(tmp_path: Path) -> Callable[..., Path]:
    """``gias_extract([{"URN": "100007", ...}])`` writes a Windows-1252 GIAS-format extract; blanks by default."""

    def write(
        rows: list[dict[str, str]],
        *,
        columns: list[str] = GIAS_HEADER,
        name: str = "edubasealldata20250422.csv",
        encoding: str = "cp1252",
    ) -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as file:
            writer = csv.DictWriter(file, fieldnames=columns, restval="", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write
