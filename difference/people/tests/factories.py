from __future__ import annotations

import factory

from difference.people.models import Demographics, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class DemographicsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demographics

    person = factory.SubFactory(PersonFactory)
