"""Reading the authorisation matrix and walking the URL resolver.

The matrix (``tests/authz_matrix.yaml``) says, for every URL name, method and
object scope, what each role gets back. A role missing from a cell takes the
cell's ``default``. ``ok`` means "served": a 2xx, or a redirect that is not to
a login page (used for the Django admin, whose own tests cover its pages).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.urls import URLPattern, URLResolver, get_resolver

MATRIX_PATH = Path(__file__).with_name("authz_matrix.yaml")
ROLES = [
    "anonymous",
    "staff_admin",
    "staff_programme",
    "staff_research",
    "assessor",
    "leader",
    "applicant",
    "headteacher",
    "trust_partner",
]


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "namespace:<unnamed>"
    pattern: str
    callback: Any
    converters: dict[str, Any]
    pattern_obj: Any


def walk_urls(urlconf: str | None = None) -> Iterator[Route]:
    def walk(resolver: URLResolver, prefix: str, namespace: str, converters: dict[str, Any]) -> Iterator[Route]:
        for entry in resolver.url_patterns:
            conv = converters | getattr(entry.pattern, "converters", {})
            if isinstance(entry, URLResolver):
                ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry, prefix + str(entry.pattern), ns, conv)
            elif isinstance(entry, URLPattern):
                name = namespace + (entry.name or "<unnamed>")
                yield Route(name, prefix + str(entry.pattern), entry.callback, conv, entry.pattern)

    yield from walk(get_resolver(urlconf), "", "", {})


def load_matrix() -> dict[str, Any]:
    with MATRIX_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["urls"]  # type: ignore[no-any-return]


def matrix_key_for(name: str, matrix: dict[str, Any]) -> str | None:
    """The matrix entry covering a URL name: itself, or a ``namespace:*`` wildcard."""
    if name in matrix:
        return name
    namespace = name.split(":", 1)[0] + ":*" if ":" in name else None
    if namespace and namespace in matrix:
        return namespace
    return None


def missing_from_matrix(urlconf: str | None = None) -> list[str]:
    matrix = load_matrix()
    return sorted({r.name for r in walk_urls(urlconf) if matrix_key_for(r.name, matrix) is None})


@dataclass(frozen=True)
class Cell:
    url_name: str
    method: str
    scope: str
    role: str
    expected: Any
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.url_name}-{self.method}-{self.scope}-{self.role}"


def expand_cells() -> list[Cell]:
    cells = []
    for url_name, spec in load_matrix().items():
        # The Django admin's rows are checked by their own test, which knows its URL shapes.
        if url_name.startswith("admin:"):
            continue
        for method in ("GET", "POST"):
            if method not in spec:
                continue
            by_scope = spec[method]
            # A cell without scopes is a single "none" scope.
            if "default" in by_scope or any(role in by_scope for role in ROLES):
                by_scope = {"none": by_scope}
            for scope, roles in by_scope.items():
                for role in ROLES:
                    expected = roles.get(role, roles.get("default"))
                    if expected is None:
                        raise ValueError(f"{url_name} {method} {scope}: no expectation for {role} and no default")
                    cells.append(Cell(url_name, method, scope, role, expected, spec.get("data", {}) or {}))
    return cells
