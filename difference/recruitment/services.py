"""Everything that changes recruitment records. Views, the API, imports and the demo all come through here."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from difference.accounts import audit
from difference.accounts.models import AuditAction
from difference.accounts.roles import Role
from difference.core import signed_links
from difference.core.site import absolute_url
from difference.people.models import ConsentMethod, ConsentPurpose, ConsentRecord, ConsentStatus, Demographics, Person
from difference.people.services import consent_withdrawal_link
from difference.recruitment.models import (
    MODERATION_GAP,
    Answer,
    Application,
    CentreDay,
    CentreDecision,
    CentreInvitation,
    CentreScore,
    CentreSlot,
    Decision,
    InterestRegistration,
    Offer,
    OfferStatus,
    PendingRegistration,
    RecruitmentRound,
    ReviewKind,
    SiftReview,
    Stage,
    StageChange,
    mean_score,
)


# --- Interest register -------------------------------------------------------------------------------------------
def round_for_registration(moment: dt.datetime) -> RecruitmentRound | None:
    """The round open now, else the next to open, else the latest: registrations count towards one round."""
    rounds = RecruitmentRound.objects.all()
    return (
        rounds.open_at(moment).first()
        or rounds.filter(opens_at__gt=moment).order_by("opens_at").first()
        or rounds.order_by("-closes_at").first()
    )


@dataclass(frozen=True)
class Registration:
    first_name: str
    last_name: str
    email: str
    current_role: str
    setting: str
    phase: str
    subject: str
    region: str
    interests: Sequence[str]
    consent_contact: bool
    consent_bulletin: bool


# The public form: nothing changes until the address confirms ------------------------------------------------------
CONFIRM_LINK = "interest-confirm"


def _confirmation_max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.DIFFERENCE_CONFIRMATION_MAX_AGE_DAYS)


@transaction.atomic
def submit_interest(data: Registration, *, now: dt.datetime | None = None) -> PendingRegistration:
    """Keep a registration sent through the public form and email its address a link to confirm it.

    The same happens whether or not the address is known, so the answer on the page (and the time it takes)
    says nothing about who is on the register; only the email, which goes to the address alone, differs:
    it tells a known person what confirming would change.
    """
    now = now or timezone.now()
    PendingRegistration.objects.expired(now, _confirmation_max_age()).delete()
    email = data.email.strip().lower()
    pending = PendingRegistration.objects.create(
        email=email, answers={**asdict(data), "email": email, "interests": list(data.interests)}, submitted_at=now
    )
    person = Person.objects.filter(email__iexact=email).first()
    token = signed_links.sign(CONFIRM_LINK, pending.pk)
    context = {
        "data": data,
        "known": person is not None,
        "changes": registration_changes(person, data) if person is not None else [],
        "link": absolute_url(reverse("recruitment:interest_confirm", kwargs={"token": token})),
        "days": settings.DIFFERENCE_CONFIRMATION_MAX_AGE_DAYS,
    }
    body = render_to_string("recruitment/emails/registration_confirm.txt", context)
    transaction.on_commit(
        lambda: send_mail("Please confirm your registration of interest", body, None, [email], fail_silently=False)
    )
    return pending


def pending_registration(token: str, *, now: dt.datetime | None = None) -> tuple[PendingRegistration, Registration]:
    """The submission a confirmation link names; ``LinkError`` when the link is forged, expired or used."""
    now = now or timezone.now()
    pk = signed_links.unsign(CONFIRM_LINK, token, max_age=_confirmation_max_age())
    pending = PendingRegistration.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if pending is None or pending.confirmed_at is not None:
        raise signed_links.LinkError("This link has already been used, or has expired. Nothing has been changed.")
    return pending, Registration(**pending.answers)


def registration_changes(person: Person | None, data: Registration) -> list[str]:
    """What confirming ``data`` would change in what the charity holds about ``person``, in words."""
    if person is None:
        return ["A new registration of interest under this address."]
    changes = []
    if (person.first_name, person.last_name) != (data.first_name, data.last_name):
        changes.append(f"Your name becomes {data.first_name} {data.last_name}.")
    for purpose, given in (
        (ConsentPurpose.CONTACT, data.consent_contact),
        (ConsentPurpose.BULLETIN, data.consent_bulletin),
    ):
        if given != person.has_consent(purpose):
            verb = "given" if given else "withdrawn"
            changes.append(f"Your consent to {ConsentPurpose(purpose).label.lower()} is {verb}.")
    changes.append("Your registration of interest is updated with the answers you sent.")
    return changes


@transaction.atomic
def confirm_interest(*, token: str, request: HttpRequest | None = None) -> InterestRegistration:
    """Apply a submission once its address has confirmed it, and audit the change with its source."""
    pending, data = pending_registration(token)
    pending = PendingRegistration.objects.select_for_update().get(pk=pending.pk)
    if pending.confirmed_at is not None:
        raise signed_links.LinkError("This link has already been used. Nothing more has been changed.")
    changes = registration_changes(Person.objects.filter(email__iexact=pending.email).first(), data)
    registration, _ = register_interest(data, note="Interest register form, confirmed by the emailed link")
    pending.confirmed_at = timezone.now()
    pending.registration = registration
    pending.save(update_fields=["confirmed_at", "registration"])
    audit.record(
        AuditAction.PUBLIC_CHANGE,
        request=request,
        obj=registration.person,
        detail="interest register, confirmed by email link: " + " ".join(changes),
    )
    return registration


@transaction.atomic
def register_interest(
    data: Registration, *, now: dt.datetime | None = None, send_email: bool = True, note: str = "Interest register form"
) -> tuple[InterestRegistration, bool]:
    """Record (or update) a registration of interest and the consents given on the form.

    This trusts ``data`` to come from the address's owner: the public form reaches it only through
    ``confirm_interest``, after the address confirmed; the demo and imports call it directly.
    """
    now = now or timezone.now()
    email = data.email.strip().lower()
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = Person.objects.create(first_name=data.first_name, last_name=data.last_name, email=email)
    else:
        person.first_name, person.last_name = data.first_name, data.last_name
        person.save(update_fields=["first_name", "last_name", "updated_at"])
    person.job_title = person.job_title or data.current_role
    person.save(update_fields=["job_title", "updated_at"])
    recruitment_round = round_for_registration(now)
    fields = {
        "current_role": data.current_role,
        "setting": data.setting,
        "phase": data.phase,
        "subject": data.subject,
        "region": data.region,
        "interests": list(dict.fromkeys(data.interests)),
    }
    registration = (
        InterestRegistration.objects.select_for_update()
        .filter(person=person, recruitment_round=recruitment_round)
        .first()
    )
    created = registration is None
    if registration is None:
        registration = InterestRegistration.objects.create(
            person=person, recruitment_round=recruitment_round, registered_at=now, **fields
        )
    else:
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.times_registered += 1
        registration.save()
    _record_form_consent(person, ConsentPurpose.CONTACT, data.consent_contact, now, note)
    _record_form_consent(person, ConsentPurpose.BULLETIN, data.consent_bulletin, now, note)
    if send_email:
        withdraw_links = [
            (label, absolute_url(consent_withdrawal_link(person, purpose)))
            for purpose, label in (
                (ConsentPurpose.CONTACT, "hearing from us"),
                (ConsentPurpose.BULLETIN, "the bulletin"),
            )
            if person.has_consent(purpose)
        ]
        context = {"person": person, "registration": registration, "created": created, "withdraw_links": withdraw_links}
        body = render_to_string("recruitment/emails/registration.txt", context)
        transaction.on_commit(
            lambda: send_mail("Thank you for registering your interest", body, None, [email], fail_silently=False)
        )
    return registration, created


def _record_form_consent(person: Person, purpose: str, given: bool, now: dt.datetime, note: str) -> None:
    """A ticked box records consent; an unticked box withdraws only consent that was given before."""
    if given and not person.has_consent(purpose):
        status = ConsentStatus.GIVEN
    elif not given and person.has_consent(purpose):
        status = ConsentStatus.WITHDRAWN
    else:
        return
    ConsentRecord.objects.create(
        person=person,
        purpose=purpose,
        status=status,
        recorded_at=now,
        method=ConsentMethod.WEB_FORM,
        note=note,
    )


# --- Applications -----------------------------------------------------------------------------------------------
def _change_stage(
    application: Application, to_stage: str, *, reason: str, by: Any, at: dt.datetime | None = None
) -> None:
    at = at or timezone.now()
    StageChange.objects.create(
        application=application,
        from_stage=application.stage,
        to_stage=to_stage,
        reason=reason,
        changed_by=by,
        changed_at=at,
    )
    application.stage = to_stage
    application.save(update_fields=["stage", "updated_at"])


@transaction.atomic
def start_application(
    *, recruitment_round: RecruitmentRound, person: Person, now: dt.datetime | None = None
) -> Application:
    now = now or timezone.now()
    existing = Application.objects.filter(recruitment_round=recruitment_round, person=person).first()
    if existing is not None:
        return existing
    if not recruitment_round.is_open(now):
        raise ValidationError(_closed_message(recruitment_round, now))
    application = Application.objects.create(recruitment_round=recruitment_round, person=person)
    for question in recruitment_round.questions.all():
        Answer.objects.create(application=application, question=question)
    return application


def _closed_message(recruitment_round: RecruitmentRound, now: dt.datetime) -> str:
    if now < recruitment_round.opens_at:
        opens = timezone.localtime(recruitment_round.opens_at)
        return f"Applications for the {recruitment_round.year} round open on {opens:%-d %B %Y at %H:%M} (UK time)."
    closes = timezone.localtime(recruitment_round.closes_at)
    return (
        f"Applications for the {recruitment_round.year} round closed on {closes:%-d %B %Y at %H:%M} (UK time). "
        "Nothing has been submitted."
    )


@transaction.atomic
def save_draft(*, application: Application, answers: dict[int, str], eligibility: dict[str, bool]) -> Application:
    """Save the applicant's work so far. Only a draft can change."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_draft:
        raise ValidationError("This application has been submitted and can no longer be changed.")
    for answer in application.answers.all():
        if answer.question_id in answers:
            answer.text = answers[answer.question_id].strip()
            answer.save(update_fields=["text"])
    application.eligibility = {str(k): bool(v) for k, v in eligibility.items()}
    application.save(update_fields=["eligibility", "updated_at"])
    return application


