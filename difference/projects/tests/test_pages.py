"""Project pages by role: what each sees, and what each may change."""

from __future__ import annotations

from difference.projects.models import Comment, Project, Stage


def test_a_project_with_one_test_round_reads_not_yet_measured_with_its_reason(world, client_for):
    page = client_for("staff_programme").get(f"/projects/{world.projects['b1'].pk}/").content.decode()
    assert "Not yet measured:" in page
    assert "One test round so far" in page


def test_a_project_with_no_tests_reads_not_yet_measured_and_why(world, client_for):
    project = world.projects["b1"]
    project.measures.all().delete()
    page = client_for("staff_programme").get(f"/projects/{project.pk}/").content.decode()
    assert "Not yet measured:" in page and "No tests yet" in page


def test_the_headteacher_sees_the_pupils_codes_and_the_trust_partner_sees_none(world, client_for):
    url = f"/projects/{world.projects['a1'].pk}/"
    assert "A1-01" in client_for("headteacher").get(f"{url}pupils/").content.decode()
    partner_page = client_for("trust_partner").get(url).content.decode()
    assert "A1-01" not in partner_page
    assert "<svg" not in partner_page
    assert client_for("trust_partner").get(f"{url}pupils/").status_code == 403


def test_the_trust_partner_sees_a_small_projects_share_suppressed_with_the_reason(world, client_for):
    page = client_for("trust_partner").get(f"/projects/{world.projects['a1'].pk}/").content.decode()
    assert "Fewer than" in page or "fewer than" in page


def test_the_headteacher_comments_on_their_schools_project(world, client_for):
    project = world.projects["a1"]
    response = client_for("headteacher").post(f"/projects/{project.pk}/comments/", {"text": "Good start."})
    assert response.status_code == 302
    assert Comment.objects.get(project=project).text == "Good start."


def test_the_leader_saves_their_plan_and_an_end_before_the_start_is_refused(world, client_for):
    project = world.projects["a1"]
    client = client_for("leader")
    data = {"title": project.title, "stage": Stage.RUNNING, "starts_on": "2022-09-01", "aims": "Close the gap."}
    assert client.post(f"/projects/{project.pk}/plan/", {**data, "ends_on": "2022-08-01"}).status_code == 400
    assert Project.objects.get(pk=project.pk).aims == ""
    assert client.post(f"/projects/{project.pk}/plan/", data).status_code == 302
    assert Project.objects.get(pk=project.pk).aims == "Close the gap."


def test_programme_staff_filter_the_list_by_stage(world, client_for):
    world.projects["b1"].__class__.objects.filter(pk=world.projects["b1"].pk).update(stage=Stage.AUDIT)
    page = client_for("staff_programme").get("/projects/", {"stage": "audit"}).content.decode()
    assert world.projects["b1"].title in page and world.projects["a1"].title not in page


def test_the_analysis_counts_every_project_measured_or_not(world, client_for):
    page = client_for("staff_research").get("/projects/analysis/").content.decode()
    assert "2 projects" in page
    assert "1 measured at least twice" in page
    assert "one test round so far" in page


def test_the_write_up_prints_as_a_pdf(world, client_for):
    response = client_for("headteacher").get(f"/projects/{world.projects['a1'].pk}/report.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_list_says_which_projects_are_measured_and_why_the_others_are_not(world, client_for):
    page = client_for("staff_programme").get("/projects/").content.decode()
    assert "Not yet measured: One test round so far" in page
    assert "<td>Measured</td>" in page
