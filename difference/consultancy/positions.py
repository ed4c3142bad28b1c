"""A trust school's rates beside its local authority's and England's, from DfE's figures for the same year and
school type (phase), with the basis of each DfE rate ("computed" from exact counts, or DfE's "published" rate).

DfE's exclusions series publishes state-funded primary, state-funded secondary and special schools separately;
a school of another phase (alternative provision, all-through) is compared with the all-schools total, and the
page says so. Where DfE has not published the engagement's year yet, its latest year is used, and named.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from difference.benchmarks.models import Observation
from difference.benchmarks.rates import rate_for
from difference.schools.models import School, SchoolCategory

# The consultancy's measure keys and DfE's, where they differ.
DFE_MEASURE = {"absence_rate": "overall_absence_rate"}


@dataclass(frozen=True)
class DfeRate:
    area: str
    year: str
    school_type: str
    rate: Decimal | None  # per 100
    basis: str
    numerator: Decimal | None
    denominator: int | None

    @property
    def note(self) -> str:
        return "DfE's published rate (its counts are rounded)" if self.basis == "published" else ""


@dataclass(frozen=True)
class Position:
    """DfE's England and LA rates for a school's measure; either may be None where DfE publishes none."""

    school_type: str
    type_note: str
    england: DfeRate | None
    local_authority: DfeRate | None
    year_note: str


def dfe_school_type(school: School) -> tuple[str, str]:
    """DfE's school type for a school, and a note when the comparison is with another type."""
    phase = school.phase.lower()
    if school.category == SchoolCategory.SPECIAL or "special" in phase:
        return "Special", ""
    if school.category in (SchoolCategory.PRU, SchoolCategory.AP_ACADEMY):
        return "Total", "DfE's series has no separate alternative-provision figures: compared with all schools."
    if "primary" in phase:
        return "State-funded primary", ""
    if "secondary" in phase:
        return "State-funded secondary", ""
    return "Total", f"No DfE school type for the phase “{school.phase or 'not recorded'}”: compared with all schools."


class Benchmarks:
    """DfE's rates for one measure at national and LA level, read once for a whole report."""

    def __init__(self, measure: str, year: str) -> None:
        self.measure = DFE_MEASURE.get(measure, measure)
        totals = Observation.objects.filter(
            measure=self.measure, geographic_level__in=["National", "Local authority"], characteristic="Total"
        )
        # Only the chosen year's rows are read: the series holds every year since 2006/07.
        years = set(totals.filter(time_period__lte=year).values_list("time_period", flat=True).distinct())
        self.year = year if year in years else max(years, default="")
        self.year_note = "" if self.year == year or not self.year else f"DfE's latest figures are for {self.year}."
        rows = totals.filter(time_period=self.year).select_related("dataset").order_by("dataset__source_file")
        self._by_key: dict[tuple[str, str, str], Observation] = {}
        for row in rows:
            area = "England" if row.geographic_level == "National" else (row.old_la_code or row.area_code)
            self._by_key.setdefault((row.geographic_level, area, row.school_type), row)

    def position(self, school: School) -> Position:
        school_type, type_note = dfe_school_type(school)
        la_code = school.local_authority.code if school.local_authority else ""
        return Position(
            school_type=school_type,
            type_note=type_note,
            england=self._rate("National", "England", school_type, "England"),
            local_authority=self._rate(
                "Local authority", la_code, school_type, school.local_authority.name if school.local_authority else ""
            ),
            year_note=self.year_note,
        )

    def _rate(self, level: str, area: str, school_type: str, name: str) -> DfeRate | None:
        row = self._by_key.get((level, area, school_type))
        if row is None:
            return None
        rate = rate_for(row, row.dataset.rate_decimals)
        return DfeRate(
            area=row.area_name or name,
            year=row.time_period,
            school_type=school_type,
            rate=rate.value,
            basis=str(rate.basis),
            numerator=row.numerator,
            denominator=row.denominator,
        )
