from __future__ import annotations

import factory

from difference.training.models import Cohort, Enrolment, Programme


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = "dlp"
    name = "Difference Leadership Programme"
    duration_years = 2


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    year = factory.Sequence(lambda n: 2019 + n)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)


# --- Components, requirements, sessions and attendance (the ledger's tests) ------------------------------------
import datetime as dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from difference.people.tests.factories import PersonFactory  # noqa: E402
from difference.training.models import Attendance, Component, Requirement, Session  # noqa: E402


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"component-{n}")
    name = factory.Sequence(lambda n: f"Component {n}")
    kind = "twilight"
    unit = "hours"


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    cohort = factory.SubFactory(CohortFactory)
    component = factory.SubFactory(ComponentFactory, programme=factory.SelfAttribute("..cohort.programme"))
    amount = Decimal(10)


class SessionFactory(factory.django.DjangoModelFactory):
    """A two-hour session crediting 2 hours, on a day of its own in 2022 (UTC)."""

    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    component = factory.SubFactory(ComponentFactory, programme=factory.SelfAttribute("..cohort.programme"))
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.Sequence(lambda n: dt.datetime(2022, 9, 1, 16, tzinfo=dt.UTC) + dt.timedelta(days=n))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=2))
    hours = Decimal(2)


class LeaderEnrolmentFactory(EnrolmentFactory):
    """An enrolment with a person of its own."""

    person = factory.SubFactory(PersonFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrolment = factory.SubFactory(LeaderEnrolmentFactory, cohort=factory.SelfAttribute("..session.cohort"))
    status = "present"
