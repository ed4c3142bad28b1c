from __future__ import annotations

from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "difference.benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks (DfE statistics)"
