from __future__ import annotations

import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import PROGRAMME_STAFF, Role

if TYPE_CHECKING:
    from difference.accounts.models import User


class Programme(models.Model):
    """A training programme: the Difference Leadership Programme or an Inclusive Leadership Course."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=150)
    duration_years = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CohortQuerySet(models.QuerySet["Cohort"]):
    def for_user(self, user: User) -> CohortQuerySet:
        """Programme staff see every cohort; a leader the cohorts they are a member of."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.LEADER:
            return self.filter(pk__in=membership_ids(user, "cohort"))
        return self.none()

    def with_enrolment_counts(self) -> CohortQuerySet:
        """Each cohort's enrolled, completed and withdrawn counts, for the cohort list and its export."""
        return self.annotate(
            enrolled=Count("enrolments"),
            completed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED)),
            withdrawn=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WITHDRAWN)),
        )


class Cohort(models.Model):
    """The intake of a programme that starts in one year."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    year = models.PositiveSmallIntegerField()
    target_size = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "-year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="cohort_unique_year")]

    def __str__(self) -> str:
        return f"{self.programme.code.upper()} {self.year}"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DEFERRED = "deferred", "Deferred"
    WITHDRAWN = "withdrawn", "Withdrawn"
    COMPLETED = "completed", "Completed"


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def for_user(self, user: User) -> EnrolmentQuerySet:
        """Programme staff see every enrolment; a leader their own. (Coaches and supervisors reach the enrolments
        they look after through ``training.access.get_enrolment``, not through lists.)"""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.LEADER:
            return self.filter(person__user=user)
        return self.none()


class Enrolment(models.Model):
    """A person's place in a cohort. Status changes go through the services, which date them and keep the reason."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="enrolments")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    # DLP leaders are enrolled from their placement; ILC participants directly.
    placement = models.OneToOneField(
        "placements.Placement", null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolment"
    )
    # The only people besides the leader who may read the leader's confidential supervision and coaching notes.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="coached_enrolments"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_enrolments",
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "person"]
        constraints = [models.UniqueConstraint(fields=["person", "cohort"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE


class EnrolmentChange(models.Model):
    """A dated change of an enrolment's status, with its reason. Never edited."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=12, choices=EnrolmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=EnrolmentStatus.choices)
    on = models.DateField()
    reason = models.CharField(max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} on {self.on}"


# --- Components and their requirements ----------------------------------------------------------------------
class ComponentKind(models.TextChoices):
    RESIDENTIAL = "residential", "Summer residential"
    TWILIGHT = "twilight", "Twilight session"
    SUPERVISION = "supervision", "Supervision"
    COACHING = "coaching", "Coaching in school"
    DSL = "dsl", "Designated Safeguarding Lead training"
    NPQSL = "npqsl", "NPQSL module"
    RESEARCH_ACTION = "research_action", "Research-action training"
    TRAINING_DAY = "training_day", "Training day"
    ASSIGNMENT = "assignment", "Practical assignment"
    OTHER = "other", "Other"


class Unit(models.TextChoices):
    HOURS = "hours", "hours"
    SESSIONS = "sessions", "sessions"


class Component(models.Model):
    """A strand of a programme, e.g. the DLP's twilights, counted in hours or in sessions attended."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="components")
    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=ComponentKind.choices)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.HOURS)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["programme", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="component_code_unique")]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    """How much of a component one cohort must complete. Kept per cohort, so changing next year's rules never
    rewrites an earlier cohort's ledger."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="requirements")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="requirements")
    amount = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))])

    class Meta:
        ordering = ["cohort", "component__position"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "component"], name="requirement_once_per_component"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="requirement_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.amount} {self.component.get_unit_display()} of {self.component}"


# --- Sessions and attendance ----------------------------------------------------------------------------------------
class DeliveryMode(models.TextChoices):
    VENUE = "venue", "At a venue"
    ONLINE = "online", "Online"


class SessionQuerySet(models.QuerySet["Session"]):
    def for_user(self, user: User) -> SessionQuerySet:
        """Programme staff see every session; a leader those of the cohorts they are enrolled in."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.LEADER:
            return self.filter(cohort__enrolments__person__user=user).distinct()
        return self.none()


