"""The benchmarks demo: every DfE statistics file the product ships, each loaded once."""

from __future__ import annotations

from difference.benchmarks.comparisons import LA_SERIES
from difference.benchmarks.models import Dataset
from difference.demo.benchmarks import load_benchmarks, shipped_files


def test_the_demo_lists_every_shipped_data_file_and_no_description(db):
    names = [path.name for path in shipped_files()]
    assert len(names) == 10 and "exclusions_by_geographic_level.csv.gz" in names
    assert not [name for name in names if name.endswith(".meta.csv") or name.endswith(".md")]


def test_the_light_demo_loads_the_la_series_once(db, settings):
    settings.DIFFERENCE_DEMO_BENCHMARKS = "series"
    assert "exc_nat_region_la.csv.gz: 2006/07 to 2022/23" in load_benchmarks()
    assert list(Dataset.objects.values_list("source_file", flat=True)) == [LA_SERIES.name]
    assert load_benchmarks() == "Benchmarks: the shipped DfE statistics files are already loaded."