def submission_problems(application: Application) -> list[str]:
    """What stands between a draft and a valid submission, in the applicant's words."""
    problems = []
    for eligibility in application.recruitment_round.eligibility_questions.all():
        given = application.eligibility.get(str(eligibility.pk))
        expected = "yes" if eligibility.required_answer else "no"
        if given is None:
            problems.append(f"Answer the eligibility question “{eligibility.text}”.")
        elif given != eligibility.required_answer:
            problems.append(f"To apply, the answer to “{eligibility.text}” must be {expected}.")
    for answer in application.answers.select_related("question"):
        if not answer.text.strip():
            problems.append(f"Answer question {answer.question.position} ({answer.question.competency}).")
        elif answer.word_count > answer.question.word_limit:
            question = answer.question
            problems.append(
                f"Question {question.position} has {answer.word_count} words; the limit is {question.word_limit}."
            )
    return problems


@transaction.atomic
def submit_application(*, application: Application, by: Any, now: dt.datetime | None = None) -> Application:
    """Submit before the deadline. The deadline is a moment in time (stored in UTC, shown in UK time), so the
    change between GMT and BST cannot move it."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("recruitment_round").get(pk=application.pk)
    if not application.is_draft:
        raise ValidationError("This application has already been submitted.")
    if not application.recruitment_round.is_open(now):
        raise ValidationError(_closed_message(application.recruitment_round, now))
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    application.submitted_at = now
    application.save(update_fields=["submitted_at", "updated_at"])
    _change_stage(application, Stage.SUBMITTED, reason="Submitted by the applicant", by=by, at=now)
    email = application.person.email
    if email:
        body = render_to_string("recruitment/emails/submitted.txt", {"application": application})
        transaction.on_commit(
            lambda: send_mail(f"Application {application.reference} received", body, None, [email], fail_silently=False)
        )
    return application


@transaction.atomic
def withdraw_application(
    *, application: Application, reason: str, by: Any, now: dt.datetime | None = None
) -> Application:
    """Withdraw the application (declining any offer it has). ``now`` is when it happened, for history recorded
    after the fact; it defaults to the present."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.can_withdraw:
        raise ValidationError(
            f"An application that is “{application.get_stage_display().lower()}” cannot be withdrawn."
        )
    offer = Offer.objects.filter(application=application, status=OfferStatus.MADE).first()
    if offer is not None:
        offer.status, offer.responded_at, offer.reason = OfferStatus.DECLINED, now, "Application withdrawn"
        offer.save()
    application.withdrawn_at = now
    application.save(update_fields=["withdrawn_at", "updated_at"])
    _change_stage(application, Stage.WITHDRAWN, reason=reason.strip() or "Withdrawn by the applicant", by=by, at=now)
    return application


