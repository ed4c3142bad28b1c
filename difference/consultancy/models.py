"""MAT consultancy: an engagement with one trust, the data the trust sends, and what was exported from it.

A trust sends its data in one of two templates (see ``imports.py``): one row per school and year, or one row per
pupil for the engagement's year. Pupil rows are pseudonymous (the trust's own reference, never a name or UPN) and
are never shown row by row: the report shows aggregates with small cells suppressed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import Capability
from difference.schools.models import School, Trust

if TYPE_CHECKING:
    from difference.accounts.models import User


class EngagementStatus(models.TextChoices):
    OPEN = "open", "Open: collecting data"
    REPORTED = "reported", "Reported to the trust"
    CLOSED = "closed", "Closed"


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def for_user(self, user: User) -> EngagementQuerySet:
        """Research staff see every engagement; a trust partner only their own trust's; nobody else any."""
        if not is_active(user):
            return self.none()
        if user.can(Capability.MANAGE_CONSULTANCY):
            return self
        if user.can(Capability.VIEW_CONSULTANCY):
            return self.filter(trust__in=membership_ids(user, "trust"))
        return self.none()


class Engagement(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="engagements")
    title = models.CharField(max_length=200)
    academic_year = models.CharField(
        max_length=7, help_text='The year the pupil-level data is for, as "2022/23"; school rows carry their own year.'
    )
    question = models.TextField("the trust's question", blank=True)
    status = models.CharField(max_length=20, choices=EngagementStatus.choices, default=EngagementStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-academic_year", "trust__name", "title"]

    def __str__(self) -> str:
        return f"{self.trust.name}: {self.title} ({self.academic_year})"

    def get_absolute_url(self) -> str:
        return reverse("consultancy:engagement_detail", kwargs={"pk": self.pk})


class UploadKind(models.TextChoices):
    SCHOOL = "school", "School-level (one row per school and year)"
    PUPIL = "pupil", "Pupil-level (one row per pupil, pseudonymous)"


class DataUpload(models.Model):
    """One accepted file. A new upload of the same kind replaces the engagement's rows of that kind."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(max_length=10, choices=UploadKind.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    schools = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    replaced = models.BooleanField(default=False, help_text="A later upload of the same kind replaced its rows.")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()}, {self.rows} rows)"


class SchoolReturn(models.Model):
    """A school's counts for one academic year, as the trust sent them. A blank count is None: not supplied."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="school_returns")
    upload = models.ForeignKey(DataUpload, on_delete=models.CASCADE, related_name="school_returns")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    academic_year = models.CharField(max_length=7)
    headcount = models.PositiveIntegerField()
    suspensions = models.PositiveIntegerField(null=True, blank=True)
    one_plus_suspensions = models.PositiveIntegerField("pupils with one or more suspensions", null=True, blank=True)
    permanent_exclusions = models.PositiveIntegerField(null=True, blank=True)
    sessions_possible = models.PositiveBigIntegerField(null=True, blank=True)
    sessions_missed = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["school__name", "academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "school", "academic_year"], name="one_return_per_school_and_year"
            ),
            models.CheckConstraint(
                name="return_pupils_within_headcount",
                condition=Q(one_plus_suspensions__isnull=True) | Q(one_plus_suspensions__lte=models.F("headcount")),
            ),
            models.CheckConstraint(
                name="return_missed_within_possible",
                condition=Q(sessions_missed__isnull=True)
                | Q(sessions_possible__isnull=True)
                | Q(sessions_missed__lte=models.F("sessions_possible")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.academic_year}"


class SenStatus(models.TextChoices):
    NONE = "none", "No identified SEN"
    SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "EHC plan"


class EthnicityGroup(models.TextChoices):
    """DfE's major ethnic groups, as the school census reports them."""

    WHITE = "white", "White"
    MIXED = "mixed", "Mixed"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black or Black British"
    CHINESE = "chinese", "Chinese"
    OTHER = "other", "Any other ethnic group"
    UNCLASSIFIED = "unclassified", "Unclassified"


class PupilReturn(models.Model):
    """One pupil's year, pseudonymous: ``pupil_ref`` is the trust's own reference, never a name or a UPN."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="pupil_returns")
    upload = models.ForeignKey(DataUpload, on_delete=models.CASCADE, related_name="pupil_returns")
    pupil_ref = models.CharField(max_length=40)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    year_group = models.CharField(max_length=4)
    sen_status = models.CharField(max_length=12, choices=SenStatus.choices)
    fsm = models.BooleanField("eligible for free school meals")
    ethnicity_group = models.CharField(max_length=12, choices=EthnicityGroup.choices)
    suspensions = models.PositiveSmallIntegerField()
    permanent_exclusion = models.BooleanField()
    sessions_possible = models.PositiveIntegerField()
    sessions_missed = models.PositiveIntegerField()

    class Meta:
        ordering = ["school_id", "pupil_ref"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "pupil_ref"], name="one_return_per_pupil"),
            models.CheckConstraint(
                name="pupil_missed_within_possible", condition=Q(sessions_missed__lte=models.F("sessions_possible"))
            ),
        ]

    def __str__(self) -> str:
        return self.pupil_ref
