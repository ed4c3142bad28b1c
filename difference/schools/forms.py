"""Forms for the schools app."""

from __future__ import annotations

from typing import Any

from django import forms


class GiasRowForm(forms.Form):
    """One row of a GIAS establishment extract, keyed by our names for its columns (``services.gias.GIAS_COLUMNS``)."""

    urn = forms.IntegerField(min_value=1)
    name = forms.CharField(max_length=255)
    la_code = forms.RegexField(r"^\d{3}$", required=False, error_messages={"invalid": "Enter a three-digit LA code."})
    la_name = forms.CharField(max_length=100, required=False)
    establishment_number = forms.IntegerField(min_value=0, max_value=9999, required=False)
    establishment_type = forms.CharField(max_length=120, required=False)
    establishment_group = forms.CharField(max_length=120, required=False)
    status = forms.CharField(max_length=60, required=False)
    phase = forms.CharField(max_length=60, required=False)
    region = forms.CharField(required=False)
    trust_uid = forms.IntegerField(min_value=1, required=False)
    trust_name = forms.CharField(max_length=255, required=False)
    pupils = forms.IntegerField(min_value=0, required=False)
    postcode = forms.CharField(max_length=10, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("trust_uid") and not cleaned.get("trust_name"):
            self.add_error("trust_name", "A trust code needs the trust's name.")
        return cleaned
