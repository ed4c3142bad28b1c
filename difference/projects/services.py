"""What the project pages change: audits, comments and the stage. Imports and test rounds are in ``imports``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from difference.projects.models import (
    Audit,
    AuditRating,
    AuditRound,
    AuditSection,
    AuditStatement,
    AuditTemplate,
    Comment,
    Project,
    Stage,
)


def audit_for(project: Project, round: str) -> Audit:
    """The project's audit for ``round``, made on first use from its topic's template."""
    if round not in AuditRound.values:
        raise ValidationError(f"“{round}” is not an audit round: the audit is done at the start and at the end.")
    existing = project.audits.select_related("template").filter(round=round).first()
    if existing is not None:
        return existing
    template = AuditTemplate.objects.filter(topic=project.topic).first()
    if template is None:
        raise ValidationError(f"There is no audit template for {project.get_topic_display().lower()} yet.")
    return Audit(project=project, template=template, round=round)


@transaction.atomic
def complete_audit(*, audit: Audit, ratings: dict[int, tuple[int, str]], completed_on: dt.date | None = None) -> Audit:
    """Store the ratings given, all at once; a rating off the template's scale, or a statement not in it, changes
    nothing. Without ``completed_on`` the audit keeps its date (today's when it has none)."""
    completed_on = completed_on or audit.completed_on or timezone.localdate()
    scale = audit.template.scale_max
    statements = set(AuditStatement.objects.filter(section__template=audit.template).values_list("pk", flat=True))
    faults = [f"Statement {pk} is not in {audit.template}." for pk in ratings if pk not in statements]
    if any(not 1 <= rating <= scale for rating, _ in ratings.values()):
        faults.append(f"Ratings run from 1 to {scale}.")
    if faults:
        raise ValidationError({"ratings": faults})
    if audit.project.starts_on and completed_on < audit.project.starts_on - dt.timedelta(days=366):
        raise ValidationError("The audit date is more than a year before the project starts.")
    audit.completed_on = completed_on
    audit.save()
    for statement_id, (rating, evidence) in ratings.items():
        AuditRating.objects.update_or_create(
            audit=audit, statement_id=statement_id, defaults={"rating": rating, "evidence": evidence}
        )
    project = audit.project
    # Completing the first audit moves a project out of topic training; the plan comes next.
    if audit.round == AuditRound.START and project.stage in (Stage.TRAINING, Stage.AUDIT):
        project.stage = Stage.PLAN
        project.save(update_fields=["stage", "updated_at"])
    return audit


def add_comment(*, project: Project, text: str, by: Any) -> Comment:
    return Comment.objects.create(project=project, text=text.strip(), author=by)


def audit_comparison(project: Project) -> dict[str, Any]:
    """Each statement's rating at the start and at the end, section by section, and the change in each section."""
    audits = {a.round: a for a in project.audits.select_related("template").prefetch_related("ratings")}
    start, end = audits.get(AuditRound.START), audits.get(AuditRound.END)
    done = start or end
    template = done.template if done is not None else AuditTemplate.objects.filter(topic=project.topic).first()
    if template is None:
        return {"template": None, "sections": [], "start": start, "end": end}
    ratings = {
        (rating.audit.round, rating.statement_id): rating
        for audit in (start, end)
        if audit is not None
        for rating in audit.ratings.all()
    }
    sections = []
    for section in template.sections.prefetch_related("statements"):
        rows: list[dict[str, Any]] = []
        for statement in section.statements.all():
            first = ratings.get((AuditRound.START, statement.pk))
            last = ratings.get((AuditRound.END, statement.pk))
            change = last.rating - first.rating if first and last else None
            evidence = (last.evidence if last else "") or (first.evidence if first else "")
            rows.append({"statement": statement, "start": first, "end": last, "change": change, "evidence": evidence})
        rated = [row for row in rows if row["change"] is not None]
        sections.append(
            {
                "section": section,
                "rows": rows,
                "mean_start": _mean([row["start"].rating for row in rows if row["start"]]),
                "mean_end": _mean([row["end"].rating for row in rows if row["end"]]),
                "improved": sum(1 for row in rated if row["change"] > 0),
                "rated": len(rated),
            }
        )
    return {"template": template, "labels": template.labels(), "sections": sections, "start": start, "end": end}


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


@transaction.atomic
def add_statement(*, template: AuditTemplate, section: str, text: str) -> AuditStatement:
    """A statement added to the section of that title (made, last, if the template has none yet)."""
    title = section.strip()
    found = template.sections.filter(title__iexact=title).first()
    if found is None:
        found = AuditSection.objects.create(template=template, title=title, position=template.sections.count())
    return AuditStatement.objects.create(section=found, text=text.strip(), position=found.statements.count())
