"""Loading England's schools registry, GIAS extracts, and matching school names against the registry.

The shipped registry (``data/``, provenance in the ``PROVENANCE-*.md`` files there) is assembled from:

- DfE's LAEstab → URN lookup (2018): names, URNs and LAEstabs of 25,948 schools;
- the GIAS links download (2025-04-22): predecessor/successor links, and the *current* name of every linked
  establishment, which also names academies opened after 2018;
- EduBase's establishment type per URN (Nov 2016), the open academy trusts (Nov 2016), and DfE's local authority
  list with ONS codes and regions (from the 2006/07-2022/23 exclusions time series).

A GIAS "all establishments" extract, when the charity downloads one, is the authoritative and current source and
is loaded on top with ``load_gias_extract``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction

from difference.schools.models import LocalAuthority, Region, School, SchoolCategory, SchoolLink, Trust

DATA_DIR = Path(__file__).resolve().parent / "data"

LOOKUP_FILE = "school_data_sql.csv.gz"
LINKS_FILE = "links_edubasealldata20250422.csv.gz"
TYPES_FILE = "establishment_type_by_urn_edubase_nov2016.tsv.gz"
TRUSTS_FILE = "all-open-sats-and-mats-161122.csv"
LOCAL_AUTHORITIES_FILE = "exc_nat_region_la.csv.gz"

# School.source values; GIAS_SOURCE_PREFIX marks schools a GIAS extract has described.
LOOKUP_SOURCE = "DfE LAEstab lookup 2018"
LINKS_SOURCE = "GIAS links 2025-04-22"
TYPES_SOURCE = "EduBase types 2016-11"
GIAS_SOURCE_PREFIX = "GIAS extract"

# Link types after which the school itself no longer exists. "Successor - Split School" is not one: the school
# that splits off part of itself stays open (Haberdashers' Hatcham College kept its URN when its primary split).
CLOSING_LINK_TYPES = ("Successor", "Successor - merged", "Successor - amalgamated")

Progress = Callable[[str], None]


# --- Establishment types ------------------------------------------------------------------------------------

_TYPES_BY_CATEGORY: dict[SchoolCategory, tuple[str, ...]] = {
    SchoolCategory.PRU: ("pupil referral unit",),
    SchoolCategory.AP_ACADEMY: (
        "academy alternative provision converter",
        "academy alternative provision sponsor led",
        "free schools alternative provision",
    ),
    SchoolCategory.SPECIAL: (
        "community special school",
        "foundation special school",
        "non maintained special school",
        "other independent special school",
        "academy special converter",
        "academy special sponsor led",
        "free schools special",
    ),
    # State-funded and independent schools teaching pupils. 16-19 academies and free schools count as schools
    # because GIAS groups them with the academies and free schools; LA nursery schools are maintained schools.
    SchoolCategory.MAINSTREAM: (
        "community school",
        "voluntary aided school",
        "voluntary controlled school",
        "foundation school",
        "la nursery school",
        "local authority nursery school",
        "academy converter",
        "academy sponsor led",
        "academy 16 19 converter",
        "academy 16 19 sponsor led",
        "free schools",
        "free schools 16 19",
        "studio schools",
        "university technical college",
        "city technology college",
        "other independent school",
    ),
    # Not schools the charity works with: colleges and universities, children's centres, establishments outside
    # England, secure provision, and GIAS's catch-alls. Sixth form centres are here too: GIAS files them under
    # "Colleges", they teach no pupils of compulsory school age, and they mostly stand for a school consortium's
    # shared sixth form (see the "Sixth Form Centre Link" links) rather than a school of their own.
    SchoolCategory.OTHER: (
        "further education",
        "sixth form centres",
        "higher education institutions",
        "childrens centre",
        "childrens centre linked site",
        "welsh establishment",
        "offshore schools",
        "british schools overseas",
        "service childrens education",
        "secure units",
        "academy secure 16 19",
        "special post 16 institution",
        "institution funded by other government department",
        "online provider",
        "miscellaneous",
    ),
}
_CATEGORY_BY_TYPE = {name: category for category, names in _TYPES_BY_CATEGORY.items() for name in names}


def _type_key(type_name: str) -> str:
    # One key for EduBase 2016 spellings ("Free Schools - 16-19", "Service Childrens Education") and GIAS 2025
    # ones ("Free schools 16 to 19", "Service children's education").
    key = re.sub(r"['’‘`]", "", type_name.casefold())
    key = re.sub(r"(\d+) to (\d+)", r"\1 \2", key)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", key).split())


def classify_establishment_type(type_name: str) -> SchoolCategory:
    """The charity's category for a GIAS/EduBase establishment type name, in either era's spelling."""
    key = _type_key(type_name or "")
    if not key:
        return SchoolCategory.UNKNOWN
    if key in _CATEGORY_BY_TYPE:
        return _CATEGORY_BY_TYPE[key]
    # GIAS renames types now and then; the categories the charity counts by should survive a renaming.
    if "pupil referral" in key:
        return SchoolCategory.PRU
    if "alternative provision" in key:
        return SchoolCategory.AP_ACADEMY
    if "special" in key.split() and "post 16" not in key:
        return SchoolCategory.SPECIAL
    return SchoolCategory.UNKNOWN


def normalise_region(name: str | None) -> str:
    """One of the nine ``Region`` values, or "" (Wales, "Not Applicable", unknown)."""
    return _REGIONS.get(" ".join((name or "").split()).casefold(), "")


_REGIONS: dict[str, str] = {region.value.casefold(): region.value for region in Region} | {
    "inner london": Region.LONDON.value,
    "outer london": Region.LONDON.value,
}


# --- Load reports -------------------------------------------------------------------------------------------


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class SkippedRow:
    file: str
    where: str  # "row 12" or "URN 100947": enough to find the row in the file
    reason: str


def _model_counts() -> dict[str, ModelCounts]:
    return {
        str(model._meta.verbose_name_plural): ModelCounts() for model in (LocalAuthority, Trust, School, SchoolLink)
    }


@dataclass
class LoadReport:
    """What one load did, per model; ``counts`` is keyed by verbose plural name ("schools", "school links")."""

    source: str
    counts: dict[str, ModelCounts] = field(default_factory=_model_counts)
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration: float = 0.0  # seconds

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    def skip(self, file: str, where: str, reason: str) -> None:
        self.skipped.append(SkippedRow(file, where, reason))

    def summary_lines(self) -> list[str]:
        lines = [f"{self.source}: {self.duration:.1f} s"]
        for label, c in self.counts.items():
            lines.append(f"  {label}: {c.created:,} created, {c.updated:,} updated, {c.unchanged:,} unchanged")
        if self.skipped:
            lines.append(f"  {len(self.skipped):,} rows skipped:")
            by_reason: dict[tuple[str, str], list[str]] = {}
            for row in self.skipped:
                by_reason.setdefault((row.file, row.reason), []).append(row.where)
            for (file, reason), wheres in by_reason.items():
                examples = ", ".join(wheres[:3]) + (", ..." if len(wheres) > 3 else "")
                lines.append(f"    {len(wheres):,} in {file}: {reason} ({examples})")
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines


# --- Reading files with DuckDB ------------------------------------------------------------------------------


@contextmanager
def _duckdb_files(*paths: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, list[Path]]]:
    """An in-memory DuckDB connection and UTF-8 copies of ``paths`` it can read.

    DuckDB 2.0 reads only UTF-8, UTF-16 and strict Latin-1 (which rejects the 0x80-0x9F bytes Windows-1252 uses
    for curly quotes and dashes); Windows-1252 needs its ``encodings`` extension, a download at run time. GIAS
    files are Windows-1252, so they are decoded here instead, gunzipping as we go.
    """
    with tempfile.TemporaryDirectory(prefix="schools-load-") as tmp:
        copies = [_utf8_copy(path, Path(tmp)) for path in paths]
        connection = duckdb.connect()
        try:
            yield connection, copies
        finally:
            connection.close()


def _open_binary(path: Path) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _utf8_copy(source: Path, directory: Path) -> Path:
    target = directory / source.name.removesuffix(".gz")
    # UTF-8 first: Windows-1252 text with any accented or curly character is never valid UTF-8, while a
    # GIAS file someone re-saved as UTF-8 would otherwise turn into mojibake without an error.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with _open_binary(source) as src, target.open("w", encoding="utf-8", newline="") as dst:
                decoder = codecs.getincrementaldecoder(encoding)()
                while chunk := src.read(1 << 20):
                    dst.write(decoder.decode(chunk))
                dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            continue
        except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
            raise ValueError(f"{source.name} could not be read: {exc}") from exc
        return target
    raise ValueError(f"{source.name} is neither UTF-8 nor Windows-1252 text")


def _read_csv(path: Path, *, delim: str = ",") -> str:
    # Every column as text, header and delimiter given rather than sniffed: sniffing a header when every
    # column is text is guesswork, and identifiers such as "06" or "0452" must keep their leading zeros.
    quoted = str(path).replace("'", "''")
    return f"read_csv('{quoted}', all_varchar = true, header = true, delim = '{delim}', quote = '\"')"


def _query(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    try:
        return connection.sql(sql).fetchall()
    except duckdb.Error as exc:
        raise ValueError(f"Could not read the file: {exc}") from exc


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


# --- Writing ------------------------------------------------------------------------------------------------

M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)


def _upsert(
    model: type[M],
    *,
    wanted: dict[K, dict[str, Any]],
    existing: dict[K, M],
    build: Callable[[K, dict[str, Any]], M],
    counts: ModelCounts,
) -> None:
    """Create the missing rows and update the changed ones, in batches; compares values so re-runs write nothing.

    ``wanted`` values use attnames (``local_authority_id``) so that comparing never loads a related object.
    """
    to_create: list[M] = []
    to_update: list[M] = []
    changed: set[str] = set()
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(build(key, values))
            continue
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        if not differing:
            counts.unchanged += 1
            continue
        for name in differing:
            setattr(obj, name, values[name])
        changed.update(differing)
        to_update.append(obj)
    model._default_manager.bulk_create(to_create, batch_size=1000)
    if to_update:
        _bulk_update(model, to_update, sorted(changed))
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _bulk_update(model: type[M], objects: list[M], names: list[str]) -> None:
    # One parameterised UPDATE per row through executemany, not QuerySet.bulk_update: that builds a CASE
    # expression per field per row, and took 33 s to update 40,000 schools from a GIAS extract on SQLite.
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    primary_key = str(cast("models.Field[Any, Any]", model._meta.pk).column)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(primary_key)} = %s"
    params = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _validated(obj: M, *, exclude: Sequence[str] = ()) -> M:
    # clean_fields rather than full_clean: the unique and foreign-key checks would cost a query per row, and
    # the loaders already key rows by their unique fields.
    try:
        obj.clean_fields(exclude=list(exclude))
    except ValidationError as exc:
        raise ValidationError(f"{obj._meta.verbose_name} {obj}: {'; '.join(exc.messages)}") from exc
    return obj


# --- The shipped registry -----------------------------------------------------------------------------------


@dataclass
class _RegistrySchool:
    name: str
    sources: list[str]
    laestab: int | None = None
    establishment_type: str = ""
    establishment_group: str = ""


def load_registry(*, data_dir: Path = DATA_DIR, progress: Progress | None = None) -> LoadReport:
    """Load the shipped registry: local authorities, trusts, schools and their GIAS links. Safe to re-run.

    Schools a GIAS extract has described keep that (newer) description; only their links are added. Values the
    registry lacks (no LA or type for a school known only from the links file) never blank out existing ones.
    """
    started = time.monotonic()
    say = progress or (lambda message: None)
    report = LoadReport(source="Schools registry (shipped data)")
    files = [data_dir / name for name in (LOCAL_AUTHORITIES_FILE, TRUSTS_FILE, LOOKUP_FILE, LINKS_FILE, TYPES_FILE)]
    say("Reading the shipped registry files")
    with _duckdb_files(*files) as (connection, (la_csv, trusts_csv, lookup_csv, links_csv, types_csv)):
        local_authorities = _registry_local_authorities(connection, la_csv)
        trusts = _registry_trusts(connection, trusts_csv, report)
        schools = _registry_schools(connection, lookup_csv, links_csv, types_csv, report)
        links = _registry_links(connection, links_csv, schools, report)

    with transaction.atomic():
        say(f"Local authorities: {len(local_authorities):,} in the files")
        _upsert(
            LocalAuthority,
            wanted=local_authorities,
            existing={la.code: la for la in LocalAuthority.objects.all()},
            build=lambda code, values: _validated(LocalAuthority(code=code, **values)),
            counts=report.counts["local authorities"],
        )
        say(f"Trusts: {len(trusts):,} in the files")
        _upsert(
            Trust,
            wanted=trusts,
            existing={trust.uid: trust for trust in Trust.objects.all()},
            build=lambda uid, values: _validated(Trust(uid=uid, **values)),
            counts=report.counts["trusts"],
        )
        say(f"Schools: {len(schools):,} in the files")
        _save_registry_schools(schools, report)
        say(f"School links: {len(links):,} in the files")
        school_ids = dict(School.objects.values_list("urn", "id"))
        _upsert(
            SchoolLink,
            wanted={
                (school_ids[urn], linked_urn, link_type): values
                for (urn, linked_urn, link_type), values in links.items()
            },
            existing={(link.school_id, link.linked_urn, link.link_type): link for link in SchoolLink.objects.all()},
            build=lambda key, values: _validated(
                SchoolLink(school_id=key[0], linked_urn=key[1], link_type=key[2], **values), exclude=["school"]
            ),
            counts=report.counts["school links"],
        )
    report.duration = time.monotonic() - started
    return report


def _registry_local_authorities(connection: duckdb.DuckDBPyConnection, path: Path) -> dict[str, dict[str, Any]]:
    # The file repeats each LA for every year and school type; the latest year has the current ONS code
    # (Buckinghamshire, Gateshead and Northumberland changed theirs) and old LAs keep their last known row.
    rows = _query(
        connection,
        f"""
        select lpad(old_la_code, 3, '0'), new_la_code, la_name, region_name
        from {_read_csv(path)}
        where geographic_level = 'Local authority' and try_cast(old_la_code as integer) is not null
        qualify row_number() over (partition by old_la_code order by time_period desc) = 1
        """,
    )
    return {
        code: {"gss_code": _text(gss), "name": _text(name), "region": normalise_region(region)}
        for code, gss, name, region in rows
    }


def _registry_trusts(
    connection: duckdb.DuckDBPyConnection, path: Path, report: LoadReport
) -> dict[int, dict[str, Any]]:
    rows = _query(
        connection,
        f"""
        select try_cast("Group UID" as integer), "Group UID", "Group ID", "Group Name",
               "Companies House Number", "Group Type"
        from {_read_csv(path)}
        """,
    )
    trusts: dict[int, dict[str, Any]] = {}
    for uid, raw_uid, group_id, name, companies_house, group_type in rows:
        if uid is None or not _text(name):
            report.skip(path.name, f"Group UID {raw_uid}", "no numeric Group UID or no name")
            continue
        trusts[uid] = {
            "group_id": _text(group_id),
            "name": _text(name),
            "companies_house_number": _text(companies_house),
            "group_type": _text(group_type),
        }
    return trusts


def _registry_schools(
    connection: duckdb.DuckDBPyConnection, lookup: Path, links: Path, types: Path, report: LoadReport
) -> dict[int, _RegistrySchool]:
    schools: dict[int, _RegistrySchool] = {}
    # A URN that moved LA (Bedfordshire's 2009 split, for one) has a row per LAEstab: keep its latest year's.
    for urn, raw_urn, laestab, name in _query(
        connection,
        f"""
        select try_cast(URN as integer) as school_urn, URN, try_cast(LAEstab as integer) as school_laestab, SchoolName
        from {_read_csv(lookup)}
        qualify row_number() over (partition by school_urn order by AcademicYear desc, school_laestab desc) = 1
        """,
    ):
        if urn is None or not _text(name):
            report.skip(lookup.name, f"URN {raw_urn}", "no numeric URN or no name")
            continue
        schools[urn] = _RegistrySchool(name=_text(name), sources=[LOOKUP_SOURCE], laestab=laestab)
    # GIAS gives a linked establishment's *current* name, which beats the 2018 lookup's: it has the academies'
    # new names ("TBAP Cambridge AP Academy" is now "Olive AP Academy - Cambridge") and proper capitalisation.
    for urn, name in _query(
        connection,
        f"""
        select try_cast(LinkURN as integer) as linked_urn, max(LinkName)
        from {_read_csv(links)}
        where linked_urn is not null and trim(coalesce(LinkName, '')) <> ''
        group by linked_urn
        """,
    ):
        if urn in schools:
            schools[urn].name = _text(name)
            schools[urn].sources.insert(0, LINKS_SOURCE)
        else:
            schools[urn] = _RegistrySchool(name=_text(name), sources=[LINKS_SOURCE])
    for urn, raw_urn, type_name, group_name in _query(
        connection,
        f"""
        select try_cast(urn as integer), urn, "establishment-type", "establishment-group-type"
        from {_read_csv(types, delim=chr(9))}
        """,
    ):
        school = schools.get(urn) if urn is not None else None
        if school is None:
            report.skip(types.name, f"URN {raw_urn}", "URN not in the registry (no name for it in lookup or links)")
            continue
        school.establishment_type = _text(type_name)
        school.establishment_group = _text(group_name)
        school.sources.append(TYPES_SOURCE)
    return schools


def _registry_links(
    connection: duckdb.DuckDBPyConnection, path: Path, schools: dict[int, _RegistrySchool], report: LoadReport
) -> dict[tuple[int, int, str], dict[str, Any]]:
    links: dict[tuple[int, int, str], dict[str, Any]] = {}
    rows = _query(
        connection,
        f"""
        select try_cast(URN as integer), try_cast(LinkURN as integer), URN, LinkURN, LinkName, LinkType,
               try_strptime(LinkEstablishedDate, '%d-%m-%Y')::date
        from {_read_csv(path)}
        """,
    )
    for urn, linked_urn, raw_urn, raw_linked, linked_name, link_type, established_on in rows:
        if urn is None or linked_urn is None or not _text(link_type):
            report.skip(path.name, f"URN {raw_urn}", f"link to {raw_linked}: a URN is not numeric or no link type")
        elif urn not in schools:
            # About 160 closed schools are only ever the "from" side of a link, so nothing names them.
            report.skip(path.name, f"URN {urn}", "URN not in the registry (no name for it in lookup or links)")
        else:
            links.setdefault(
                (urn, linked_urn, _text(link_type)),
                {"linked_name": _text(linked_name), "established_on": established_on},
            )
    return links


def _save_registry_schools(schools: dict[int, _RegistrySchool], report: LoadReport) -> None:
    local_authorities = {la.code: la for la in LocalAuthority.objects.all()}
    existing = {school.urn: school for school in School.objects.all()}
    wanted: dict[int, dict[str, Any]] = {}
    unknown_la_codes: Counter[str] = Counter()
    for urn, school in schools.items():
        current = existing.get(urn)
        if current is not None and current.source.startswith(GIAS_SOURCE_PREFIX):
            wanted[urn] = {}  # a GIAS extract's description is newer than anything shipped here
            continue
        la = None
        if school.laestab is not None:
            code = f"{school.laestab // 10000:03d}"
            la = local_authorities.get(code)
            if la is None:
                unknown_la_codes[code] += 1
        values: dict[str, Any] = {
            "name": school.name,
            "laestab": school.laestab,
            "local_authority_id": la.pk if la else None,
            "region": la.region if la else "",
            "establishment_type": school.establishment_type,
            "establishment_group": school.establishment_group,
            "category": classify_establishment_type(school.establishment_type),
            "source": "; ".join(school.sources),
        }
        if current is not None:
            values = {name: value for name, value in values.items() if value not in ("", None, SchoolCategory.UNKNOWN)}
        wanted[urn] = values
    _upsert(
        School,
        wanted=wanted,
        existing=existing,
        build=lambda urn, values: _validated(School(urn=urn, **values), exclude=["local_authority", "trust"]),
        counts=report.counts["schools"],
    )
    for code, count in sorted(unknown_la_codes.items()):
        report.notes.append(f"{count:,} schools have LA code {code}, which is not in the LA list: loaded without an LA")


# --- GIAS extracts ------------------------------------------------------------------------------------------

# Our names for the columns of GIAS's "all establishment data" download that the loader reads.
GIAS_COLUMNS = {
    "urn": "URN",
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_number": "EstablishmentNumber",
    "name": "EstablishmentName",
    "establishment_type": "TypeOfEstablishment (name)",
    "establishment_group": "EstablishmentTypeGroup (name)",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "region": "GOR (name)",
    "trust_uid": "Trusts (code)",
    "trust_name": "Trusts (name)",
    "pupils": "NumberOfPupils",
    "postcode": "Postcode",
}


class GiasRowForm(forms.Form):
    """One row of a GIAS establishment extract, keyed by our names for its columns (``GIAS_COLUMNS``)."""

    urn = forms.IntegerField(min_value=1)
    name = forms.CharField(max_length=255)
    la_code = forms.RegexField(r"^\d{3}$", required=False, error_messages={"invalid": "Enter a three-digit LA code."})
    la_name = forms.CharField(max_length=100, required=False)
    establishment_number = forms.IntegerField(min_value=0, max_value=9999, required=False)
    establishment_type = forms.CharField(max_length=120, required=False)
    establishment_group = forms.CharField(max_length=120, required=False)
    status = forms.CharField(max_length=60, required=False)
    phase = forms.CharField(max_length=60, required=False)
    region = forms.CharField(required=False)
    trust_uid = forms.IntegerField(min_value=1, required=False)
    trust_name = forms.CharField(max_length=255, required=False)
    pupils = forms.IntegerField(min_value=0, required=False)
    postcode = forms.CharField(max_length=10, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("trust_uid") and not cleaned.get("trust_name"):
            self.add_error("trust_name", "A trust code needs the trust's name.")
        return cleaned


def load_gias_extract(path: Path, *, progress: Progress | None = None) -> LoadReport:
    """Create or update the schools in a GIAS "all establishments" extract (``edubasealldata*.csv``).

    The extract is the current, authoritative description of each school it lists. Every row is validated
    first; a missing column or any invalid row raises ``ValidationError`` (one message per problem, with its
    row number) and nothing is written.
    """
    started = time.monotonic()
    say = progress or (lambda message: None)
    source = f"{GIAS_SOURCE_PREFIX} {path.name}"[:120]
    report = LoadReport(source=source)
    say(f"Reading {path.name}")
    rows = _read_gias_rows(path)
    say(f"Validating {len(rows):,} rows")
    establishments = _validate_gias_rows(rows)
    with transaction.atomic():
        _save_gias(establishments, source=source, report=report)
    report.duration = time.monotonic() - started
    return report


def _read_gias_rows(path: Path) -> list[dict[str, str]]:
    with _duckdb_files(path) as (connection, (csv_path,)):
        try:
            columns = connection.sql(f"select * from {_read_csv(csv_path)} limit 0").columns
        except duckdb.Error as exc:
            raise ValueError(f"{path.name} could not be read as CSV: {exc}") from exc
        missing = [column for column in GIAS_COLUMNS.values() if column not in columns]
        if missing:
            raise ValidationError(
                f"{path.name} is missing required GIAS columns: {', '.join(missing)}", code="missing_columns"
            )
        selected = ", ".join('"' + column.replace('"', '""') + '"' for column in GIAS_COLUMNS.values())
        result = _query(connection, f"select {selected} from {_read_csv(csv_path)}")
    names = list(GIAS_COLUMNS)
    return [{name: value or "" for name, value in zip(names, row, strict=True)} for row in result]


def _validate_gias_rows(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    errors: list[str] = []
    cleaned_rows: list[dict[str, Any]] = []
    first_row_of_urn: dict[int, int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as in a spreadsheet
        form = GiasRowForm(data=row)
        if not form.is_valid():
            for name, messages in form.errors.items():
                column = GIAS_COLUMNS.get(name, "Row")
                errors.extend(f"Row {number}: {column} {row.get(name)!r}: {message}" for message in messages)
            continue
        urn = form.cleaned_data["urn"]
        if urn in first_row_of_urn:
            errors.append(f"Row {number}: URN {urn} is also on row {first_row_of_urn[urn]}")
            continue
        first_row_of_urn[urn] = number
        cleaned_rows.append(form.cleaned_data)
    if errors:
        raise ValidationError(errors, code="invalid_rows")
    return cleaned_rows


def _save_gias(establishments: list[dict[str, Any]], *, source: str, report: LoadReport) -> None:
    local_authorities = {la.code: la for la in LocalAuthority.objects.all()}
    trusts = {trust.uid: trust for trust in Trust.objects.all()}
    named_local_authorities: dict[str, dict[str, Any]] = {}
    named_trusts: dict[int, dict[str, Any]] = {}
    for row in establishments:
        code, region = row["la_code"], normalise_region(row["region"])
        # Only English LAs (those in an English region) become LocalAuthority rows: Welsh and overseas
        # establishments carry pseudo-LA codes. Known LAs and trusts keep their registry names, so that
        # alternating registry and GIAS loads do not rename them back and forth.
        if code and region and row["la_name"]:
            named_local_authorities.setdefault(code, {"name": row["la_name"], "region": region})
        if row["trust_uid"]:
            named_trusts.setdefault(row["trust_uid"], {"name": row["trust_name"]})
    _upsert(
        LocalAuthority,
        wanted={
            code: ({} if code in local_authorities else values) for code, values in named_local_authorities.items()
        },
        existing=local_authorities,
        build=lambda code, values: _validated(LocalAuthority(code=code, **values)),
        counts=report.counts["local authorities"],
    )
    _upsert(
        Trust,
        wanted={uid: ({} if uid in trusts else values) for uid, values in named_trusts.items()},
        existing=trusts,
        build=lambda uid, values: _validated(Trust(uid=uid, **values)),
        counts=report.counts["trusts"],
    )
    la_ids = dict(LocalAuthority.objects.values_list("code", "id"))
    la_regions = dict(LocalAuthority.objects.values_list("code", "region"))
    trust_ids = dict(Trust.objects.values_list("uid", "id"))
    wanted: dict[int, dict[str, Any]] = {}
    for row in establishments:
        code = row["la_code"]
        has_laestab = code and int(code) > 0 and row["establishment_number"] is not None
        wanted[row["urn"]] = {
            "name": row["name"],
            "laestab": int(code) * 10000 + row["establishment_number"] if has_laestab else None,
            "local_authority_id": la_ids.get(code),
            "establishment_type": row["establishment_type"],
            "establishment_group": row["establishment_group"],
            "category": classify_establishment_type(row["establishment_type"]),
            "phase": row["phase"],
            "region": normalise_region(row["region"]) or la_regions.get(code, ""),
            "status": row["status"],
            "postcode": row["postcode"],
            "pupils": row["pupils"],
            "trust_id": trust_ids.get(row["trust_uid"]),
            "source": source,
        }
    _upsert(
        School,
        wanted=wanted,
        # All schools rather than urn__in: an extract's 50,000 URNs exceed SQLite's limit on query parameters.
        existing={school.urn: school for school in School.objects.all()},
        # GiasRowForm has already checked every field the new school gets.
        build=lambda urn, values: School(urn=urn, **values),
        counts=report.counts["schools"],
    )


# --- Matching names -----------------------------------------------------------------------------------------


def normalise_school_name(name: str) -> str:
    """The form names are compared in: casefolded, no brackets or punctuation, "&" as "and", no leading "the".

    "PRU" is spelt out, as GIAS mostly does ("Francis Barber PRU" is "Francis Barber Pupil Referral Unit").
    """
    text = re.sub(r"\([^)]*\)", " ", name.casefold())
    text = text.replace("&", " and ")
    text = re.sub(r"['’‘`]", "", text)
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    text = re.sub(r"\bpru\b", "pupil referral unit", text)
    return text.removeprefix("the ")


@dataclass(frozen=True)
class _Candidate:
    school_id: int
    urn: int
    name: str  # normalised
    local_authority: str  # normalised
    is_open: bool


class _NameIndex:
    """Every registry school's normalised name, and the GIAS links between them."""

    def __init__(self) -> None:
        closing = SchoolLink.objects.filter(link_type__in=CLOSING_LINK_TYPES).values_list("school__urn", "linked_urn")
        self.successors: dict[int, set[int]] = {}
        for urn, linked_urn in closing:
            self.successors.setdefault(urn, set()).add(linked_urn)
        self.neighbours: dict[int, set[int]] = {}
        for urn, linked_urn in SchoolLink.objects.values_list("school__urn", "linked_urn"):
            self.neighbours.setdefault(urn, set()).add(linked_urn)
            self.neighbours.setdefault(linked_urn, set()).add(urn)
        rows = School.objects.values_list("id", "urn", "name", "status", "local_authority__name")
        self.candidates = [
            _Candidate(
                school_id=school_id,
                urn=urn,
                name=normalise_school_name(name),
                local_authority=normalise_school_name(la_name or ""),
                # GIAS's status when an extract has given one; otherwise a school with a successor has closed.
                is_open=status.casefold().startswith("open") if status else urn not in self.successors,
            )
            for school_id, urn, name, status, la_name in rows
        ]
        self.by_urn = {c.urn: c for c in self.candidates}
        self.by_name: dict[str, list[_Candidate]] = {}
        for candidate in self.candidates:
            self.by_name.setdefault(candidate.name, []).append(candidate)
        self.la_names = sorted({c.local_authority for c in self.candidates if c.local_authority}, key=len, reverse=True)

    def match(self, wanted: str) -> _Candidate | None:
        words = set(wanted.split())
        # (finder, whether several schools may share the name): only for a whole-name match may the one open
        # school win over closed namesakes; a partial match must point at one school or none.
        tiers: list[tuple[Callable[[], list[_Candidate]], bool]] = [
            (lambda: self.by_name.get(wanted, []), True),
            (lambda: self._within_local_authority(wanted), True),
            (lambda: [c for c in self.candidates if c.name.startswith(wanted + " ")], False),
            (lambda: [c for c in self.candidates if f" {wanted} " in f" {c.name} "], False),
            (lambda: [c for c in self.candidates if len(words) > 1 and words <= set(c.name.split())], False),
        ]
        for find, namesakes_allowed in tiers:
            found = find()
            if found:
                chosen = self._one_school(found, namesakes_allowed=namesakes_allowed)
                return self._current(chosen) if chosen else None
        return None

    def _within_local_authority(self, wanted: str) -> list[_Candidate]:
        # "Educational Diversity Blackpool": the charity adds the place when the name alone is not distinctive.
        for la_name in self.la_names:
            if wanted.endswith(" " + la_name):
                stem = wanted.removesuffix(" " + la_name)
                return [c for c in self.by_name.get(stem, []) if c.local_authority == la_name]
        return []

    def _one_school(self, found: list[_Candidate], *, namesakes_allowed: bool) -> _Candidate | None:
        # Candidates joined by links are one school's successive URNs: each such group counts once, as its
        # open or else latest URN.
        by_urn = {c.urn: c for c in found}
        groups: list[list[_Candidate]] = []
        seen: set[int] = set()
        for candidate in found:
            if candidate.urn in seen:
                continue
            group, stack = [], [candidate.urn]
            seen.add(candidate.urn)
            while stack:
                urn = stack.pop()
                group.append(by_urn[urn])
                for other in (self.neighbours.get(urn, set()) & by_urn.keys()) - seen:
                    seen.add(other)
                    stack.append(other)
            groups.append(group)
        representatives = [max(group, key=lambda c: (c.is_open, c.urn)) for group in groups]
        if len(representatives) == 1:
            return representatives[0]
        open_ones = [c for c in representatives if c.is_open]
        return open_ones[0] if namesakes_allowed and len(open_ones) == 1 else None

    def _current(self, candidate: _Candidate) -> _Candidate:
        # A closed school's single successor is the same school today (The Boxing Academy, an independent
        # school, reopened as "The Boxing Academy AP Free School"); a split or several successors stop here.
        seen = {candidate.urn}
        while not candidate.is_open:
            successors = self.successors.get(candidate.urn, set())
            if len(successors) != 1:
                break
            successor = self.by_urn.get(next(iter(successors)))
            if successor is None or successor.urn in seen:
                break
            seen.add(successor.urn)
            candidate = successor
        return candidate


def match_school_names(names: list[str]) -> tuple[dict[str, School], list[str]]:
    """Match names as people write them (the charity's partner lists) to registry schools.

    Tries, in turn, stopping at the first that finds anyone: the same normalised name; the name less a trailing
    LA name, within that LA; names starting with it; names containing it; names containing all its words.
    Schools sharing a whole name: the only open one wins. A partial match must be one school (counting a
    school's successive, linked URNs once) or nothing. A closed school gives way to its single successor.
    Anything else is returned unmatched rather than guessed.
    """
    index = _NameIndex()
    matched_ids: dict[str, int] = {}
    unmatched: list[str] = []
    for raw in names:
        wanted = normalise_school_name(raw)
        chosen = index.match(wanted) if wanted else None
        if chosen is None:
            unmatched.append(raw)
        else:
            matched_ids[raw] = chosen.school_id
    schools = School.objects.select_related("local_authority", "trust").in_bulk(set(matched_ids.values()))
    return {raw: schools[school_id] for raw, school_id in matched_ids.items()}, unmatched
