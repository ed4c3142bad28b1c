"""The whole-school audit: completed at the start and at the end, compared statement by statement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from difference.projects import services
from difference.projects.models import AuditRating, AuditRound, Stage, Topic


def _ratings(template, value: int) -> dict[int, tuple[int, str]]:
    return {s.pk: (value, f"seen {value}") for section in template.sections.all() for s in section.statements.all()}


def test_completing_the_start_audit_stores_every_rating_and_moves_the_project_to_its_plan(world):
    project, template = world.projects["a1"], world.projects["template"]
    audit = services.audit_for(project, AuditRound.START)
    services.complete_audit(audit=audit, completed_on=dt.date(2022, 9, 20), ratings=_ratings(template, 2))
    assert AuditRating.objects.filter(audit=audit).count() == 3
    project.refresh_from_db()
    assert project.stage == Stage.PLAN


def test_a_rating_off_the_scale_stores_nothing(world):
    project, template = world.projects["a1"], world.projects["template"]
    audit = services.audit_for(project, AuditRound.START)
    ratings = _ratings(template, 2)
    ratings[next(iter(ratings))] = (9, "")
    with pytest.raises(ValidationError, match="Ratings run from 1 to 4"):
        services.complete_audit(audit=audit, completed_on=dt.date(2022, 9, 20), ratings=ratings)
    assert not AuditRating.objects.exists()


def test_the_comparison_shows_each_statements_change_and_each_sections_mean(world):
    project, template = world.projects["a1"], world.projects["template"]
    start = services.audit_for(project, AuditRound.START)
    services.complete_audit(audit=start, completed_on=dt.date(2022, 9, 20), ratings=_ratings(template, 1))
    end = services.audit_for(project, AuditRound.END)
    services.complete_audit(audit=end, completed_on=dt.date(2023, 7, 10), ratings=_ratings(template, 3))
    comparison = services.audit_comparison(project)
    rows = [row for section in comparison["sections"] for row in section["rows"]]
    assert [row["change"] for row in rows] == [2, 2, 2]
    assert {section["mean_end"] for section in comparison["sections"]} == {3.0}
    assert sum(section["improved"] for section in comparison["sections"]) == 3


def test_a_topic_without_a_template_says_so_instead_of_failing(world):
    project = world.projects["b1"]
    project.topic = Topic.INDUCTION
    with pytest.raises(ValidationError, match="no audit template for student induction"):
        services.audit_for(project, AuditRound.START)


def test_an_unknown_audit_round_is_refused(world):
    with pytest.raises(ValidationError, match="not an audit round"):
        services.audit_for(world.projects["a1"], "middle")
