"""A large upload runs as a background job in a real worker process: research staff watch its progress reach
100% on the job's page without reloading it, and open the report it produced; the trust's partner sees the job's
result, and another trust's partner is told there is no such job."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from difference.accounts.roles import Role
from difference.accounts.tests.factories import MembershipFactory, UserFactory
from difference.benchmarks.services import load_dfe_files
from difference.consultancy.imports import PUPIL_COLUMNS
from difference.consultancy.models import PupilReturn
from difference.jobs.models import Job, JobState
from difference.jobs.tests.workers import DATABASE_TASKS, start_worker, stop
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.browser

LA_SERIES = Path(__file__).resolve().parents[2] / "difference" / "benchmarks" / "data" / "exc_nat_region_la.csv.gz"
ROWS = 20_000


def _pupil_file(urns: list[int], rows: int) -> bytes:
    lines = [",".join(PUPIL_COLUMNS)]
    for n in range(rows):
        school = n % len(urns)
        suspensions = 1 if n % 17 == 0 else 0
        lines.append(f"J{n:06d},{urns[school]},{7 + n % 5},none,{'yes' if n % 4 == 0 else 'no'},white,"
                     f"{suspensions},no,320,{30 if n % 6 == 0 else 8}")  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def worker(settings: Any) -> Any:
    """Jobs queued in the database, and one worker process running them."""
    settings.TASKS = DATABASE_TASKS
    process = start_worker()
    yield process
    stop(process)


def test_a_large_pupil_file_is_imported_by_a_worker_whose_progress_the_page_shows_live(
    page: Any, world: Any, worker: Any, login_with_session: Any, assert_accessible: Any
):
    load_dfe_files(paths=[LA_SERIES])
    la = LocalAuthorityFactory(code="330", name="Birmingham")
    trust = world.trusts["trust_a"]
    urns = [
        SchoolFactory(name=f"Job Secondary {n}", phase="Secondary", trust=trust, local_authority=la).urn
        for n in range(10)
    ]
    engagement = world.consultancy["own"]
    login_with_session(world.users["staff_research"])
    page.goto(f"/consultancy/{engagement.pk}/")
    page.get_by_label("Pupil-level (one row per pupil, pseudonymous)").check()
    content = _pupil_file(urns, ROWS)
    page.get_by_label("File").set_input_files({"name": "pupils.csv", "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("h1")).to_contain_text("pupils.csv")
    job = Job.objects.get(kind="consultancy.upload", input_name="pupils.csv")
    assert page.url.endswith(job.get_absolute_url())
    # A mark on this very page: if the page were reloaded, the mark would be gone.
    page.evaluate("window.stillTheSamePage = true")
    expect(page.locator("#job-status")).to_contain_text("100%", timeout=180_000)
    expect(page.get_by_role("heading", name="Done")).to_be_visible(timeout=60_000)
    assert page.evaluate("window.stillTheSamePage === true")
    expect(page.locator("#job-status")).to_contain_text(f"pupils.csv: {ROWS:,} rows read, {ROWS:,} written")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.worker_id and job.worker_id != "inline"
    assert PupilReturn.objects.filter(engagement=engagement).count() == ROWS
    assert_accessible()

    page.get_by_role("link", name="Open the report").click()
    expect(page.get_by_role("heading", name=re.compile("Funnel plots"))).to_be_visible()

    login_with_session(world.users["trust_partner"])
    page.goto(job.get_absolute_url())
    expect(page.locator("#job-status")).to_contain_text(f"{ROWS:,} written")

    other_partner = UserFactory(role=Role.TRUST_PARTNER, email="partner-b@example.org")
    MembershipFactory(user=other_partner, trust=world.trusts["trust_b"])
    login_with_session(other_partner)
    response = page.goto(job.get_absolute_url())
    assert response is not None and response.status == 404
