"""Demo benchmarks: the shipped DfE national, regional and LA exclusions series, loaded once."""

from __future__ import annotations

from pathlib import Path

from difference.benchmarks.models import Dataset
from difference.benchmarks.services import load_dfe_files

LA_SERIES = Path(__file__).resolve().parent / "data" / "exc_nat_region_la.csv.gz"


def load_benchmarks() -> str:
    """Load the series if no DfE statistics are loaded yet (a re-run, or data loaded by hand, is left alone)."""
    if Dataset.objects.exists():
        return "Benchmarks: DfE statistics already loaded; left as they are."
    (report,) = load_dfe_files(paths=[LA_SERIES])
    return (
        f"Benchmarks: loaded {report.path.name}, {report.years[0]} to {report.years[-1]} "
        f"({report.rows_loaded:,} rows) for the national trends page."
    )
