from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory
from difference.recruitment.models import (
    Answer,
    Application,
    CentreDay,
    CentreInvitation,
    CentreSlot,
    CompetencyQuestion,
    EligibilityQuestion,
    RecruitmentRound,
    SiftReview,
    Stage,
)


class RecruitmentRoundFactory(factory.django.DjangoModelFactory):
    """A round open from a month ago to a month ahead."""

    class Meta:
        model = RecruitmentRound
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2030 + n)
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class EligibilityQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityQuestion

    recruitment_round = factory.SubFactory(RecruitmentRoundFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Do you hold QTS?"


class CompetencyQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyQuestion

    recruitment_round = factory.SubFactory(RecruitmentRoundFactory)
    position = factory.Sequence(lambda n: n + 1)
    competency = "Leading change"
    text = "Tell us about a change you led."
    marking_guide = "5: sustained change with evidence of impact."


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application; ``SubmittedApplicationFactory`` for one that has been submitted."""

    class Meta:
        model = Application

    recruitment_round = factory.SubFactory(RecruitmentRoundFactory)
    person = factory.SubFactory(PersonFactory)


class SubmittedApplicationFactory(ApplicationFactory):
    stage = Stage.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    application = factory.SubFactory(SubmittedApplicationFactory)
    question = factory.SubFactory(
        CompetencyQuestionFactory, recruitment_round=factory.SelfAttribute("..application.recruitment_round")
    )
    text = "An answer about change."


class SiftReviewFactory(factory.django.DjangoModelFactory):
    """A first reading, ordered for its assessor as the sift service orders it."""

    class Meta:
        model = SiftReview

    answer = factory.SubFactory(AnswerFactory)
    assessor = factory.SubFactory(UserFactory, role=Role.ASSESSOR)
    order_key = factory.LazyAttribute(
        lambda r: SiftReview.order_key_for(
            r.answer.application.recruitment_round.order_salt, r.assessor.pk, r.answer.pk
        )
    )


class CentreDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreDay

    recruitment_round = factory.SubFactory(RecruitmentRoundFactory)
    date = factory.LazyFunction(timezone.localdate)
    venue = "Online"


class CentreSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreSlot

    day = factory.SubFactory(CentreDayFactory)
    starts_at = factory.LazyFunction(timezone.now)
    capacity = 4


class CentreInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CentreInvitation

    application = factory.SubFactory(SubmittedApplicationFactory, stage=Stage.INVITED)
