from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from difference.core.exports import Cell
from difference.core.lists import Export
from difference.training.ledger import EnrolmentLedger
from difference.training.models import Certificate, CertificateStatus, CertificationType, Cohort


class CertificateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or email")
    certification = django_filters.ModelChoiceFilter(
        queryset=CertificationType.objects.all(), empty_label="Any certification"
    )
    status = django_filters.ChoiceFilter(choices=CertificateStatus.choices, empty_label="Any status")

    class Meta:
        model = Certificate
        fields = ["q", "certification", "status"]

    def search(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(person__first_name__icontains=text)
            | Q(person__last_name__icontains=text)
            | Q(person__email__icontains=text)
        )


def _certificate_row(certificate: Certificate) -> list[Cell]:
    person = certificate.person
    return [
        person.first_name,
        person.last_name,
        person.email or "",
        certificate.certification.name,
        certificate.get_status_display(),
        certificate.started_on,
        certificate.awarded_on,
        certificate.expires_on,
        bool(certificate.evidence),
    ]


CERTIFICATE_EXPORT = Export(
    name="certificates",
    header=("First name", "Last name", "Email", "Certification", "Status", "Started", "Awarded", "Expires", "Evidence"),
    row=_certificate_row,
)


def _cohort_row(cohort: Any) -> list[Cell]:
    return [
        str(cohort),
        cohort.programme.name,
        cohort.year,
        cohort.target_size,
        getattr(cohort, "enrolled", None),
        getattr(cohort, "completed", None),
        getattr(cohort, "withdrawn", None),
    ]


# The queryset must be the cohort list's: programme selected, the three enrolment counts annotated.
COHORT_EXPORT = Export(
    name="cohorts",
    header=("Cohort", "Programme", "Year", "Target", "Enrolled", "Completed", "Withdrawn"),
    row=_cohort_row,
)


def ledger_export(cohort: Cohort, rows: Sequence[EnrolmentLedger]) -> Export:
    """The cohort's hours ledger as a file: per component, attended and required in the component's unit."""
    components = [line.component for line in rows[0].components] if rows else []
    header = ["First name", "Last name", "Email", "Status", "Risk"]
    for component in components:
        unit = component.get_unit_display()
        header += [f"{component.name}: attended ({unit})", f"{component.name}: required ({unit})"]

    def row(ledger: EnrolmentLedger) -> list[Cell]:
        person = ledger.enrolment.person
        cells: list[Cell] = [
            person.first_name,
            person.last_name,
            person.email or "",
            ledger.enrolment.get_status_display(),
            ledger.risk.label if ledger.assessed else "not assessed",
        ]
        for line in ledger.components:
            cells += [line.attended, line.required]
        return cells

    return Export(name=f"ledger-{slugify(str(cohort))}", header=header, row=row)
