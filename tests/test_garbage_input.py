"""No URL in the matrix answers 500, whatever garbage is put in its path or query string."""

from __future__ import annotations

import re

import pytest

from tests.authz import walk_urls

# Each key is tried with text garbage, then again with a number too large for any database integer.
GARBAGE_QUERY = {
    "page": "-1'",
    "q": "\x00%' OR 1=1 --",
    "category": "zzz",
    "region": "<script>",
    "local_authority": "abc",
    "partnership": "x" * 300,
    "cohort": "1e999",
    "format": "exe",
    "o": "-password",
    "ordering": "user__password",
}
HUGE = "9" * 25
HUGE_QUERY = {key: HUGE for key in [*GARBAGE_QUERY, "school", "vacancy", "person", "id", "round", "urn", "trust"]}
PATH_VALUES = ["99999999999999999999999", "0", "-1", "%00", "..%2F..%2Fetc", "ß" * 5]


def _fill(pattern: str, value: str) -> str:
    path = re.sub(r"<(?:\w+:)?\w+>", value, pattern)
    # Regex routes (allauth, DRF): replace each named group with the value, drop anchors.
    path = re.sub(r"\(\?P<\w+>[^)]*\)", value, path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + path


ROUTES = sorted({r.pattern for r in walk_urls()})


@pytest.mark.parametrize("pattern", ROUTES)
def test_garbage_in_the_path_or_query_never_causes_a_server_error(pattern, world, client_for):
    clients = {role: client_for(role) for role in ("anonymous", "staff_admin", "headteacher")}
    failures = []
    for value in PATH_VALUES if "<" in pattern or "(?P" in pattern else [""]:
        url = _fill(pattern, value)
        for role, client in clients.items():
            for method, query in (
                ("get", GARBAGE_QUERY),
                ("post", GARBAGE_QUERY),
                ("get", HUGE_QUERY),
                ("post", HUGE_QUERY),
            ):
                response = getattr(client, method)(url, data=query)
                if response.status_code >= 500:
                    failures.append(f"{role} {method.upper()} {url} {sorted(query)[0]}=…: {response.status_code}")
    assert not failures, "\n".join(failures)
