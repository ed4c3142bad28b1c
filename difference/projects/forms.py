from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from difference.projects.imports import clean_pupil_code, read_value
from difference.projects.models import (
    Audit,
    AuditSection,
    AuditStatement,
    Measure,
    MeasureKind,
    Project,
    Pupil,
)

# A year's results for a whole AP school: a few hundred rows.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class PlanForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "title",
            "question",
            "stage",
            "starts_on",
            "ends_on",
            "aims",
            "actions",
            "staff_involved",
            "cannot_resource_tests",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "question": forms.Textarea(attrs={"rows": 2}),
            "aims": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 4}),
            "staff_involved": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "aims": "What the audit showed needs to change, and what the project sets out to change.",
            "actions": "What will be done, by whom and when.",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The project cannot end before it starts.")
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AuditForm(forms.Form):
    """One rating (and evidence note) per statement of the topic's template."""

    completed_on = forms.DateField(label="Audit completed on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit = audit
        template = audit.template
        labels = template.labels()
        choices = [(str(i + 1), f"{i + 1}: {label}") for i, label in enumerate(labels)]
        existing = {rating.statement_id: rating for rating in audit.ratings.all()} if audit.pk else {}
        if audit.completed_on:
            self.fields["completed_on"].initial = audit.completed_on
        self.rows: list[tuple[AuditSection, list[tuple[AuditStatement, str, str]]]] = []
        for section in template.sections.prefetch_related("statements"):
            statements = []
            for statement in section.statements.all():
                rating_name, evidence_name = f"rating_{statement.pk}", f"evidence_{statement.pk}"
                previous = existing.get(statement.pk)
                self.fields[rating_name] = forms.TypedChoiceField(
                    label=statement.text,
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    initial=str(previous.rating) if previous else None,
                    error_messages={"required": f"Rate “{statement.text}”."},
                )
                self.fields[evidence_name] = forms.CharField(
                    label="Evidence",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=previous.evidence if previous else "",
                    max_length=4000,
                )
                statements.append((statement, rating_name, evidence_name))
            self.rows.append((section, statements))

    def ratings(self) -> dict[int, tuple[int, str]]:
        """Statement id → (rating, evidence), from a valid form."""
        return {
            statement.pk: (self.cleaned_data[rating], self.cleaned_data[evidence])
            for _, statements in self.rows
            for statement, rating, evidence in statements
        }


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["kind", "name", "test_name", "unit", "minimum", "maximum"]
        help_texts = {
            "minimum": "The lowest result the test reports (reading ages in months, e.g. 60 for 5 years 0 months).",
            "maximum": "The highest result the test reports (e.g. 204 months for 17 years 0 months).",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum"), data.get("maximum")
        if low is not None and high is not None and high <= low:
            self.add_error("maximum", "The highest result must be above the lowest.")
        if data.get("kind") == MeasureKind.OTHER and not data.get("unit"):
            self.add_error("unit", "Say what one point of this measure is.")
        return data


class PupilForm(forms.ModelForm):
    """A pupil by the school's own code: the platform keeps no name."""

    class Meta:
        model = Pupil
        fields = ["code", "birth_year", "birth_month", "year_group", "joined_on", "left_on", "sen", "fsm"]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}),
            "left_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.project = project

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if " " in code:
            raise ValidationError("A pupil code has no spaces: use the school's own code, never a name.")
        code = clean_pupil_code(code)  # the import's rule too: no UPNs, letters, digits, - and _ only
        if Pupil.objects.filter(project=self.instance.project, code__iexact=code).exclude(pk=self.instance.pk):
            raise ValidationError(f"The project already has a pupil {code}.")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", "A pupil cannot leave before joining.")
        return data


class RoundForm(forms.Form):
    """One test round: a date, the test's form, and one result per pupil on roll (blank for a pupil absent)."""

    held_on = forms.DateField(label="Date of the test", widget=forms.DateInput(attrs={"type": "date"}))
    test_form = forms.CharField(label="Test form or version", required=False, max_length=40)

    def __init__(self, *args: Any, measure: Measure, pupils: list[Pupil], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.pupils = pupils
        hint = "years:months, e.g. 9:07" if measure.is_reading_age else (measure.unit or "score")
        for pupil in pupils:
            self.fields[f"pupil_{pupil.pk}"] = forms.CharField(
                label=f"{pupil.code} (year {pupil.year_group})",
                required=False,
                max_length=12,
                help_text=f"Result ({hint}); leave blank if absent.",
            )

    def pupil_fields(self) -> list[forms.BoundField]:
        return [self[f"pupil_{pupil.pk}"] for pupil in self.pupils]

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError("The test date is in the future.")
        return held_on

    def clean(self) -> dict[str, Any]:
        """Every result read as the test prints it; one that cannot be read is an error on that pupil's field."""
        data = super().clean() or {}
        self.parsed: dict[int, Decimal | None] = {}
        for pupil in self.pupils:
            name = f"pupil_{pupil.pk}"
            raw = (data.get(name) or "").strip()
            if not raw:
                self.parsed[pupil.pk] = None
                continue
            try:
                self.parsed[pupil.pk] = read_value(self.measure, raw)
            except ValidationError as error:
                self.add_error(name, f"{pupil.code}: {' '.join(error.messages)}")
        return data

    def results(self) -> dict[int, Decimal | None]:
        """Pupil id → result (``None`` for a pupil absent), from a valid form."""
        return self.parsed


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or XLSX, up to 5 MB, in the project template's columns.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file is larger than 5 MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError("Upload a .csv or .xlsx file.")
        return upload


class ProjectCreateForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["topic", "title", "question", "starts_on"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}


class StatementForm(forms.Form):
    section = forms.CharField(max_length=200, help_text="An existing section's title, or a new one.")
    text = forms.CharField(label="Statement", max_length=500)
