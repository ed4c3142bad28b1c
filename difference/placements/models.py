from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import CANDIDATE_ROLES, PROGRAMME_STAFF, Role

if TYPE_CHECKING:
    from difference.accounts.models import User


class PlacementRound(models.Model):
    """One year's matching of offer-holders to posts, e.g. the 2022 round for the 2022 cohort."""

    year = models.PositiveSmallIntegerField(unique=True)
    target_posts = models.PositiveSmallIntegerField(default=20)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} placement round"

    def get_absolute_url(self) -> str:
        return reverse("placements:round_detail", kwargs={"year": self.year})


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def for_user(self, user: User) -> CandidateQuerySet:
        """A school sees the candidates who ranked one of its vacancies or whom it ranked; a candidate only themself."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.HEADTEACHER:
            schools = membership_ids(user, "school")
            return self.filter(
                Q(preferences__vacancy__school__in=schools) | Q(school_rankings__vacancy__school__in=schools)
            ).distinct()
        if user.role in CANDIDATE_ROLES:
            return self.filter(person__user=user)
        return self.none()


class Candidate(models.Model):
    """A person ready for placement in a round (an accepted offer, or marked ready by staff)."""

    placement_round = models.ForeignKey(PlacementRound, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placement_candidacies")
    ready_since = models.DateField(default=timezone.localdate)
    # "Anywhere in these regions": staff expand it into ranked preferences.
    regions = models.CharField(max_length=255, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["placement_round", "person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["placement_round", "person"], name="candidate_once_per_round")]

    def __str__(self) -> str:
        return str(self.person)

    def ranked_vacancies(self) -> list[Vacancy]:
        return [p.vacancy for p in self.preferences.select_related("vacancy__school").order_by("rank")]


class SettingType(models.TextChoices):
    PRU = "pru", "Pupil referral unit"
    AP_ACADEMY = "ap_academy", "AP academy or free school"
    SPECIAL = "special", "Special school"
    INTERNAL_AP = "internal_ap", "Internal AP unit in a mainstream school"


class Focus(models.TextChoices):
    TEACHING_LEARNING = "teaching_learning", "Teaching and learning"
    WELLBEING_SAFEGUARDING = "wellbeing_safeguarding", "Wellbeing and safeguarding"
    SEND = "send", "SEND"
    BEHAVIOUR_ATTENDANCE = "behaviour_attendance", "Behaviour and attendance"
    CURRICULUM = "curriculum", "Curriculum and qualifications"


class VacancyStatus(models.TextChoices):
    OPEN = "open", "Open"
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn"


class VacancyQuerySet(models.QuerySet["Vacancy"]):
    def for_user(self, user: User) -> VacancyQuerySet:
        """Staff see every vacancy; a school its own; a candidate the vacancies of the rounds they are in."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.HEADTEACHER:
            return self.filter(school__in=membership_ids(user, "school"))
        if user.role in CANDIDATE_ROLES:
            return self.filter(placement_round__candidates__person__user=user).distinct()
        return self.none()

    def open(self) -> VacancyQuerySet:
        return self.exclude(status=VacancyStatus.WITHDRAWN)


class Vacancy(models.Model):
    """Senior-leadership posts in a partner school, offered to the round's candidates."""

    placement_round = models.ForeignKey(PlacementRound, on_delete=models.CASCADE, related_name="vacancies")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField(max_length=150)
    phase = models.CharField(max_length=40, blank=True)
    focus = models.CharField(max_length=30, choices=Focus.choices)
    posts = models.PositiveSmallIntegerField(default=1)
    starts_on = models.DateField()
    status = models.CharField(max_length=12, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)
    setting_type = models.CharField(max_length=12, choices=SettingType.choices)
    # Placements outside the usual AP settings, piloted to learn what works.
    test_and_learn = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["placement_round", "school__name", "title"]
        verbose_name_plural = "vacancies"

    def __str__(self) -> str:
        return f"{self.title}, {self.school.name}"

    def get_absolute_url(self) -> str:
        return reverse("placements:vacancy_detail", kwargs={"pk": self.pk})

    @property
    def label(self) -> str:
        return f"{self.school.name} ({self.title})"

    @property
    def is_filled(self) -> bool:
        """A filled vacancy is read-only: its placements stand on the school's ranking as it was published."""
        return self.status == VacancyStatus.FILLED


