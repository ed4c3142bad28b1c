"""Certificates and their evidence: expiry, recording an award, and checking an uploaded file before it is kept.

Evidence is checked in full before anything is stored (security guide, item I6): its size against
``DIFFERENCE_EVIDENCE_MAX_BYTES``, its extension against a short allow-list, and its first bytes against the type
the extension claims, so an HTML page or a script renamed ``evidence.pdf`` is refused. A refused file leaves no
trace: nothing in the media storage and no change to the certificate. A kept file gets a generated name
(``models.evidence_path``); the uploader's own name is kept, cleaned, only as a label for the download.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from difference.training.models import Certificate, CertificateQuerySet, CertificateStatus, CertificationType

if TYPE_CHECKING:
    from difference.accounts.models import User
    from difference.people.models import Person


# --- Expiry ----------------------------------------------------------------------------------------------------
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (29 February + 12 → 28 February)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def expiry_for(certification: CertificationType, awarded_on: dt.date | None) -> dt.date | None:
    """When a certificate awarded on ``awarded_on`` lapses; ``None`` if not awarded or if it never lapses."""
    if awarded_on is None or not certification.valid_for_months:
        return None
    return add_months(awarded_on, certification.valid_for_months)


def due_for_renewal(*, within_days: int = 90, today: dt.date | None = None) -> CertificateQuerySet:
    """Awarded certificates that have lapsed or lapse within ``within_days``, unless the same person has since been
    awarded the same certification again (a DSL refresh replaces the old certificate). Scope it with ``for_user``."""
    today = today or timezone.localdate()
    renewed = Certificate.objects.filter(
        person=OuterRef("person"),
        certification=OuterRef("certification"),
        status=CertificateStatus.AWARDED,
        awarded_on__gt=OuterRef("awarded_on"),
    )
    return (
        Certificate.objects.filter(
            status=CertificateStatus.AWARDED, expires_on__lte=today + dt.timedelta(days=within_days)
        )
        .exclude(Exists(renewed))
        .select_related("person", "certification")
        .order_by("expires_on", "person__last_name", "pk")
    )


# --- Evidence checks -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvidenceKind:
    label: str  # how a person would name it: "a PDF document"
    content_type: str
    signature: bytes  # what the file must start with


_PDF = EvidenceKind("a PDF document", "application/pdf", b"%PDF-")
_PNG = EvidenceKind("a PNG image", "image/png", b"\x89PNG\r\n\x1a\n")
_JPEG = EvidenceKind("a JPEG image", "image/jpeg", b"\xff\xd8\xff")
EVIDENCE_KINDS: dict[str, EvidenceKind] = {"pdf": _PDF, "png": _PNG, "jpg": _JPEG, "jpeg": _JPEG}
ALLOWED_TEXT = "a PDF, PNG or JPEG file"
# How to name, in a refusal, what a file really is when filetype recognises it.
_LABELS = {
    "application/pdf": "a PDF document",
    "image/png": "a PNG image",
    "image/apng": "a PNG image",
    "image/jpeg": "a JPEG image",
    "image/gif": "a GIF image",
    "image/webp": "a WebP image",
    "image/heic": "a HEIC photo",
    "application/zip": "a ZIP archive",
    "application/x-msdownload": "a Windows program",
    "application/x-executable": "a program",
}
_MARKUP = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")
_HEAD_BYTES = 8192
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME_MAX = 200  # Certificate.evidence_name


@dataclass(frozen=True)
class CheckedEvidence:
    name: str  # the uploader's name for it, cleaned: a label only, never a path
    extension: str
    content_type: str
    size: int


def megabytes(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def clean_name(raw: str) -> str:
    """The file's own name without any folder, control characters or odd Unicode forms, at most 200 characters
    (keeping the extension)."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_CONTROL.sub(" ", name).split()).strip(" .") or "evidence"
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        keep_extension = bool(dot) and len(extension) <= 10
        name = stem[: NAME_MAX - len(dot + extension)] + dot + extension if keep_extension else name[:NAME_MAX]
    return name


