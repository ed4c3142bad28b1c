from __future__ import annotations

import factory

from difference.schools.models import LocalAuthority, School, SchoolCategory, Trust


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{800 + n % 199:03d}")
    name = factory.Sequence(lambda n: f"Authority {n}")
    region = "London"


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    uid = factory.Sequence(lambda n: 90000 + n)
    name = factory.Sequence(lambda n: f"Example Academy Trust {n}")
    group_type = "Multi-academy trust"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 700000 + n)
    name = factory.Sequence(lambda n: f"Example School {n}")
    category = SchoolCategory.MAINSTREAM
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    region = "London"
