"""Alumni careers: each person's dated roles, the yearly requests that keep them current, and the senior-leadership
opportunities partner trusts and schools offer alumni.

A role's sector is kept as it was when the role was recorded (taken from the school's type in the registry then),
so a school that later changes type does not rewrite where someone worked. The role held before the programme is
the baseline that promotion is judged against.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import Capability, Role

if TYPE_CHECKING:
    from difference.accounts.models import User


class Level(models.IntegerChoices):
    """The role ladder: promotion is a step up it."""

    CLASSROOM = 1, "Classroom teacher"
    MIDDLE = 2, "Middle leader (head of year, subject or department)"
    SENIOR = 3, "Senior leader (assistant or deputy head)"
    HEAD = 4, "Headteacher or head of school"
    EXECUTIVE = 5, "Executive head or trust leader"


class Sector(models.TextChoices):
    AP = "ap", "Alternative provision"
    SPECIAL = "special", "Special school"
    MAINSTREAM = "mainstream", "Mainstream school"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    OTHER_EDUCATION = "other_education", "Other education"
    OUT_OF_EDUCATION = "out_of_education", "Out of education"


class Source(models.TextChoices):
    SELF_REPORTED = "self", "Self-reported"
    STAFF = "staff", "Charity staff"
    HEADTEACHER = "headteacher", "Headteacher"
    IMPORT = "import", "Imported"


class CareerRoleQuerySet(models.QuerySet["CareerRole"]):
    def for_user(self, user: User) -> CareerRoleQuerySet:
        """Programme staff and research staff see every role; an alumnus their own history; nobody else any row
        (headteachers and trust partners read aggregates of alumni in their schools)."""
        if not is_active(user):
            return self.none()
        if user.can(Capability.MANAGE_CAREERS) or user.can(Capability.ANALYSE_CAREERS):
            return self
        if user.role in (Role.LEADER, Role.APPLICANT):
            return self.filter(person__user=user)
        return self.none()

    def current(self) -> CareerRoleQuerySet:
        return self.filter(ends_on__isnull=True)


class CareerRole(models.Model):
    """One role someone held, from ``starts_on`` to ``ends_on`` (open while current)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="career_roles")
    title = models.CharField(max_length=200, help_text="The title as the person writes it.")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="alumni_roles"
    )
    employer = models.CharField(max_length=200, blank=True, help_text="Where there is no school: the employer.")
    sector = models.CharField(max_length=20, choices=Sector.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    is_baseline = models.BooleanField(default=False, help_text="The role held before the programme.")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.STAFF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CareerRoleQuerySet.as_manager()

    class Meta:
        ordering = ["person", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="career_role_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="career_role_school_or_employer",
                condition=Q(school__isnull=False) | ~Q(employer="") | Q(sector="out_of_education"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.where}"

    @property
    def where(self) -> str:
        return self.school.name if self.school_id and self.school else (self.employer or self.get_sector_display())

    @property
    def is_current(self) -> bool:
        return self.ends_on is None


class MainstreamTarget(models.Model):
    """The share of a graduating cohort the charity aims to see in mainstream roles, set per cohort year."""

    cohort_year = models.PositiveSmallIntegerField(unique=True)
    share = models.DecimalField(max_digits=4, decimal_places=3, default=0.6)

    class Meta:
        ordering = ["cohort_year"]

    def __str__(self) -> str:
        return f"{self.cohort_year}: {self.share:.0%}"


class RefreshState(models.TextChoices):
    SENT = "sent", "Sent"
    CONFIRMED = "confirmed", "Confirmed unchanged"
    UPDATED = "updated", "Updated"
    EXPIRED = "expired", "Expired unanswered"


class RefreshRequest(models.Model):
    """A yearly "confirm your details" request: one signed link, usable once, until it expires."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="career_refreshes")
    nonce = models.CharField(max_length=43, unique=True, help_text="The link's one-use secret (only its hash).")
    state = models.CharField(max_length=10, choices=RefreshState.choices, default=RefreshState.SENT)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Career refresh for {self.person} ({self.get_state_display()})"


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def for_user(self, user: User) -> OpportunityQuerySet:
        """Programme staff see every opportunity; a trust partner its trust's; a headteacher their school's; an
        alumnus (a leader in their last programme year or after) the open ones."""
        if not is_active(user):
            return self.none()
        if user.can(Capability.MANAGE_CAREERS):
            return self
        if user.role == Role.TRUST_PARTNER:
            return self.filter(trust__in=membership_ids(user, "trust"))
        if user.role == Role.HEADTEACHER:
            return self.filter(school__in=membership_ids(user, "school"))
        if user.role == Role.LEADER:
            return self.filter(status=OpportunityStatus.OPEN)
        return self.none()


class OpportunityStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Opportunity(models.Model):
    """A senior-leadership post a partner trust or school offers alumni."""

    trust = models.ForeignKey("schools.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.SENIOR)
    description = models.TextField(blank=True)
    starts_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField()
    status = models.CharField(max_length=8, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                name="opportunity_trust_or_school", condition=Q(trust__isnull=False) | Q(school__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.school.name if self.school else self.trust.name if self.trust else ''}"

    def get_absolute_url(self) -> str:
        return reverse("careers:opportunity_detail", kwargs={"pk": self.pk})


class InterestState(models.TextChoices):
    REGISTERED = "registered", "Interest registered"
    INTRODUCED = "introduced", "Introduced"
    APPOINTED = "appointed", "Appointed"
    NOT_APPOINTED = "not_appointed", "Not appointed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Interest(models.Model):
    """An alumnus's interest in an opportunity, and what came of the introduction."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="opportunity_interests")
    state = models.CharField(max_length=14, choices=InterestState.choices, default=InterestState.REGISTERED)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["opportunity", "created_at"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "person"], name="interest_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person} → {self.opportunity}"