@transaction.atomic
def move_stage(*, application: Application, to_stage: str, reason: str, by: Any) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Give a reason for the move; it is kept in the application's history."})
    if to_stage not in application.staff_moves():
        target = Stage(to_stage).label.lower() if to_stage in Stage.values else to_stage
        current = application.get_stage_display().lower()
        raise ValidationError({"to_stage": f"An application that is “{current}” cannot be moved to “{target}”."})
    _change_stage(application, to_stage, reason=reason.strip(), by=by)
    return application


def save_diversity(*, person: Person, answers: dict[str, str], now: dt.datetime | None = None) -> Demographics:
    """The optional monitoring questionnaire. Blank means not answered; every question offers 'prefer not to say'.
    ``now`` is when the answers were given (the present unless they are recorded after the fact)."""
    demographics, _ = Demographics.objects.update_or_create(
        person=person,
        defaults={
            **{k: answers.get(k, "") for k in ("gender", "ethnic_group", "disability", "age_band")},
            "recorded_at": now or timezone.now(),
        },
    )
    return demographics


# --- Blind sift -----------------------------------------------------------------------------------------------------
def _assessor_loads(recruitment_round: RecruitmentRound) -> Counter[int]:
    loads: Counter[int] = Counter({a.pk: 0 for a in recruitment_round.assessors.all()})
    rows = (
        SiftReview.objects.filter(answer__application__recruitment_round=recruitment_round)
        .values("assessor")
        .annotate(n=Count("pk"))
    )
    loads.update({row["assessor"]: row["n"] for row in rows})
    return loads


