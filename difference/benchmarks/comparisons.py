"""Comparing areas and schools with England on DfE's exclusions and suspensions rates.

Three pages read from here: every region and LA for one measure, year and school type; one LA's trend against its
region and England; one school's published figures against its LA and England in the same year and school type.

A rate is "higher" or "lower" than England's, never better or worse: the charity does not hold a zero-exclusions
stance. Suppressed or missing values stay ``None`` and are shown as "not available", never as 0.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from difference.benchmarks.charts import Series, lines_chart
from difference.benchmarks.loaders import academic_year
from difference.benchmarks.models import Basis, Observation
from difference.benchmarks.rates import NOT_AVAILABLE, rate_for
from difference.core import numbers
from difference.core.files import read_bytes, read_text

if TYPE_CHECKING:
    from difference.accounts.models import User
    from difference.schools.models import School

NATIONAL, REGIONAL, LOCAL_AUTHORITY, SCHOOL = "National", "Regional", "Local authority", "School"
TOTAL = "Total"
ENGLAND = "England"
# The DfE file whose LA rows name each LA's region (the Observation rows do not keep the region).
LA_SERIES = Path(__file__).resolve().parent / "data" / "exc_nat_region_la.csv.gz"
LA_CODE = re.compile(r"\d{3}|[EWSN]\d{8}")
# Echoed back in messages: a long or hostile value is cut, and the template escapes it.
ECHO_CHARS = 40


@dataclass(frozen=True)
class Measure:
    key: str
    heading: str
    counted: str


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("permanent_exclusion_rate", "Permanent exclusions", "Permanent exclusions"),
        Measure("suspension_rate", "Suspensions", "Suspensions"),
        Measure("one_plus_suspension_rate", "Pupils with one or more suspensions", "Pupils suspended"),
    )
}

ORDERS = {"region": "Grouped by region", "name": "By name", "rate": "By rate, highest first"}


class BadChoice(ValueError):
    """A query parameter that names no measure, year, school type or order on offer; the message says which."""


@dataclass(frozen=True)
class Figure:
    """One area's published counts and rate for one measure, year and school type."""

    level: str
    area_code: str
    old_la_code: str
    area_name: str
    time_period: str
    school_type: str
    numerator: Decimal | None
    denominator: int | None
    rate: Decimal | None
    basis: str
    source: str

    @property
    def numerator_shown(self) -> Decimal | int | str:
        if self.numerator is None:
            return NOT_AVAILABLE
        # DfE's older estimated counts are fractional (e.g. 565.079); whole counts are shown whole.
        return int(self.numerator) if self.numerator == self.numerator.to_integral_value() else self.numerator

    @property
    def denominator_shown(self) -> int | str:
        return NOT_AVAILABLE if self.denominator is None else self.denominator

    @property
    def rate_shown(self) -> str:
        return NOT_AVAILABLE if self.rate is None else numbers.published_rate(self.rate)

    @property
    def is_published(self) -> bool:
        return self.basis == Basis.PUBLISHED and self.rate is not None

    @property
    def basis_label(self) -> str:
        return str(Basis(self.basis).label)

    @property
    def la_code(self) -> str:
        """The code an LA page is reached by: the ONS code, or the old 3-digit code for a former LA."""
        return self.area_code or self.old_la_code


def versus(figure: Figure | None, england: Figure | None) -> str:
    """How a rate stands against England's, in neutral words; "" when either rate is not available."""
    if figure is None or england is None or figure.rate is None or england.rate is None:
        return ""
    if figure.rate > england.rate:
        return "higher than England"
    if figure.rate < england.rate:
        return "lower than England"
    return "the same as England"


@dataclass(frozen=True)
class Row:
    figure: Figure
    versus_england: str


def _figure(obs: Observation) -> Figure:
    rate = rate_for(obs, obs.dataset.rate_decimals)
    return Figure(
        level=obs.geographic_level,
        area_code=obs.area_code,
        old_la_code=obs.old_la_code,
        area_name=obs.area_name or obs.area_code,
        time_period=obs.time_period,
        school_type=obs.school_type,
        numerator=obs.numerator,
        denominator=obs.denominator,
        rate=rate.value,
        basis=str(rate.basis),
        source=obs.dataset.source_file,
    )


