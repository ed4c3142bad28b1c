"""Demo consultancy: an invented 39-school trust asking why its schools exclude at different rates.

The trust, its schools and its pupils are invented. Its pupils' chances of a suspension or a permanent exclusion
are drawn from DfE's national rates for 2022/23 by phase (the shipped national, regional and LA series), spread
between schools by a school effect and between pupils by relative risks of the size the published statistics show
(SEN, free school meals, ethnic group), so the consultancy report has realistic figures to work on. The pupil rows
go through the real pupil-level import, as a trust's file would; the earlier years go through the school-level
import.

The trust, its schools and the engagement are plain records (no GIAS file carries an invented trust, and an
engagement is one form's record), validated as the admin and the engagement form would; the data goes through
``consultancy.imports.upload_data``, the service behind the upload page and ``import_engagement_data``.

Idempotent: the data is generated from a fixed seed, so a second run builds the same files and, finding them
already uploaded, leaves them as they are.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from difference.accounts.models import Membership, User
from difference.benchmarks.comparisons import LA_SERIES
from difference.consultancy.imports import PUPIL_COLUMNS, SCHOOL_COLUMNS, upload_data
from difference.consultancy.models import DataUpload, Engagement, EngagementStatus, PupilReturn, UploadKind
from difference.core import files
from difference.demo.records import upsert
from difference.schools.models import LocalAuthority, School, SchoolCategory, Trust

NATIONAL_SERIES = LA_SERIES

SEED = 20230901
SOURCE = "Invented for the demo"
# GIAS group UIDs and URNs run well below these: nothing real can share them.
TRUST_UID = 990001
TRUST_NAME = "Wrenfield Learning Trust (invented for the demo)"
URN_BASE = 990100
PUPIL_REF_PREFIX = "WLT"
TRUST_PARTNER_EMAIL = "trust@demo.example.org"
RESEARCH_EMAIL = "research@demo.example.org"

ENGAGEMENT_TITLE = "Why do our schools exclude at different rates?"
ENGAGEMENT_YEAR = "2022/23"
ENGAGEMENT_QUESTION = (
    "The trust's board sees its schools suspending and excluding pupils at very different rates and wants to know "
    "why: which schools stand apart once their size is allowed for, whether the differences follow who the schools "
    "teach (free school meals, special educational needs, ethnic group) or how each school works, and how absence "
    "sits alongside. (The trust, its schools and its pupils are invented for the demo; the rates are drawn from "
    "DfE's national figures for 2022/23.)"
)
EARLIER_YEARS = ("2019/20", "2020/21", "2021/22")
# Years whose attendance the trust sends with its school rows (absence in 2019/20 and 2020/21 was not comparable).
YEARS_WITH_ATTENDANCE = {"2021/22"}

PRIMARY, SECONDARY, SPECIAL = "Primary", "Secondary", "Special"
# The DfE series' school_type for each phase.
SERIES_TYPE = {PRIMARY: "state-funded primary", SECONDARY: "state-funded secondary", SPECIAL: "special"}

ETHNICITY = ("white", "mixed", "asian", "black", "chinese", "other", "unclassified")


@dataclass(frozen=True)
class DemoAuthority:
    code: str
    gss_code: str
    name: str
    region: str
    fsm: float  # the trust's schools' typical share of pupils eligible for free school meals there
    ethnicity: tuple[float, ...]  # pupils' shares in ETHNICITY's order, roughly as the school census has them


AUTHORITIES = [
    DemoAuthority("330", "E08000025", "Birmingham", "West Midlands", 0.27,
                  (0.33, 0.09, 0.38, 0.11, 0.005, 0.065, 0.02)),
    DemoAuthority("333", "E08000028", "Sandwell", "West Midlands", 0.25,
                  (0.45, 0.08, 0.30, 0.10, 0.004, 0.046, 0.02)),
    DemoAuthority("336", "E08000031", "Wolverhampton", "West Midlands", 0.24,
                  (0.48, 0.10, 0.26, 0.10, 0.004, 0.04, 0.016)),
    DemoAuthority("335", "E08000030", "Walsall", "West Midlands", 0.22,
                  (0.58, 0.07, 0.26, 0.05, 0.003, 0.025, 0.012)),
    DemoAuthority("209", "E09000023", "Lewisham", "London", 0.23,
                  (0.30, 0.18, 0.09, 0.33, 0.01, 0.07, 0.02)),
    DemoAuthority("210", "E09000028", "Southwark", "London", 0.24,
                  (0.28, 0.15, 0.09, 0.36, 0.015, 0.085, 0.02)),
]  # fmt: skip


@dataclass(frozen=True)
class DemoSchool:
    name: str
    phase: str
    la_code: str
    sixth_form: bool = False


def _primaries(la_code: str, *places: str) -> list[DemoSchool]:
    return [DemoSchool(f"Wrenfield {place} Primary Academy", PRIMARY, la_code) for place in places]


# 28 primaries, 10 secondaries (four with a sixth form) and a special school, in six local authorities. The names
# are invented; none is a school's name in the registry.
SCHOOLS = [
    *_primaries("330", "Alderbrook", "Birchcombe", "Cobbler's Lane", "Dovecote", "Elmstead Green", "Foxglove",
                "Hazelmere"),
    DemoSchool("Wrenfield Hawthorn Rise Academy", SECONDARY, "330"),
    DemoSchool("Wrenfield Kestrel Park Academy", SECONDARY, "330"),
    DemoSchool("Wrenfield Meridian Academy", SECONDARY, "330", sixth_form=True),
    *_primaries("333", "Ivybank", "Juniper Hill", "Kingfisher", "Larchwood", "Mistlethorpe"),
    DemoSchool("Wrenfield Northgate Academy", SECONDARY, "333", sixth_form=True),
    *_primaries("336", "Nettlecombe", "Orchard Vale", "Plover Lane", "Quarrybank"),
    DemoSchool("Wrenfield Oakhurst Academy", SECONDARY, "336"),
    DemoSchool("Wrenfield Sycamore School", SPECIAL, "336"),
    *_primaries("335", "Rookwood", "Sorrel Park", "Tansy Fields"),
    DemoSchool("Wrenfield Pennyfield Academy", SECONDARY, "335"),
    *_primaries("209", "Upperbrook", "Violet Lane", "Willowmead", "Yarrowdale", "Amberley Road"),
    DemoSchool("Wrenfield Linden Hill Academy", SECONDARY, "209"),
    DemoSchool("Wrenfield Ravensmere Academy", SECONDARY, "209", sixth_form=True),
    *_primaries("210", "Bramblecote", "Clover Hill", "Damson Way", "Eldermere"),
    DemoSchool("Wrenfield Stonebridge Academy", SECONDARY, "210"),
    DemoSchool("Wrenfield Thornfield Academy", SECONDARY, "210", sixth_form=True),
]  # fmt: skip
# Two schools the board's question is really about: their rates are well outside what their size explains.
SCHOOL_EFFECT_OVERRIDES = {"Wrenfield Kestrel Park Academy": 1.7, "Wrenfield Linden Hill Academy": 0.45}

ESTABLISHMENT_TYPE = {
    PRIMARY: "Academy Converter",
    SECONDARY: "Academy Sponsor Led",
    SPECIAL: "Academy Special Converter",
}
YEAR_GROUPS = {
    PRIMARY: ("R", "1", "2", "3", "4", "5", "6"),
    SECONDARY: ("7", "8", "9", "10", "11"),
    SPECIAL: ("3", "4", "5", "6", "7", "8", "9", "10", "11"),
}
SIXTH_FORM = ("12", "13")
# How a year group's chance of a suspension compares with its phase's (suspensions rise through each phase, peak
# in years 9 and 10 and are rare in a sixth form).
YEAR_RISK = {"R": 0.3, "1": 0.6, "2": 0.8, "3": 1.0, "4": 1.1, "5": 1.3, "6": 1.5, "7": 0.75, "8": 1.05, "9": 1.2}
YEAR_RISK |= {"10": 1.2, "11": 0.85, "12": 0.15, "13": 0.1}

# Relative risks of a suspension or a permanent exclusion, of the size DfE's published breakdowns show.
SEN_RISK = {"none": 1.0, "sen_support": 3.0, "ehc_plan": 3.5}
FSM_RISK = 3.0
ETHNICITY_RISK = {"white": 1.0, "mixed": 1.5, "asian": 0.5, "black": 1.4, "chinese": 0.2, "other": 0.8}
ETHNICITY_RISK |= {"unclassified": 1.2}
# How far a school's intake moves its own rate (0: not at all, 1: fully); the rest is the school effect.
INTAKE_WEIGHT = 0.3
SCHOOL_EFFECT_SHAPE = 50.0  # gamma shape of the school effect (mean 1, sd 1/sqrt(shape))
PERMANENT_IF_SUSPENDED = 8.0  # a permanently excluded pupil has usually been suspended first
MAX_CHANCE = 0.9

SEN_SUPPORT_SHARE = 0.13
EHC_PLAN_SHARE = 0.035
SPECIAL_EHC_SHARE = 0.97
# Absence: the mean share of sessions missed by phase, near DfE's 2022/23 figures, and its spread between pupils.
ABSENCE_MEAN = {PRIMARY: 0.056, SECONDARY: 0.085, SPECIAL: 0.11}
ABSENCE_CONCENTRATION = 4.0
ABSENCE_RISK_FSM = 1.7
ABSENCE_RISK_SEN = {"none": 1.0, "sen_support": 1.3, "ehc_plan": 1.5}
PART_YEAR_SHARE = 0.06


@dataclass(frozen=True)
class NationalRates:
    """DfE's national rates for a phase and year, per pupil."""

    one_plus: float
    suspensions: float
    permanent: float


