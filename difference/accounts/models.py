from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from difference.accounts.roles import MFA_REQUIRED_ROLES, STAFF_ROLES, Role, has_capability


class DifferenceUserManager(UserManager["User"]):
    """Users log in by email; ``username`` mirrors it so Django's admin keeps working."""

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        return super().create_user(email=email, password=password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:  # type: ignore[override]
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        extra.setdefault("role", Role.STAFF_ADMIN)
        return super().create_superuser(email=email, password=password, **extra)


class User(AbstractUser):
    """A person who can log in. Their ``role`` decides what they may do; memberships decide where."""

    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.APPLICANT)

    objects = DifferenceUserManager()  # type: ignore[misc]

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = (self.email or "").lower()
        if not self.username:
            self.username = self.email
        super().save(*args, **kwargs)

    @property
    def is_charity_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def requires_mfa(self) -> bool:
        return self.role in MFA_REQUIRED_ROLES

    def can(self, capability: str) -> bool:
        return self.is_active and has_capability(self.role, capability)

    def mark_email_verified(self) -> None:
        """Count this login's address as proven: only for logins the charity itself creates (the demo, tests).

        Every other login proves its address by following the link allauth sends before it reaches a page.
        """
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=self, email=self.email, defaults={"verified": True, "primary": True})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        today = timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)


class Membership(models.Model):
    """Ties a user to exactly one school, trust or cohort: where their role applies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE)
    trust = models.ForeignKey("schools.Trust", null=True, blank=True, on_delete=models.CASCADE)
    cohort = models.ForeignKey("training.Cohort", null=True, blank=True, on_delete=models.CASCADE)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_exactly_one_target",
                condition=(
                    Q(school__isnull=False, trust__isnull=True, cohort__isnull=True)
                    | Q(school__isnull=True, trust__isnull=False, cohort__isnull=True)
                    | Q(school__isnull=True, trust__isnull=True, cohort__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="membership_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.school or self.trust or self.cohort}"


class AuditAction(models.TextChoices):
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOGOUT = "logout", "Logged out"
    SENSITIVE_READ = "sensitive_read", "Read special-category data"
    EXPORT = "export", "Exported data"
    AUTHZ_DENIED = "authz_denied", "Was refused access"
    MFA_ACTIVATED = "mfa_activated", "Set up two-factor authentication"
    LOGIN_LINKED = "login_linked", "Linked a login to a person"
    PUBLIC_CHANGE = "public_change", "Changed data through a public form or emailed link"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:  # type: ignore[override]
        raise TypeError("Audit events are append-only")


class AuditEvent(models.Model):
    """An append-only record of a security-relevant event.

    It records who did what to which object and when (UTC), never the values
    read or typed: no passwords, no special-category answers. In PostgreSQL a
    trigger refuses UPDATE and DELETE as well, so even raw SQL cannot rewrite it.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraint and no cascade: deleting or erasing a user must not
    # rewrite the trail, which keeps the bare id as a tombstone.
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # Kept when the user is later erased, so the trail still reads sensibly.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit events are append-only")