def _observations(**lookup: Any) -> QuerySet[Observation]:
    """Totals only (not by pupil characteristic), the file first by name where several files hold the same row:
    the rule the national trends page uses, so a year shows the same England figure on every page."""
    return (
        Observation.objects.filter(characteristic__iexact=TOTAL, **lookup)
        .select_related("dataset")
        .order_by("dataset__source_file", "pk")
    )


def _first_per_key(observations: Iterable[Observation], key: Any) -> dict[Any, Figure]:
    first: dict[Any, Figure] = {}
    for obs in observations:
        k = key(obs)
        if k not in first:
            first[k] = _figure(obs)
    return first


def _echo(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= ECHO_CHARS else value[: ECHO_CHARS - 1] + "…"


def _school_type_order(school_type: str) -> tuple[int, str]:
    return (0 if school_type == TOTAL else 1, school_type)


@cache
def la_regions() -> dict[str, tuple[str, str]]:
    """LA code (ONS and old 3-digit) -> (region code, region name), as DfE's LA series file gives them.

    Observations do not keep the region, and the schools registry names London as one region where DfE's tables
    split it into Inner and Outer London, so the region an LA is compared with comes from DfE's own file."""
    regions: dict[str, tuple[str, str]] = {}
    if not LA_SERIES.exists():
        return regions
    text = read_text(read_bytes(LA_SERIES)).text
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if row.get("geographic_level") != LOCAL_AUTHORITY or not row.get("region_code"):
            continue
        region = (row["region_code"], row.get("region_name", ""))
        for code in (row.get("new_la_code", ""), row.get("old_la_code", "")):
            if LA_CODE.fullmatch(code):
                regions.setdefault(code, region)
    return regions


def _region_for(codes: Iterable[str]) -> tuple[str, str] | None:
    regions = la_regions()
    return next((regions[code] for code in codes if code in regions), None)


# --- Regional and LA comparison -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RegionGroup:
    name: str
    rows: list[Row]


@dataclass
class AreaComparison:
    years: list[str]
    school_types: list[str]
    measure: Measure
    year: str
    school_type: str
    order: str
    error: str = ""
    england: Figure | None = None
    regions: list[Row] = field(default_factory=list)
    groups: list[RegionGroup] = field(default_factory=list)
    la_count: int = 0

    measures = MEASURES
    orders = ORDERS

    @property
    def has_published(self) -> bool:
        figures = [self.england, *(r.figure for r in self.regions)]
        figures += [row.figure for group in self.groups for row in group.rows]
        return any(f is not None and f.is_published for f in figures)


def _comparison_options() -> tuple[list[str], list[str]]:
    at_la = Observation.objects.filter(geographic_level=LOCAL_AUTHORITY, measure__in=MEASURES)
    years = sorted(set(at_la.values_list("time_period", flat=True).distinct()), reverse=True)
    types = sorted(set(at_la.values_list("school_type", flat=True).distinct()), key=_school_type_order)
    return years, types


def area_comparison(params: Mapping[str, str]) -> AreaComparison:
    """Every region and LA for the chosen measure, year and school type (defaults: the first measure, the latest
    year, Total). A choice that is not on offer gives the defaults back with ``error`` saying what was wrong."""
    years, school_types = _comparison_options()
    default_type = TOTAL if TOTAL in school_types else (school_types[0] if school_types else TOTAL)
    page = AreaComparison(
        years=years,
        school_types=school_types,
        measure=next(iter(MEASURES.values())),
        year=years[0] if years else "",
        school_type=default_type,
        order="region",
    )
    try:
        page.measure, page.year, page.school_type, page.order = _choose(params, years, school_types, page)
    except BadChoice as problem:
        page.error = str(problem)
        return page
    if not years:
        return page
    observations = _observations(
        measure=page.measure.key,
        time_period=page.year,
        school_type=page.school_type,
        geographic_level__in=[NATIONAL, REGIONAL, LOCAL_AUTHORITY],
    )
    figures = _first_per_key(observations, lambda obs: (obs.geographic_level, obs.area_code or obs.old_la_code))
    page.england = next((f for (level, _), f in figures.items() if level == NATIONAL), None)
    regions = sorted((f for (level, _), f in figures.items() if level == REGIONAL), key=lambda f: f.area_name)
    page.regions = [Row(f, versus(f, page.england)) for f in regions]
    las = [Row(f, versus(f, page.england)) for (level, _), f in figures.items() if level == LOCAL_AUTHORITY]
    page.la_count = len(las)
    page.groups = _arrange(las, page.order)
    return page


def _choose(
    params: Mapping[str, str], years: list[str], school_types: list[str], defaults: AreaComparison
) -> tuple[Measure, str, str, str]:
    measure_key = params.get("measure") or defaults.measure.key
    if measure_key not in MEASURES:
        names = "; ".join(m.heading for m in MEASURES.values())
        raise BadChoice(f"“{_echo(measure_key)}” is not a measure on this page. The measures are: {names}.")
    year = defaults.year
    if params.get("year"):
        period = academic_year(params["year"])
        if period is None or period not in years:
            span = f"{years[-1]} to {years[0]}" if years else "none are loaded"
            raise BadChoice(
                f"“{_echo(params['year'])}” is not a year with regional and LA figures (write it as 2016/17; "
                f"the years are {span})."
            )
        year = period
    school_type = defaults.school_type
    if params.get("school_type"):
        wanted = params["school_type"].strip().casefold()
        school_type = next((t for t in school_types if t.casefold() == wanted), "")
        if not school_type:
            raise BadChoice(
                f"“{_echo(params['school_type'])}” is not a school type in these figures. "
                f"The school types are: {', '.join(school_types) or 'none (nothing is loaded)'}."
            )
    order = params.get("order") or defaults.order
    if order not in ORDERS:
        raise BadChoice(f"“{_echo(order)}” is not a way to order the table: choose region, name or rate.")
    return MEASURES[measure_key], year, school_type, order


def _arrange(rows: list[Row], order: str) -> list[RegionGroup]:
    by_name = sorted(rows, key=lambda row: row.figure.area_name)
    if order == "name":
        return [RegionGroup("", by_name)] if by_name else []
    if order == "rate":
        # Not available last, whatever the order of the rest.
        ranked = sorted(by_name, key=lambda row: (row.figure.rate is None, -(row.figure.rate or 0)))
        return [RegionGroup("", ranked)] if ranked else []
    groups: dict[str, list[Row]] = {}
    for row in by_name:
        region = _region_for([row.figure.area_code, row.figure.old_la_code])
        groups.setdefault(region[1] if region else "", []).append(row)
    named = sorted(name for name in groups if name)
    ordered = [RegionGroup(name, groups[name]) for name in named]
    if "" in groups:
        ordered.append(RegionGroup("Region not known", groups[""]))
    return ordered


# --- One LA ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class YearRow:
    year: str
    area: Figure | None
    region: Figure | None
    england: Figure | None

    @property
    def versus_england(self) -> str:
        return versus(self.area, self.england)


@dataclass(frozen=True)
class LATrend:
    measure: Measure
    rows: list[YearRow]
    chart: SafeString


@dataclass
class LAProfile:
    code: str
    name: str
    region_name: str
    school_types: list[str]
    school_type: str
    error: str = ""
    trends: list[LATrend] = field(default_factory=list)

    @property
    def has_figures(self) -> bool:
        return any(row.area is not None for trend in self.trends for row in trend.rows)

    @property
    def has_published(self) -> bool:
        return any(
            figure is not None and figure.is_published
            for trend in self.trends
            for row in trend.rows
            for figure in (row.area, row.region, row.england)
        )


def la_profile(code: str, params: Mapping[str, str]) -> LAProfile | None:
    """One LA's trend for each measure against its region and England, for one school type; None when the code
    names no LA in the statistics or the schools registry (the page answers 404)."""
    from difference.schools.models import LocalAuthority

    code = code.strip().upper()
    if not LA_CODE.fullmatch(code):
        return None
    la_level = Observation.objects.filter(geographic_level=LOCAL_AUTHORITY, measure__in=MEASURES)
    # The old 3-digit code joins an LA's years across a change of ONS code (as for Northumberland in 2020).
    old_code = code if code.isdigit() else ""
    if not old_code:
        with_code = la_level.filter(area_code=code).exclude(old_la_code="")
        old_code = with_code.values_list("old_la_code", flat=True).first() or ""
    matching = Q(area_code=code) | Q(old_la_code=old_code) if old_code else Q(area_code=code)
    registered = LocalAuthority.objects.filter(Q(code=code) | Q(gss_code=code) | Q(code=old_code or code)).first()
    latest = la_level.filter(matching).order_by("-time_period", "dataset__source_file").first()
    if latest is None and registered is None:
        return None
    ons_code = latest.area_code if latest is not None and not latest.area_code.isdigit() else ""
    if not ons_code and registered is not None:
        ons_code = registered.gss_code
    region = _region_for([c for c in (ons_code, old_code, code) if c])
    profile = LAProfile(
        code=code,
        name=latest.area_name if latest is not None else registered.name if registered else code,
        region_name=region[1] if region else "",
        school_types=sorted(
            set(la_level.filter(matching).values_list("school_type", flat=True).distinct()), key=_school_type_order
        ),
        school_type=TOTAL,
    )
    if profile.school_types and TOTAL not in profile.school_types:
        profile.school_type = profile.school_types[0]
    wanted = params.get("school_type", "").strip()
    if wanted:
        chosen = next((t for t in profile.school_types if t.casefold() == wanted.casefold()), "")
        if not chosen:
            profile.error = (
                f"“{_echo(wanted)}” is not a school type in {profile.name}'s figures. "
                f"The school types are: {', '.join(profile.school_types) or 'none (nothing is loaded)'}."
            )
            return profile
        profile.school_type = chosen
    if latest is None:
        return profile
    common = {"school_type": profile.school_type, "measure__in": MEASURES}
    area = _first_per_key(
        _observations(geographic_level=LOCAL_AUTHORITY, **common).filter(matching),
        lambda obs: (obs.measure, obs.time_period),
    )
    regional = (
        _first_per_key(
            _observations(geographic_level=REGIONAL, area_code=region[0], **common),
            lambda obs: (obs.measure, obs.time_period),
        )
        if region
        else {}
    )
    national = _first_per_key(
        _observations(geographic_level=NATIONAL, **common), lambda obs: (obs.measure, obs.time_period)
    )
    for measure in MEASURES.values():
        years = sorted({year for (key, year) in area if key == measure.key})
        if not years:
            continue
        rows = [
            YearRow(
                year,
                area.get((measure.key, year)),
                regional.get((measure.key, year)),
                national.get((measure.key, year)),
            )
            for year in years
        ]
        profile.trends.append(LATrend(measure, rows, _la_chart(profile, measure, rows)))
    return profile


def _la_chart(profile: LAProfile, measure: Measure, rows: list[YearRow]) -> SafeString:
    lines = [Series(profile.name, [row.area.rate if row.area else None for row in rows])]
    if profile.region_name:
        lines.append(Series(profile.region_name, [row.region.rate if row.region else None for row in rows]))
    lines.append(Series(ENGLAND, [row.england.rate if row.england else None for row in rows]))
    available = [row for row in rows if row.area is not None and row.area.rate is not None]
    if available:
        first, last = available[0], available[-1]
        assert first.area is not None and last.area is not None
        desc = (
            f"{measure.heading} per 100 pupils in {profile.name} ({profile.school_type}): {first.area.rate_shown} in "
            f"{first.year} and {last.area.rate_shown} in {last.year}"
        )
        if last.england is not None and last.england.rate is not None:
            desc += f"; England {last.england.rate_shown} in {last.year}"
        desc += ". The table beside the chart has every year."
    else:
        desc = f"{measure.heading}: no rate is available for {profile.name}."
    return lines_chart(
        chart_id=f"chart-{measure.key}",
        title=f"{measure.heading} per 100 pupils: {profile.name}, {profile.region_name or 'its region'} and "
        f"England, by academic year",
        desc=desc,
        labels=[row.year for row in rows],
        series=lines,
        x_label="Academic year",
        y_label="Per 100 pupils",
    )


# --- One school -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchoolComparison:
    measure: Measure
    school: Figure | None
    local_authority: Figure | None
    england: Figure | None

    @property
    def versus_england(self) -> str:
        return versus(self.school, self.england)

    @property
    def has_published(self) -> bool:
        return any(f is not None and f.is_published for f in (self.school, self.local_authority, self.england))


@dataclass
class SchoolProfile:
    school: School
    years: list[str] = field(default_factory=list)
    year: str = ""
    school_type: str = ""
    la_name: str = ""
    la_code: str = ""
    reason: str = ""
    error: str = ""
    comparisons: list[SchoolComparison] = field(default_factory=list)
    predecessors: list[School] = field(default_factory=list)

    @property
    def has_published(self) -> bool:
        return any(c.has_published for c in self.comparisons)


def school_profile(school: School, params: Mapping[str, str], user: User) -> SchoolProfile:
    """The school's own published figures for one year (the latest, unless ``year`` is given) against its LA and
    England in the same year and school type; or, where DfE published none for it, the reason."""
    profile = SchoolProfile(school=school)
    # DfE's older school-level files name a school by LAEstab, newer ones by URN: either identifies it.
    keys = [str(school.urn)] + ([str(school.laestab)] if school.laestab else [])
    own = list(_observations(geographic_level=SCHOOL, area_code__in=keys, measure__in=MEASURES))
    if not own:
        profile.reason = _no_figures_reason(school)
        profile.predecessors = _predecessors(school, user)
        return profile
    profile.years = sorted({obs.time_period for obs in own}, reverse=True)
    profile.year = profile.years[0]
    if params.get("year"):
        period = academic_year(params["year"])
        if period is None or period not in profile.years:
            profile.error = (
                f"“{_echo(params['year'])}” is not a year with figures for this school (write it as 2016/17; "
                f"the years are {profile.years[-1]} to {profile.years[0]})."
            )
            return profile
        profile.year = period
    in_year = [obs for obs in own if obs.time_period == profile.year]
    mine = _first_per_key(in_year, lambda obs: obs.measure)
    first = in_year[0]
    profile.school_type = first.school_type
    old_la_code = first.old_la_code or (str(school.laestab)[:3] if school.laestab else "")
    # The LA and England from the same DfE file as the school where it has them: the same release, rounded alike.
    same = {"time_period": profile.year, "school_type": profile.school_type, "measure__in": MEASURES}
    las = _prefer(_observations(geographic_level=LOCAL_AUTHORITY, old_la_code=old_la_code, **same), first.dataset_id)
    england = _prefer(_observations(geographic_level=NATIONAL, **same), first.dataset_id)
    la_any = next(iter(las.values()), None)
    if la_any is not None:
        profile.la_name, profile.la_code = la_any.area_name, la_any.la_code
    elif school.local_authority is not None:
        profile.la_name = school.local_authority.name
    profile.comparisons = [
        SchoolComparison(measure, mine.get(key), las.get(key), england.get(key))
        for key, measure in MEASURES.items()
        if key in mine
    ]
    return profile


def _prefer(observations: QuerySet[Observation], dataset_id: int) -> dict[str, Figure]:
    """measure -> figure, from the given dataset where it has the row, otherwise the first file by name."""
    rows = list(observations)
    rows.sort(key=lambda obs: obs.dataset_id != dataset_id)  # stable: the file-name order stays within each
    return _first_per_key(rows, lambda obs: obs.measure)


def _no_figures_reason(school: School) -> str:
    at_school = Observation.objects.filter(geographic_level=SCHOOL, measure__in=MEASURES)
    years = sorted(set(at_school.values_list("time_period", flat=True).distinct()))
    if not years:
        return (
            "No DfE school-level exclusions figures are loaded, so there is nothing to compare this school with. "
            "DfE published them up to 2016/17 (exclusions_by_geographic_level.csv.gz, loaded with manage.py load_dfe)."
        )
    span = f"{years[0]} to {years[-1]}" if len(years) > 1 else f"{years[0]} only"
    if school.is_alternative_provision:
        return (
            f"DfE's school-level figures loaded here ({span}) cover state-funded primary, secondary and special "
            "schools only: pupil referral units and other alternative provision are not in them. Its local "
            "authority's page has the figures for the area."
        )
    if not school.laestab:
        return (
            f"This school is not in DfE's school-level figures loaded here ({span}), and the registry holds no "
            "LAEstab for it to look for (the older figures name schools by LAEstab, not URN)."
        )
    return (
        f"LAEstab {school.laestab} is not in DfE's school-level figures loaded here ({span}). A school "
        f"that opened after {years[-1]}, or took a new LAEstab since (as many do on becoming an academy), is not in "
        "them; nor is a school whose type DfE did not publish at school level."
    )


def _predecessors(school: School, user: User) -> list[School]:
    """Predecessors in the registry that the user may see: their figures may cover this school's earlier years."""
    from difference.schools.models import School as SchoolModel

    urns = school.links.filter(link_type__icontains="predecessor").values_list("linked_urn", flat=True)
    return list(SchoolModel.objects.for_user(user).filter(urn__in=list(urns)).order_by("name"))  # type: ignore[attr-defined]