def _least_loaded(loads: Counter[int], eligible: Iterable[int], exclude: set[int]) -> int | None:
    choices = sorted((loads[pk], pk) for pk in eligible if pk not in exclude)
    return choices[0][1] if choices else None


def _new_review(
    recruitment_round: RecruitmentRound, answer: Answer, assessor_id: int, kind: str, now: dt.datetime | None = None
) -> SiftReview:
    return SiftReview.objects.create(
        answer=answer,
        assessor_id=assessor_id,
        kind=kind,
        order_key=SiftReview.order_key_for(recruitment_round.order_salt, assessor_id, answer.pk),
        assigned_at=now or timezone.now(),
    )


@transaction.atomic
def assign_sift(*, recruitment_round: RecruitmentRound, now: dt.datetime | None = None) -> int:
    """Give every submitted answer two first readers, spreading the work evenly. Returns the reviews created.
    ``now`` is when the readings were assigned (the present unless recorded after the fact)."""
    now = now or timezone.now()
    assessors = _sift_assessors(recruitment_round)
    if len(assessors) < 3:
        raise ValidationError(
            "The blind sift needs at least three assessors in the round: two to read each answer and one to moderate."
        )
    loads = _assessor_loads(recruitment_round)
    created = 0
    answers = (
        Answer.objects.filter(application__recruitment_round=recruitment_round, application__stage=Stage.SUBMITTED)
        .prefetch_related("reviews")
        .order_by("pk")
    )
    for answer in answers:
        on_it = {r.assessor_id for r in answer.reviews.all()}
        firsts = sum(1 for r in answer.reviews.all() if r.kind == ReviewKind.FIRST)
        for _ in range(2 - firsts):
            assessor = _least_loaded(loads, assessors, on_it)
            if assessor is None:
                break
            _new_review(recruitment_round, answer, assessor, ReviewKind.FIRST, now)
            loads[assessor] += 1
            on_it.add(assessor)
            created += 1
    return created


