"""A service's refusal has one shape in the API, whatever the app: 400, the whole message, and the messages by field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from difference.core.api import service_error_body


def test_a_refusal_without_fields_is_a_detail_and_non_field_errors():
    body = service_error_body(ValidationError("The round is closed."))
    assert body == {"detail": "The round is closed.", "errors": {"non_field_errors": ["The round is closed."]}}


def test_a_refusal_by_field_keeps_each_field():
    body = service_error_body(ValidationError({"score": ["Give 1 to 5."], "comment": ["Too long."]}))
    assert body["errors"] == {"score": ["Give 1 to 5."], "comment": ["Too long."]}
    assert body["detail"] == "Give 1 to 5. Too long."


def test_the_placements_recruitment_and_training_apis_refuse_a_rule_alike(world, client_for):
    staff = client_for("staff_programme")
    answers = [
        staff.post(reverse("api:match-run-publish", kwargs={"pk": world.placements["run"].pk})),
        staff.post(
            reverse("api:application-move", kwargs={"pk": world.recruitment["app_self"].pk}),
            {"to_stage": "accepted", "reason": "Strong answers"},
        ),
        staff.post(
            reverse("api:session-register", kwargs={"pk": world.training["session"].pk}),
            {"marks": [{"enrolment": 999999, "status": "present", "minutes_missed": 0}]},
            content_type="application/json",
        ),
    ]
    for response in answers:
        assert response.status_code == 400, response.content
        body = response.json()
        assert set(body) == {"detail", "errors"} and body["detail"], body
