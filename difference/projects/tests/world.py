"""Projects for the shared test ``world`` (conftest.py), as ``world.projects`` (object kind ``project`` in the
matrix): ``a1`` (the leader's, at the headteacher's school in trust A, measured twice) and ``b1`` (Omar's, at a
school of trust B, one test round so far), with the literacy audit template ``template``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from difference.projects.tests.factories import (
    AssessmentFactory,
    AuditStatementFactory,
    AuditTemplateFactory,
    MeasureFactory,
    ProjectFactory,
    PupilFactory,
)
from difference.training.models import Enrolment


def projects_world(schools: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    template = AuditTemplateFactory()
    AuditStatementFactory.create_batch(3, section__template=template)
    a1 = ProjectFactory(enrolment=Enrolment.objects.get(person=people["leader_a1"]), school=schools["a1"])
    b1 = ProjectFactory(enrolment=Enrolment.objects.get(person=people["leader_b1"]), school=schools["b1"])
    measure_a1 = MeasureFactory(project=a1)
    for code, first, second in (("A1-01", 120, 131), ("A1-02", 110, 118), ("A1-03", 130, 139)):
        pupil = PupilFactory(project=a1, code=code)
        AssessmentFactory(measure=measure_a1, pupil=pupil, assessed_on=dt.date(2022, 10, 3), value=Decimal(first))
        AssessmentFactory(measure=measure_a1, pupil=pupil, assessed_on=dt.date(2023, 4, 3), value=Decimal(second))
    measure_b1 = MeasureFactory(project=b1)
    pupil = PupilFactory(project=b1, code="B1-01")
    AssessmentFactory(measure=measure_b1, pupil=pupil, assessed_on=dt.date(2022, 10, 5), value=Decimal(100))
    return {"template": template, "a1": a1, "b1": b1, "measure_a1": measure_a1, "pupil_b1": pupil}
