from __future__ import annotations

from django import forms

from difference.people.models import ConsentMethod, ConsentPurpose, ConsentStatus


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    status = forms.ChoiceField(choices=ConsentStatus.choices, label="Consent")
    method = forms.ChoiceField(choices=ConsentMethod.choices, label="How it was given or withdrawn")
    note = forms.CharField(max_length=255, required=False)