def national_rates(path: Path = NATIONAL_SERIES) -> dict[tuple[str, str], NationalRates]:
    """{(phase, "2022/23"): rates} from the shipped series' national rows."""
    types = {series_type: phase for phase, series_type in SERIES_TYPE.items()}
    rates = {}
    text = files.read_text(files.read_bytes(path)).text
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if row["geographic_level"] != "National" or row["school_type"] not in types:
            continue
        period = row["time_period"]
        year = f"{period[:4]}/{period[4:]}"
        headcount = float(row["headcount"])
        rates[types[row["school_type"]], year] = NationalRates(
            one_plus=float(row["one_plus_susp"]) / headcount,
            suspensions=float(row["suspension"]) / headcount,
            permanent=float(row["perm_excl"]) / headcount,
        )
    return rates


@dataclass
class Pupils:
    """The generated pupils of the trust, one array entry each."""

    school: np.ndarray  # index into SCHOOLS
    year_group: np.ndarray
    sen: np.ndarray
    fsm: np.ndarray
    ethnicity: np.ndarray
    suspensions: np.ndarray
    permanent: np.ndarray
    possible: np.ndarray
    missed: np.ndarray

    def __len__(self) -> int:
        return len(self.school)


@dataclass
class DemoData:
    headcounts: list[int]
    school_effects: list[float]
    pupils: Pupils
    earlier: list[list[str]]  # school-level rows for EARLIER_YEARS, in SCHOOL_COLUMNS' order


