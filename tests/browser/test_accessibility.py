"""No serious or critical axe-core violations on the pages people use most."""

from __future__ import annotations

from typing import Any

import pytest

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.browser


def _visit(page: Any, live_server: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    assert page.url == f"{live_server.url}{path}", f"{path} redirected to {page.url}"


def test_login_page(page: Any, live_server: Any, db: Any, assert_accessible):
    _visit(page, live_server, "/accounts/login/")
    assert_accessible()


@pytest.mark.parametrize(
    "page_name",
    ["home", "school_list", "school_detail", "person_list", "person_detail", "diversity"],
)
def test_staff_pages(page: Any, live_server: Any, world: Any, login_with_session, assert_accessible, page_name: str):
    paths = {
        "home": "/",
        "school_list": "/schools/?q=alpha",
        "school_detail": f"/schools/{world.schools['a1'].urn}/",
        "person_list": "/people/",
        "person_detail": f"/people/{world.people['leader_a1'].pk}/",
        "diversity": "/people/diversity/",
    }
    login_with_session(world.users["staff_admin"])
    _visit(page, live_server, paths[page_name])
    assert_accessible()


def test_totp_setup_page(page: Any, live_server: Any, db: Any, login_via_form, assert_accessible):
    user = UserFactory(role=Role.STAFF_PROGRAMME, with_totp=False)
    login_via_form(user, mfa=False)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert_accessible()
