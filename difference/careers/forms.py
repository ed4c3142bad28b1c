from __future__ import annotations

from typing import Any

from django import forms

from difference.accounts.policy import membership_ids
from difference.accounts.roles import Capability
from difference.careers.models import Interest, InterestState, Level, Opportunity, Sector
from difference.schools.models import School, Trust


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


class OpportunityForm(forms.ModelForm):
    """An opportunity, offered for one trust or one school: a poster chooses among their own (programme staff
    among all), and the field that can never apply to them is left out."""

    class Meta:
        model = Opportunity
        fields = ["trust", "school", "title", "level", "description", "starts_on", "closes_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "starts_on": "When the post starts, if known: an appointment is added to the history from this day.",
            "closes_on": "The last day alumni may register interest.",
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trusts: Any = self.fields["trust"]
        schools: Any = self.fields["school"]
        if user.can(Capability.MANAGE_CAREERS):
            trusts.queryset = Trust.objects.order_by("name")
            schools.queryset = School.objects.order_by("name")
            trusts.help_text = schools.help_text = "One of the two: the trust, or the school, the post is in."
            return
        trust_ids, school_ids = membership_ids(user, "trust"), membership_ids(user, "school")
        trusts.queryset = Trust.objects.filter(pk__in=trust_ids).order_by("name")
        schools.queryset = School.objects.filter(pk__in=school_ids).order_by("name")
        for name, ids in (("trust", trust_ids), ("school", school_ids)):
            if not ids:
                del self.fields[name]
            elif len(ids) == 1 and not self.instance.pk:
                self.fields[name].initial = ids[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("trust")) == bool(data.get("school")) and not self.errors:
            raise forms.ValidationError("Choose the trust or the school the post is in (one of the two).")
        starts_on, closes_on = data.get("starts_on"), data.get("closes_on")
        if starts_on and closes_on and starts_on < closes_on:
            self.add_error("starts_on", "The post cannot start before interest closes.")
        return data


class OpportunityEditForm(OpportunityForm):
    class Meta(OpportunityForm.Meta):
        fields = [*OpportunityForm.Meta.fields, "status"]


class InterestForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: what draws you to the post, for programme staff.",
    )


class ResultForm(forms.Form):
    """Programme staff record an introduction, then the result, of one alumnus's interest."""

    interest = forms.ModelChoiceField(queryset=Interest.objects.none(), widget=forms.HiddenInput)
    state = forms.ChoiceField(
        choices=[
            (InterestState.INTRODUCED, "Introduced to the poster"),
            (InterestState.APPOINTED, "Appointed"),
            (InterestState.NOT_APPOINTED, "Not appointed"),
        ]
    )
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["interest"]
        field.queryset = opportunity.interests.select_related("person")
