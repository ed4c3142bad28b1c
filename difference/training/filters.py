from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from difference.core.exports import Cell
from difference.core.lists import Export
from difference.training.models import Certificate, CertificateStatus, CertificationType


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
