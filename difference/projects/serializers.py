"""The projects API's shapes: projects and their plan, audits and their ratings, pupils (codes, never names) and their
results, a test round and an upload's outcome. The rules behind them are in ``imports`` and ``access``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from difference.projects.imports import clean_pupil_code
from difference.projects.models import Assessment, Audit, AuditRating, AuditRound, Measure, Project, Pupil


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "kind", "name", "test_name", "unit", "minimum", "maximum"]


class ProjectSerializer(serializers.ModelSerializer):
    school: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="urn", read_only=True)
    school_name = serializers.CharField(source="school.name", read_only=True)
    leader = serializers.CharField(read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "school", "school_name", "leader", "topic", "title", "question", "starts_on", "ends_on", "stage",
            "aims", "actions", "staff_involved", "cannot_resource_tests", "measures",
        ]  # fmt: skip
        # The plan and the stage are the project's own to change; which project it is, and where, are not.
        read_only_fields = ["id", "topic", "title", "starts_on", "ends_on"]


class AuditRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditRating
        fields = ["statement", "rating", "evidence"]


class AuditSerializer(serializers.ModelSerializer):
    ratings = AuditRatingSerializer(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = ["id", "round", "template", "completed_on", "ratings"]


class RatingInputSerializer(serializers.Serializer):
    statement = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    rating = serializers.IntegerField(min_value=1, max_value=10)
    evidence = serializers.CharField(allow_blank=True, default="", max_length=5000)


class AuditInputSerializer(serializers.Serializer):
    round = serializers.ChoiceField(choices=AuditRound.choices)
    completed_on = serializers.DateField(required=False, allow_null=True)
    ratings = RatingInputSerializer(many=True, allow_empty=False)


class PupilSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pupil
        fields = ["id", "code", "birth_year", "birth_month", "year_group", "joined_on", "left_on", "sen", "fsm"]

    def validate_code(self, value: str) -> str:
        try:
            return clean_pupil_code(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class AssessmentSerializer(serializers.ModelSerializer):
    pupil_code = serializers.CharField(source="pupil.code", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "measure", "pupil", "pupil_code", "assessed_on", "value", "test_form"]


class ResultInputSerializer(serializers.Serializer):
    pupil = serializers.CharField(max_length=20, help_text="The pupil's code.")
    value = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=20,
        help_text="A reading age as 9:07, 9y7m or whole months; another measure's score. Blank when absent.",
    )
    absent = serializers.BooleanField(default=False)


class RoundInputSerializer(serializers.Serializer):
    measure = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    held_on = serializers.DateField()
    test_form = serializers.CharField(allow_blank=True, default="", max_length=40)
    results = ResultInputSerializer(many=True, allow_empty=False)


class RoundResultSerializer(serializers.Serializer):
    assessments = serializers.IntegerField()
    absences = serializers.IntegerField()


class UploadInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    measure = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Needed when the project has several measures."
    )
    dry_run = serializers.BooleanField(default=False)


class UploadResultSerializer(serializers.Serializer):
    summary = serializers.CharField()
    rows = serializers.IntegerField()
    written = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField(), help_text="Every fault; none stored if any.")
