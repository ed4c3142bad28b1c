from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from difference.projects.models import (
    Assessment,
    AuditSection,
    AuditStatement,
    AuditTemplate,
    Measure,
    MeasureKind,
    Project,
    Pupil,
    Topic,
)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    topic = Topic.LITERACY
    title = factory.Sequence(lambda n: f"Reading for all {n}")
    question = "Does daily guided reading close the gap between reading age and chronological age?"
    starts_on = dt.date(2022, 9, 1)


class AuditTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditTemplate
        django_get_or_create = ("topic",)

    topic = Topic.LITERACY
    title = "Whole-school literacy audit"
    scale_max = 4
    scale_labels = "Not in place|Emerging|Established|Embedded"


class AuditSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditSection

    template = factory.SubFactory(AuditTemplateFactory)
    title = factory.Sequence(lambda n: f"Section {n}")


class AuditStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditStatement

    section = factory.SubFactory(AuditSectionFactory)
    text = factory.Sequence(lambda n: f"Statement {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    kind = MeasureKind.READING_AGE
    name = "Reading age"
    test_name = "NGRT"
    minimum = Decimal(60)
    maximum = Decimal(204)


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    code = factory.Sequence(lambda n: f"P{n:03d}")
    birth_year = 2009
    birth_month = 3
    year_group = 9


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    test_form = "A"