def generate(rates: dict[tuple[str, str], NationalRates], urns: list[int]) -> DemoData:
    """Everything the demo uploads, from the fixed seed: the same every run."""
    rng = np.random.default_rng(SEED)
    authorities = {la.code: la for la in AUTHORITIES}
    headcounts = [_headcount(rng, school) for school in SCHOOLS]
    effects = [
        SCHOOL_EFFECT_OVERRIDES.get(school.name, float(rng.gamma(SCHOOL_EFFECT_SHAPE, 1 / SCHOOL_EFFECT_SHAPE)))
        for school in SCHOOLS
    ]
    attendance_effects = rng.lognormal(0.0, 0.15, len(SCHOOLS))
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ("school", "year_group", "sen", "fsm", "ethnicity")}
    for index, (school, headcount) in enumerate(zip(SCHOOLS, headcounts, strict=True)):
        groups = YEAR_GROUPS[school.phase]
        weights = np.ones(len(groups))
        if school.sixth_form:
            groups, weights = groups + SIXTH_FORM, np.concatenate([weights, [0.45, 0.4]])
        parts["school"].append(np.full(headcount, index))
        parts["year_group"].append(rng.choice(np.array(groups), headcount, p=weights / weights.sum()))
        fsm_share = 0.42 if school.phase == SPECIAL else authorities[school.la_code].fsm + rng.normal(0, 0.09)
        fsm = rng.random(headcount) < np.clip(fsm_share, 0.10, 0.50)
        parts["fsm"].append(fsm)
        parts["sen"].append(_sen(rng, school, fsm))
        shares = np.array(authorities[school.la_code].ethnicity)
        parts["ethnicity"].append(
            rng.choice(np.array(ETHNICITY), headcount, p=rng.dirichlet(shares / shares.sum() * 80))
        )
    school_of = np.concatenate(parts["school"])
    year_group = np.concatenate(parts["year_group"])
    sen = np.concatenate(parts["sen"])
    fsm = np.concatenate(parts["fsm"])
    ethnicity = np.concatenate(parts["ethnicity"])
    phase = np.array([SCHOOLS[i].phase for i in range(len(SCHOOLS))])[school_of]

    risk = (
        np.vectorize(SEN_RISK.__getitem__)(sen)
        * np.where(fsm, FSM_RISK, 1.0)
        * np.vectorize(ETHNICITY_RISK.__getitem__)(ethnicity)
        * np.vectorize(YEAR_RISK.__getitem__)(year_group)
    )
    school_risk = np.bincount(school_of, weights=risk) / np.bincount(school_of)
    effect = np.array(effects)[school_of]
    one_plus = np.zeros(len(school_of), dtype=bool)
    suspensions = np.zeros(len(school_of), dtype=int)
    permanent = np.zeros(len(school_of), dtype=bool)
    for name in (PRIMARY, SECONDARY, SPECIAL):
        members = phase == name
        national = rates[name, ENGAGEMENT_YEAR]
        phase_risk = risk[members].mean()
        # A school's own rate: its effect, moved part of the way by its intake; its pupils share it by their risk.
        intake = (school_risk[school_of[members]] / phase_risk) ** INTAKE_WEIGHT
        weight = effect[members] * intake * risk[members] / school_risk[school_of[members]]
        chance = _scaled(weight, national.one_plus)
        one_plus[members] = rng.random(members.sum()) < chance
        repeats = national.suspensions / national.one_plus - 1
        extra = rng.poisson(repeats * rng.gamma(1.5, 1 / 1.5, members.sum()))
        suspensions[members] = np.where(one_plus[members], 1 + extra, 0)
        permanent_weight = weight * np.where(one_plus[members], PERMANENT_IF_SUSPENDED, 1.0)
        permanent[members] = rng.random(members.sum()) < _scaled(permanent_weight, national.permanent)

    possible = rng.integers(320, 331, len(school_of))
    part_year = rng.random(len(school_of)) < PART_YEAR_SHARE
    possible = np.where(part_year, rng.integers(30, 300, len(school_of)), possible)
    # A permanently excluded pupil leaves the roll part-way through the year.
    possible = np.where(permanent, np.minimum(possible, rng.integers(60, 290, len(school_of))), possible)
    absence = (
        attendance_effects[school_of]
        * np.where(fsm, ABSENCE_RISK_FSM, 1.0)
        * np.vectorize(ABSENCE_RISK_SEN.__getitem__)(sen)
        * np.where(one_plus, 1.4, 1.0)
    )
    for name in (PRIMARY, SECONDARY, SPECIAL):
        members = phase == name
        absence[members] *= ABSENCE_MEAN[name] / absence[members].mean()
    absence = np.clip(absence, 0.005, 0.6)
    share = rng.beta(absence * ABSENCE_CONCENTRATION, (1 - absence) * ABSENCE_CONCENTRATION)
    missed = rng.binomial(possible, share)

    pupils = Pupils(school_of, year_group, sen, fsm, ethnicity, suspensions, permanent, possible, missed)
    earlier = _earlier_years(rng, rates, urns, headcounts, effects)
    return DemoData(headcounts, effects, pupils, earlier)


