"""Benchmarks rows are written by the loaders; these make a dataset and its observations directly for tests of the
pages and comparisons that do not need a whole DfE file."""

from __future__ import annotations

from decimal import Decimal

import factory

from difference.benchmarks.models import Dataset, Observation


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset

    publication = "Permanent exclusions and suspensions in England"
    layout = "EES tidy"
    source_file = factory.Sequence(lambda n: f"exclusions-{n}.csv")
    sha256 = "0" * 64


class ObservationFactory(factory.django.DjangoModelFactory):
    """England's 2016/17 permanent exclusion count over its headcount, as DfE publishes it."""

    class Meta:
        model = Observation

    dataset = factory.SubFactory(DatasetFactory)
    time_period = "2016/17"
    geographic_level = "National"
    area_code = "E92000001"
    area_name = "England"
    school_type = "Total"
    measure = "permanent_exclusion_rate"
    numerator = Decimal(7720)
    denominator = 8028885
    published_rate = Decimal("0.10")
