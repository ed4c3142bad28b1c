"""Demo benchmarks: every DfE statistics file shipped in the benchmarks app's ``data/``, each loaded once.

The school-level file (``exclusions_by_geographic_level.csv.gz``, 2006/07 to 2016/17) is loaded whole, like the
others: the school pages compare a school with its LA and England, and a partial file would make a school look
absent that is not. It adds about 20 seconds and about 1 GB of memory to a first ``load_demo``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from difference.benchmarks.comparisons import LA_SERIES
from difference.benchmarks.models import Dataset
from difference.benchmarks.services import FileReport, load_dfe_files
from difference.core.imports import Progress

DATA = LA_SERIES.parent


def shipped_files() -> list[Path]:
    """The data files in ``data/`` (not their ``.meta.csv`` descriptions or provenance notes), by name."""
    return sorted(
        path
        for path in DATA.iterdir()
        if path.is_file() and path.name.endswith((".csv", ".csv.gz")) and not path.name.endswith(".meta.csv")
    )


def load_benchmarks(progress: Progress | None = None) -> str:
    """Load each shipped file not loaded yet, by file name: a re-run, or a file loaded by hand, is left alone, and a
    file added to ``data/`` since the last run is loaded on the next. ``DIFFERENCE_DEMO_BENCHMARKS = "series"``
    loads the LA exclusions series only."""
    loaded = set(Dataset.objects.values_list("source_file", flat=True))
    files = shipped_files() if settings.DIFFERENCE_DEMO_BENCHMARKS != "series" else [LA_SERIES]
    wanted = [path for path in files if path.name not in loaded]
    if not wanted:
        return "Benchmarks: the shipped DfE statistics files are already loaded."
    lines = ["Benchmarks: loaded the shipped DfE statistics files:"]
    lines += [f"  {_describe(report)}" for report in load_dfe_files(paths=wanted, progress=progress)]
    return "\n".join(lines)


def _describe(report: FileReport) -> str:
    years = f"{report.years[0]} to {report.years[-1]}" if report.years else "no years"
    return f"{report.path.name}: {years}, {report.rows_loaded:,} rows ({', '.join(report.levels) or 'no levels'})"