def _headcount(rng: np.random.Generator, school: DemoSchool) -> int:
    if school.phase == PRIMARY:
        # One, one-and-a-half, two or three forms of entry, a little under full.
        forms = rng.choice([210, 315, 420, 630], p=[0.2, 0.2, 0.45, 0.15])
        return int(forms * rng.uniform(0.86, 1.03))
    if school.phase == SECONDARY:
        return int(rng.integers(700, 1300) * (1.15 if school.sixth_form else 1.0))
    return int(rng.integers(80, 200))


def _sen(rng: np.random.Generator, school: DemoSchool, fsm: np.ndarray) -> np.ndarray:
    draw = rng.random(len(fsm))
    if school.phase == SPECIAL:
        return np.where(draw < SPECIAL_EHC_SHARE, "ehc_plan", "sen_support")
    # SEN is commoner among pupils eligible for free school meals; a school's share varies a little.
    lift = np.where(fsm, 1.5, 1.0) / (1 + 0.5 * 0.24) * rng.lognormal(0.0, 0.2)
    ehc, support = EHC_PLAN_SHARE * lift, (EHC_PLAN_SHARE + SEN_SUPPORT_SHARE) * lift
    return np.where(draw < ehc, "ehc_plan", np.where(draw < support, "sen_support", "none"))


