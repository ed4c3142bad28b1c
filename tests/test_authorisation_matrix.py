"""The authorisation matrix, cell by cell, and the inventory of every URL against it."""

from __future__ import annotations

import os
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.test import Client
from django.urls import reverse

from difference.accounts.models import AuditAction, AuditEvent
from tests.authz import ROLES, expand_cells, load_matrix, missing_from_matrix, walk_urls

MATRIX = load_matrix()
CELLS = expand_cells()
GROUPS = sorted({(c.url_name, c.method, c.scope) for c in CELLS})

OBJECT_KWARGS = {
    "school": lambda world, scope: {"urn": world.schools[scope].urn},
    "trust": lambda world, scope: {"uid": world.trusts[scope].uid},
    "person": lambda world, scope: {"pk": world.people[scope].pk},
    "local_authority": lambda world, scope: {"code": world.local_authorities[scope].code},
    "placement_round": lambda world, scope: {"year": world.placements[scope].year},
    "placements": lambda world, scope: {"pk": world.placements[scope].pk},
    "recruitment_round": lambda world, scope: {"year": world.recruitment[scope].year},
    "recruitment": lambda world, scope: {"pk": world.recruitment[scope].pk},
    "centre_candidate": lambda world, scope: {"reference": world.recruitment[scope].reference},
    "training": lambda world, scope: {"pk": world.training[scope].pk},
    "feed_token": lambda world, scope: {"token": world.training[scope].token},
    "engagement": lambda world, scope: {"pk": world.consultancy[scope].pk},
    "job": lambda world, scope: {"pk": world.jobs[scope].pk},
    "project": lambda world, scope: {"pk": world.projects[scope].pk},
    "careers": lambda world, scope: {"pk": world.careers[scope].pk},
}
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _kwargs(spec: dict[str, Any], scope: str, world: Any) -> dict[str, Any]:
    kwargs = dict(spec.get("kwargs", {}))
    if "object" in spec:
        kwargs.update(OBJECT_KWARGS[spec["object"]](world, scope))
    return kwargs


def _matches(response: Any, expected: Any) -> bool:
    if expected == "ok":
        location = response.get("Location", "")
        return 200 <= response.status_code < 300 or (
            300 <= response.status_code < 400 and not location.startswith(LOGIN_PATHS)
        )
    if expected == "login":
        return response.status_code == 302 and response["Location"].startswith(LOGIN_PATHS)
    return bool(response.status_code == expected)


def _must_be_audited(spec: dict[str, Any], cell: Any) -> bool:
    """A signed-in role refused (403), or sent away from an object of the world that exists but is outside its
    scope (404), leaves an audit event, on the pages and the API alike."""
    if cell.role == "anonymous" or spec.get("object") == "feed_token":
        # A calendar link is its own credential: an unknown or revoked one is not found by anyone.
        return False
    return cell.expected == 403 or (cell.expected == 404 and "object" in spec)


def _request(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return client.get(url) if method == "GET" else client.post(url, data=data)


@pytest.mark.parametrize(("url_name", "method", "scope"), GROUPS, ids=["-".join(g) for g in GROUPS])
def test_each_role_gets_the_answer_the_matrix_gives(url_name, method, scope, world, client_for):
    spec = MATRIX[url_name]
    url = reverse(url_name, kwargs=_kwargs(spec, scope, world))
    cells = [c for c in CELLS if (c.url_name, c.method, c.scope) == (url_name, method, scope)]
    observed, wrong = {}, []
    for cell in cells:
        audited_before = AuditEvent.objects.filter(action=AuditAction.AUTHZ_DENIED).count()
        response = _request(client_for(cell.role), method, url, cell.data)
        observed[cell.role] = response.status_code
        if not _matches(response, cell.expected):
            wrong.append(f"{cell.role}: expected {cell.expected}, got {response.status_code}")
        elif _must_be_audited(spec, cell) and (
            AuditEvent.objects.filter(action=AuditAction.AUTHZ_DENIED).count() == audited_before
        ):
            wrong.append(f"{cell.role}: refused with {response.status_code} but the refusal was not audited")
    if os.environ.get("AUTHZ_DUMP"):
        with open(os.environ["AUTHZ_DUMP"], "a", encoding="utf-8") as fh:
            yaml.safe_dump({f"{url_name} {method} {scope}": observed}, fh)
    assert not wrong, f"{method} {url}: " + "; ".join(wrong)


ADMIN_ROUTES = sorted(
    {(r.name, r.pattern) for r in walk_urls() if r.name.startswith("admin:") and r.name != "admin:<unnamed>"}
)


def world_user_pk() -> int:
    from difference.accounts.models import User

    return User.objects.order_by("pk").values_list("pk", flat=True).first() or 1


def _admin_kwargs(route_name: str, pattern: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if "<path:object_id>" in pattern:
        app_label, _, rest = route_name.removeprefix("admin:").partition("_")
        # Model names have no underscores; the app label may (e.g. "account").
        model_name = rest.rsplit("_", 1)[0]
        for candidate in apps.get_models():
            meta = candidate._meta
            if f"{meta.app_label}_{meta.model_name}" == f"{app_label}_{model_name}":
                obj = candidate._default_manager.first()
                kwargs["object_id"] = str(obj.pk) if obj is not None else "1"
                break
        else:
            kwargs["object_id"] = "1"
    if "<id>" in pattern:
        kwargs["id"] = str(world_user_pk())
    if "<path:content_type_id>" in pattern:
        kwargs["content_type_id"] = "1"
    if "<app_label>" in pattern:
        kwargs["app_label"] = "schools"
    return kwargs


@pytest.mark.parametrize(("route_name", "pattern"), ADMIN_ROUTES, ids=[r[0] for r in ADMIN_ROUTES])
def test_only_staff_admin_can_use_the_django_admin(route_name, pattern, world, client_for):
    expectations = MATRIX.get(route_name, MATRIX["admin:*"])["GET"]
    url = reverse(route_name, kwargs=_admin_kwargs(route_name, pattern))
    wrong = []
    for role in ROLES:
        expected = expectations.get(role, expectations["default"])
        response = client_for(role).get(url)
        if not _matches(response, expected):
            wrong.append(f"{role}: expected {expected}, got {response.status_code} {response.get('Location', '')}")
    assert not wrong, f"GET {url}: " + "; ".join(wrong)


def test_every_url_has_a_row_in_the_authorisation_matrix():
    assert missing_from_matrix() == []


def test_a_url_added_without_a_matrix_row_is_caught():
    missing = missing_from_matrix("tests.urls_with_unlisted_route")
    assert missing == ["unlisted_dummy"]


def test_matrix_rows_name_only_urls_that_exist():
    names = {r.name for r in walk_urls()}
    stale = [name for name in MATRIX if not name.endswith(":*") and name not in names]
    assert stale == []
