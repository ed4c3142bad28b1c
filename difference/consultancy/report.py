"""An engagement's report: what the trust sent, turned into per-school rates with intervals, funnel plots against
England, each school beside its LA and England, and (from pupil-level data) disproportionality.

The figures come from ``analysis`` (plain statistics) and ``positions`` (DfE's rates); this module reads the
engagement's rows and puts the parts together in the order the report is read. It writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import SafeString

from difference.consultancy import analysis
from difference.consultancy.charts import DotRow, ForestRow, dot_chart, forest_chart, funnel_chart
from difference.consultancy.models import Engagement, EthnicityGroup, PupilReturn, SchoolReturn, SenStatus
from difference.consultancy.positions import Benchmarks, DfeRate, Position
from difference.core.numbers import decimal2, rate
from difference.core.stats import Band, default_threshold
from difference.schools.models import School

SEN_LABELS = {
    SenStatus.NONE: analysis.SEN_NONE,
    SenStatus.SUPPORT: analysis.SEN_SUPPORT,
    SenStatus.EHC_PLAN: analysis.SEN_EHC_PLAN,
}
ETHNICITY_LABELS = dict(zip(EthnicityGroup.values, analysis.ETHNICITY_GROUPS, strict=True))
# The measures DfE publishes by LA and school type, so a school can be placed beside its LA and England.
COMPARED_MEASURES = ("permanent_exclusion_rate", "suspension_rate", "one_plus_suspension_rate")


@dataclass(frozen=True)
class SchoolLine:
    school: School
    rates: analysis.SchoolRates
    positions: dict[str, Position]

    def comparisons(self) -> list[tuple[analysis.SchoolRate, Position]]:
        return [(self.rates[key], self.positions[key]) for key in COMPARED_MEASURES if key in self.positions]


@dataclass(frozen=True)
class Funnel:
    measure: analysis.Measure
    school_type: str
    centre: DfeRate
    points: list[analysis.FunnelPoint]
    chart: SafeString

    @property
    def counts_by_band(self) -> dict[str, int]:
        counts = {band.value: 0 for band in Band}
        for point in self.points:
            if point.band is not None:
                counts[point.band.value] += 1
        return counts

    @property
    def withheld(self) -> int:
        return sum(1 for point in self.points if point.band is None)


@dataclass(frozen=True)
class DotChart:
    """One measure's "each school beside its LA and England", as a chart."""

    measure: analysis.Measure
    chart: SafeString


@dataclass(frozen=True)
class ForestChart:
    outcome: analysis.OutcomeComparisons
    chart: SafeString


@dataclass(frozen=True)
class Finding:
    """One key finding in words, and the section that shows it."""

    text: str
    section: str


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


@dataclass
class Report:
    engagement: Engagement
    year: str
    source: str
    threshold: int
    generated_at: dt.datetime
    lines: list[SchoolLine] = field(default_factory=list)
    trust_total: analysis.SchoolRates | None = None
    funnels: list[Funnel] = field(default_factory=list)
    funnel_notes: list[str] = field(default_factory=list)
    disproportionality: tuple[analysis.OutcomeComparisons, ...] = ()
    year_notes: list[str] = field(default_factory=list)
    dot_charts: list[DotChart] = field(default_factory=list)
    forest_charts: list[ForestChart] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def sections(self) -> list[Section]:
        """The contents: the report's sections in the order they are read, charts before the long tables."""
        if not self.has_data:
            return [Section("reading", "How to read this report")]
        parts = [Section("findings", "Key findings"), Section("trust", "The trust as a whole")]
        parts.append(Section("funnels", "Funnel plots: each school against England, allowing for its size"))
        parts.append(Section("positions", "Each school beside its local authority and England"))
        if self.disproportionality:
            parts.append(Section("disproportionality", "Disproportionality: which pupils are excluded or suspended"))
        parts += [
            Section("schools", "Each school's rates (table)"),
            Section("reading", "How to read this report"),
        ]
        return parts

    @property
    def has_data(self) -> bool:
        return bool(self.lines)

    @property
    def measures(self) -> tuple[analysis.Measure, ...]:
        return analysis.MEASURES

    @property
    def any_published_basis(self) -> bool:
        return any(
            rate is not None and rate.basis == "published"
            for line in self.lines
            for position in line.positions.values()
            for rate in (position.england, position.local_authority)
        ) or any(f.centre.basis == "published" for f in self.funnels)


