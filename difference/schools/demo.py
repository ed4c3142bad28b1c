"""Demo data for the schools registry: the charity's real partner schools, from its 2021-22 impact report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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


@dataclass
class PartnerSchools:
    leader_schools: dict[str, School] = field(default_factory=dict)
    alumni_schools: dict[str, School] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    ark_schools_linked: int = 0


def load_partner_schools(*, say: Callable[[str], None]) -> PartnerSchools:
    from difference.schools.services import load_registry, match_school_names

    if not School.objects.exists():
        say("Loading the schools registry from the shipped DfE/GIAS files…")
        load_registry(progress=say)
    result = PartnerSchools()
    for names, kind, target in (
        (LEADER_SCHOOLS_AP, PartnershipKind.LEADER_SCHOOL, result.leader_schools),
        (ALUMNI_SCHOOLS_MAINSTREAM, PartnershipKind.ALUMNI_SCHOOL, result.alumni_schools),
    ):
        matched, unmatched = match_school_names(names)
        target.update(matched)
        result.unmatched.extend(unmatched)
        for school in matched.values():
            Partnership.objects.get_or_create(school=school, kind=kind)
    result.ark_schools_linked = _link_ark_schools()
    return result


def _link_ark_schools() -> int:
    """Attach Ark-named academies to the ARK Schools trust where no GIAS extract has said otherwise.

    The shipped files have no trust membership per school, so the demo infers
    it from the name for one trust, to give the trust-partner login real schools.
    """
    trust = Trust.objects.filter(uid=ARK_TRUST_UID).first()
    if trust is None:
        return 0
    return School.objects.filter(name__istartswith="Ark ", trust__isnull=True).update(trust=trust)
