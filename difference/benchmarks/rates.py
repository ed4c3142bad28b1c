"""Rates per 100 from DfE counts, as DfE computes them: 100 × numerator / denominator, rounded half up to the
file's decimal places. Where a file's counts are rounded (to the nearest 5), DfE's own rate is reported instead
(computed from the unrounded counts), checked against the range the rounded counts allow. Counts DfE publishes
without a rate (the alternative provision files) are listed with their count and the rate "not available".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, Protocol

from difference.benchmarks.loaders import ALL_MEASURES, COUNT_MEASURES, academic_year, level_name
from difference.benchmarks.models import Basis, Dataset, Observation

NOT_AVAILABLE = "not available"
COUNT_ONLY = "a count: DfE publishes no rate for it"
# A count rounded to the nearest 5 was anywhere within ±2.5 of it.
ROUNDING_HALF_WIDTH = Decimal("2.5")

COLUMNS = [
    "time_period", "geographic_level", "area_code", "area_name", "school_type", "characteristic",
    "numerator", "denominator", "rate", "basis", "check", "source",
]  # fmt: skip


@dataclass(frozen=True)
class Rate:
    value: Decimal | None
    basis: str
    check: str


def computed_rate(numerator: Decimal | int, denominator: int, decimals: int) -> Decimal:
    exact = 100 * Decimal(numerator) / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def rounded_counts_range(numerator: Decimal | int, denominator: int) -> tuple[Decimal, Decimal]:
    """The lowest and highest rate per 100 that counts rounded to the nearest 5 allow."""
    low_num = max(Decimal(numerator) - ROUNDING_HALF_WIDTH, Decimal(0))
    high_den = Decimal(denominator) + ROUNDING_HALF_WIDTH
    high_num = Decimal(numerator) + ROUNDING_HALF_WIDTH
    low_den = max(Decimal(denominator) - ROUNDING_HALF_WIDTH, Decimal(1))
    return 100 * low_num / high_den, min(100 * high_num / low_den, Decimal(100))


class Counts(Protocol):
    """What a rate is worked out from: an ``Observation``, or a row of one read without building the model."""

    @property
    def measure(self) -> str: ...
    @property
    def numerator(self) -> Decimal | None: ...
    @property
    def denominator(self) -> int | None: ...
    @property
    def published_rate(self) -> Decimal | None: ...
    @property
    def published_rate_status(self) -> str: ...
    @property
    def counts_rounded(self) -> bool: ...


def rate_for(obs: Counts, decimals: int) -> Rate:
    if obs.measure in COUNT_MEASURES:
        return Rate(None, Basis.COMPUTED, COUNT_ONLY)
    if obs.counts_rounded:
        return _published(obs, decimals)
    if obs.numerator is not None and obs.numerator != obs.numerator.to_integral_value():
        return _published_fractional(obs, decimals)
    if obs.numerator is None or obs.denominator is None or obs.denominator == 0:
        return Rate(None, Basis.COMPUTED, "")
    value = computed_rate(obs.numerator, obs.denominator, decimals)
    if obs.published_rate is None and obs.published_rate_status == "low":
        # DfE prints "low" rather than a rate that rounds to 0 from a non-zero count (KS4 destinations).
        check = f"DfE shows “low”: above 0 but under {Decimal(1).scaleb(-decimals) / 2}"
    elif obs.published_rate is None:
        check = ""
    elif value == obs.published_rate:
        check = "matches DfE"
    else:
        check = f"differs from DfE's {obs.published_rate.normalize()}"
    return Rate(value, Basis.COMPUTED, check)


def _published(obs: Counts, decimals: int) -> Rate:
    rate = _at(obs.published_rate, decimals)
    if rate is None:
        return Rate(None, Basis.PUBLISHED, "")
    if obs.numerator is None or obs.denominator is None or obs.denominator == 0:
        return Rate(rate, Basis.PUBLISHED, "counts not available to check")
    low, high = rounded_counts_range(obs.numerator, obs.denominator)
    return Rate(rate, Basis.PUBLISHED, _range_check(rate, low, high, decimals, "rounded counts"))


def _published_fractional(obs: Counts, decimals: int) -> Rate:
    """DfE's older estimated counts (e.g. 565.079) are printed to 6 significant figures, so a rate computed from
    them can miss DfE's (computed from the full estimate) in the last place: DfE's rate, checked against them."""
    rate = _at(obs.published_rate, decimals)
    if rate is None or obs.numerator is None or not obs.denominator:
        return Rate(rate, Basis.PUBLISHED, "")
    exponent = obs.numerator.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number: checked when loaded
    half = Decimal(1).scaleb(exponent) / 2
    low, high = (100 * (obs.numerator + sign * half) / obs.denominator for sign in (-1, 1))
    return Rate(rate, Basis.PUBLISHED, _range_check(rate, low, high, decimals, "the fractional count as printed"))


def _at(rate: Decimal | None, decimals: int) -> Decimal | None:
    return None if rate is None else rate.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _range_check(rate: Decimal, low: Decimal, high: Decimal, decimals: int, what: str) -> str:
    half_unit = Decimal(1).scaleb(-decimals) / 2
    inside = low - half_unit <= rate <= high + half_unit
    return f"within range of {what}" if inside else f"OUTSIDE range of {what}"


class UnknownChoice(ValueError):
    pass


def rate_rows(
    *, measure: str, level: str, year: str | None = None, characteristic: str | None = None
) -> Iterator[dict[str, object]]:
    """One dict per matching observation, keys as ``COLUMNS``; unavailable values as "not available"."""
    if measure not in ALL_MEASURES:
        raise UnknownChoice(f"Unknown measure “{measure}”; the measures are: {', '.join(ALL_MEASURES)}.")
    geographic_level = level_name(level)
    if geographic_level is None:
        raise UnknownChoice(f"Unknown level “{level}”; the levels are: national, regional, local authority, school.")
    observations = Observation.objects.for_rate(measure=measure, level=geographic_level)
    if year:
        period = academic_year(year)
        if period is None:
            raise UnknownChoice(f"Year “{year}” is not an academic year such as 2016/17.")
        observations = observations.filter(time_period=period)
    if characteristic:
        observations = observations.filter(characteristic__iexact=characteristic)
    ordered = observations.order_by("time_period", "area_code", "school_type", "characteristic", "dataset__source_file")
    # Plain rows rather than model instances: building 100,000 Observations takes most of the time of a long list.
    datasets = {
        pk: (source, decimals)
        for pk, source, decimals in Dataset.objects.values_list("pk", "source_file", "rate_decimals")
    }
    for values in ordered.values_list(*_Row._fields).iterator(chunk_size=5000):
        obs = _Row(*values)
        source, decimals = datasets[obs.dataset_id]
        rate = rate_for(obs, decimals)
        yield {
            "time_period": obs.time_period,
            "geographic_level": obs.geographic_level,
            "area_code": obs.area_code,
            "area_name": obs.area_name,
            "school_type": obs.school_type,
            "characteristic": obs.characteristic,
            "numerator": _count_text(obs.numerator),
            "denominator": obs.denominator if obs.denominator is not None else NOT_AVAILABLE,
            "rate": str(rate.value) if rate.value is not None else NOT_AVAILABLE,
            "basis": str(rate.basis),
            "check": rate.check,
            "source": source,
        }


class _Row(NamedTuple):
    time_period: str
    geographic_level: str
    area_code: str
    area_name: str
    school_type: str
    characteristic: str
    measure: str
    numerator: Decimal | None
    denominator: int | None
    published_rate: Decimal | None
    published_rate_status: str
    counts_rounded: bool
    dataset_id: int


def _count_text(count: Decimal | None) -> int | str:
    if count is None:
        return NOT_AVAILABLE
    return str(count.normalize()) if count != count.to_integral_value() else int(count)
