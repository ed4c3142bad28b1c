from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import CANDIDATE_ROLES, PROGRAMME_STAFF, Role

if TYPE_CHECKING:
    from difference.accounts.models import User


class PersonQuerySet(models.QuerySet["Person"]):
    def for_user(self, user: User) -> PersonQuerySet:
        """Programme staff see everyone; a leader or applicant only themself; a headteacher the leaders placed in
        post at their own school, nobody else; everyone else no one (research staff read aggregates only)."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role in CANDIDATE_ROLES:
            return self.filter(user=user)
        if user.role == Role.HEADTEACHER:
            return self.filter(
                placement_candidacies__placement__vacancy__school__in=membership_ids(user, "school"),
                placement_candidacies__placement__status="active",
            ).distinct()
        return self.none()

    def search(self, text: str) -> PersonQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(first_name__icontains=text) | Q(last_name__icontains=text) | Q(email__icontains=text))


class Person(models.Model):
    """An educator known to the charity: a registrant, applicant, leader, alumnus or participant."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(unique=True, null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def current_consent(self, purpose: str) -> ConsentRecord | None:
        """The latest consent record for a purpose; consent counts only if that record gives it."""
        return self.consents.filter(purpose=purpose).order_by("-recorded_at", "-pk").first()

    def has_consent(self, purpose: str) -> bool:
        latest = self.current_consent(purpose)
        return latest is not None and latest.status == ConsentStatus.GIVEN


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", "Contact about the programme"
    BULLETIN = "bulletin", "The inclusion news bulletin"
    RESEARCH = "research", "Taking part in research and evaluation"
    CASE_STUDY = "case_study", "Being named in case studies"


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Given"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", "Web form"
    EMAIL = "email", "Email"
    PAPER = "paper", "Paper form"
    PHONE = "phone", "Telephone"
    IMPORT = "import", "Imported record"


class ConsentRecord(models.Model):
    """One statement of consent, given or withdrawn. Records are never edited: a change is a new record."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    status = models.CharField(max_length=10, choices=ConsentStatus.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_purpose_display()} {self.get_status_display().lower()}"


PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "In another way"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class EthnicGroup(models.TextChoices):
    """The five top-level ethnic groups used by ONS and DfE, plus a refusal."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", "Under 25"
    AGE_25_34 = "25_34", "25 to 34"
    AGE_35_44 = "35_44", "35 to 44"
    AGE_45_54 = "45_54", "45 to 54"
    AGE_55_PLUS = "55_plus", "55 or over"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class Demographics(models.Model):
    """Special-category data about a person, kept apart from ``Person``.

    Only staff admin may read it row by row, and every such read is audited;
    everyone else sees it only as suppressed aggregates. Every question can be
    answered "prefer not to say", and blank means the question was not answered.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="demographics")
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "demographics"

    def __str__(self) -> str:
        return f"Demographics of person {self.person_id}"
