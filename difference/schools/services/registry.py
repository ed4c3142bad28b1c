"""Loading the shipped schools registry.

The shipped registry (``data/``, provenance in the ``PROVENANCE-*.md`` files there) is assembled from:

- DfE's LAEstab → URN lookup (2018): names, URNs and LAEstabs of 25,948 schools;
- the GIAS links download (2025-04-22): predecessor/successor links, and the *current* name of every linked
  establishment, which also names academies opened after 2018;
- EduBase's establishment type per URN (Nov 2016), the open academy trusts (Nov 2016), and DfE's local authority
  list with ONS codes and regions (from the 2006/07-2022/23 exclusions time series).

A GIAS extract loaded on top (``gias.load_gias_extract``) takes precedence over it.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from django.db import transaction

from difference.core.files import FileProblem
from difference.core.imports import ImportOutcome, Progress
from difference.schools.models import LocalAuthority, School, SchoolCategory, SchoolLink, Trust
from difference.schools.services.classify import classify_establishment_type
from difference.schools.services.common import (
    GIAS_SOURCE_PREFIX,
    _count_rows,
    _duckdb_files,
    _query,
    _read_csv,
    _text,
    _upsert,
    _validated,
    finish,
    normalise_region,
    outcome_for,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

LOOKUP_FILE = "school_data_sql.csv.gz"
LINKS_FILE = "links_edubasealldata20250422.csv.gz"
TYPES_FILE = "establishment_type_by_urn_edubase_nov2016.tsv.gz"
TRUSTS_FILE = "all-open-sats-and-mats-161122.csv"
LOCAL_AUTHORITIES_FILE = "exc_nat_region_la.csv.gz"

# School.source values; GIAS_SOURCE_PREFIX (in ``common``) marks schools a GIAS extract has described.
LOOKUP_SOURCE = "DfE LAEstab lookup 2018"
LINKS_SOURCE = "GIAS links 2025-04-22"
TYPES_SOURCE = "EduBase types 2016-11"


# --- The shipped registry -----------------------------------------------------------------------------------


@dataclass
class _RegistrySchool:
    name: str
    sources: list[str]
    laestab: int | None = None
    establishment_type: str = ""
    establishment_group: str = ""


def load_registry(*, data_dir: Path = DATA_DIR, progress: Progress | None = None) -> ImportOutcome:
    """Load the shipped registry: local authorities, trusts, schools and their GIAS links. Safe to re-run.

    Schools a GIAS extract has described keep that (newer) description; only their links are added. Values the
    registry lacks (no LA or type for a school known only from the links file) never blank out existing ones.
    Rows read are the data rows of the five files.
    """
    started = time.monotonic()
    say = progress or (lambda message: None)
    report = outcome_for("Schools registry (shipped data)")
    files = [data_dir / name for name in (LOCAL_AUTHORITIES_FILE, TRUSTS_FILE, LOOKUP_FILE, LINKS_FILE, TYPES_FILE)]
    say("Reading the shipped registry files")
    try:
        with _duckdb_files(*files) as (connection, (la_csv, trusts_csv, lookup_csv, links_csv, types_csv)):
            report.rows_read = sum(
                _count_rows(connection, path, delim=chr(9) if path == types_csv else ",")
                for path in (la_csv, trusts_csv, lookup_csv, links_csv, types_csv)
            )
            local_authorities = _registry_local_authorities(connection, la_csv)
            trusts = _registry_trusts(connection, trusts_csv, report)
            schools = _registry_schools(connection, lookup_csv, links_csv, types_csv, report)
            links = _registry_links(connection, links_csv, schools, report)
    except FileProblem as exc:
        report.refuse(str(exc))
        return report

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
    return finish(report, started)


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
    connection: duckdb.DuckDBPyConnection, path: Path, report: ImportOutcome
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
            report.skip("no numeric Group UID or no name", f"Group UID {raw_uid}", file=path.name)
            continue
        trusts[uid] = {
            "group_id": _text(group_id),
            "name": _text(name),
            "companies_house_number": _text(companies_house),
            "group_type": _text(group_type),
        }
    return trusts


def _registry_schools(
    connection: duckdb.DuckDBPyConnection, lookup: Path, links: Path, types: Path, report: ImportOutcome
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
            report.skip("no numeric URN or no name", f"URN {raw_urn}", file=lookup.name)
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
            report.skip(
                "URN not in the registry (no name for it in lookup or links)", f"URN {raw_urn}", file=types.name
            )
            continue
        school.establishment_type = _text(type_name)
        school.establishment_group = _text(group_name)
        school.sources.append(TYPES_SOURCE)
    return schools


def _registry_links(
    connection: duckdb.DuckDBPyConnection, path: Path, schools: dict[int, _RegistrySchool], report: ImportOutcome
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
            report.skip(f"link to {raw_linked}: a URN is not numeric or no link type", f"URN {raw_urn}", file=path.name)
        elif urn not in schools:
            # About 160 closed schools are only ever the "from" side of a link, so nothing names them.
            report.skip("URN not in the registry (no name for it in lookup or links)", f"URN {urn}", file=path.name)
        else:
            links.setdefault(
                (urn, linked_urn, _text(link_type)),
                {"linked_name": _text(linked_name), "established_on": established_on},
            )
    return links


def _save_registry_schools(schools: dict[int, _RegistrySchool], report: ImportOutcome) -> None:
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
