from __future__ import annotations

from typing import Any

from django import forms

from difference.careers.models import Level, Sector
from difference.schools.models import School


class RoleForm(forms.Form):
    """A role in someone's history: at a school of the registry (by URN), or with another employer."""

    title = forms.CharField(max_length=200, help_text="As the person writes it, e.g. Deputy Headteacher (Inclusion).")
    level = forms.TypedChoiceField(choices=Level.choices, coerce=int)
    school = forms.ModelChoiceField(
        queryset=School.objects.all(),
        to_field_name="urn",
        required=False,
        widget=forms.NumberInput,
        label="School URN",
        error_messages={"invalid_choice": "No school with that URN is in the registry."},
    )
    employer = forms.CharField(max_length=200, required=False, help_text="Where the role is not at a school.")
    sector = forms.ChoiceField(
        choices=[("", "From the school's type"), *Sector.choices],
        required=False,
        help_text="Needed only when the school's type does not say it, or there is no school.",
    )
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    is_baseline = forms.BooleanField(required=False, label="The role held before the programme (the baseline)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("school") and not data.get("employer") and data.get("sector") != Sector.OUT_OF_EDUCATION:
            self.add_error("employer", "Give the school's URN or the employer.")
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "A role cannot end before it starts.")
        return data
