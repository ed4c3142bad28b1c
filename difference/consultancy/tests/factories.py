from __future__ import annotations

import factory

from difference.consultancy.models import DataUpload, Engagement, PupilReturn, SchoolReturn, UploadKind
from difference.schools.tests.factories import SchoolFactory, TrustFactory


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    trust = factory.SubFactory(TrustFactory)
    title = "Suspensions review"
    academic_year = "2022/23"


class DataUploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataUpload

    engagement = factory.SubFactory(EngagementFactory)
    kind = UploadKind.PUPIL
    filename = "pupils.csv"
    sha256 = "0" * 64
    rows = 0
    schools = 0


class SchoolReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolReturn

    engagement = factory.SubFactory(EngagementFactory)
    upload = factory.SubFactory(DataUploadFactory, engagement=factory.SelfAttribute("..engagement"), kind="school")
    school = factory.SubFactory(SchoolFactory, trust=factory.SelfAttribute("..engagement.trust"))
    academic_year = "2021/22"
    headcount = 600
    suspensions = 40
    one_plus_suspensions = 25
    permanent_exclusions = 1


class PupilReturnFactory(factory.django.DjangoModelFactory):
    """One pseudonymous pupil's year: a reference, never a name."""

    class Meta:
        model = PupilReturn

    engagement = factory.SubFactory(EngagementFactory)
    upload = factory.SubFactory(DataUploadFactory, engagement=factory.SelfAttribute("..engagement"))
    pupil_ref = factory.Sequence(lambda n: f"P{n:05d}")
    school = factory.SubFactory(SchoolFactory, trust=factory.SelfAttribute("..engagement.trust"))
    year_group = "9"
    sen_status = "none"
    fsm = False
    ethnicity_group = "white"
    suspensions = 0
    permanent_exclusion = False
    sessions_possible = 300
    sessions_missed = 10
