"""Demo data for the schools registry: the charity's real partner schools, from its 2021-22 impact report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from difference.demo.records import upsert
from difference.schools.models import Partnership, PartnershipKind, School, Trust

# "The Difference School Partners", impact report 2021-22.
LEADER_SCHOOLS_AP = [
    "Bridgelea Primary School",
    "Burnside Secondary PRU",
    "Camden Centre For Learning (CCFL)",
    "Educational Diversity Blackpool",
    "Francis Barber PRU",
    "Haringey Learning Partnership",
    "Harris Aspire Academy",
    "Joseph Norton Academy",
    "Olive AP Academy Cambridge",
    "Olive AP Academy Nene Valley",
    "Orchardside",
    "South Quay College",
    "Springwell Alternative Academy Grantham",
    "Springwell Lincolnshire Lincoln",
    "Springwell Mablethorpe Lincoln",
    "The Boxing Academy",
    "The Key Education Centre",
    "The Limes",
    "Tunmarsh Centre",
    "Wey Valley College",
]
ALUMNI_SCHOOLS_MAINSTREAM = [
    "Ark Globe Academy",
    "Ark Soane",
    "Crawford Primary School",
    "Haberdashers' Aske's",
    "Hatcham College",
    "Leverhulme Primary School",
    "London Academy",
    "Northolt Secondary School",
    "Woodmansterne School",
    "Woodside High School",
]
ARK_TRUST_UID = 2157  # "ARK Schools" in the 2016 GIAS list of academy trusts
# Academy trusts (GIAS group UID in the 2016 list) whose academies carry the trust's name, and the name prefixes
# that mark them. Like the Ark link below, an inference from the name, for the demo only: the shipped registry has
# no trust membership per school, and the ILC's reach is counted in MATs.
TRUST_NAME_PREFIXES: dict[int, tuple[str, ...]] = {
    3320: ("Harris Academy", "Harris Primary", "Harris Boys'", "Harris Girls'", "Harris City", "Harris Westminster"),
    4076: ("Oasis Academy",),
    4106: ("Ormiston ",),
    4119: ("Outwood Academy", "Outwood Primary"),
    2974: ("E-ACT ",),
    2777: ("Co-op Academy",),
    2939: ("Dixons ",),
    3725: ("Leigh Academy",),
    5128: ("Tudor Grange",),
    4005: ("Nishkam",),
    3684: ("Landau Forte",),
    3279: ("Haberdashers' Aske's", "Haberdashers' Knights", "Haberdashers' Hatcham"),
    2368: ("Bohunt",),
    3211: ("Grace Academy",),
    4903: ("Tauheedul", "Eden Boys'", "Eden Girls'"),  # Tauheedul Education Trust, now Star Academies
    3939: ("Mossbourne",),
    2363: ("Bluecoat Aspley", "Bluecoat Beechdale", "Bluecoat Meres", "Bluecoat Academy"),
    16072: ("Mulberry Academy",),
    15762: ("Maiden Erlegh",),
    15877: ("Furness Academy",),
    3528: ("Wade Deacon",),
    4157: ("Passmores",),
    4533: ("Sir John Lawes",),
    5452: ("Greenshaw",),
    16321: ("Brigshaw",),
    4662: ("St Clere's",),
    2864: ("Dean Trust",),
    3252: ("Greenwood Academy",),
    5470: ("Lime Academy",),
}


@dataclass
class PartnerSchools:
    leader_schools: dict[str, School] = field(default_factory=dict)
    alumni_schools: dict[str, School] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    ark_schools_linked: int = 0
    # Academies linked to other trusts by the same kind of inference (TRUST_NAME_PREFIXES), and to how many trusts.
    named_trust_schools_linked: int = 0
    named_trusts: int = 0


def load_partner_schools(*, say: Callable[[str], None]) -> PartnerSchools:
    from difference.schools.services import HEADCOUNT_SOURCE, load_headcounts, load_registry, match_school_names

    if not School.objects.exists():
        say("Loading the schools registry from the shipped DfE/GIAS files…")
        load_registry(progress=say)
    if not School.objects.filter(pupils_source=HEADCOUNT_SOURCE).exists():
        say("Loading the 2016/17 pupil headcounts from the shipped DfE file…")
        load_headcounts(progress=say)
    result = PartnerSchools()
    for names, kind, target in (
        (LEADER_SCHOOLS_AP, PartnershipKind.LEADER_SCHOOL, result.leader_schools),
        (ALUMNI_SCHOOLS_MAINSTREAM, PartnershipKind.ALUMNI_SCHOOL, result.alumni_schools),
    ):
        matched, unmatched = match_school_names(names)
        target.update(matched)
        result.unmatched.extend(unmatched)
        for school in matched.values():
            upsert(Partnership, match={"school": school, "kind": kind})  # kept in the admin: no service
    result.ark_schools_linked = _link_ark_schools()
    result.named_trust_schools_linked, result.named_trusts = _link_named_trusts()
    return result


def _link_ark_schools() -> int:
    """Attach Ark-named academies to the ARK Schools trust where no GIAS extract has said otherwise.

    The shipped files have no trust membership per school, so the demo infers
    it from the name, to give the trust-partner login real schools (and
    ``_link_named_trusts`` does the same for other trusts). Written straight to
    the registry: a school's trust is GIAS's to say, no service sets it from a
    guess, and an inference for the demo's sake should not become one.
    """
    trust = Trust.objects.filter(uid=ARK_TRUST_UID).first()
    if trust is None:
        return 0
    return School.objects.filter(name__istartswith="Ark ", trust__isnull=True).update(trust=trust)


def _link_named_trusts() -> tuple[int, int]:
    """Attach academies named after one of TRUST_NAME_PREFIXES' trusts to it, where nothing has said otherwise.

    Returns how many schools were linked by this run, and how many of those trusts have schools now."""
    trusts = dict(Trust.objects.filter(uid__in=TRUST_NAME_PREFIXES).values_list("uid", "pk"))
    prefixes = tuple(
        (prefix.casefold(), trusts[uid])
        for uid, names in TRUST_NAME_PREFIXES.items()
        if uid in trusts
        for prefix in names
    )
    # Names compared here rather than in SQL: one read of the names beats fifty LIKEs over every school.
    schools_by_trust: dict[int, list[int]] = {}
    starts = tuple(prefix for prefix, _ in prefixes)
    for pk, name in School.objects.filter(trust__isnull=True).values_list("pk", "name"):
        folded = name.casefold()
        if folded.startswith(starts):
            trust = next(trust for prefix, trust in prefixes if folded.startswith(prefix))
            schools_by_trust.setdefault(trust, []).append(pk)
    linked = sum(School.objects.filter(pk__in=pks).update(trust_id=trust) for trust, pks in schools_by_trust.items())
    with_schools = Trust.objects.filter(pk__in=trusts.values(), schools__isnull=False).distinct().count()
    return linked, with_schools
