from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from difference.benchmarks.loaders import academic_year
from difference.consultancy.models import Engagement, UploadKind
from difference.schools.models import Trust

# A pupil-level file for a large trust: ~60 bytes a row, 150,000 rows at most.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class EngagementForm(forms.ModelForm):
    trust = forms.ModelChoiceField(
        queryset=Trust.objects.order_by("name"),
        to_field_name="uid",
        widget=forms.NumberInput,
        help_text="The trust's GIAS group UID (shown on its page in the schools registry).",
        error_messages={"invalid_choice": "No trust with that UID is in the registry."},
    )

    class Meta:
        model = Engagement
        fields = ["trust", "title", "academic_year", "question"]
        help_texts = {"academic_year": "The year the pupil-level data is for, e.g. 2022/23."}

    def clean_academic_year(self) -> str:
        value = self.cleaned_data["academic_year"]
        period = academic_year(value)
        if period is None:
            raise ValidationError(f"“{value}” is not an academic year such as 2022/23.")
        return period


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=UploadKind.choices, widget=forms.RadioSelect, label="Template")
    file = forms.FileField(help_text="CSV or XLSX, up to 20 MB.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file is larger than 20 MB. Split it by school and upload each part.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError("Upload a .csv or .xlsx file.")
        return upload
