from __future__ import annotations

import datetime as dt

import factory

from difference.careers.models import CareerRole, Level, Opportunity, Sector, Source


class CareerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerRole

    title = "Assistant Headteacher"
    level = Level.SENIOR
    sector = Sector.MAINSTREAM
    employer = "A school"
    starts_on = dt.date(2021, 9, 1)
    source = Source.STAFF


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = "Deputy Headteacher (inclusion)"
    level = Level.SENIOR
    closes_on = dt.date(2099, 3, 31)
