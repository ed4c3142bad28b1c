"""Aggregate reads about people. Special-category data leaves this module only as counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from difference.core.stats import Proportion, proportion, secondary_suppression, withhold
from difference.people.models import AgeBand, Demographics, Disability, EthnicGroup, Gender, Person


@dataclass(frozen=True)
class GroupShare:
    label: str
    share: Proportion


@dataclass(frozen=True)
class Breakdown:
    question: str
    answered: int
    groups: list[GroupShare]


_QUESTIONS = [
    ("gender", "Gender", Gender),
    ("ethnic_group", "Ethnic group", EthnicGroup),
    ("disability", "Disability", Disability),
    ("age_band", "Age band", AgeBand),
]


def diversity_breakdowns(people: QuerySet[Person]) -> list[Breakdown]:
    """Share of each answer among the people who answered, with small cells suppressed.

    The answers add up to the number who answered, which the page shows, so enough further answers (the smallest)
    are withheld that a suppressed one is not that number less the others.
    """
    rows = Demographics.objects.filter(person__in=people)
    result = []
    for field, question, choices in _QUESTIONS:
        counts = dict(rows.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
        answered = sum(counts.values())
        shares = {str(value): proportion(counts.get(value, 0), answered) for value in choices.values}
        withheld = {value: share.suppressed_reason for value, share in shares.items() if share.is_suppressed}
        cells = {value: share.numerator for value, share in shares.items()}
        secondary = secondary_suppression(cells, withheld, [list(cells)])
        groups = [
            GroupShare(str(label), withhold(shares[str(value)]) if str(value) in secondary else shares[str(value)])
            for value, label in choices.choices
        ]
        result.append(Breakdown(question, answered, groups))
    return result
