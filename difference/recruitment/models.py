"""Recruitment and selection: interest, applications, the blind sift, the assessment centre and offers.

Selection follows the charity's published process: competency answers are read
question by question by two trained assessors who never see who wrote them, in an
order of their own; a wide disagreement goes to a third (moderation); the
shortlisted are seen at an assessment centre by assessors who have not read their
application; the centre's decision leads to an offer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from difference.accounts.policy import is_active
from difference.accounts.roles import CANDIDATE_ROLES, PROGRAMME_STAFF, Role

if TYPE_CHECKING:
    from difference.accounts.models import User

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
# Two first-round scores this far apart or more send the answer to a third assessor.
MODERATION_GAP = 2


# --- Interest register --------------------------------------------------------------------------------------
class Setting(models.TextChoices):
    MAINSTREAM = "mainstream", "Mainstream school"
    AP = "ap", "Alternative provision or PRU"
    SPECIAL = "special", "Special school"
    OTHER = "other", "Other setting"


class Phase(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    POST_16 = "post_16", "Post-16"


class Region(models.TextChoices):
    """The nine English regions used by DfE statistics."""

    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"


class Interest(models.TextChoices):
    DLP = "dlp", "The Difference Leadership Programme"
    ILC = "ilc", "The Inclusive Leadership Course"
    EVENTS = "events", "Events and the IncludEd conference"
    RESEARCH = "research", "Research and evaluation"


class InterestRegistration(models.Model):
    """An educator's registration of interest, counted in the round it was made for.

    One per person and round: registering again with the same email updates it.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="interest_registrations")
    recruitment_round = models.ForeignKey(
        "RecruitmentRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="registrations"
    )
    current_role = models.CharField(max_length=150)
    setting = models.CharField(max_length=12, choices=Setting.choices)
    phase = models.CharField(max_length=12, choices=Phase.choices)
    subject = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=16, choices=Region.choices)
    interests = models.JSONField(default=list)
    registered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    times_registered = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "recruitment_round"], name="registration_once_per_round"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(recruitment_round__isnull=True), name="registration_once_without_round"
            ),
        ]

    def __str__(self) -> str:
        return f"Interest registration {self.pk}"

    def interest_labels(self) -> list[str]:
        labels = dict(Interest.choices)
        return [labels.get(code, code) for code in self.interests]


class PendingRegistrationQuerySet(models.QuerySet["PendingRegistration"]):
    def awaiting(self) -> PendingRegistrationQuerySet:
        return self.filter(confirmed_at__isnull=True)

    def expired(self, now: dt.datetime, max_age: dt.timedelta) -> PendingRegistrationQuerySet:
        return self.filter(confirmed_at__isnull=True, submitted_at__lt=now - max_age)


