from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django import template

from difference.projects.analysis import analyse_projects
from difference.projects.imports import months_text
from difference.projects.models import Project

register = template.Library()


@register.filter
def years_months(months: Decimal | float | int | None) -> str:
    """A reading age held in months as tests print it: 115 → "9:07" (9 years 7 months)."""
    if months is None or months == "":
        return "—"
    return months_text(Decimal(months))


@register.filter
def get_field(form: object, name: str) -> object:
    """The bound field ``name`` of a form whose fields are made per row (an audit's statements)."""
    return form[name]  # type: ignore[index]


@register.filter
def count_of(result: object, name: str) -> str:
    """A pupil count of a project's analysis as the viewer may see it: the number, or why it is withheld."""
    return result.count_text(name)  # type: ignore[attr-defined]


@register.filter
def p_value(value: float | None) -> str:
    """A p-value to two decimals, as the platform prints every figure: "p = 0.03", or "p < 0.01" when smaller."""
    if value is None:
        return "p not computed"
    return "p < 0.01" if value < 0.01 else f"p = {value:.2f}"


@register.filter
def with_status(projects: Iterable[Project]) -> list[tuple[Project, str]]:
    """Each project of a list page with whether it is measured, or why not ("Not yet measured: one test round so
    far"), so that the list counts "not yet measured" as every other page does."""
    items = list(projects)
    return [(result.project, result.status.label) for result in analyse_projects(items)]