def _what_it_is(head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is not None:
        return _LABELS.get(kind.mime, f"a {kind.extension.upper()} file")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(_MARKUP) or b"<html" in text[:1024] or b"<script" in text[:1024]:
        return "a web page (HTML or SVG)"
    return ""


def check_evidence(upload: UploadedFile) -> CheckedEvidence:
    """Refuse, with a message a person can act on, any file that is too big, empty, of a type not allowed, or not
    what its extension claims. Reads only the first bytes; stores nothing."""
    name = clean_name(upload.name or "")
    size = upload.size or 0
    limit = settings.DIFFERENCE_EVIDENCE_MAX_BYTES
    if size > limit:
        shown, allowed = megabytes(size), megabytes(limit)
        if shown == allowed:
            shown, allowed = f"{size:,} bytes", f"{limit:,} bytes ({allowed})"
        raise ValidationError(f"The file is {shown}; the limit is {allowed}.", code="too_big")
    if size == 0:
        raise ValidationError(f"The file {name} is empty.", code="empty")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    expected = EVIDENCE_KINDS.get(extension)
    if expected is None:
        raise ValidationError(
            f"Evidence must be {ALLOWED_TEXT} (.pdf, .png, .jpg or .jpeg); {name} is not.", code="extension"
        )
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    if not head.startswith(expected.signature):
        actual = _what_it_is(head)
        if actual and actual != expected.label:
            found = f"is {actual}"
        elif actual:
            found = f"is not a well-formed {expected.label.removeprefix('a ')}"
        else:
            found = f"is not {expected.label}"
        raise ValidationError(
            f"The file is called {name} but {found}. Upload the certificate as {ALLOWED_TEXT} whose name ends "
            "with its real type.",
            code="mismatch",
        )
    return CheckedEvidence(name=name, extension=extension, content_type=expected.content_type, size=size)


# --- Recording certificates ------------------------------------------------------------------------------------
_EVIDENCE_FIELDS = ["evidence", "evidence_name", "evidence_type", "evidence_size", "uploaded_at", "uploaded_by"]


def _store(certificate: Certificate, upload: UploadedFile, checked: CheckedEvidence, by: User) -> None:
    """Save the file under a generated name, then the row; if the row cannot be saved, remove the file again.
    The file it replaces is removed once the change is committed. Call inside a transaction."""
    previous = certificate.evidence.name or ""
    storage = certificate.evidence.storage
    certificate.evidence.save(f"evidence.{checked.extension}", upload, save=False)
    stored = certificate.evidence.name or ""
    certificate.evidence_name = checked.name
    certificate.evidence_type = checked.content_type
    certificate.evidence_size = checked.size
    certificate.uploaded_at = timezone.now()
    certificate.uploaded_by = by
    try:
        certificate.save(update_fields=_EVIDENCE_FIELDS)
    except Exception:
        storage.delete(stored)
        raise
    if previous and previous != stored:
        transaction.on_commit(lambda: storage.delete(previous))


def attach_evidence(*, certificate: Certificate, upload: UploadedFile, by: User) -> Certificate:
    """Keep ``upload`` as the certificate's evidence, replacing any earlier file. A refused file changes nothing."""
    checked = check_evidence(upload)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        _store(locked, upload, checked, by)
    certificate.refresh_from_db()
    return certificate


def _check_dates(status: str, started_on: dt.date | None, awarded_on: dt.date | None, today: dt.date) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if status == CertificateStatus.AWARDED and awarded_on is None:
        errors["awarded_on"] = "An awarded certificate needs the date it was awarded."
    if status != CertificateStatus.AWARDED and awarded_on is not None:
        errors["awarded_on"] = "Only an awarded certificate has an award date; leave it blank or mark it awarded."
    if awarded_on is not None and awarded_on > today:
        errors["awarded_on"] = "The award date cannot be in the future."
    if started_on and awarded_on and awarded_on < started_on:
        errors["awarded_on"] = "The award date cannot be before the start date."
    return errors


def save_certificate(
    *,
    person: Person,
    certification: CertificationType,
    status: str,
    started_on: dt.date | None,
    awarded_on: dt.date | None,
    by: User,
    evidence: UploadedFile | None = None,
) -> Certificate:
    """Record a person's certificate, its expiry worked out from the award date. Evidence, if given, is checked
    before anything is written; a refused file means no certificate is recorded either."""
    if errors := _check_dates(status, started_on, awarded_on, timezone.localdate()):
        raise ValidationError(errors)
    checked = check_evidence(evidence) if evidence is not None else None
    certificate = Certificate(
        person=person,
        certification=certification,
        status=status,
        started_on=started_on,
        awarded_on=awarded_on,
        expires_on=expiry_for(certification, awarded_on),
    )
    certificate.full_clean(exclude=["evidence"])
    with transaction.atomic():
        certificate.save()
        if evidence is not None and checked is not None:
            _store(certificate, evidence, checked, by)
    return certificate