class PendingRegistration(models.Model):
    """A registration of interest sent through the public form, waiting for its address to confirm it.

    The form proves nothing about who sent it, so nothing about a person is written until the link emailed
    to the address is followed: the answers wait here, and unconfirmed ones are removed when they expire.
    """

    email = models.EmailField()
    answers = models.JSONField()
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    registration = models.ForeignKey(
        InterestRegistration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PendingRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Pending registration {self.pk}"


# --- Rounds and questions --------------------------------------------------------------------------------------
class RecruitmentRoundQuerySet(models.QuerySet["RecruitmentRound"]):
    def open_at(self, moment: dt.datetime) -> RecruitmentRoundQuerySet:
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class RecruitmentRound(models.Model):
    """One year's recruitment to the programme, e.g. the 2022 round recruits the 2022 cohort."""

    year = models.PositiveSmallIntegerField(unique=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(help_text="Applications submitted at or after this moment are refused.")
    target_leaders = models.PositiveSmallIntegerField(default=20)
    shortlist_threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Applications whose mean sift score is at least this are shortlisted.",
    )
    assessors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="recruitment_rounds")
    # Mixed into each assessor's ordering so that orders differ between rounds as well as between assessors.
    order_salt = models.CharField(max_length=64, default=secrets.token_hex, editable=False)

    objects = RecruitmentRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening")
        ]

    def __str__(self) -> str:
        return f"{self.year} recruitment round"

    def get_absolute_url(self) -> str:
        return reverse("recruitment:round_detail", kwargs={"year": self.year})

    def is_open(self, moment: dt.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at


class EligibilityQuestion(models.Model):
    """A yes/no question every applicant must answer with the expected answer to be eligible."""

    recruitment_round = models.ForeignKey(
        RecruitmentRound, on_delete=models.CASCADE, related_name="eligibility_questions"
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    required_answer = models.BooleanField(default=True)

    class Meta:
        ordering = ["recruitment_round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["recruitment_round", "position"], name="eligibility_position_unique")
        ]

    def __str__(self) -> str:
        return self.text


class CompetencyQuestion(models.Model):
    """A competency question with the marking guide assessors score its answers against (1 to 5)."""

    recruitment_round = models.ForeignKey(RecruitmentRound, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    competency = models.CharField(max_length=100)
    text = models.TextField()
    marking_guide = models.TextField()
    word_limit = models.PositiveSmallIntegerField(default=400)

    class Meta:
        ordering = ["recruitment_round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["recruitment_round", "position"], name="question_position_unique")
        ]

    def __str__(self) -> str:
        return f"Q{self.position}: {self.competency}"


# --- Applications ------------------------------------------------------------------------------------------------
class Stage(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted (in sift)"
    SHORTLISTED = "shortlisted", "Shortlisted for the assessment centre"
    NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
    INVITED = "invited", "Invited to the assessment centre"
    RESERVE = "reserve", "Reserve"
    NOT_SELECTED = "not_selected", "Not selected"
    OFFERED = "offered", "Offer made"
    ACCEPTED = "accepted", "Offer accepted"
    OFFER_DECLINED = "offer_declined", "Offer declined"
    OFFER_WITHDRAWN = "offer_withdrawn", "Offer withdrawn"
    WITHDRAWN = "withdrawn", "Withdrawn by the applicant"


# Where staff may move an application by hand (always with a reason). Offers and the centre's decisions move it
# through their own services, which record the change the same way.
STAFF_MOVES: dict[str, tuple[str, ...]] = {
    Stage.SUBMITTED: (Stage.SHORTLISTED, Stage.NOT_SHORTLISTED),
    Stage.SHORTLISTED: (Stage.INVITED, Stage.NOT_SHORTLISTED, Stage.SUBMITTED),
    Stage.NOT_SHORTLISTED: (Stage.SHORTLISTED, Stage.SUBMITTED),
    Stage.INVITED: (Stage.SHORTLISTED,),
    Stage.RESERVE: (Stage.NOT_SELECTED,),
}


def _new_reference() -> str:
    return secrets.token_hex(4).upper()


class ApplicationQuerySet(models.QuerySet["Application"]):
    def for_user(self, user: User) -> ApplicationQuerySet:
        """Programme staff see every application; an applicant (or a leader who applied) their own. Assessors see
        none here: they know answers and centre candidates only by reference (``SiftReview``, ``at_centre_for``)."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role in CANDIDATE_ROLES:
            return self.filter(person__user=user)
        return self.none()

    def at_centre_for(self, user: User) -> ApplicationQuerySet:
        """The candidates booked at the assessment centre whom ``user`` may see and score: staff see every booked
        candidate; a centre assessor those booked on their days, except any whose answers they sifted (centre
        assessors must not have read the application)."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self.filter(centre_invitation__slot__isnull=False)
        if user.role == Role.ASSESSOR:
            return (
                self.filter(centre_invitation__slot__day__assessors=user)
                .exclude(answers__reviews__assessor=user)
                .distinct()
            )
        return self.none()

    def submitted(self) -> ApplicationQuerySet:
        return self.filter(submitted_at__isnull=False)


class Application(models.Model):
    """A person's application in a round. Assessors know it only by its reference."""

    recruitment_round = models.ForeignKey(RecruitmentRound, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(max_length=8, unique=True, default=_new_reference, editable=False)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.DRAFT)
    eligibility = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Kept up to date by the scoring services (and set directly for imported past rounds), so that the
    # leaderboard and the validity analysis read one column rather than re-deriving every score.
    sift_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    centre_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    imported = models.BooleanField(default=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["recruitment_round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recruitment_round", "person"], name="application_once_per_round"),
            models.CheckConstraint(
                condition=Q(stage="draft") | Q(submitted_at__isnull=False) | Q(stage="withdrawn"),
                name="application_submitted_beyond_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("recruitment:application_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.stage == Stage.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.stage == Stage.WITHDRAWN

    @property
    def can_withdraw(self) -> bool:
        return self.stage not in (Stage.WITHDRAWN, Stage.ACCEPTED, Stage.NOT_SELECTED, Stage.NOT_SHORTLISTED)

    def staff_moves(self) -> tuple[str, ...]:
        return STAFF_MOVES.get(self.stage, ())


class Answer(models.Model):
    """An applicant's answer to one competency question: the only thing sift assessors read."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CompetencyQuestion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    # The agreed score: the mean of the two first scores, or the moderator's score after moderation.
    agreed_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["application", "question__position"]
        constraints = [models.UniqueConstraint(fields=["application", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"Answer {self.pk}"

    @property
    def word_count(self) -> int:
        return len(self.text.split())


class StageChange(models.Model):
    """The history of an application's stage, with who moved it and why. Never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    reason = models.CharField(max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"


# --- Blind sift ------------------------------------------------------------------------------------------------------
class ReviewKind(models.TextChoices):
    FIRST = "first", "First reading"
    MODERATION = "moderation", "Moderation"


class SiftReviewQuerySet(models.QuerySet["SiftReview"]):
    def for_user(self, user: User) -> SiftReviewQuerySet:
        """Programme staff follow every reading; an assessor sees only their own."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.ASSESSOR:
            return self.filter(assessor=user)
        return self.none()

    def in_assessor_order(self) -> SiftReviewQuerySet:
        return self.order_by("answer__question__position", "order_key", "pk")


class SiftReview(models.Model):
    """One assessor's reading of one answer. The assessor sees the answer and the marking guide, nothing else."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="reviews")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sift_reviews")
    kind = models.CharField(max_length=12, choices=ReviewKind.choices, default=ReviewKind.FIRST)
    # A hash of the round's salt, the assessor and the answer: a random-looking order that differs between
    # assessors and is the same on every visit.
    order_key = models.CharField(max_length=64, editable=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    comment = models.TextField(blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)
    scored_at = models.DateTimeField(null=True, blank=True)

    objects = SiftReviewQuerySet.as_manager()

    class Meta:
        ordering = ["assessor", "answer__question__position", "order_key"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "assessor"], name="sift_review_once_per_assessor"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="sift_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Sift review {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("recruitment:review_score", kwargs={"pk": self.pk})

    @staticmethod
    def order_key_for(salt: str, assessor_id: int, answer_id: int) -> str:
        return hashlib.sha256(f"{salt}:{assessor_id}:{answer_id}".encode()).hexdigest()

    @property
    def is_scored(self) -> bool:
        return self.score is not None


# --- Assessment centre -------------------------------------------------------------------------------------------
class Exercise(models.TextChoices):
    INTERVIEW = "interview", "Competency interview"
    CASE_STUDY = "case_study", "Group case study"
    SAMPLE_LESSON = "sample_lesson", "Sample lesson"
    SELF_EVALUATION = "self_evaluation", "Self-evaluation"


class CentreDay(models.Model):
    """An assessment-centre day, run by centre assessors who have not read the applications they see."""

    recruitment_round = models.ForeignKey(RecruitmentRound, on_delete=models.CASCADE, related_name="centre_days")
    date = models.DateField()
    venue = models.CharField(max_length=200, help_text="An address, or 'Online'.")
    assessors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="centre_days")

    class Meta:
        ordering = ["recruitment_round", "date", "pk"]

    def __str__(self) -> str:
        return f"Assessment centre {self.date:%-d %B %Y}, {self.venue}"


class CentreSlot(models.Model):
    day = models.ForeignKey(CentreDay, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=6)

    class Meta:
        ordering = ["day", "starts_at"]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%A %-d %B %Y, %H:%M}"

    def places_left(self) -> int:
        return self.capacity - self.bookings.count()


class CentreInvitation(models.Model):
    """An invitation to the assessment centre; the applicant books one slot."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="centre_invitation")
    invited_at = models.DateTimeField(default=timezone.now)
    slot = models.ForeignKey(CentreSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    booked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.application}"


class CentreScoreQuerySet(models.QuerySet["CentreScore"]):
    def for_user(self, user: User) -> CentreScoreQuerySet:
        """Programme staff see every centre score; an assessor only their own."""
        if not is_active(user):
            return self.none()
        if user.role in PROGRAMME_STAFF:
            return self
        if user.role == Role.ASSESSOR:
            return self.filter(assessor=user)
        return self.none()


class CentreScore(models.Model):
    """A centre assessor's score for one exercise and competency."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="centre_scores")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="centre_scores")
    exercise = models.CharField(max_length=16, choices=Exercise.choices)
    competency = models.CharField(max_length=100)
    score = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS)
    comment = models.TextField(blank=True)
    scored_at = models.DateTimeField(default=timezone.now)

    objects = CentreScoreQuerySet.as_manager()

    class Meta:
        ordering = ["application", "exercise", "competency"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor", "exercise", "competency"], name="centre_score_once"
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="centre_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.get_exercise_display()}: {self.competency} {self.score}"


class Decision(models.TextChoices):
    OFFER = "offer", "Offer"
    RESERVE = "reserve", "Reserve"
    DECLINE = "decline", "Decline"


class CentreDecision(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="centre_decision")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_decision_display()} for {self.application}"


# --- Offers -------------------------------------------------------------------------------------------------------
class OfferStatus(models.TextChoices):
    MADE = "made", "Made"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Offer(models.Model):
    """A place on the programme. An accepted offer makes the person ready for placement."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="offer")
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.MADE)
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-made_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="made") | Q(responded_at__isnull=False), name="offer_response_dated"
            )
        ]

    def __str__(self) -> str:
        return f"Offer ({self.get_status_display().lower()}) for {self.application}"


def mean_score(values: list[Decimal] | list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"))