@dataclass(frozen=True)
class _Data:
    """What the report is built from: per-school counts, their schools, and the pupils behind them (if any)."""

    counts: list[analysis.SchoolCounts]
    schools: dict[int, School]
    source: str
    year: str
    pupils: list[analysis.PupilRecord] = field(default_factory=list)


def build_report(engagement: Engagement) -> Report:
    data = _data(engagement)
    counts, year = data.counts, data.year
    report = Report(
        engagement=engagement,
        year=year,
        source=data.source,
        threshold=default_threshold(),
        generated_at=timezone.now(),
    )
    if not counts:
        return report
    benchmarks = {key: Benchmarks(key, year) for key in COMPARED_MEASURES}
    report.year_notes = sorted({b.year_note for b in benchmarks.values() if b.year_note})
    # The schools' rates and the trust's together: the trust's total must not give away a withheld school's count.
    rows, report.trust_total = analysis.school_table(counts, _total(counts, engagement, year))
    for rates in rows:
        school = data.schools[rates.school.urn]
        positions = {key: b.position(school) for key, b in benchmarks.items()}
        report.lines.append(SchoolLine(school, rates, positions))
    _add_funnels(report)
    if data.pupils:
        report.disproportionality = analysis.disproportionality(data.pupils)
    _add_dot_charts(report)
    _add_forest_charts(report)
    report.findings = key_findings(report)
    return report


def _data(engagement: Engagement) -> _Data:
    """The report's per-school counts: from pupil rows when there are any (they carry the most), else from the
    school rows of the engagement's year (or their latest year)."""
    if engagement.pupil_returns.exists():
        pupils = _pupils(engagement)
        urns = {p.urn for p in pupils}
        schools = _schools(urns)
        names = {urn: (s.name, s.phase) for urn, s in sorted(schools.items(), key=lambda item: item[1].name)}
        year = engagement.academic_year
        return _Data(analysis.school_counts_from_pupils(pupils, names, year), schools, "pupil-level", year, pupils)
    returns = SchoolReturn.objects.filter(engagement=engagement).select_related("school")
    years = sorted({r.academic_year for r in returns})
    if not years:
        return _Data([], {}, "", engagement.academic_year)
    year = engagement.academic_year if engagement.academic_year in years else years[-1]
    chosen = sorted((r for r in returns if r.academic_year == year), key=lambda r: r.school.name)
    counts = [
        analysis.SchoolCounts(
            urn=r.school.urn,
            name=r.school.name,
            phase=r.school.phase,
            year=year,
            headcount=r.headcount,
            suspensions=r.suspensions,
            one_plus_suspensions=r.one_plus_suspensions,
            permanent_exclusions=r.permanent_exclusions,
            sessions_possible=r.sessions_possible,
            sessions_missed=r.sessions_missed,
        )
        for r in chosen
    ]
    return _Data(counts, {r.school.urn: r.school for r in chosen}, "school-level", year)


def _pupils(engagement: Engagement) -> list[analysis.PupilRecord]:
    rows = PupilReturn.objects.filter(engagement=engagement).values_list(
        "pupil_ref", "school__urn", "year_group", "sen_status", "fsm", "ethnicity_group", "suspensions",
        "permanent_exclusion", "sessions_possible", "sessions_missed",
    )  # fmt: skip
    return [
        analysis.PupilRecord(
            pupil_ref=ref,
            urn=urn,
            year_group=year_group,
            sen_status=SEN_LABELS[SenStatus(sen)],
            fsm=fsm,
            ethnicity_group=ETHNICITY_LABELS[ethnicity],
            suspensions=suspensions,
            permanent_exclusion=excluded,
            sessions_possible=possible,
            sessions_missed=missed,
        )
        for ref, urn, year_group, sen, fsm, ethnicity, suspensions, excluded, possible, missed in rows.iterator()
    ]


def _schools(urns: set[int]) -> dict[int, School]:
    return {s.urn: s for s in School.objects.filter(urn__in=urns).select_related("local_authority")}


def _total(counts: list[analysis.SchoolCounts], engagement: Engagement, year: str) -> analysis.SchoolCounts:
    def total(values: list[int | None]) -> int | None:
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)

    return analysis.SchoolCounts(
        urn=0,
        name=f"{engagement.trust.name} (all schools)",
        phase="",
        year=year,
        headcount=sum(c.headcount for c in counts),
        suspensions=total([c.suspensions for c in counts]),
        one_plus_suspensions=total([c.one_plus_suspensions for c in counts]),
        permanent_exclusions=total([c.permanent_exclusions for c in counts]),
        sessions_possible=total([c.sessions_possible for c in counts]),
        sessions_missed=total([c.sessions_missed for c in counts]),
        persistent_absentees=total([c.persistent_absentees for c in counts]),
    )


