"""``manage.py screenshots`` draws the demo's pages for a reviewer: each login's home page and a leader's page as
pictures, an index page showing them, and a plain word where there is nothing to draw (no trust report here)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_screenshots_draw_each_demo_login_s_home_page_and_a_leader_s_page(transactional_db, live_server, tmp_path):
    UserFactory(email="programme@demo.example.org", role=Role.STAFF_PROGRAMME)
    leader = UserFactory(email="leader@demo.example.org", role=Role.LEADER)
    PersonFactory(user=leader, email="leader@demo.example.org")
    out = StringIO()

    call_command("screenshots", out=str(tmp_path), base_url=live_server.url, stdout=out)

    pictures = {path.name for path in Path(tmp_path).glob("*.png")}
    assert pictures == {"home-staff_programme.png", "home-leader.png", "person.png"}
    for name in pictures:
        content = (tmp_path / name).read_bytes()
        assert content.startswith(PNG_SIGNATURE)
        assert len(content) > 10_000, f"{name} looks empty"
    index = (tmp_path / "index.html").read_text()
    assert 'src="person.png"' in index and "Home page: Leader" in index
    assert "the report's PDF was not drawn" in out.getvalue()
