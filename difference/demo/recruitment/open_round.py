"""The round open now: work for the demo assessor and a draft for the demo applicant, all through the services."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from difference.accounts.models import User
from difference.demo.recruitment.common import (
    LIVE_YEAR,
    answer_text,
    between,
    diversity_answers,
    ensure_round,
    invented_assessors,
    invented_person,
    no_email,
    registration_fields,
    serial_ranges,
    to_score,
    uk,
)
from difference.demo.recruitment.content import CENTRE_ASSESSORS, READING_COMMENTS, SIFT_ASSESSORS
from difference.demo.training import DLP_COHORTS
from difference.people.models import Person
from difference.recruitment import services
from difference.recruitment.models import (
    Application,
    Interest,
    Phase,
    RecruitmentRound,
    Region,
    Setting,
    SiftReview,
    Stage,
)

# --- The round open now ----------------------------------------------------------------------------------------------
OPEN_REGISTRANTS = 30
EARLY_APPLICANTS = 4  # sifted already and booked on today's centre day
LATER_APPLICANTS = 12  # in the sift now, the demo assessor among their readers
LEFT_FOR_THE_DEMO_ASSESSOR = 8  # first readings the demo assessor has still to score


def load_open_round(*, assessor: User | None, applicant: User | None) -> RecruitmentRound:
    """Next year's round, open today, through the services: early applicants already sifted and booked on a
    centre day the demo assessor sits on (they read none of those answers), later ones in the sift with some of
    the demo assessor's readings still to score, and the demo applicant's draft. Run after the demo logins exist.

    On a later load the window is widened, never narrowed, so the round stays open and earlier submissions stay
    inside it."""
    today = timezone.localdate()
    year = today.year + 1
    opens_at, closes_at = uk(today - dt.timedelta(days=30), 9), uk(today + dt.timedelta(days=60), 12)
    current = RecruitmentRound.objects.filter(year=year).first()
    if current is not None:
        opens_at, closes_at = min(opens_at, current.opens_at), max(closes_at, current.closes_at)
    recruitment_round = ensure_round(year, opens_at=opens_at, closes_at=closes_at, target=DLP_COHORTS[LIVE_YEAR][2])
    if recruitment_round.applications.exists():
        return recruitment_round
    rng = random.Random(f"recruitment-{year}")
    recruitment_round.assessors.set(invented_assessors(SIFT_ASSESSORS, 1))
    with no_email():
        entrants = _open_registrations(recruitment_round, rng)
        quality: dict[int, float] = {}
        # The first applicants registered and applied in the round's first week, so that they could be sifted early.
        early = [(person, opens_at + dt.timedelta(days=rng.uniform(2, 7))) for person, _ in entrants[:EARLY_APPLICANTS]]
        _open_sift(recruitment_round, early, quality, rng, mean=3.6)
        _early_centre(recruitment_round, [person for person, _ in early], assessor)
        if assessor is not None:
            recruitment_round.assessors.add(assessor)
        now = timezone.now()
        later = [
            (person, between(rng, registered_at + dt.timedelta(hours=2), now - dt.timedelta(hours=1)))
            for person, registered_at in entrants[EARLY_APPLICANTS : EARLY_APPLICANTS + LATER_APPLICANTS]
        ]
        _open_sift(recruitment_round, later, quality, rng, mean=3.0, assessor=assessor)
        if applicant is not None:
            _applicant_draft(recruitment_round, applicant, rng)
    return recruitment_round


def _open_registrations(recruitment_round: RecruitmentRound, rng: random.Random) -> list[tuple[Person, dt.datetime]]:
    """Registrations through the service since the round opened, in the order people registered; the first few
    in its first day."""
    start = max(serial_ranges().values(), key=lambda r: r.stop).stop
    opens_at, now = recruitment_round.opens_at, timezone.now()
    moments = sorted(between(rng, opens_at, now - dt.timedelta(days=1)) for _ in range(OPEN_REGISTRANTS))
    moments[:EARLY_APPLICANTS] = [opens_at + dt.timedelta(hours=4 * n + 1) for n in range(EARLY_APPLICANTS)]
    registered = []
    for serial, moment in zip(range(start, start + OPEN_REGISTRANTS), moments, strict=True):
        person = invented_person(serial)
        data = services.Registration(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email or "",
            consent_contact=rng.random() < 0.92,
            consent_bulletin=rng.random() < 0.55,
            **registration_fields(rng),  # type: ignore[arg-type]
        )
        registration, _ = services.register_interest(data, now=moment, send_email=False)
        registered.append((registration.person, moment))
    return registered


def _apply(recruitment_round: RecruitmentRound, person: Person, at: dt.datetime, rng: random.Random) -> Application:
    started = max(recruitment_round.opens_at + dt.timedelta(minutes=5), at - dt.timedelta(days=2))
    application = services.start_application(recruitment_round=recruitment_round, person=person, now=started)
    questions = recruitment_round.questions.order_by("position")
    services.save_draft(
        application=application,
        answers={q.pk: answer_text(rng, n) for n, q in enumerate(questions)},
        eligibility={str(q.pk): True for q in recruitment_round.eligibility_questions.all()},
    )
    services.submit_application(application=application, by=None, now=at)
    if rng.random() < 0.9:
        services.save_diversity(person=person, answers=diversity_answers(rng))
    return application


def _open_sift(
    recruitment_round: RecruitmentRound,
    entrants: list[tuple[Person, dt.datetime]],
    quality: dict[int, float],
    rng: random.Random,
    *,
    mean: float,
    assessor: User | None = None,
) -> None:
    """Apply at the given moments, assign the sift and score it through the services. The demo assessor's last
    few readings are left for them; everyone else's, moderations included, are scored."""
    for person, submitted_at in entrants:
        application = _apply(recruitment_round, person, submitted_at, rng)
        quality[application.pk] = rng.gauss(mean, 0.5)
    services.assign_sift(recruitment_round=recruitment_round)
    reviews = SiftReview.objects.filter(answer__application__recruitment_round=recruitment_round, score__isnull=True)
    if assessor is not None:
        theirs = list(reviews.filter(assessor=assessor).in_assessor_order())
        for review in theirs[: max(0, len(theirs) - LEFT_FOR_THE_DEMO_ASSESSOR)]:
            _score_review(review, quality, rng)
    while waiting := list(reviews.exclude(assessor=assessor).select_related("answer", "assessor").order_by("pk")):
        for review in waiting:  # scoring a wide disagreement brings a moderation, so go round again
            _score_review(review, quality, rng)