class CandidatePreference(models.Model):
    """A candidate's ranking of a vacancy they would accept; rank 1 is their first choice."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="preferences")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="candidate_preferences")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["candidate", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "vacancy"], name="preference_once"),
            models.UniqueConstraint(fields=["candidate", "rank"], name="preference_rank_unique"),
            models.CheckConstraint(name="preference_rank_positive", condition=Q(rank__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} ranks {self.vacancy} #{self.rank}"


class SchoolRanking(models.Model):
    """A school's view of a candidate it interviewed for a vacancy: a rank, or unacceptable (no rank)."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="school_rankings")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="school_rankings")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["vacancy", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="school_ranking_once"),
            models.UniqueConstraint(fields=["vacancy", "rank"], name="school_ranking_rank_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.vacancy} ranks {self.candidate} #{self.rank or 'unacceptable'}"

    @property
    def is_acceptable(self) -> bool:
        return self.rank is not None


class Proposing(models.TextChoices):
    CANDIDATES = "candidates", "Candidates propose"
    SCHOOLS = "schools", "Schools propose"


class RunStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class MatchRunQuerySet(models.QuerySet["MatchRun"]):
    def for_user(self, user: User) -> MatchRunQuerySet:
        """Match runs are staff work: nobody else sees one (schools and candidates see the published outcome)."""
        if is_active(user) and user.role in PROGRAMME_STAFF:
            return self
        return self.none()


class MatchRun(models.Model):
    """One run of the matching engine over a frozen copy of the round's preferences.

    ``instance`` holds the engine's input exactly as ``match_file`` reads it, so a
    run can be reproduced offline, and a what-if run is a copy of its parent's
    instance with one change, never touching the live preferences.
    """

    placement_round = models.ForeignKey(PlacementRound, on_delete=models.CASCADE, related_name="runs")
    proposing = models.CharField(max_length=12, choices=Proposing.choices, default=Proposing.CANDIDATES)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="what_ifs")
    change_description = models.CharField(max_length=255, blank=True)
    instance = models.JSONField()
    blocking_pairs = models.JSONField(default=list, blank=True)
    stability_checked_at = models.DateTimeField(null=True, blank=True)
    vacancy_explanations = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_proposing_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("placements:run_detail", kwargs={"pk": self.pk})

    @property
    def is_stable(self) -> bool:
        return self.stability_checked_at is not None and not self.blocking_pairs

    @property
    def matching(self) -> dict[str, Any]:
        # The engine's ids: "c<candidate pk>" and "v<vacancy pk>".
        return {f"c{o.candidate_id}": (f"v{o.vacancy_id}" if o.vacancy_id else None) for o in self.outcomes.all()}


class MatchOutcome(models.Model):
    """What one candidate got in a run, and why."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="outcomes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="outcomes")
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.CASCADE, related_name="outcomes")
    choice_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    explanation = models.TextField()

    class Meta:
        ordering = ["run", "candidate__person__last_name"]
        constraints = [models.UniqueConstraint(fields=["run", "candidate"], name="outcome_once_per_run")]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.vacancy or 'unmatched'}"


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", "In post"
    ENDED_EARLY = "ended_early", "Ended early"
    COMPLETED = "completed", "Completed"


class PlacementQuerySet(models.QuerySet["Placement"]):
    def for_user(self, user: User) -> PlacementQuerySet:
        """Staff see every placement; a school the placements at its own schools; a candidate their own."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.HEADTEACHER:
            return self.filter(vacancy__school__in=membership_ids(user, "school"))
        if user.role in CANDIDATE_ROLES:
            return self.filter(candidate__person__user=user)
        return self.none()


class Placement(models.Model):
    """A leader in post at a school, created when a run is published."""

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="placement")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="placements")
    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, related_name="placements")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE)
    end_reason = models.CharField(max_length=255, blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["vacancy__school__name"]
        constraints = [
            models.CheckConstraint(
                name="placement_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="placement_early_end_has_reason",
                condition=~Q(status="ended_early") | (Q(ends_on__isnull=False) & ~Q(end_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} at {self.vacancy.school.name}"

    def get_absolute_url(self) -> str:
        return reverse("placements:placement_detail", kwargs={"pk": self.pk})

    def end_early(self, *, on: Any, reason: str) -> None:
        """Stamp an early end: date, reason and status always change together."""
        self.ends_on, self.end_reason, self.status = on, reason, PlacementStatus.ENDED_EARLY
        self.full_clean()
        self.save(update_fields=["ends_on", "end_reason", "status"])
