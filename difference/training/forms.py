from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from difference.people.models import Person
from difference.training import certificates as certificate_services
from difference.training.models import (
    AttendanceStatus,
    CertificateStatus,
    CertificationType,
    Enrolment,
    EnrolmentStatus,
    NoteKind,
    Requirement,
    Session,
)
from difference.training.services import SESSION_FIELDS


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        # Exactly what the session services accept, so the form and the services cannot drift apart.
        fields = list(SESSION_FIELDS)
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {"starts_at": "UK time.", "ends_at": "UK time."}

    def __init__(self, *args: Any, cohort: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = cohort.programme.components.all()  # type: ignore[attr-defined]
        self.fields["makeup_for"].queryset = cohort.sessions.filter(makeup_for__isnull=True)  # type: ignore[attr-defined]
        self.fields["makeup_for"].required = False


class RegisterForm(forms.Form):
    """The whole cohort's register for one session, in one form: a status and minutes missed per person."""

    def __init__(self, *args: Any, enrolments: Sequence[Enrolment], marks: dict[int, tuple[str, int]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        for enrolment in self.enrolments:
            status, minutes = marks.get(enrolment.pk, (AttendanceStatus.PRESENT, 0))
            name = enrolment.person.full_name
            self.fields[f"status_{enrolment.pk}"] = forms.ChoiceField(
                choices=AttendanceStatus.choices, initial=status, label=f"{name}: attendance"
            )
            self.fields[f"minutes_{enrolment.pk}"] = forms.IntegerField(
                min_value=0, max_value=24 * 60, initial=minutes or None, required=False, label=f"{name}: minutes missed"
            )

    def rows(self) -> list[tuple[Enrolment, forms.BoundField, forms.BoundField]]:
        return [(e, self[f"status_{e.pk}"], self[f"minutes_{e.pk}"]) for e in self.enrolments]

    def marks(self) -> dict[int, tuple[str, int]]:
        return {
            e.pk: (self.cleaned_data[f"status_{e.pk}"], self.cleaned_data.get(f"minutes_{e.pk}") or 0)
            for e in self.enrolments
        }


class RequirementsForm(forms.Form):
    """One amount per component of the programme, for one cohort only."""

    def __init__(self, *args: Any, cohort: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.components = list(cohort.programme.components.all())
        current = {r.component_id: r.amount for r in Requirement.objects.filter(cohort=cohort)}
        for component in self.components:
            self.fields[f"amount_{component.pk}"] = forms.DecimalField(
                label=f"{component.name} ({component.get_unit_display()})",
                min_value=Decimal(0),
                max_digits=6,
                decimal_places=2,
                required=False,
                initial=current.get(component.pk),
            )

    def amounts(self) -> dict[Any, Decimal]:
        return {
            c: self.cleaned_data[f"amount_{c.pk}"]
            for c in self.components
            if self.cleaned_data.get(f"amount_{c.pk}") is not None
        }


class EnrolmentStatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=EnrolmentStatus.choices, label="New status")
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="With effect from")
    reason = forms.CharField(max_length=300)


# --- Certificates and notes ---------------------------------------------------------------------------------
_EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
_DATE = {"type": "date"}


def _evidence_help() -> str:
    limit = certificate_services.megabytes(settings.DIFFERENCE_EVIDENCE_MAX_BYTES)
    return f"A PDF, PNG or JPEG file of at most {limit}."


class CertificateCreateForm(forms.Form):
    email = forms.EmailField(label="Email of the person (as recorded in People)")
    certification = forms.ModelChoiceField(queryset=CertificationType.objects.all())
    status = forms.ChoiceField(choices=CertificateStatus.choices, initial=CertificateStatus.AWARDED)
    started_on = forms.DateField(required=False, label="Started on", widget=forms.DateInput(attrs=_DATE))
    awarded_on = forms.DateField(
        required=False, label="Awarded on", widget=forms.DateInput(attrs=_DATE), help_text="Needed when awarded."
    )
    evidence = forms.FileField(
        required=False, label="Evidence (optional)", widget=forms.FileInput(attrs={"accept": _EVIDENCE_ACCEPT})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["evidence"].help_text = _evidence_help()

    def clean_email(self) -> Person:
        person = Person.objects.for_user(self.user).filter(email__iexact=self.cleaned_data["email"]).first()
        if person is None:
            raise forms.ValidationError("Nobody with that email is in People yet.")
        return person


class EvidenceForm(forms.Form):
    evidence = forms.FileField(label="Evidence file", widget=forms.FileInput(attrs={"accept": _EVIDENCE_ACCEPT}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _evidence_help()


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=NoteKind.choices)
    held_on = forms.DateField(label="Date of the conversation", widget=forms.DateInput(attrs=_DATE))
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(label="Kind", choices=[(kind, NoteKind(kind).label) for kind in kinds])