@transaction.atomic
def score_review(
    *, review: SiftReview, score: int, comment: str, by: Any, now: dt.datetime | None = None
) -> SiftReview:
    """Record an assessor's score; a wide disagreement sends the answer to a third assessor. ``now`` is when it
    was scored (and any moderation asked for), the present unless recorded after the fact."""
    now = now or timezone.now()
    review = (
        SiftReview.objects.select_for_update()
        .select_related("answer__application__recruitment_round")
        .get(pk=review.pk)
    )
    if review.assessor_id != getattr(by, "pk", None):
        raise ValidationError("Only the assessor a review is assigned to can score it.")
    if review.answer.application.stage != Stage.SUBMITTED:
        raise ValidationError("The sift for this application has closed; scores can no longer change.")
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": "Scores run from 1 to 5."})
    review.score, review.comment, review.scored_at = int(score), comment.strip(), now
    review.save(update_fields=["score", "comment", "scored_at"])
    settle_answer(review.answer, now=now)
    return review


def _sift_assessors(recruitment_round: RecruitmentRound) -> list[int]:
    return [a.pk for a in recruitment_round.assessors.filter(role=Role.ASSESSOR, is_active=True)]


def _first_scores(reviews: Iterable[SiftReview]) -> list[int]:
    return [r.score for r in reviews if r.kind == ReviewKind.FIRST and r.score is not None]


def _disagree_widely(firsts: list[int]) -> bool:
    """Two first readings this far apart send the answer to a third assessor."""
    return len(firsts) == 2 and abs(firsts[0] - firsts[1]) >= MODERATION_GAP


def settle_answer(answer: Answer, *, now: dt.datetime | None = None) -> None:
    """Work out the answer's agreed score, or ask for moderation (assigned at ``now``), then refresh the
    application's sift score."""
    reviews = list(answer.reviews.all())
    firsts = _first_scores(reviews)
    moderation = next((r for r in reviews if r.kind == ReviewKind.MODERATION), None)
    agreed: Decimal | None = None
    if moderation is not None and moderation.score is not None:
        agreed = Decimal(moderation.score)
    elif _disagree_widely(firsts):
        if moderation is None:
            recruitment_round = answer.application.recruitment_round
            eligible = _sift_assessors(recruitment_round)
            third = _least_loaded(_assessor_loads(recruitment_round), eligible, {r.assessor_id for r in reviews})
            if third is not None:
                _new_review(recruitment_round, answer, third, ReviewKind.MODERATION, now)
    elif len(firsts) == 2:
        agreed = mean_score(firsts)
    if answer.agreed_score != agreed:
        answer.agreed_score = agreed
        answer.save(update_fields=["agreed_score"])
    refresh_sift_score(answer.application)


