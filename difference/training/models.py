from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

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
        from difference.accounts.access import scope_cohorts

        return scope_cohorts(self, user)


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


class Enrolment(models.Model):
    """A person's place in a cohort."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="enrolments")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)

    class Meta:
        ordering = ["cohort", "person"]
        constraints = [models.UniqueConstraint(fields=["person", "cohort"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE
