from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from difference.people.models import AgeBand, Disability, EthnicGroup, Gender
from difference.recruitment.models import (
    Application,
    CentreSlot,
    CompetencyQuestion,
    Decision,
    EligibilityQuestion,
    Exercise,
    Interest,
    Phase,
    RecruitmentRound,
    Region,
    Setting,
    Stage,
)
from difference.recruitment.services import Registration


class InterestForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(help_text="We will email you a link to confirm your registration.")
    current_role = forms.CharField(max_length=150, label="Current role", help_text="For example, Head of Year 9.")
    setting = forms.ChoiceField(choices=Setting.choices, label="Where you work now")
    phase = forms.ChoiceField(choices=Phase.choices)
    subject = forms.CharField(max_length=100, required=False, help_text="Your main subject, if you teach one.")
    region = forms.ChoiceField(choices=Region.choices)
    interests = forms.MultipleChoiceField(
        choices=Interest.choices, widget=forms.CheckboxSelectMultiple, label="What you are interested in"
    )
    consent_contact = forms.BooleanField(
        required=False, label="You may contact me about the programme and my registration."
    )
    consent_bulletin = forms.BooleanField(required=False, label="Send me the inclusion news bulletin.")

    def registration(self) -> Registration:
        data = self.cleaned_data
        return Registration(
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=data["email"],
            current_role=data["current_role"].strip(),
            setting=data["setting"],
            phase=data["phase"],
            subject=data["subject"].strip(),
            region=data["region"],
            interests=data["interests"],
            consent_contact=data["consent_contact"],
            consent_bulletin=data["consent_bulletin"],
        )


class ApplicationForm(forms.Form):
    """The draft: eligibility questions (yes/no) and one text box per competency question."""

    def __init__(
        self,
        *args: Any,
        application: Application,
        eligibility: Iterable[EligibilityQuestion],
        questions: Iterable[CompetencyQuestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.eligibility_questions = list(eligibility)
        self.competency_questions = list(questions)
        answers = {a.question_id: a.text for a in application.answers.all()}
        for criterion in self.eligibility_questions:
            saved = application.eligibility.get(str(criterion.pk))
            self.fields[f"eligible_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.text,
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                required=False,
                coerce=lambda v: v == "yes",
                empty_value=None,
                initial=None if saved is None else ("yes" if saved else "no"),
            )
        for question in self.competency_questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=f"{question.position}. {question.text}",
                help_text=f"{question.competency}. Up to {question.word_limit} words.",
                widget=forms.Textarea(attrs={"rows": 8}),
                required=False,
                max_length=20_000,
                initial=answers.get(question.pk, ""),
            )

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"answer_{q.pk}") or "" for q in self.competency_questions}

    def eligibility(self) -> dict[str, bool]:
        values = {str(q.pk): self.cleaned_data.get(f"eligible_{q.pk}") for q in self.eligibility_questions}
        return {k: v for k, v in values.items() if v is not None}


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label="Reason (optional)")


class DiversityForm(forms.Form):
    """Optional monitoring questions, stored apart from the application and never shown to assessors."""

    gender = forms.ChoiceField(choices=[("", "—")] + Gender.choices, required=False)
    ethnic_group = forms.ChoiceField(choices=[("", "—")] + EthnicGroup.choices, required=False, label="Ethnic group")
    disability = forms.ChoiceField(
        choices=[("", "—")] + Disability.choices,
        required=False,
        label="Do you consider yourself to have a disability?",
    )
    age_band = forms.ChoiceField(choices=[("", "—")] + AgeBand.choices, required=False, label="Age")


class RoundForm(forms.ModelForm):
    class Meta:
        model = RecruitmentRound
        fields = ["year", "opens_at", "closes_at", "target_leaders", "assessors"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "assessors": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "opens_at": "UK time (GMT or BST, whichever applies on that date).",
            "closes_at": "UK time. Submissions at or after this moment are refused.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from difference.accounts.models import User
        from difference.accounts.roles import Role

        self.fields["assessors"].queryset = User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("email")  # type: ignore[attr-defined]
        self.fields["year"].validators.append(_plausible_year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "The round must close after it opens.")
        return data


def _plausible_year(value: int) -> None:
    if not 2000 <= value <= 2100:
        raise ValidationError("Enter a year between 2000 and 2100.")


class CompetencyQuestionForm(forms.ModelForm):
    class Meta:
        model = CompetencyQuestion
        fields = ["position", "competency", "text", "marking_guide", "word_limit"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "marking_guide": forms.Textarea(attrs={"rows": 6})}


class EligibilityQuestionForm(forms.ModelForm):
    class Meta:
        model = EligibilityQuestion
        fields = ["position", "text", "required_answer"]
        labels = {"required_answer": "An applicant must answer yes"}


class MoveStageForm(forms.Form):
    to_stage = forms.ChoiceField(choices=Stage.choices, label="Move to")
    reason = forms.CharField(max_length=300)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Stage.choices)
        self.fields["to_stage"].choices = [(s, labels[s]) for s in application.staff_moves()]  # type: ignore[attr-defined]


class ThresholdForm(forms.Form):
    threshold = forms.DecimalField(
        min_value=Decimal(1),
        max_value=Decimal(5),
        decimal_places=2,
        max_digits=3,
        label="Shortlist at a mean of at least",
    )


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect, label="Score (1 to 5)"
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000)


class CentreDayForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    venue = forms.CharField(max_length=200)
    slot_times = forms.CharField(
        label="Start times", help_text="UK time, comma-separated, e.g. 09:00, 13:30", max_length=200
    )
    capacity = forms.IntegerField(min_value=1, max_value=50, initial=6, label="Places per slot")
    assessors: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Centre assessors",
        help_text="They will not be shown any candidate whose written answers they read in the sift.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from difference.accounts.models import User
        from difference.accounts.roles import Role

        self.fields["assessors"].queryset = User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("email")  # type: ignore[attr-defined]

    def clean_slot_times(self) -> list[Any]:
        import datetime as dt

        times = []
        for part in self.cleaned_data["slot_times"].split(","):
            part = part.strip()
            if not part:
                continue
            try:
                times.append(dt.datetime.strptime(part, "%H:%M").time())
            except ValueError:
                raise ValidationError(f"“{part}” is not a time; write times as 09:00 or 13:30.") from None
        if not times:
            raise ValidationError("Give at least one start time.")
        return times


class InviteForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple, label="Shortlisted applicants"
    )

    def __init__(self, *args: Any, recruitment_round: RecruitmentRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = recruitment_round.applications.filter(  # type: ignore[attr-defined]
            stage=Stage.SHORTLISTED
        ).select_related("person")
        self.fields["applications"].label_from_instance = lambda a: f"{a.reference} — {a.person.full_name}"  # type: ignore[attr-defined]


class BookingForm(forms.Form):
    slot: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=CentreSlot.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args: Any, recruitment_round: RecruitmentRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slots = CentreSlot.objects.filter(day__recruitment_round=recruitment_round).select_related("day")
        self.fields["slot"].queryset = slots  # type: ignore[attr-defined]
        self.fields["slot"].label_from_instance = lambda s: f"{s} — {s.day.venue} ({s.places_left()} places left)"  # type: ignore[attr-defined]


class CentreScoreForm(forms.Form):
    exercise = forms.ChoiceField(choices=Exercise.choices)
    competency = forms.ChoiceField(choices=[])
    score = forms.TypedChoiceField(choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)

    def __init__(self, *args: Any, competencies: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [(c, c) for c in competencies]  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class OfferResponseForm(forms.Form):
    response = forms.ChoiceField(choices=[("accept", "Accept the offer"), ("decline", "Decline the offer")])


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or XLSX, up to 5 MB.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("The file is larger than 5 MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError("Upload a .csv or .xlsx file.")
        return upload