def refresh_sift_score(application: Application) -> None:
    agreed = list(application.answers.values_list("agreed_score", flat=True))
    score = mean_score([a for a in agreed if a is not None]) if agreed and all(a is not None for a in agreed) else None
    if application.sift_score != score:
        application.sift_score = score
        application.save(update_fields=["sift_score", "updated_at"])


def awaiting_moderator(recruitment_round: RecruitmentRound) -> list[Answer]:
    """Answers whose first readers disagree widely but that no third assessor could be found for."""
    answers = Answer.objects.filter(
        application__recruitment_round=recruitment_round, agreed_score__isnull=True
    ).prefetch_related("reviews")
    waiting = []
    for answer in answers:
        reviews = list(answer.reviews.all())
        if _disagree_widely(_first_scores(reviews)) and not any(r.kind == ReviewKind.MODERATION for r in reviews):
            waiting.append(answer)
    return waiting


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    application: Application
    above_threshold: bool | None


def leaderboard(recruitment_round: RecruitmentRound) -> tuple[list[LeaderboardRow], int]:
    """Submitted applications ranked by mean sift score, and how many are not fully scored yet."""
    threshold = recruitment_round.shortlist_threshold
    scored = (
        recruitment_round.applications.submitted()
        .exclude(stage=Stage.WITHDRAWN)
        .filter(sift_score__isnull=False)
        .select_related("person")
        .order_by("-sift_score", "submitted_at", "pk")
    )
    rows = []
    previous: Decimal | None = None
    rank = 0
    for position, application in enumerate(scored, start=1):
        if application.sift_score != previous:
            rank, previous = position, application.sift_score
        above = None if threshold is None else application.sift_score >= threshold  # type: ignore[operator]
        rows.append(LeaderboardRow(rank, application, above))
    unscored = recruitment_round.applications.filter(stage=Stage.SUBMITTED, sift_score__isnull=True).count()
    return rows, unscored


@transaction.atomic
def apply_shortlist(
    *, recruitment_round: RecruitmentRound, threshold: Decimal, by: Any, now: dt.datetime | None = None
) -> tuple[int, int]:
    """Set the threshold and move every fully scored application still in the sift: in at or above it, out below.
    ``now`` is when the moves happened (the present unless recorded after the fact)."""
    if not Decimal(1) <= threshold <= Decimal(5):
        raise ValidationError({"threshold": "The threshold is a mean score between 1 and 5."})
    recruitment_round.shortlist_threshold = threshold
    recruitment_round.save(update_fields=["shortlist_threshold"])
    shortlisted = not_shortlisted = 0
    for application in recruitment_round.applications.select_for_update().filter(
        stage=Stage.SUBMITTED, sift_score__isnull=False
    ):
        assert application.sift_score is not None
        reason = f"Mean sift score {application.sift_score} against a threshold of {threshold}"
        if application.sift_score >= threshold:
            _change_stage(application, Stage.SHORTLISTED, reason=reason, by=by, at=now)
            shortlisted += 1
        else:
            _change_stage(application, Stage.NOT_SHORTLISTED, reason=reason, by=by, at=now)
            not_shortlisted += 1
    return shortlisted, not_shortlisted


# --- Assessment centre ----------------------------------------------------------------------------------------------
@transaction.atomic
def create_centre_day(
    *,
    recruitment_round: RecruitmentRound,
    date: dt.date,
    venue: str,
    slot_times: Sequence[dt.time],
    capacity: int,
    assessors: Iterable[Any] = (),
) -> CentreDay:
    if not slot_times:
        raise ValidationError({"slot_times": "Give at least one start time."})
    day = CentreDay.objects.create(recruitment_round=recruitment_round, date=date, venue=venue)
    day.assessors.set(list(assessors))
    zone = timezone.get_current_timezone()
    for start in sorted(set(slot_times)):
        CentreSlot.objects.create(
            day=day, starts_at=timezone.make_aware(dt.datetime.combine(date, start), zone), capacity=capacity
        )
    return day