def _scaled(weight: np.ndarray, rate: float) -> np.ndarray:
    """Chances proportional to ``weight`` (at most MAX_CHANCE) whose mean is ``rate``."""
    chance = weight * rate / weight.mean()
    for _ in range(5):
        chance = np.minimum(chance, MAX_CHANCE)
        chance *= rate / chance.mean()
    return np.minimum(chance, MAX_CHANCE)


def _earlier_years(
    rng: np.random.Generator,
    rates: dict[tuple[str, str], NationalRates],
    urns: list[int],
    headcounts: list[int],
    effects: list[float],
) -> list[list[str]]:
    """School rows for EARLIER_YEARS: the same schools, a little smaller, at the national rates of those years
    (the pandemic's closures show), and the two outlying schools drifting to where 2022/23 finds them."""
    rows = []
    for back, year in enumerate(reversed(EARLIER_YEARS), start=1):
        for school, urn, headcount, effect in zip(SCHOOLS, urns, headcounts, effects, strict=True):
            national = rates[school.phase, year]
            size = max(1, int(headcount * (1 - 0.02 * back) * rng.uniform(0.97, 1.03)))
            drift = 1 + (effect - 1) * (1 - 0.25 * back)
            one_plus = int(rng.binomial(size, min(MAX_CHANCE, national.one_plus * drift)))
            repeats = national.suspensions / national.one_plus - 1
            suspensions = one_plus + int(rng.poisson(one_plus * repeats))
            permanent = int(rng.binomial(size, national.permanent * drift))
            possible = missed = ""
            if year in YEARS_WITH_ATTENDANCE:
                sessions = size * int(rng.integers(318, 328))
                possible, missed = (
                    str(sessions),
                    str(int(sessions * ABSENCE_MEAN[school.phase] * rng.uniform(0.9, 1.25))),
                )
            rows.append([str(urn), year, str(size), str(suspensions), str(one_plus), str(permanent), possible, missed])
    return rows


def pupil_csv(data: DemoData, urns: list[int]) -> bytes:
    """The pupil-level file a trust would send: one row per pupil, pseudonymous references in no school's order."""
    pupils = data.pupils
    order = np.random.default_rng(SEED + 1).permutation(len(pupils))
    refs = np.empty(len(pupils), dtype=object)
    refs[order] = [f"{PUPIL_REF_PREFIX}-{n:06d}" for n in range(1, len(pupils) + 1)]
    yes_no = np.array(["no", "yes"])
    columns = [
        refs,
        np.array(urns)[pupils.school],
        pupils.year_group,
        pupils.sen,
        yes_no[pupils.fsm.astype(int)],
        pupils.ethnicity,
        pupils.suspensions,
        yes_no[pupils.permanent.astype(int)],
        pupils.possible,
        pupils.missed,
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PUPIL_COLUMNS)
    writer.writerows(zip(*(column.tolist() for column in columns), strict=True))
    return out.getvalue().encode()


def school_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SCHOOL_COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode()


