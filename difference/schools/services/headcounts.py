"""Pupils on roll per school: the 2016/17 headcounts shipped in ``data/`` (provenance in
``PROVENANCE-school-headcounts-2016-17.md``), derived from DfE's school-level exclusions statistics."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import transaction

from difference.core.files import FileProblem
from difference.core.imports import Counts, ImportOutcome, Progress
from difference.schools.models import School
from difference.schools.services.common import _duckdb_files, _query, _read_csv, _upsert, finish

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
HEADCOUNTS_FILE = "school_headcounts_2016_17.csv.gz"

# School.pupils_source and School.pupils_year of the figures loaded here.
HEADCOUNT_SOURCE = "DfE school-level exclusions statistics"
HEADCOUNT_YEAR = "2016/17"


def pupils_source_text(source: str, year: str) -> str:
    """How a page names where a number of pupils came from: "DfE school-level exclusions statistics, 2016/17
    headcount"; a source without a year (a GIAS extract) is named alone."""
    return f"{source}, {year} headcount" if year else source


def load_headcounts(*, data_dir: Path = DATA_DIR, progress: Progress | None = None) -> ImportOutcome:
    """Give each school in the file its 2016/17 headcount, matched by URN. Safe to re-run.

    A school whose number came from another source (a GIAS extract, which is newer) keeps it, and schools the file
    does not list are left alone.
    """
    started = time.monotonic()
    say = progress or (lambda message: None)
    report = ImportOutcome(source="School headcounts 2016/17 (shipped data)", counts={"schools": Counts()})
    say(f"Reading {HEADCOUNTS_FILE}")
    try:
        with _duckdb_files(data_dir / HEADCOUNTS_FILE) as (connection, (csv_path,)):
            rows = _query(
                connection,
                f"select try_cast(urn as integer), try_cast(headcount as integer) from {_read_csv(csv_path)}",
            )
    except FileProblem as exc:
        report.refuse(str(exc))
        return report
    report.rows_read = len(rows)
    headcounts = {urn: headcount for urn, headcount in rows if urn is not None and headcount is not None}
    with transaction.atomic():
        schools = {
            school.urn: school for school in School.objects.only("urn", "pupils", "pupils_source", "pupils_year")
        }
        wanted = {}
        newer = 0
        for urn, headcount in headcounts.items():
            school = schools.get(urn)
            if school is None:
                continue
            if school.pupils is not None and school.pupils_source != HEADCOUNT_SOURCE:
                newer += 1
                continue
            wanted[urn] = {"pupils": headcount, "pupils_source": HEADCOUNT_SOURCE, "pupils_year": HEADCOUNT_YEAR}
        _upsert(
            School,
            wanted=wanted,
            existing=schools,
            build=lambda urn, values: School(urn=urn, **values),  # never called: only registry schools are wanted
            counts=report.counts["schools"],
        )
    missing = len(headcounts) - len(wanted) - newer
    if missing:
        report.notes.append(f"{missing:,} URNs in {HEADCOUNTS_FILE} are not in the registry")
    if newer:
        report.notes.append(f"{newer:,} schools keep their number of pupils from a newer source")
    return finish(report, started)