def _add_funnels(report: Report) -> None:
    """One funnel per measure and DfE school type, centred on England's rate for that type and year (from each
    line's positions): schools are only compared with schools of their own type."""
    for key in COMPARED_MEASURES:
        measure = analysis.get_measure(key)
        by_type: dict[str, list[analysis.SchoolRates]] = {}
        centres: dict[str, DfeRate] = {}
        for line in report.lines:
            position = line.positions[key]
            if position.england is None or position.england.rate is None:
                continue
            by_type.setdefault(position.school_type, []).append(line.rates)
            centres[position.school_type] = position.england
        for school_type, members in sorted(by_type.items()):
            centre = centres[school_type]
            assert centre.rate is not None
            p0 = float(centre.rate / Decimal(100))
            # From the table's rates, so a school withheld there is withheld on the plot too.
            points = analysis.funnel_points(members, measure, p0)
            title = f"{measure.label}, {school_type.lower()} schools, {centre.year}: each school against England"
            chart = funnel_chart(
                chart_id=f"funnel-{key}-{school_type.lower().replace(' ', '-')}",
                title=title,
                desc=_funnel_description(measure, school_type, centre, points),
                points=points,
                measure=measure,
                p0=p0,
                centre_label=f"England {rate(centre.rate)} per 100",
            )
            report.funnels.append(Funnel(measure, school_type, centre, points, chart))
    missing = [key for key in COMPARED_MEASURES if not any(f.measure.key == key for f in report.funnels)]
    if missing:
        report.funnel_notes.append(
            "No DfE figure for England was found for "
            + ", ".join(analysis.get_measure(key).label.lower() for key in missing)
            + f" in {report.year} or earlier, so there is no funnel for "
            + ("it." if len(missing) == 1 else "them.")
        )


def _funnel_description(
    measure: analysis.Measure, school_type: str, centre: DfeRate, points: list[analysis.FunnelPoint]
) -> str:
    placed = [p for p in points if p.band is not None]
    outside = sum(1 for p in placed if p.band is not Band.WITHIN)
    withheld = len(points) - len(placed)
    text = (
        f"{len(placed)} {school_type.lower()} schools placed against England's {measure.label.lower()} of "
        f"{rate(centre.rate)} per 100 in {centre.year}; {outside} outside the 95% limits."
    )
    if withheld:
        text += f" {withheld} not placed (figures withheld or not supplied)."
    return text


def _add_dot_charts(report: Report) -> None:
    for key in COMPARED_MEASURES:
        measure = analysis.get_measure(key)
        rows = []
        for line in report.lines:
            position = line.positions.get(key)
            per_100 = line.rates[key].per_100
            rows.append(
                DotRow(
                    label=line.school.name,
                    school=None if per_100 is None else per_100[0],
                    local_authority=_float(position.local_authority if position else None),
                    england=_float(position.england if position else None),
                    note=line.rates[key].withheld_because,
                )
            )
        if not any(r.school is not None for r in rows):
            continue
        above = sum(1 for r in rows if r.school is not None and r.england is not None and r.school > r.england)
        shown = sum(1 for r in rows if r.school is not None)
        desc = (
            f"{measure.label} per 100 {measure.unit} for {shown} schools, each beside its local authority's and "
            f"England's rate for the same type of school in {report.year}; {above} above England's. "
            "The table after the chart has every figure."
        )
        chart = dot_chart(
            chart_id=f"dots-{key}",
            title=f"{measure.label}: each school beside its local authority and England, {report.year}",
            desc=desc,
            rows=rows,
            x_label=f"{measure.label} per 100 {measure.unit}",
        )
        report.dot_charts.append(DotChart(measure, chart))


def _float(dfe: DfeRate | None) -> float | None:
    return None if dfe is None or dfe.rate is None else float(dfe.rate)


def _add_forest_charts(report: Report) -> None:
    for outcome in report.disproportionality:
        rows = [
            ForestRow(c.label, c.ratio, c.low, c.high, c.suppressed_reason or c.reading) for c in outcome.comparisons
        ]
        clear = sum(1 for c in outcome.comparisons if c.includes_one is False)
        desc = (
            f"{outcome.outcome.label}: each group's rate as a multiple of its comparison group's, with a 95% "
            f"interval; {clear} of {len(rows)} comparisons show a clear difference (an interval that excludes 1)."
        )
        chart = forest_chart(
            chart_id=f"forest-{outcome.outcome.key}",
            title=f"{outcome.outcome.label}: rate ratios by pupil group, {report.year}",
            desc=desc,
            rows=rows,
        )
        report.forest_charts.append(ForestChart(outcome, chart))


