"""A placement round's vacancies and candidates as files, for the staff who run the round."""

from __future__ import annotations

from typing import Any

from difference.core.exports import Cell
from difference.core.lists import Export


def _vacancy_row(vacancy: Any) -> list[Cell]:
    return [
        vacancy.pk,
        vacancy.school.name,
        vacancy.school.urn,
        vacancy.title,
        vacancy.get_setting_type_display(),
        vacancy.test_and_learn,
        vacancy.get_focus_display(),
        vacancy.posts,
        vacancy.starts_on,
        getattr(vacancy, "ranked_by", None),
        vacancy.get_status_display(),
    ]


def _candidate_row(candidate: Any) -> list[Cell]:
    person = candidate.person
    return [person.first_name, person.last_name, person.email, getattr(candidate, "choices", None), candidate.regions]


# Both querysets must be the round page's (``queries.round_overview``): related rows selected, counts annotated.
VACANCY_EXPORT = Export(
    name="vacancies",
    header=(
        "No.",
        "School",
        "URN",
        "Post",
        "Setting",
        "Test and learn",
        "Focus",
        "Posts",
        "Starts",
        "Ranked by",
        "Status",
    ),
    row=_vacancy_row,
)
CANDIDATE_EXPORT = Export(
    name="candidates",
    header=("First name", "Last name", "Email", "Choices ranked", "Regions"),
    row=_candidate_row,
)
ROUND_EXPORTS = {"vacancies": VACANCY_EXPORT, "candidates": CANDIDATE_EXPORT}
