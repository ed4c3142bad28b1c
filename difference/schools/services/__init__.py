"""Loading England's schools registry, GIAS extracts, and matching school names against the registry.

The work is split by concern; everything callers use is re-exported here, so ``from difference.schools.services
import load_registry`` keeps working:

- ``common``: the ``ImportOutcome`` (``difference.core.imports``) every load starts from, reading files with
  DuckDB (their bytes and text from ``difference.core.files``), and writing rows in bulk;
- ``registry``: ``load_registry`` and the readers of the shipped registry files in ``data/``;
- ``headcounts``: ``load_headcounts``, the shipped 2016/17 pupil headcounts per school;
- ``gias``: ``load_gias_extract``, for a GIAS "all establishments" extract (its rows are validated by
  ``difference.schools.forms.GiasRowForm``);
- ``matching``: ``normalise_school_name`` and ``match_school_names``;
- ``classify``: ``classify_establishment_type``.
"""

from __future__ import annotations

from difference.schools.forms import GiasRowForm
from difference.schools.services.classify import classify_establishment_type
from difference.schools.services.common import GIAS_SOURCE_PREFIX, normalise_region
from difference.schools.services.gias import GIAS_COLUMNS, load_gias_extract
from difference.schools.services.headcounts import (
    HEADCOUNT_SOURCE,
    HEADCOUNT_YEAR,
    HEADCOUNTS_FILE,
    load_headcounts,
    pupils_source_text,
)
from difference.schools.services.matching import CLOSING_LINK_TYPES, match_school_names, normalise_school_name
from difference.schools.services.registry import (
    DATA_DIR,
    LINKS_FILE,
    LINKS_SOURCE,
    LOCAL_AUTHORITIES_FILE,
    LOOKUP_FILE,
    LOOKUP_SOURCE,
    TRUSTS_FILE,
    TYPES_FILE,
    TYPES_SOURCE,
    load_registry,
)

__all__ = [
    "CLOSING_LINK_TYPES",
    "DATA_DIR",
    "GIAS_COLUMNS",
    "GIAS_SOURCE_PREFIX",
    "HEADCOUNTS_FILE",
    "HEADCOUNT_SOURCE",
    "HEADCOUNT_YEAR",
    "LINKS_FILE",
    "LINKS_SOURCE",
    "LOCAL_AUTHORITIES_FILE",
    "LOOKUP_FILE",
    "LOOKUP_SOURCE",
    "TRUSTS_FILE",
    "TYPES_FILE",
    "TYPES_SOURCE",
    "GiasRowForm",
    "classify_establishment_type",
    "load_gias_extract",
    "load_headcounts",
    "load_registry",
    "match_school_names",
    "normalise_region",
    "normalise_school_name",
    "pupils_source_text",
]
