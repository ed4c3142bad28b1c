"""Career forms: opportunities and what came of the interest in them."""

from __future__ import annotations

from typing import Any

from django import forms

from difference.accounts.policy import membership_ids
from difference.accounts.roles import Capability
from difference.careers.models import Interest, InterestState, Opportunity
from difference.schools.models import School, Trust


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