@transaction.atomic
def invite_to_centre(*, applications: Iterable[Application], by: Any, now: dt.datetime | None = None) -> int:
    """Invite shortlisted applicants to the centre and email them. ``now`` is when (the present unless recorded
    after the fact)."""
    now = now or timezone.now()
    invited = 0
    emails = []
    pks = [a.pk for a in applications]
    for application in Application.objects.select_for_update().filter(pk__in=pks).select_related("person"):
        if application.stage != Stage.SHORTLISTED:
            raise ValidationError(f"Application {application.reference} is not shortlisted, so cannot be invited.")
        CentreInvitation.objects.get_or_create(application=application, defaults={"invited_at": now})
        _change_stage(application, Stage.INVITED, reason="Invited to the assessment centre", by=by, at=now)
        invited += 1
        if application.person.email:
            body = render_to_string("recruitment/emails/invitation.txt", {"application": application})
            emails.append((application.person.email, body))
    transaction.on_commit(
        lambda: [send_mail("Your invitation to the assessment centre", b, None, [e]) for e, b in emails]
    )
    return invited


@transaction.atomic
def book_slot(*, invitation: CentreInvitation, slot: CentreSlot, now: dt.datetime | None = None) -> CentreInvitation:
    """Book the invited applicant on a slot with a place left. ``now`` is when they booked (the present unless
    recorded after the fact)."""
    slot = CentreSlot.objects.select_for_update().select_related("day").get(pk=slot.pk)
    invitation = CentreInvitation.objects.select_related("application").get(pk=invitation.pk)
    if slot.day.recruitment_round_id != invitation.application.recruitment_round_id:
        raise ValidationError({"slot": "That slot belongs to another round."})
    if invitation.slot_id != slot.pk and slot.places_left() <= 0:
        raise ValidationError({"slot": "That slot is full; choose another."})
    if invitation.application.stage != Stage.INVITED:
        raise ValidationError("Only an invited applicant can book a slot.")
    invitation.slot, invitation.booked_at = slot, now or timezone.now()
    invitation.save(update_fields=["slot", "booked_at"])
    return invitation


def sifted_by(application: Application, assessor: Any) -> bool:
    return SiftReview.objects.filter(answer__application=application, assessor=assessor).exists()


@transaction.atomic
def score_centre(
    *,
    application: Application,
    assessor: Any,
    exercise: str,
    competency: str,
    score: int,
    comment: str,
    now: dt.datetime | None = None,
) -> CentreScore:
    """Record (or correct) one assessor's score of one exercise. ``now`` is when it was scored (the present unless
    recorded after the fact)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if sifted_by(application, assessor):
        raise ValidationError("You read this applicant's written answers, so you cannot score them at the centre.")
    if application.stage != Stage.INVITED:
        raise ValidationError("Centre scores can be recorded only for invited applicants awaiting a decision.")
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": "Scores run from 1 to 5."})
    result, _ = CentreScore.objects.update_or_create(
        application=application,
        assessor=assessor,
        exercise=exercise,
        competency=competency,
        defaults={"score": int(score), "comment": comment.strip(), "scored_at": now or timezone.now()},
    )
    application.centre_score = mean_score(list(application.centre_scores.values_list("score", flat=True)))
    application.save(update_fields=["centre_score", "updated_at"])
    return result


_DECISION_STAGE: dict[str, str] = {
    Decision.OFFER: Stage.OFFERED,
    Decision.RESERVE: Stage.RESERVE,
    Decision.DECLINE: Stage.NOT_SELECTED,
}


@transaction.atomic
def decide(
    *, application: Application, decision: str, rationale: str, by: Any, now: dt.datetime | None = None
) -> CentreDecision:
    """The centre's decision, with an offer when it is to offer. ``now`` is when it was made (the present unless
    recorded after the fact)."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("person").get(pk=application.pk)
    if application.stage != Stage.INVITED:
        raise ValidationError("A decision can be made only for an applicant invited to the centre.")
    if not rationale.strip():
        raise ValidationError({"rationale": "Record the rationale for the decision."})
    if not application.centre_scores.exists():
        raise ValidationError("Record the centre scores before deciding.")
    result = CentreDecision.objects.create(
        application=application, decision=decision, rationale=rationale.strip(), decided_by=by, decided_at=now
    )
    reason = f"Centre decision: {rationale.strip()[:200]}"
    if decision == Decision.OFFER:
        make_offer(application=application, by=by, reason=reason, now=now)
    else:
        _change_stage(application, _DECISION_STAGE[decision], reason=reason, by=by, at=now)
    return result


