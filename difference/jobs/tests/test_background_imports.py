"""Large imports become jobs, from their pages and with ``--background`` on their commands, and end as the same
outcome a small import gives at once: summary, details, and every fault by row."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from difference.jobs.models import Job, JobState
from difference.recruitment.models import Application, RecruitmentRound
from difference.recruitment.tests.test_imports import applicant_rows, write_xlsx
from difference.training.imports import TEMPLATE_HEADER as REGISTER_COLUMNS


def test_a_large_applications_file_from_the_page_is_imported_by_a_job(
    world, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DIFFERENCE_BACKGROUND_IMPORT_BYTES = 1000
    RecruitmentRound.objects.create(
        year=2022, opens_at=dt.datetime(2021, 11, 1, tzinfo=dt.UTC), closes_at=dt.datetime(2022, 2, 1, tzinfo=dt.UTC)
    )
    path = write_xlsx(tmp_path / "past.xlsx", applicant_rows(40))
    upload = SimpleUploadedFile("past.xlsx", path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff_admin").post(reverse("recruitment:import_applications"), {"file": upload})
    job = Job.objects.get(kind="recruitment.import_applications")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.result["problems"]
    assert job.started_by == world.users["staff_admin"] and job.input_name == "past.xlsx"
    assert job.result["summary"] == "past.xlsx: 40 rows read, 40 written, 0 skipped, 0 errors"
    assert Application.objects.filter(recruitment_round__year=2022).count() == 40
    assert (job.progress_done, job.progress_total) == (40, 40) and not job.input_file


def test_a_registers_file_with_a_fault_fails_its_job_with_every_fault_by_row(
    tmp_path, db, django_capture_on_commit_callbacks
):
    path = tmp_path / "marks.csv"
    path.write_text(",".join(REGISTER_COLUMNS) + "\n" + ",".join(["x"] * len(REGISTER_COLUMNS)) + "\n")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_registers", str(path), "--background", stdout=out)
    job = Job.objects.get(kind="training.import_registers")
    assert f"Queued as job {job.pk}" in out.getvalue()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error.startswith("marks.csv: 1 row read, 0 written") and job.error.endswith("nothing written")
    assert all(problem.startswith("Row 2") for problem in job.result["problems"])
    assert job.input_file  # kept, so that it can be run again once the file is put right


def test_load_dfe_in_the_background_loads_the_files_in_a_job(db, django_capture_on_commit_callbacks):
    from difference.benchmarks.comparisons import LA_SERIES
    from difference.benchmarks.models import Dataset

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_dfe", str(LA_SERIES), "--background", stdout=out)
    job = Job.objects.get(kind="benchmarks.load_dfe")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result["summary"] == "Loaded 1 DfE file."
    assert job.result["details"][0].startswith(f"{LA_SERIES.name}: ")
    assert Dataset.objects.filter(source_file=LA_SERIES.name).exists()