class Session(models.Model):
    """A timetabled session of one component for a cohort. A make-up session credits the component it makes up."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="sessions")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=8, choices=DeliveryMode.choices, default=DeliveryMode.VENUE)
    venue = models.CharField(max_length=200, blank=True)
    facilitator = models.CharField(max_length=150, blank=True)
    hours = models.DecimalField(
        "hours credited", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    makeup_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="makeups", verbose_name="make-up for"
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="session_hours_not_negative"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.title}, {local:%-d %B %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("training:session_register", kwargs={"pk": self.pk})

    @property
    def is_makeup(self) -> bool:
        return self.makeup_for_id is not None


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    LATE = "late", "Late"
    LEFT_EARLY = "left_early", "Left early"
    EXCUSED = "excused", "Excused"
    ABSENT = "absent", "Absent"


# Statuses whose minutes missed reduce the hours credited.
PARTIAL_STATUSES = (AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, *PARTIAL_STATUSES)


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=12, choices=AttendanceStatus.choices)
    minutes_missed = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "enrolment"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once_per_session"),
            models.CheckConstraint(
                condition=Q(minutes_missed=0) | Q(status__in=["late", "left_early"]),
                name="attendance_minutes_only_when_late_or_early",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} at {self.session}: {self.get_status_display()}"


# --- Calendar feeds ------------------------------------------------------------------------------------------------
def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret link to an iCalendar feed of one person's or one cohort's sessions. Revoking it ends the link."""

    token = models.CharField(max_length=64, unique=True, default=_feed_token, editable=False)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(cohort__isnull=True))
                | (Q(person__isnull=True) & Q(cohort__isnull=False)),
                name="calendar_feed_for_person_or_cohort",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("training:calendar_feed", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# --- Certifications -------------------------------------------------------------------------------------------------
class CertificationType(models.Model):
    """DSL, NPQSL and any other certification staff add. ``valid_for_months`` sets the expiry (DSL: 24)."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=150)
    valid_for_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave blank for a certification that does not expire."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CertificateStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    AWARDED = "awarded", "Awarded"
    NOT_COMPLETED = "not_completed", "Not completed"


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def for_user(self, user: User) -> CertificateQuerySet:
        """Programme staff see every certificate; a leader their own."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.LEADER:
            return self.filter(person__user=user)
        return self.none()


def evidence_path(instance: Certificate, filename: str) -> str:
    """A generated name: nothing the uploader typed reaches the file system."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{secrets.token_hex(16)}.{extension}"


class Certificate(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="certificates")
    certification = models.ForeignKey(CertificationType, on_delete=models.PROTECT, related_name="certificates")
    status = models.CharField(max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.IN_PROGRESS)
    started_on = models.DateField(null=True, blank=True)
    awarded_on = models.DateField(null=True, blank=True)
    # Set from the award date and the certification's validity when the certificate is saved by the services.
    expires_on = models.DateField(null=True, blank=True)
    evidence = models.FileField(upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["person", "certification", "-awarded_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="awarded") | Q(awarded_on__isnull=False), name="certificate_awarded_is_dated"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification} for {self.person}"


# --- Confidential notes ---------------------------------------------------------------------------------------------
class NoteKind(models.TextChoices):
    SUPERVISION = "supervision", "Supervision"
    COACHING = "coaching", "Coaching"


class SupervisionNote(models.Model):
    """A confidential note of a supervision or coaching conversation.

    Only the leader, the enrolment's coach or supervisor (whoever wrote it) and staff admin (audited) may read it.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=NoteKind.choices)
    held_on = models.DateField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} note {self.pk}"