def _score_review(review: SiftReview, quality: dict[int, float], rng: random.Random) -> None:
    score = to_score(quality[review.answer.application_id] + rng.gauss(0, 0.6))
    comment = READING_COMMENTS[score] if rng.random() < 0.3 else ""
    services.score_review(review=review, score=score, comment=comment, by=review.assessor)


def _early_centre(recruitment_round: RecruitmentRound, people: list[Person], assessor: User | None) -> None:
    """Early applicants at or above 3.00 are shortlisted by hand, invited and booked on today's centre day."""
    centre_team = invented_assessors(CENTRE_ASSESSORS, len(SIFT_ASSESSORS) + 1)
    day = services.create_centre_day(
        recruitment_round=recruitment_round,
        date=timezone.localdate(),
        venue="Online",
        slot_times=[dt.time(9, 30), dt.time(13, 30)],
        capacity=4,
        assessors=[assessor or centre_team[1], centre_team[0]],
    )
    shortlisted = []
    for application in recruitment_round.applications.filter(person__in=people):
        score = application.sift_score or Decimal(0)
        in_ = score >= Decimal("3.00")
        application = services.move_stage(
            application=application,
            to_stage=Stage.SHORTLISTED if in_ else Stage.NOT_SHORTLISTED,
            reason=f"Early sift: mean score {score} against the 3.00 agreed for early applicants",
            by=None,
        )
        if in_:
            shortlisted.append(application)
    services.invite_to_centre(applications=shortlisted, by=None)
    slots = list(day.slots.order_by("starts_at"))
    for n, application in enumerate(shortlisted):
        services.book_slot(invitation=application.centre_invitation, slot=slots[n % len(slots)])


def _applicant_draft(recruitment_round: RecruitmentRound, user: User, rng: random.Random) -> None:
    """The demo applicant registered three days ago and has answered the first two questions."""
    person = Person.objects.filter(user=user).first()
    if person is None or person.email is None:
        return
    moment = timezone.now() - dt.timedelta(days=3)
    services.register_interest(
        services.Registration(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            current_role="Head of Year 8",
            setting=Setting.MAINSTREAM,
            phase=Phase.SECONDARY,
            subject="Geography",
            region=Region.LONDON,
            interests=[Interest.DLP, Interest.EVENTS],
            consent_contact=True,
            consent_bulletin=True,
        ),
        now=moment,
        send_email=False,
    )
    application = services.start_application(recruitment_round=recruitment_round, person=person, now=moment)
    questions = list(recruitment_round.questions.order_by("position"))[:2]
    services.save_draft(
        application=application,
        answers={q.pk: answer_text(rng, n) for n, q in enumerate(questions)},
        eligibility={str(q.pk): True for q in recruitment_round.eligibility_questions.all()},
    )
