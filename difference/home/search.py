"""Staff search: people, schools and applications found by one query, each kind within the searcher's scope.

Each kind is read through its own app's ``for_user`` and only when the searcher's role may see that part of the
platform at all (research staff, who read no person's record, find schools only). Results are links to pages the
searcher may open; the count says how many matched, the list shows the first few.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q

from difference.people.access import may_see_people
from difference.people.models import Person
from difference.recruitment.access import may_manage_recruitment
from difference.recruitment.models import Application
from difference.schools.access import may_browse_schools
from difference.schools.models import School

QUERY_MAX_LENGTH = 100
QUERY_MIN_LENGTH = 2
RESULTS_PER_KIND = 10
# Control characters mean nothing in a name and PostgreSQL refuses NUL in text: they are dropped, not an error.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search people, schools and applications",
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": f"Search for at most {QUERY_MAX_LENGTH} characters."},
    )

    def clean_q(self) -> str:
        return " ".join(_CONTROL.sub(" ", self.cleaned_data["q"]).split())


@dataclass(frozen=True)
class Hit:
    label: str
    detail: str
    url: str


@dataclass
class ResultGroup:
    kind: str
    total: int
    hits: list[Hit] = field(default_factory=list)


def search(user: Any, text: str) -> list[ResultGroup]:
    """The groups the user may search, each with its matches; nothing for a query too short to mean anything."""
    if len(text) < QUERY_MIN_LENGTH:
        return []
    groups = []
    if may_see_people(user):
        groups.append(_people(user, text))
    if may_browse_schools(user):
        groups.append(_schools(user, text))
    if may_manage_recruitment(user):
        groups.append(_applications(user, text))
    return groups


def _people(user: Any, text: str) -> ResultGroup:
    found = (
        Person.objects.for_user(user)
        .filter(_name_matches(text))
        .select_related("school")
        .order_by("last_name", "first_name", "pk")
    )
    return ResultGroup(
        kind="People",
        total=found.count(),
        hits=[
            Hit(
                person.full_name,
                ", ".join(filter(None, [person.email or "", person.school.name if person.school else ""])),
                person.get_absolute_url(),
            )
            for person in found[:RESULTS_PER_KIND]
        ],
    )


def _schools(user: Any, text: str) -> ResultGroup:
    condition = Q(name__icontains=text) | Q(postcode__iexact=text)
    if text.isdigit() and len(text) <= 9:  # URNs are six digits; a longer number is no URN (and overflows SQLite).
        condition |= Q(urn=int(text))
    found = School.objects.for_user(user).filter(condition).select_related("local_authority").order_by("name", "urn")
    return ResultGroup(
        kind="Schools",
        total=found.count(),
        hits=[
            Hit(
                school.name,
                f"URN {school.urn}" + (f", {school.local_authority.name}" if school.local_authority else ""),
                school.get_absolute_url(),
            )
            for school in found[:RESULTS_PER_KIND]
        ],
    )


def _applications(user: Any, text: str) -> ResultGroup:
    condition = Q(reference__iexact=text) | _name_matches(text, prefix="person__")
    found = (
        Application.objects.for_user(user)
        .filter(condition)
        .select_related("person", "recruitment_round")
        .order_by("-recruitment_round__year", "person__last_name", "pk")
    )
    return ResultGroup(
        kind="Applications",
        total=found.count(),
        hits=[
            Hit(
                f"{application.reference}: {application.person.full_name}",
                f"{application.recruitment_round}, {application.get_stage_display()}",
                application.get_absolute_url(),
            )
            for application in found[:RESULTS_PER_KIND]
        ],
    )


def _name_matches(text: str, *, prefix: str = "") -> Q:
    """Every word in a first name, last name or email: "lena leader" finds Lena Leader."""
    condition = Q()
    for word in text.split()[:5]:
        condition &= (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
        )
    return condition
