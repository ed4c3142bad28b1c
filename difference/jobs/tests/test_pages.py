"""The job pages and API: progress that refreshes itself, results, and each role seeing only its own jobs."""

from __future__ import annotations

from django.urls import reverse

from difference.accounts.models import AuditAction, AuditEvent
from difference.jobs.models import JobState
from difference.jobs.tests.factories import JobFactory


def test_a_running_job_page_polls_its_status_and_a_finished_one_stops(world, client_for):
    staff = client_for("staff_research")
    running = JobFactory(
        started_by=world.users["staff_research"], state=JobState.RUNNING, progress_done=2500, progress_total=10000
    )
    page = staff.get(running.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and "25%" in page and "2,500 of 10,000 rows" in page
    partial = staff.get(running.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="job-status"') and "<html" not in partial
    done = world.jobs["research_a"]
    finished = staff.get(done.get_absolute_url()).content.decode()
    assert "every 1s" not in finished and "10 rows read, 10 written." in finished and "Download report.pdf" in finished


def test_the_traceback_of_a_failed_job_is_for_staff_and_not_for_the_trust_partner(world, client_for):
    job = JobFactory(
        started_by=world.users["staff_research"],
        trust=world.trusts["trust_a"],
        state=JobState.FAILED,
        error="The job failed unexpectedly.",
        error_detail="Traceback: secret internal detail",
    )
    assert "secret internal detail" in client_for("staff_research").get(job.get_absolute_url()).content.decode()
    partner_page = client_for("trust_partner").get(job.get_absolute_url()).content.decode()
    assert "The job failed unexpectedly." in partner_page and "secret internal detail" not in partner_page
    api = client_for("trust_partner").get(reverse("api:job-detail", kwargs={"pk": job.pk})).json()
    assert api["error"] == "The job failed unexpectedly." and api["error_detail"] == ""


def test_the_file_a_job_produced_downloads_as_an_attachment_and_is_audited(world, client_for):
    job = world.jobs["research_a"]
    response = client_for("trust_partner").get(reverse("jobs:job_file", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="report.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(job.pk)).exists()


def test_cancelling_a_running_job_asks_it_to_stop_and_a_queued_one_stops_at_once(world, client_for):
    staff = client_for("staff_research")
    running = JobFactory(started_by=world.users["staff_research"], state=JobState.RUNNING)
    queued = JobFactory(started_by=world.users["staff_research"], state=JobState.QUEUED)
    staff.post(reverse("jobs:job_cancel", kwargs={"pk": running.pk}))
    staff.post(reverse("jobs:job_cancel", kwargs={"pk": queued.pk}))
    running.refresh_from_db()
    queued.refresh_from_db()
    assert running.cancel_requested and running.state == JobState.RUNNING
    assert queued.state == JobState.CANCELLED


def test_the_job_list_filters_by_state_and_shows_each_role_its_own(world, client_for):
    JobFactory(started_by=world.users["staff_research"], title="Still going", state=JobState.RUNNING)
    page = client_for("staff_research").get(reverse("jobs:job_list"), {"state": "running"}).content.decode()
    assert "Still going" in page and world.jobs["research_a"].title not in page
    admin_page = client_for("staff_admin").get(reverse("jobs:job_list")).content.decode()
    assert world.jobs["programme_b"].title in admin_page and world.jobs["research_a"].title in admin_page
    api = client_for("staff_programme").get(reverse("api:job-list")).json()["results"]
    assert [row["id"] for row in api] == [world.jobs["programme_b"].pk]
