"""The charity's category (mainstream, special, PRU, AP academy, other) for an establishment type name."""

from __future__ import annotations

import re

from difference.schools.models import SchoolCategory

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
