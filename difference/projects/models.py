"""Research-action projects: each leader's whole-school project in their school, its audits, and its pupil data.

The model follows the charity's: topic training, a whole-school audit, a plan shaped by the audit's findings, and
impact tracked by repeated assessments. Pupils are pseudonymous: the school gives each one its own code and keeps
the key; the platform holds no name, only the month and year of birth, the year group, the dates on roll and the
two characteristics projects use (SEN support or EHCP, free school meals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from difference.accounts.policy import is_active, membership_ids
from difference.accounts.roles import Capability, Role

if TYPE_CHECKING:
    from difference.accounts.models import User


class Topic(models.TextChoices):
    LITERACY = "literacy", "Literacy"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    INDUCTION = "induction", "Student induction"


class Stage(models.TextChoices):
    TRAINING = "training", "Topic training"
    AUDIT = "audit", "Audit"
    PLAN = "plan", "Plan"
    RUNNING = "running", "Running"
    MEASURED = "measured", "Measured"
    WRITTEN_UP = "written_up", "Written up"


class ProjectQuerySet(models.QuerySet["Project"]):
    def for_user(self, user: User) -> ProjectQuerySet:
        """Programme and research staff see every project; a leader their own; a headteacher their school's; a
        trust partner their trust's schools' (whose pages show them aggregates only)."""
        if not is_active(user):
            return self.none()
        if user.can(Capability.MANAGE_PROJECTS) or user.can(Capability.ANALYSE_PROJECTS):
            return self
        if user.role == Role.LEADER:
            return self.filter(enrolment__person__user=user)
        if user.role == Role.HEADTEACHER:
            return self.filter(school__in=membership_ids(user, "school"))
        if user.role == Role.TRUST_PARTNER:
            return self.filter(school__trust__in=membership_ids(user, "trust"))
        return self.none()


class Project(models.Model):
    """One leader's project in one school, over one enrolment."""

    enrolment = models.OneToOneField("training.Enrolment", on_delete=models.PROTECT, related_name="project")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="projects")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    title = models.CharField(max_length=200)
    question = models.TextField("the question it asks", blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.TRAINING)
    # The plan, shaped by the audit's findings.
    aims = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    staff_involved = models.TextField(blank=True)
    # Why a project has no second test round, when the reason is not visible in its data (a school that cannot
    # buy the tests). "No tests yet" and "one round so far" are read from the data itself.
    cannot_resource_tests = models.BooleanField(
        default=False, help_text="The school cannot resource the tests this project's measures need."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "school__name"]
        constraints = [
            models.CheckConstraint(
                name="project_ends_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.school.name})"

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", kwargs={"pk": self.pk})

    @property
    def leader(self) -> str:
        return self.enrolment.person.full_name


class Comment(models.Model):
    """A headteacher's (or programme staff's) comment on a project, shown on its page."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.project_id} by {self.author_id}"


# --- Audits ------------------------------------------------------------------------------------------------------
class AuditTemplate(models.Model):
    """The whole-school audit for a topic, edited by programme staff: sections of statements rated on a scale."""

    topic = models.CharField(max_length=20, choices=Topic.choices, unique=True)
    title = models.CharField(max_length=200)
    scale_max = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(2), MaxValueValidator(10)], help_text="Ratings run from 1 to this."
    )
    scale_labels = models.CharField(
        max_length=255,
        blank=True,
        help_text="The meaning of each rating from 1 up, separated by '|', e.g. 'Not in place|Emerging|Established'.",
    )

    class Meta:
        ordering = ["topic"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:template_detail", kwargs={"pk": self.pk})

    def labels(self) -> list[str]:
        given = [label.strip() for label in self.scale_labels.split("|") if label.strip()]
        return [given[i] if i < len(given) else str(i + 1) for i in range(self.scale_max)]


class AuditSection(models.Model):
    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class AuditStatement(models.Model):
    section = models.ForeignKey(AuditSection, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["section__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class AuditRound(models.TextChoices):
    START = "start", "At the start"
    END = "end", "At the end"


class Audit(models.Model):
    """The leader's audit of the whole school, once at the start of the project and once at its end."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audits")
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="audits")
    round = models.CharField(max_length=5, choices=AuditRound.choices)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["project", "round"]
        constraints = [models.UniqueConstraint(fields=["project", "round"], name="audit_one_per_round")]

    def __str__(self) -> str:
        return f"{self.project}: audit {self.get_round_display().lower()}"


class AuditRating(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="ratings")
    statement = models.ForeignKey(AuditStatement, on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "statement"], name="audit_rating_unique")]

    def __str__(self) -> str:
        return f"{self.statement}: {self.rating}"


