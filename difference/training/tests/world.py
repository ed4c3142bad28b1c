"""Certificates, coaching and supervision for the shared test ``world`` (conftest.py), as ``world.training``.

Scopes (object kind ``training`` in tests/authz_matrix.yaml):

* ``cert_leader``: the leader's (leader_a1's) DSL certificate, awarded 1 May 2022, with a PDF as evidence;
* ``cert_b1``: leader_b1's DSL certificate, also with evidence;
* ``enrol_leader``: the leader's DLP 2022 enrolment. Its coach and supervisor are two extra users who hold no
  persona's role in the matrix (``coach``, a programme staff member; ``supervisor``, an external supervisor with
  an assessor's account), so among the personas only the leader and staff admin (audited) read its notes;
* ``enrol_b1``: leader_b1's enrolment, coached by the ``staff_programme`` persona, who therefore reads its notes.

Each enrolment has notes whose texts say whose they are (``NOTE_TEXTS``), so tests can look for them in a page.
The evidence files have fixed names and are written once to the media storage in use.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.training.models import (
    CalendarFeed,
    Certificate,
    CertificateStatus,
    CertificationType,
    Cohort,
    Component,
    ComponentKind,
    Enrolment,
    NoteKind,
    Requirement,
    Session,
    SupervisionNote,
)

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
NOTE_TEXTS = {
    "leader_supervision": "Supervision for Lena: talked through the exclusion panel and how it felt.",
    "leader_coaching": "Coaching for Lena: planning the first term's audit.",
    "b1_coaching": "Coaching for Omar: behaviour policy rewrite.",
}


def dsl(valid_for_months: int = 24) -> CertificationType:
    certification, _ = CertificationType.objects.get_or_create(
        code="dsl",
        defaults={"name": "Designated Safeguarding Lead", "valid_for_months": valid_for_months},
    )
    return certification


def _world_evidence(key: str) -> str:
    name = f"evidence/world-{key}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(MINIMAL_PDF))
    return name


def _certificate(person: Any, key: str, certification: CertificationType) -> Certificate:
    return Certificate.objects.create(
        person=person,
        certification=certification,
        status=CertificateStatus.AWARDED,
        started_on=dt.date(2022, 3, 1),
        awarded_on=dt.date(2022, 5, 1),
        expires_on=dt.date(2024, 5, 1),
        evidence=_world_evidence(key),
        evidence_name=f"DSL certificate {key}.pdf",
        evidence_type="application/pdf",
        evidence_size=len(MINIMAL_PDF),
    )


def training_world(world: SimpleNamespace) -> dict[str, Any]:
    users, people, cohort = world.users, world.people, world.cohort
    coach = UserFactory(role=Role.STAFF_PROGRAMME, email="coach@example.org")
    supervisor = UserFactory(role=Role.ASSESSOR, email="supervisor@example.org")
    enrol_leader = Enrolment.objects.get(person=people["leader_a1"], cohort=cohort)
    enrol_b1 = Enrolment.objects.get(person=people["leader_b1"], cohort=cohort)
    Enrolment.objects.filter(pk=enrol_leader.pk).update(coach=coach, supervisor=supervisor)
    Enrolment.objects.filter(pk=enrol_b1.pk).update(coach=users["staff_programme"])
    enrol_leader.refresh_from_db()
    enrol_b1.refresh_from_db()
    held_on = dt.date(2022, 10, 3)
    notes = {
        "note_leader_supervision": SupervisionNote.objects.create(
            enrolment=enrol_leader,
            author=supervisor,
            kind=NoteKind.SUPERVISION,
            held_on=held_on,
            text=NOTE_TEXTS["leader_supervision"],
        ),
        "note_leader_coaching": SupervisionNote.objects.create(
            enrolment=enrol_leader,
            author=coach,
            kind=NoteKind.COACHING,
            held_on=held_on,
            text=NOTE_TEXTS["leader_coaching"],
        ),
        "note_b1_coaching": SupervisionNote.objects.create(
            enrolment=enrol_b1,
            author=users["staff_programme"],
            kind=NoteKind.COACHING,
            held_on=held_on,
            text=NOTE_TEXTS["b1_coaching"],
        ),
    }
    certification = dsl()
    return {
        **_sessions_and_feeds(cohort, people["leader_a1"]),
        "dsl": certification,
        "coach": coach,
        "supervisor": supervisor,
        "enrol_leader": enrol_leader,
        "enrol_b1": enrol_b1,
        "cert_leader": _certificate(people["leader_a1"], "leader", certification),
        "cert_b1": _certificate(people["leader_b1"], "b1", certification),
        **notes,
    }


def _sessions_and_feeds(cohort: Cohort, leader: Any) -> dict[str, Any]:
    """A past twilight of the cohort, and calendar links: the leader's, the cohort's and a revoked one."""
    twilights, _ = Component.objects.get_or_create(
        programme=cohort.programme, code="twilights", defaults={"name": "Twilights", "kind": ComponentKind.TWILIGHT}
    )
    Requirement.objects.get_or_create(cohort=cohort, component=twilights, defaults={"amount": Decimal(36)})
    starts = timezone.now() - dt.timedelta(days=7)
    session = Session.objects.create(
        cohort=cohort,
        component=twilights,
        title="Twilight: restorative practice",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        hours=Decimal(2),
    )
    return {
        "cohort": cohort,
        "session": session,
        "feed_leader": CalendarFeed.objects.create(person=leader),
        "feed_cohort": CalendarFeed.objects.create(cohort=cohort),
        "feed_revoked": CalendarFeed.objects.create(person=leader, revoked_at=timezone.now()),
    }
