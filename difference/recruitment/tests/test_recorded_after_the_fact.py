"""A round's history entered after the fact: every step of the workflow can be given the moment it happened.

Staff catching up with a round run on paper, and the demo's past rounds, pass ``now``; without it each step is
stamped with the present, as the other workflow tests show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory
from difference.recruitment import services
from difference.recruitment.models import (
    Application,
    CentreDecision,
    Decision,
    Offer,
    OfferStatus,
    ReviewKind,
    SiftReview,
    Stage,
)
from difference.recruitment.tests.conftest import make_round, submit_for

UK = ZoneInfo("Europe/London")
OPENED = dt.datetime(2021, 10, 1, 9, tzinfo=UK)
CLOSED = dt.datetime(2022, 1, 31, 12, tzinfo=UK)


def at(day: int, month: int = 2, hour: int = 10) -> dt.datetime:
    return dt.datetime(2022, month, day, hour, tzinfo=UK)


@pytest.fixture
def past_round(db: Any) -> Any:
    """A round that closed long ago, three assessors, and two applications submitted before it closed."""
    recruitment_round = make_round(2022, opens_at=OPENED, closes_at=CLOSED)
    assessors = [UserFactory(role=Role.ASSESSOR, email=f"past.reader{n}@example.org") for n in range(3)]
    recruitment_round.assessors.add(*assessors)
    applications = [
        submit_for(recruitment_round, PersonFactory(), now=at(20 + n, month=1)) for n in range(2)
    ]  # fmt: skip
    return recruitment_round, applications


def _stage_moments(application: Application) -> list[tuple[str, dt.datetime]]:
    return list(application.stage_changes.order_by("pk").values_list("to_stage", "changed_at"))


def test_a_sift_recorded_later_keeps_when_readings_were_assigned_scored_and_moderated(past_round: Any) -> None:
    recruitment_round, (application, _) = past_round

    services.assign_sift(recruitment_round=recruitment_round, now=at(1))
    disputed = application.answers.order_by("question__position").first()
    first, second = disputed.reviews.order_by("pk")
    services.score_review(review=first, score=1, comment="", by=first.assessor, now=at(3))
    services.score_review(review=second, score=5, comment="", by=second.assessor, now=at(4))

    readings = SiftReview.objects.filter(answer__application__recruitment_round=recruitment_round)
    assert set(readings.filter(kind=ReviewKind.FIRST).values_list("assigned_at", flat=True)) == {at(1)}
    assert sorted(readings.exclude(scored_at=None).values_list("scored_at", flat=True)) == [at(3), at(4)]
    moderation = disputed.reviews.get(kind=ReviewKind.MODERATION)
    assert moderation.assigned_at == at(4)  # asked for when the second, distant, reading came in


def test_a_round_recorded_later_keeps_the_moment_of_every_step_from_shortlist_to_offer(past_round: Any) -> None:
    recruitment_round, (chosen, other) = past_round
    services.assign_sift(recruitment_round=recruitment_round, now=at(1))
    for review in SiftReview.objects.filter(answer__application__recruitment_round=recruitment_round):
        score = 4 if review.answer.application_id == chosen.pk else 2
        services.score_review(review=review, score=score, comment="", by=review.assessor, now=at(5))

    services.apply_shortlist(recruitment_round=recruitment_round, threshold=Decimal(3), by=None, now=at(10))
    services.invite_to_centre(applications=[chosen], by=None, now=at(11))
    day = services.create_centre_day(
        recruitment_round=recruitment_round,
        date=dt.date(2022, 3, 3),
        venue="Online",
        slot_times=[dt.time(9)],
        capacity=2,
    )
    invitation = Application.objects.get(pk=chosen.pk).centre_invitation
    services.book_slot(invitation=invitation, slot=day.slots.get(), now=at(14))
    centre_assessor = UserFactory(role=Role.ASSESSOR)
    score = services.score_centre(
        application=chosen,
        assessor=centre_assessor,
        exercise="interview",
        competency="Leading change",
        score=4,
        comment="",
        now=at(3, month=3, hour=11),
    )
    services.decide(
        application=chosen, decision=Decision.OFFER, rationale="Strong", by=None, now=at(3, month=3, hour=18)
    )
    offer = Offer.objects.get(application=chosen)
    services.respond_to_offer(offer=offer, accept=True, by=None, now=at(10, month=3))

    invitation.refresh_from_db()
    offer.refresh_from_db()
    assert (invitation.invited_at, invitation.booked_at, score.scored_at) == (at(11), at(14), at(3, 3, 11))
    assert CentreDecision.objects.get(application=chosen).decided_at == at(3, month=3, hour=18)
    assert (offer.made_at, offer.responded_at, offer.status) == (at(3, 3, 18), at(10, month=3), OfferStatus.ACCEPTED)
    assert _stage_moments(chosen) == [
        (Stage.SUBMITTED, at(20, month=1)),
        (Stage.SHORTLISTED, at(10)),
        (Stage.INVITED, at(11)),
        (Stage.OFFERED, at(3, month=3, hour=18)),
        (Stage.ACCEPTED, at(10, month=3)),
    ]
    assert _stage_moments(other)[-1] == (Stage.NOT_SHORTLISTED, at(10))


def _at_the_centre(application: Application) -> None:
    """Shortlisted by hand, invited and scored, in the present: the steps under test come after."""
    services.move_stage(application=application, to_stage=Stage.SHORTLISTED, reason="Strong", by=None)
    services.invite_to_centre(applications=[application], by=None)
    services.score_centre(
        application=application,
        assessor=UserFactory(role=Role.ASSESSOR),
        exercise="interview",
        competency="Leading change",
        score=3,
        comment="",
    )


def test_a_reserve_decision_and_a_later_offer_recorded_later_keep_their_moments(past_round: Any) -> None:
    recruitment_round, (application, _) = past_round
    _at_the_centre(application)

    services.decide(application=application, decision=Decision.RESERVE, rationale="Close", by=None, now=at(4, 3))
    application.refresh_from_db()
    offer = services.make_offer(application=application, by=None, now=at(20, 3))

    assert CentreDecision.objects.get(application=application).decided_at == at(4, 3)
    assert offer.made_at == at(20, 3)
    assert _stage_moments(application)[-2:] == [(Stage.RESERVE, at(4, 3)), (Stage.OFFERED, at(20, 3))]


def test_a_withdrawal_recorded_later_keeps_its_moment_and_declines_the_offer_then(past_round: Any) -> None:
    recruitment_round, (application, other) = past_round
    _at_the_centre(application)
    services.decide(application=application, decision=Decision.OFFER, rationale="Strong", by=None, now=at(4, 3))

    services.withdraw_application(application=application, reason="Promoted", by=None, now=at(25, 3))
    services.withdraw_application(application=other, reason="Family", by=None)

    application.refresh_from_db()
    offer = Offer.objects.get(application=application)
    assert application.withdrawn_at == at(25, 3)
    assert (offer.made_at, offer.status, offer.responded_at) == (at(4, 3), OfferStatus.DECLINED, at(25, 3))
    assert _stage_moments(application)[-2:] == [(Stage.OFFERED, at(4, 3)), (Stage.WITHDRAWN, at(25, 3))]
    other.refresh_from_db()
    assert other.withdrawn_at is not None and other.withdrawn_at > timezone.now() - dt.timedelta(minutes=1)


def test_diversity_answers_recorded_later_keep_when_they_were_given(db: Any) -> None:
    person = PersonFactory()

    answers = services.save_diversity(person=person, answers={"gender": "woman"}, now=at(20, month=1))

    assert (answers.gender, answers.ethnic_group, answers.recorded_at) == ("woman", "", at(20, month=1))