# --- Pupils, measures and assessments ------------------------------------------------------------------------------
class SenProvision(models.TextChoices):
    NONE = "none", "No SEN provision"
    SUPPORT = "support", "SEN support"
    EHCP = "ehcp", "EHC plan"


class PupilQuerySet(models.QuerySet["Pupil"]):
    def for_user(self, user: User) -> PupilQuerySet:
        """Pupil rows (codes, not names) for whoever may see a project's pupils: not a trust partner, who reads
        aggregates only."""
        if not is_active(user) or user.role == Role.TRUST_PARTNER:
            return self.none()
        return self.filter(project__in=Project.objects.for_user(user))


class Pupil(models.Model):
    """A pupil in a project, known only by the school's own code. The school keeps the key to the code."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pupils")
    code = models.CharField(max_length=20, help_text="The school's own code for the pupil: never a name or a UPN.")
    birth_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    birth_month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    year_group = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(14)])
    joined_on = models.DateField(null=True, blank=True, help_text="When the pupil joined the school.")
    left_on = models.DateField(null=True, blank=True, help_text="When the pupil left the school, if they have.")
    sen = models.CharField("SEN", max_length=8, choices=SenProvision.choices, blank=True)
    fsm = models.BooleanField("eligible for free school meals", null=True, blank=True)

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="pupil_code_unique_in_project"),
            models.CheckConstraint(
                name="pupil_left_after_joining",
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class MeasureKind(models.TextChoices):
    READING_AGE = "reading_age", "Reading age (years and months)"
    STANDARDISED = "standardised", "Standardised score"
    OTHER = "other", "Another numeric measure"


class Measure(models.Model):
    """What a project collects. Reading ages are stored in months; other measures in their own unit."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=12, choices=MeasureKind.choices)
    name = models.CharField(max_length=120)
    test_name = models.CharField(max_length=120, blank=True, help_text="The published test, e.g. 'NGRT'.")
    unit = models.CharField(max_length=40, blank=True, help_text="For another measure: what one point is.")
    # The range the test can report (reading ages in months; scores on the test's scale): a value outside it is
    # a typing error, refused at entry and import.
    minimum = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(
                name="measure_range_ordered",
                condition=Q(minimum__isnull=True) | Q(maximum__isnull=True) | Q(maximum__gt=models.F("minimum")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.test_name})" if self.test_name else self.name

    @property
    def is_reading_age(self) -> bool:
        return self.kind == MeasureKind.READING_AGE


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_user(self, user: User) -> AssessmentQuerySet:
        return self.filter(pupil__in=Pupil.objects.for_user(user))


class Assessment(models.Model):
    """One pupil's result on one measure on one date, with the test form (version) used."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="assessments")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    value = models.DecimalField(max_digits=7, decimal_places=2, help_text="Reading ages in months.")
    test_form = models.CharField(max_length=40, blank=True, help_text="The form or version of the test.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "pupil", "assessed_on"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "pupil", "assessed_on"], name="assessment_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.pupil} {self.measure} {self.assessed_on}"


class Absence(models.Model):
    """A pupil on roll who missed a test round: kept so that the analysis can say why they have one test."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="absences")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="absences")
    round_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "pupil", "round_on"], name="absence_unique")]

    def __str__(self) -> str:
        return f"{self.pupil} absent {self.round_on}"