# --- Offers ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def make_offer(*, application: Application, by: Any, reason: str = "", now: dt.datetime | None = None) -> Offer:
    """An offer, after a centre decision to offer or from the reserve list. ``now`` is when it was made (the
    present unless recorded after the fact)."""
    now = now or timezone.now()
    if application.stage not in (Stage.INVITED, Stage.RESERVE):
        raise ValidationError("An offer can follow only a centre decision or the reserve list.")
    if Offer.objects.filter(application=application).exists():
        raise ValidationError("This applicant already has an offer.")
    offer = Offer.objects.create(application=application, made_by=by, made_at=now)
    _change_stage(application, Stage.OFFERED, reason=reason or "Offer made from the reserve list", by=by, at=now)
    if application.person.email:
        body = render_to_string("recruitment/emails/offer.txt", {"application": application})
        email = application.person.email
        transaction.on_commit(lambda: send_mail("An offer of a place on the programme", body, None, [email]))
    return offer


@transaction.atomic
def respond_to_offer(*, offer: Offer, accept: bool, by: Any, now: dt.datetime | None = None) -> Offer:
    """Accepting makes the person a candidate in that year's placement round, ready to be matched. ``now`` is when
    the answer came (the present unless recorded after the fact)."""
    now = now or timezone.now()
    offer = (
        Offer.objects.select_for_update()
        .select_related("application__recruitment_round", "application__person")
        .get(pk=offer.pk)
    )
    if offer.status != OfferStatus.MADE:
        raise ValidationError(f"This offer has already been {offer.get_status_display().lower()}.")
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.responded_at = now
    offer.save(update_fields=["status", "responded_at"])
    application = offer.application
    _change_stage(
        application,
        Stage.ACCEPTED if accept else Stage.OFFER_DECLINED,
        reason="Offer accepted" if accept else "Offer declined",
        by=by,
        at=now,
    )
    if accept:
        make_ready_for_placement(application)
    return offer


def make_ready_for_placement(application: Application) -> Any:
    from difference.placements.models import Candidate, PlacementRound

    placement_round, _ = PlacementRound.objects.get_or_create(
        year=application.recruitment_round.year, defaults={"target_posts": application.recruitment_round.target_leaders}
    )
    candidate, _ = Candidate.objects.get_or_create(placement_round=placement_round, person=application.person)
    return candidate


@transaction.atomic
def withdraw_offer(*, offer: Offer, reason: str, by: Any) -> Offer:
    offer = Offer.objects.select_for_update().select_related("application").get(pk=offer.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the offer is withdrawn."})
    if offer.status in (OfferStatus.WITHDRAWN, OfferStatus.DECLINED):
        raise ValidationError(f"This offer has already been {offer.get_status_display().lower()}.")
    offer.status, offer.responded_at, offer.reason = OfferStatus.WITHDRAWN, timezone.now(), reason.strip()
    offer.save()
    _change_stage(offer.application, Stage.OFFER_WITHDRAWN, reason=reason.strip(), by=by)
    return offer


def pipeline_counts(recruitment_round: RecruitmentRound) -> dict[str, int]:
    counts = dict(recruitment_round.applications.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return {value: counts.get(value, 0) for value in Stage.values}


def open_rounds(now: dt.datetime | None = None) -> Any:
    return RecruitmentRound.objects.open_at(now or timezone.now()).prefetch_related("questions")