# At most this many findings of each kind: a few that matter, not every row of the report again.
FINDINGS_EACH = 3


def key_findings(report: Report) -> list[Finding]:
    """The report's few headline facts in words: schools outside the funnel limits, the widest gaps against
    England, and the largest clear disproportionality. Only figures the report shows (none withheld)."""
    return _funnel_findings(report) + _gap_findings(report) + _ratio_findings(report)


BAND_WORDS = {
    Band.WELL_ABOVE: "well above expected",
    Band.ABOVE: "above expected",
    Band.BELOW: "below expected",
    Band.WELL_BELOW: "well below expected",
}


def _funnel_findings(report: Report) -> list[Finding]:
    if not report.funnels:
        return []
    outside = [
        (f, p)
        for f in report.funnels
        for p in f.points
        if p.band is not None and p.band is not Band.WITHIN and p.rate_per_100 is not None
    ]
    if not outside:
        return [
            Finding(
                "Every school on the funnel plots is within what its size would lead us to expect from England's "
                "rates for its type of school.",
                "funnels",
            )
        ]
    # Beyond 99.8% first, then the largest schools (their rates are the surest).
    outside.sort(key=lambda fp: (fp[1].band not in (Band.WELL_ABOVE, Band.WELL_BELOW), -fp[1].n))
    schools = len({p.urn for _, p in outside})
    parts = []
    for f, p in outside[:FINDINGS_EACH]:
        assert p.rate_per_100 is not None and p.band is not None
        parts.append(
            f"{p.name}, {f.measure.label.lower()} {rate(p.rate_per_100, places=f.measure.decimals)} per 100 "
            f"against England's {rate(f.centre.rate)} ({BAND_WORDS[p.band]})"
        )
    more = len(outside) - FINDINGS_EACH
    text = (
        f"{schools} school{'s are' if schools != 1 else ' is'} outside the 95% funnel limits on at least one "
        f"measure. Furthest: {'; '.join(parts)}{f'; and {more} more' if more > 0 else ''}."
    )
    return [Finding(text, "funnels")]


def _gap_findings(report: Report) -> list[Finding]:
    """Per measure, the school furthest above England's rate for its type (a difference, not a judgement)."""
    parts = []
    for key in COMPARED_MEASURES:
        gaps = []
        for line in report.lines:
            position = line.positions.get(key)
            per_100 = line.rates[key].per_100
            england = _float(position.england if position else None)
            if per_100 is None or england is None or position is None:
                continue
            gaps.append((per_100[0] - england, line, per_100[0], england, _float(position.local_authority)))
        if not gaps:
            continue
        gap, line, school, england, la = max(gaps, key=lambda g: g[0])
        if gap <= 0:
            continue
        la_text = f"local authority {rate(la)}, " if la is not None else ""
        parts.append(
            f"{analysis.get_measure(key).label.lower()}, {line.school.name} {rate(school)} per 100 "
            f"({la_text}England {rate(england)})"
        )
    if not parts:
        return []
    return [Finding(f"Widest gaps above England for the same type of school: {'; '.join(parts)}.", "positions")]


def _ratio_findings(report: Report) -> list[Finding]:
    if not report.disproportionality:
        return []
    clear = [
        (o, c)
        for o in report.disproportionality
        for c in o.comparisons
        if c.ratio is not None and c.includes_one is False and c.ratio > 1
    ]
    if not clear:
        return [Finding("No pupil group's rate differs clearly from its comparison group's.", "disproportionality")]
    # The surest (highest lower limit) for each outcome, so the findings are not three views of one group.
    clear.sort(key=lambda oc: -(oc[1].low or 0))
    best: dict[str, tuple[analysis.OutcomeComparisons, analysis.Comparison]] = {}
    for o, c in clear:
        best.setdefault(o.outcome.key, (o, c))
    parts = [
        f"{o.outcome.label.lower()}, {_lower_first(c.group_label)} at {decimal2(c.ratio)} times the rate of "
        f"{c.reference_label} (95% CI {decimal2(c.low)}–{decimal2(c.high)})"
        for o, c in list(best.values())[:FINDINGS_EACH]
    ]
    return [Finding(f"Largest clear disproportionality: {'; '.join(parts)}.", "disproportionality")]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
