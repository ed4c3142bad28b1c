from __future__ import annotations

import datetime as dt

import factory

from difference.people.tests.factories import PersonFactory
from difference.placements.models import (
    Candidate,
    CandidatePreference,
    MatchOutcome,
    MatchRun,
    Placement,
    PlacementRound,
    SchoolRanking,
    Vacancy,
)
from difference.schools.tests.factories import SchoolFactory


class PlacementRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementRound
        django_get_or_create = ("year",)

    year = 2022
    target_posts = 2


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    placement_round = factory.SubFactory(PlacementRoundFactory)
    school = factory.SubFactory(SchoolFactory)
    title = "Assistant Head"
    focus = "send"
    setting_type = "pru"
    starts_on = dt.date(2022, 9, 1)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    placement_round = factory.SubFactory(PlacementRoundFactory)
    person = factory.SubFactory(PersonFactory)


class CandidatePreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidatePreference

    candidate = factory.SubFactory(CandidateFactory)
    vacancy = factory.SubFactory(VacancyFactory, placement_round=factory.SelfAttribute("..candidate.placement_round"))
    rank = 1


class SchoolRankingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolRanking

    vacancy = factory.SubFactory(VacancyFactory)
    candidate = factory.SubFactory(CandidateFactory, placement_round=factory.SelfAttribute("..vacancy.placement_round"))
    rank = 1


class MatchRunFactory(factory.django.DjangoModelFactory):
    """A run recorded without running the engine (its instance is empty)."""

    class Meta:
        model = MatchRun

    placement_round = factory.SubFactory(PlacementRoundFactory)
    instance = factory.LazyFunction(lambda: {"candidates": {}, "vacancies": {}})


class MatchOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchOutcome

    run = factory.SubFactory(MatchRunFactory)
    candidate = factory.SubFactory(CandidateFactory, placement_round=factory.SelfAttribute("..run.placement_round"))
    vacancy = factory.SubFactory(VacancyFactory, placement_round=factory.SelfAttribute("..run.placement_round"))
    choice_rank = 1
    explanation = "1st choice"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    candidate = factory.SubFactory(CandidateFactory)
    vacancy = factory.SubFactory(VacancyFactory, placement_round=factory.SelfAttribute("..candidate.placement_round"))
    run = factory.SubFactory(MatchRunFactory, placement_round=factory.SelfAttribute("..candidate.placement_round"))
    starts_on = dt.date(2022, 9, 1)
