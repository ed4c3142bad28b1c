from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone

from difference.placements.models import Candidate, Proposing, Vacancy
from difference.placements.services import WhatIfChange, WhatIfKind


class RunForm(forms.Form):
    proposing = forms.ChoiceField(choices=Proposing.choices, initial=Proposing.CANDIDATES, label="Who proposes")


class RankingForm(forms.Form):
    """One optional whole-number box per option; blank means "would not accept"."""

    def __init__(self, *args: Any, options: Iterable[Any], initial_ranks: Mapping[int, int | None], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        for option in self.options:
            self.fields[f"rank_{option.pk}"] = forms.IntegerField(
                label=str(getattr(option, "label", option)),
                required=False,
                min_value=1,
                max_value=len(self.options),
                initial=initial_ranks.get(option.pk),
            )

    def ranks(self) -> dict[Any, int | None]:
        return {option: self.cleaned_data.get(f"rank_{option.pk}") for option in self.options}


class WhatIfForm(forms.Form):
    kind = forms.ChoiceField(
        label="Change",
        choices=[
            (WhatIfKind.PREFERENCES, "A candidate's ranking of vacancies"),
            (WhatIfKind.POSTS, "A vacancy's number of posts"),
            (WhatIfKind.WITHDRAW, "Withdraw a vacancy"),
            (WhatIfKind.UNACCEPTABLE, "A school finds a candidate unacceptable"),
        ],
    )
    candidate = forms.ModelChoiceField(queryset=Candidate.objects.none(), required=False)
    vacancy = forms.ModelChoiceField(queryset=Vacancy.objects.none(), required=False)
    vacancy_order = forms.CharField(
        required=False,
        label="New ranking (vacancy numbers, best first, comma-separated)",
        help_text="For a candidate's ranking, e.g. 12, 7, 3",
    )
    posts = forms.IntegerField(required=False, min_value=0, max_value=20, label="Number of posts")

    def __init__(self, *args: Any, placement_round: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = placement_round.candidates.select_related("person")  # type: ignore[attr-defined]
        self.fields["vacancy"].queryset = placement_round.vacancies.select_related("school")  # type: ignore[attr-defined]
        self.placement_round = placement_round

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        needs = {
            WhatIfKind.PREFERENCES: ["candidate"],
            WhatIfKind.POSTS: ["vacancy", "posts"],
            WhatIfKind.WITHDRAW: ["vacancy"],
            WhatIfKind.UNACCEPTABLE: ["candidate", "vacancy"],
        }.get(kind or "", [])
        for field in needs:
            if data.get(field) in (None, ""):
                self.add_error(field, "Needed for this change.")
        if kind == WhatIfKind.PREFERENCES:
            data["vacancy_list"] = self._vacancies(data.get("vacancy_order") or "")
        return data

    def _vacancies(self, text: str) -> tuple[Vacancy, ...]:
        try:
            ids = [int(part) for part in text.replace(" ", "").split(",") if part]
        except ValueError:
            self.add_error("vacancy_order", "Give vacancy numbers separated by commas.")
            return ()
        found = self.placement_round.vacancies.select_related("school").in_bulk(ids)
        unknown = [str(i) for i in ids if i not in found]
        if unknown:
            self.add_error("vacancy_order", f"No vacancy numbered {', '.join(unknown)} in this round.")
        if len(set(ids)) != len(ids):
            self.add_error("vacancy_order", "A vacancy appears twice.")
        return tuple(found[i] for i in ids if i in found)

    def change(self) -> WhatIfChange:
        data = self.cleaned_data
        return WhatIfChange(
            kind=data["kind"],
            candidate=data.get("candidate"),
            vacancy=data.get("vacancy"),
            vacancy_order=data.get("vacancy_list", ()),
            posts=data.get("posts"),
        )


class EndPlacementForm(forms.Form):
    ends_on = forms.DateField(
        label="Last day", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(max_length=255)


class VacancyForm(forms.ModelForm):
    """A vacancy, with its school given by URN (the registry is too large for a drop-down)."""

    urn = forms.IntegerField(label="School URN", min_value=100000, max_value=999999)

    class Meta:
        model = Vacancy
        fields = [
            "title",
            "phase",
            "focus",
            "posts",
            "starts_on",
            "status",
            "setting_type",
            "test_and_learn",
            "contact_name",
            "contact_email",
        ]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["urn"].initial = self.instance.school.urn

    def clean_urn(self) -> int:
        from difference.schools.models import School

        urn = self.cleaned_data["urn"]
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise forms.ValidationError("No school with that URN in the registry.")
        self.instance.school = school
        return int(urn)


class CandidateForm(forms.Form):
    email = forms.EmailField(label="Email of the person (as recorded in People)")
    regions = forms.CharField(
        max_length=255, required=False, label="Anywhere in these regions (optional, comma-separated)"
    )

    def clean_email(self) -> Any:
        from difference.people.models import Person

        person = Person.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if person is None:
            raise forms.ValidationError("Nobody with that email is in People yet.")
        return person