def load_consultancy() -> str:
    """Create or refresh the invented trust, its schools, the engagement and its data; a one-line summary."""
    trust = upsert(
        Trust,
        match={"uid": TRUST_UID},
        values={"name": TRUST_NAME, "group_type": "Multi-academy trust", "group_id": "", "companies_house_number": ""},
    )
    urns = [URN_BASE + number for number in range(1, len(SCHOOLS) + 1)]
    data = generate(national_rates(), urns)
    schools = _load_schools(trust, urns, data.headcounts)
    research = User.objects.filter(email=RESEARCH_EMAIL).first()
    engagement = upsert(
        Engagement,
        match={"trust": trust, "title": ENGAGEMENT_TITLE},
        values={
            "academic_year": ENGAGEMENT_YEAR,
            "question": ENGAGEMENT_QUESTION,
            "status": EngagementStatus.REPORTED,
            "created_by": research,
        },
    )
    uploaded = [
        _upload(engagement, pupil_csv(data, urns), UploadKind.PUPIL, "wrenfield-pupils-2022-23.csv", research),
        _upload(engagement, school_csv(data.earlier), UploadKind.SCHOOL, "wrenfield-schools-2019-22.csv", research),
    ]
    partner = User.objects.filter(email=TRUST_PARTNER_EMAIL).first()
    if partner is not None:
        upsert(Membership, match={"user": partner, "trust": trust})  # kept in the admin: a plain record
    pupils = PupilReturn.objects.filter(engagement=engagement)
    rates = []
    for phase in (PRIMARY, SECONDARY):
        members = pupils.filter(school__phase=phase)
        count = members.count()
        suspended = members.filter(suspensions__gt=0).count()
        rates.append(f"{phase.lower()} {100 * suspended / count:.2f}" if count else f"{phase.lower()} -")
    return (
        f"Consultancy: {trust.name}, {len(schools)} invented schools in "
        f"{len({s.local_authority_id for s in schools})} local authorities; “{engagement.title}” "
        f"({engagement.academic_year}) with {pupils.count():,} pupil rows "
        f"(1+ suspensions per 100: {', '.join(rates)}) and school rows for {EARLIER_YEARS[0]} to {EARLIER_YEARS[-1]}; "
        f"{'uploaded' if any(uploaded) else 'already uploaded, left as they are'}"
        f"{'' if partner else '; no trust-partner login to link'}."
    )


def _load_schools(trust: Trust, urns: list[int], headcounts: list[int]) -> list[School]:
    # An authority the registry already has is used as it is; only the missing ones are made.
    authorities = {
        la.code: upsert(
            LocalAuthority,
            match={"code": la.code},
            defaults={"gss_code": la.gss_code, "name": la.name, "region": la.region},
        )
        for la in AUTHORITIES
    }
    schools = []
    for school, urn, headcount in zip(SCHOOLS, urns, headcounts, strict=True):
        authority = authorities[school.la_code]
        record = upsert(
            School,
            match={"urn": urn},
            values={
                "name": school.name,
                "local_authority": authority,
                "establishment_type": ESTABLISHMENT_TYPE[school.phase],
                "establishment_group": "Academies",
                "category": SchoolCategory.SPECIAL if school.phase == SPECIAL else SchoolCategory.MAINSTREAM,
                "phase": school.phase,
                "region": authority.region,
                "trust": trust,
                "pupils": headcount,
                "pupils_source": SOURCE,
                "pupils_year": ENGAGEMENT_YEAR,
                "status": "Open",
                "source": SOURCE,
            },
        )
        schools.append(record)
    return schools


def _upload(engagement: Engagement, content: bytes, kind: str, filename: str, by: User | None) -> bool:
    """Upload ``content`` unless it is already the engagement's current upload of that kind; whether it was. A
    changed file replaces the current upload, which stays in the engagement's history as any replaced upload does."""
    sha256 = hashlib.sha256(content).hexdigest()
    current = DataUpload.objects.filter(engagement=engagement, kind=kind, replaced=False)
    if current.filter(sha256=sha256).exists():
        return False
    result = upload_data(engagement, io.BytesIO(content), kind=kind, filename=filename, by=by)
    if not result.ok:
        problems = "; ".join(str(error) for error in result.errors[:5])
        raise ValueError(f"The demo's {kind} file did not import: {problems}")
    return True
