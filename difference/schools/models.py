from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import STAFF_ROLES, Role

if TYPE_CHECKING:
    from difference.accounts.models import User


class Region(models.TextChoices):
    NORTH_EAST = "North East"
    NORTH_WEST = "North West"
    YORKSHIRE = "Yorkshire and The Humber"
    EAST_MIDLANDS = "East Midlands"
    WEST_MIDLANDS = "West Midlands"
    EAST = "East of England"
    LONDON = "London"
    SOUTH_EAST = "South East"
    SOUTH_WEST = "South West"


class LocalAuthority(models.Model):
    """An English local authority, keyed by DfE's three-digit LA code (the first digits of a LAEstab)."""

    code = models.CharField(max_length=3, unique=True)
    gss_code = models.CharField("ONS code", max_length=9, blank=True)
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class TrustQuerySet(models.QuerySet["Trust"]):
    def for_user(self, user: User) -> TrustQuerySet:
        """Staff see every trust; a trust partner the trusts they are a member of; nobody else any."""
        if not is_active(user):
            return self.none()
        if user.role in STAFF_ROLES:
            return self
        if user.role == Role.TRUST_PARTNER:
            return self.filter(pk__in=membership_ids(user, "trust"))
        return self.none()


class Trust(models.Model):
    """An academy trust (multi- or single-academy) as registered in GIAS."""

    uid = models.PositiveIntegerField("GIAS group UID", unique=True)
    group_id = models.CharField("GIAS group ID", max_length=20, blank=True)
    name = models.CharField(max_length=255)
    companies_house_number = models.CharField(max_length=20, blank=True)
    group_type = models.CharField(max_length=60, blank=True)

    objects = TrustQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("schools:trust_detail", kwargs={"uid": self.uid})


class SchoolCategory(models.TextChoices):
    """The charity's own grouping of GIAS establishment types."""

    PRU = "pru", "Pupil referral unit"
    AP_ACADEMY = "ap_academy", "AP academy or free school"
    SPECIAL = "special", "Special school"
    MAINSTREAM = "mainstream", "Mainstream school"
    OTHER = "other", "Other establishment"
    UNKNOWN = "unknown", "Type not recorded"


class SchoolQuerySet(models.QuerySet["School"]):
    def for_user(self, user: User) -> SchoolQuerySet:
        """Staff see every school; a headteacher or leader their own (a leader also the school on their person
        record); a trust partner their trust's schools; nobody else any."""
        if not is_active(user):
            return self.none()
        if user.role in STAFF_ROLES:
            return self
        if user.role in (Role.HEADTEACHER, Role.LEADER):
            own = Q(pk__in=membership_ids(user, "school"))
            if user.role == Role.LEADER:
                own |= Q(people__user=user)
            return self.filter(own).distinct()
        if user.role == Role.TRUST_PARTNER:
            return self.filter(trust__in=membership_ids(user, "trust"))
        return self.none()

    def alternative_provision(self) -> SchoolQuerySet:
        return self.filter(category__in=[SchoolCategory.PRU, SchoolCategory.AP_ACADEMY])

    def partners(self) -> SchoolQuerySet:
        return self.filter(partnerships__isnull=False).distinct()


class School(models.Model):
    """An establishment in England, identified by its URN."""

    urn = models.PositiveIntegerField("URN", unique=True)
    laestab = models.PositiveIntegerField("LAEstab", null=True, blank=True, db_index=True)
    name = models.CharField(max_length=255, db_index=True)
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    establishment_type = models.CharField(max_length=120, blank=True)
    establishment_group = models.CharField(max_length=120, blank=True)
    category = models.CharField(max_length=20, choices=SchoolCategory.choices, default=SchoolCategory.UNKNOWN)
    phase = models.CharField(max_length=60, blank=True)
    region = models.CharField(max_length=40, blank=True)
    trust = models.ForeignKey(Trust, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools")
    pupils = models.PositiveIntegerField("number of pupils", null=True, blank=True)
    # Where the number of pupils came from and the year it counts, e.g. "DfE school-level exclusions statistics"
    # and "2016/17": a reach figure must say how old its pupil numbers are.
    pupils_source = models.CharField("source of the number of pupils", max_length=120, blank=True)
    pupils_year = models.CharField("year of the number of pupils", max_length=20, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=60, blank=True)
    # Where each descriptive field last came from, e.g. "GIAS extract 2025-04-22".
    source = models.CharField(max_length=120, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "urn"]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    def get_absolute_url(self) -> str:
        return reverse("schools:school_detail", kwargs={"urn": self.urn})

    @property
    def is_alternative_provision(self) -> bool:
        return self.category in {SchoolCategory.PRU, SchoolCategory.AP_ACADEMY}


class SchoolLink(models.Model):
    """A GIAS link between two establishments: predecessor/successor, academy conversion, merger."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="links")
    linked_urn = models.PositiveIntegerField("linked URN")
    linked_name = models.CharField(max_length=255, blank=True)
    # GIAS link types run to 62 characters ("Merged - expansion in school capacity and changer in age range").
    link_type = models.CharField(max_length=100)
    established_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school", "link_type", "linked_urn"]
        constraints = [
            models.UniqueConstraint(fields=["school", "linked_urn", "link_type"], name="school_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school.urn} {self.link_type} {self.linked_urn}"


class PartnershipKind(models.TextChoices):
    LEADER_SCHOOL = "leader_school", "Difference Leader school (AP)"
    ALUMNI_SCHOOL = "alumni_school", "Difference alumni school (mainstream)"
    ILC_SCHOOL = "ilc_school", "Inclusive Leadership Course school"


class Partnership(models.Model):
    """A school's working relationship with the charity."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="partnerships")
    kind = models.CharField(max_length=20, choices=PartnershipKind.choices)
    since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school", "kind"]
        constraints = [models.UniqueConstraint(fields=["school", "kind"], name="partnership_unique")]

    def __str__(self) -> str:
        return f"{self.school.name}: {self.get_kind_display()}"
