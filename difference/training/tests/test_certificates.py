"""Certificates: expiry, renewal, and evidence files that are checked before anything is kept (acceptance 6)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory
from difference.training import certificates
from difference.training.models import Certificate, CertificateStatus, CertificationType
from difference.training.tests.world import MINIMAL_PDF, dsl

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploads go to a fresh folder, so a test can see exactly what was stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def client_as(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def row(certificate: Certificate) -> dict[str, Any]:
    return model_to_dict(Certificate.objects.get(pk=certificate.pk))


# --- Expiry ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("awarded_on", "months", "expires_on"),
    [
        (dt.date(2022, 5, 1), 24, dt.date(2024, 5, 1)),  # DSL: every two years
        (dt.date(2024, 2, 29), 24, dt.date(2026, 2, 28)),  # no 29 February in 2026
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),  # but there is in 2028
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),  # the month's last day when it is shorter
        (dt.date(2023, 12, 15), 1, dt.date(2024, 1, 15)),  # across a year end
    ],
)
def test_expiry_adds_calendar_months(awarded_on, months, expires_on):
    certification = CertificationType(code="x", name="X", valid_for_months=months)
    assert certificates.expiry_for(certification, awarded_on) == expires_on


def test_expiry_is_none_when_not_awarded_or_never_lapsing():
    assert certificates.expiry_for(CertificationType(valid_for_months=24), None) is None
    assert certificates.expiry_for(CertificationType(valid_for_months=None), dt.date(2022, 5, 1)) is None


@pytest.mark.django_db
def test_saving_an_awarded_dsl_certificate_sets_its_expiry_two_years_on():
    person, by = PersonFactory(), UserFactory(role=Role.STAFF_PROGRAMME)
    certificate = certificates.save_certificate(
        person=person,
        certification=dsl(),
        status=CertificateStatus.AWARDED,
        started_on=dt.date(2024, 1, 10),
        awarded_on=dt.date(2024, 2, 29),
        by=by,
    )
    assert certificate.expires_on == dt.date(2026, 2, 28)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "started_on", "awarded_on", "message"),
    [
        (CertificateStatus.AWARDED, None, None, "needs the date it was awarded"),
        (CertificateStatus.IN_PROGRESS, None, dt.date(2022, 5, 1), "Only an awarded certificate"),
        (CertificateStatus.AWARDED, None, dt.date.today() + dt.timedelta(days=2), "cannot be in the future"),
        (CertificateStatus.AWARDED, dt.date(2022, 6, 1), dt.date(2022, 5, 1), "before the start date"),
    ],
)
def test_saving_refuses_dates_that_do_not_fit_the_status(status, started_on, awarded_on, message):
    with pytest.raises(ValidationError, match=message):
        certificates.save_certificate(
            person=PersonFactory(),
            certification=dsl(),
            status=status,
            started_on=started_on,
            awarded_on=awarded_on,
            by=UserFactory(role=Role.STAFF_PROGRAMME),
        )
    assert not Certificate.objects.exists()


# --- Due for renewal ---------------------------------------------------------------------------------------------
def _awarded(person: Any, certification: CertificationType, awarded_on: dt.date) -> Certificate:
    return Certificate.objects.create(
        person=person,
        certification=certification,
        status=CertificateStatus.AWARDED,
        awarded_on=awarded_on,
        expires_on=certificates.expiry_for(certification, awarded_on),
    )


@pytest.mark.django_db
def test_due_for_renewal_lists_lapsed_and_soon_lapsing_certificates_not_yet_renewed():
    today = dt.date(2025, 1, 15)
    certification = dsl()
    npqsl = CertificationType.objects.create(code="npqsl", name="NPQSL", valid_for_months=None)
    lapsed = _awarded(PersonFactory(), certification, dt.date(2022, 9, 1))  # lapsed 1 Sep 2024
    soon = _awarded(PersonFactory(), certification, dt.date(2023, 3, 1))  # lapses 1 Mar 2025, in 45 days
    _awarded(PersonFactory(), certification, dt.date(2023, 6, 1))  # 1 Jun 2025: outside 90 days
    _awarded(PersonFactory(), npqsl, dt.date(2020, 1, 1))  # never lapses
    renewed_person = PersonFactory()
    _awarded(renewed_person, certification, dt.date(2022, 6, 1))  # lapsed, but…
    _awarded(renewed_person, certification, dt.date(2024, 6, 1))  # …refreshed since
    Certificate.objects.create(
        person=PersonFactory(), certification=certification, status=CertificateStatus.IN_PROGRESS
    )

    assert list(certificates.due_for_renewal(today=today)) == [lapsed, soon]
    assert list(certificates.due_for_renewal(within_days=30, today=today)) == [lapsed]


def test_staff_see_the_due_for_renewal_section_and_can_filter(world, client_for):
    cert_leader = world.training["cert_leader"]  # lapsed on 1 May 2024
    response = client_for("staff_programme").get(reverse("training:certificate_list"))
    assert response.status_code == 200
    due = response.context["due"]
    assert [c.pk for c, _ in due] == [cert_leader.pk, world.training["cert_b1"].pk]
    assert "lapsed" in response.content.decode()

    filtered = client_for("staff_programme").get(
        reverse("training:certificate_list"), {"status": CertificateStatus.IN_PROGRESS}
    )
    assert filtered.context["total"] == 0


def test_a_leader_is_sent_to_their_own_certificate(world, client_for):
    response = client_for("leader").get(reverse("training:certificate_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("training:certificate_detail", args=[world.training["cert_leader"].pk])


def test_a_leader_with_several_certificates_or_none_gets_a_list_of_their_own(world, client_for):
    Certificate.objects.filter(pk=world.training["cert_leader"].pk).delete()
    empty = client_for("leader").get(reverse("training:certificate_list"))
    assert empty.status_code == 200
    assert "No certificates are recorded for you yet" in empty.content.decode()

    npqsl = CertificationType.objects.create(code="npqsl", name="NPQSL")
    for certification in (world.training["dsl"], npqsl):
        Certificate.objects.create(person=world.people["leader_a1"], certification=certification)
    listed = client_for("leader").get(reverse("training:certificate_list"))
    assert listed.status_code == 200
    assert [c.certification.code for c in listed.context["certificates"]] == ["dsl", "npqsl"]
    assert "Omar" not in listed.content.decode()


# --- Evidence: refused files (acceptance 6) ---------------------------------------------------------------------
def _post_evidence(client: Client, certificate: Certificate, file: SimpleUploadedFile) -> Any:
    return client.post(reverse("training:certificate_detail", args=[certificate.pk]), {"evidence": file})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evidence.pdf", PNG, "The file is called evidence.pdf but is a PNG image."),
        ("evidence.pdf", HTML, "The file is called evidence.pdf but is a web page (HTML or SVG)."),
        ("evidence.png", JPEG, "The file is called evidence.png but is a JPEG image."),
        ("evidence.jpg", b"%PDF-1.4 not really", "The file is called evidence.jpg but is a PDF document."),
        ("evidence.pdf", b"plain text, nothing else", "The file is called evidence.pdf but is not a PDF document."),
        ("evidence.html", HTML, "Evidence must be a PDF, PNG or JPEG file"),
        ("evidence.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "Evidence must be a PDF, PNG or JPEG"),
        ("evidence", MINIMAL_PDF, "Evidence must be a PDF, PNG or JPEG file"),
    ],
)
def test_a_file_that_is_not_what_its_name_claims_is_refused_and_nothing_is_stored(
    media, world, client_for, name, content, message
):
    certificate = world.training["cert_leader"]
    before_files, before_row = stored_files(media), row(certificate)

    response = _post_evidence(client_for("leader"), certificate, upload(name, content))

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert stored_files(media) == before_files
    assert row(certificate) == before_row


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(media, world, client_for, settings):
    settings.DIFFERENCE_EVIDENCE_MAX_BYTES = 2048
    certificate = world.training["cert_leader"]
    before_files, before_row = stored_files(media), row(certificate)
    big_pdf = MINIMAL_PDF + b"%" * (5000 - len(MINIMAL_PDF))

    response = _post_evidence(client_for("staff_programme"), certificate, upload("dsl.pdf", big_pdf))

    assert response.status_code == 400
    assert "The file is 4.9 KB; the limit is 2 KB." in response.content.decode()
    assert stored_files(media) == before_files
    assert row(certificate) == before_row


def test_the_size_refusal_names_both_sizes_in_megabytes():
    with pytest.raises(ValidationError) as refused:
        certificates.check_evidence(upload("evidence.pdf", MINIMAL_PDF + b"0" * (int(7.2 * 1024 * 1024) - 100)))
    assert refused.value.messages == ["The file is 7.2 MB; the limit is 5 MB."]


def test_just_over_the_limit_is_told_in_bytes(settings):
    settings.DIFFERENCE_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    with pytest.raises(ValidationError, match=r"The file is 5,242,881 bytes; the limit is 5,242,880 bytes \(5 MB\)"):
        certificates.check_evidence(upload("evidence.pdf", MINIMAL_PDF.ljust(5 * 1024 * 1024 + 1, b"0")))


def test_a_certificate_recorded_with_a_bad_file_is_not_recorded_at_all(media, world, client_for):
    before_files = stored_files(media)
    response = client_for("staff_programme").post(
        reverse("training:certificate_create"),
        {
            "email": world.people["leader_b1"].email,
            "certification": world.training["dsl"].pk,
            "status": CertificateStatus.AWARDED,
            "awarded_on": "2024-02-29",
            "evidence": upload("dsl.pdf", HTML),
        },
    )
    assert response.status_code == 400
    assert "is a web page" in response.content.decode()
    assert Certificate.objects.filter(person=world.people["leader_b1"]).count() == 1  # only the world's
    assert stored_files(media) == before_files


# --- Evidence: accepted files -----------------------------------------------------------------------------------
def test_a_valid_pdf_is_kept_under_a_generated_name(media, world, client_for, django_capture_on_commit_callbacks):
    certificate = world.training["cert_leader"]
    old_file = certificate.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_evidence(
            client_for("leader"), certificate, upload("../My DSL\x07 certificate.PDF", MINIMAL_PDF)
        )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert re.fullmatch(r"evidence/[0-9a-f]{32}\.pdf", certificate.evidence.name)
    assert certificate.evidence_name == "My DSL certificate.PDF"
    assert certificate.evidence_type == "application/pdf"
    assert certificate.evidence_size == len(MINIMAL_PDF)
    assert certificate.uploaded_by == world.users["leader"]
    assert certificate.uploaded_at is not None
    assert (media / certificate.evidence.name).read_bytes() == MINIMAL_PDF
    assert old_file not in stored_files(media)  # the file it replaced is gone


@pytest.mark.parametrize(
    ("name", "content", "content_type"), [("scan.png", PNG, "image/png"), ("scan.jpeg", JPEG, "image/jpeg")]
)
def test_png_and_jpeg_are_accepted(media, world, name, content, content_type):
    certificate = certificates.attach_evidence(
        certificate=world.training["cert_b1"], upload=upload(name, content, content_type), by=world.users["staff_admin"]
    )
    assert certificate.evidence_type == content_type
    assert certificate.evidence.name.endswith("." + name.rsplit(".", 1)[1])


def test_staff_record_a_certificate_with_its_evidence(media, world, client_for):
    response = client_for("staff_admin").post(
        reverse("training:certificate_create"),
        {
            "email": world.people["leader_b1"].email.upper(),
            "certification": world.training["dsl"].pk,
            "status": CertificateStatus.AWARDED,
            "started_on": "2024-01-10",
            "awarded_on": "2024-02-29",
            "evidence": upload("dsl.pdf", MINIMAL_PDF),
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(person=world.people["leader_b1"], awarded_on=dt.date(2024, 2, 29))
    assert response["Location"] == reverse("training:certificate_detail", args=[certificate.pk])
    assert certificate.expires_on == dt.date(2026, 2, 28)
    assert certificate.evidence_name == "dsl.pdf"
    assert (media / certificate.evidence.name).exists()


def test_the_create_form_does_not_find_people_by_unknown_email(world, client_for):
    response = client_for("staff_admin").post(
        reverse("training:certificate_create"),
        {"email": "nobody@example.org", "certification": world.training["dsl"].pk, "status": "in_progress"},
    )
    assert response.status_code == 400
    assert "Nobody with that email is in People yet." in response.content.decode()


# --- Downloading evidence ---------------------------------------------------------------------------------------
def test_evidence_downloads_as_an_attachment_for_the_leader_and_staff(media, world, client_for):
    certificate = certificates.attach_evidence(
        certificate=world.training["cert_leader"],
        upload=upload('Zoë\'s "DSL".pdf', MINIMAL_PDF),
        by=world.users["leader"],
    )
    url = reverse("training:certificate_evidence", args=[certificate.pk])
    for role in ("leader", "staff_admin", "staff_programme"):
        response = client_for(role).get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == MINIMAL_PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''Zo%C3%AB%27s%20%22DSL%22.pdf" in disposition


@pytest.mark.parametrize(
    ("role", "status"),
    [("headteacher", 403), ("applicant", 403), ("staff_research", 403), ("trust_partner", 403), ("assessor", 403)],
)
def test_nobody_else_downloads_the_leaders_evidence(world, client_for, role, status):
    url = reverse("training:certificate_evidence", args=[world.training["cert_leader"].pk])
    assert client_for(role).get(url).status_code == status


def test_a_leader_cannot_download_another_leaders_evidence(world, client_for):
    url = reverse("training:certificate_evidence", args=[world.training["cert_b1"].pk])
    assert client_for("leader").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302


def test_a_certificate_without_evidence_has_nothing_to_download(world, client_for):
    certificate = world.training["cert_leader"]
    Certificate.objects.filter(pk=certificate.pk).update(evidence="")
    url = reverse("training:certificate_evidence", args=[certificate.pk])
    assert client_for("leader").get(url).status_code == 404


def test_a_missing_file_is_not_found_rather_than_an_error(media, world, client_for):
    certificate = world.training["cert_leader"]
    Certificate.objects.filter(pk=certificate.pk).update(evidence="evidence/gone.pdf")
    url = reverse("training:certificate_evidence", args=[certificate.pk])
    assert client_for("staff_admin").get(url).status_code == 404


def test_a_content_type_recorded_outside_the_allow_list_is_served_as_plain_bytes(media, world, client_for):
    certificate = world.training["cert_leader"]
    Certificate.objects.filter(pk=certificate.pk).update(evidence_type="text/html")
    response = client_for("leader").get(reverse("training:certificate_evidence", args=[certificate.pk]))
    assert response["Content-Type"] == "application/octet-stream"


# --- Names ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\lena\\DSL 2024.pdf", "DSL 2024.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("tab\there\r\n.pdf", "tab here .pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ("", "evidence"),
    ],
)
def test_the_uploaders_name_is_cleaned_to_a_label(raw, clean):
    assert certificates.clean_name(raw) == clean
