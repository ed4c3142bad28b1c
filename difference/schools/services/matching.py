"""Matching school names as people write them against the registry's schools."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from difference.schools.models import School, SchoolLink

# Link types after which the school itself no longer exists. "Successor - Split School" is not one: the school
# that splits off part of itself stays open (Haberdashers' Hatcham College kept its URN when its primary split).
CLOSING_LINK_TYPES = ("Successor", "Successor - merged", "Successor - amalgamated")


# --- Matching names -----------------------------------------------------------------------------------------


def normalise_school_name(name: str) -> str:
    """The form names are compared in: casefolded, no brackets or punctuation, "&" as "and", no leading "the".

    "PRU" is spelt out, as GIAS mostly does ("Francis Barber PRU" is "Francis Barber Pupil Referral Unit").
    """
    text = re.sub(r"\([^)]*\)", " ", name.casefold())
    text = text.replace("&", " and ")
    text = re.sub(r"['’‘`]", "", text)
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    text = re.sub(r"\bpru\b", "pupil referral unit", text)
    return text.removeprefix("the ")


@dataclass(frozen=True)
class _Candidate:
    school_id: int
    urn: int
    name: str  # normalised
    local_authority: str  # normalised
    is_open: bool


class _NameIndex:
    """Every registry school's normalised name, and the GIAS links between them."""

    def __init__(self) -> None:
        closing = SchoolLink.objects.filter(link_type__in=CLOSING_LINK_TYPES).values_list("school__urn", "linked_urn")
        self.successors: dict[int, set[int]] = {}
        for urn, linked_urn in closing:
            self.successors.setdefault(urn, set()).add(linked_urn)
        self.neighbours: dict[int, set[int]] = {}
        for urn, linked_urn in SchoolLink.objects.values_list("school__urn", "linked_urn"):
            self.neighbours.setdefault(urn, set()).add(linked_urn)
            self.neighbours.setdefault(linked_urn, set()).add(urn)
        rows = School.objects.values_list("id", "urn", "name", "status", "local_authority__name")
        self.candidates = [
            _Candidate(
                school_id=school_id,
                urn=urn,
                name=normalise_school_name(name),
                local_authority=normalise_school_name(la_name or ""),
                # GIAS's status when an extract has given one; otherwise a school with a successor has closed.
                is_open=status.casefold().startswith("open") if status else urn not in self.successors,
            )
            for school_id, urn, name, status, la_name in rows
        ]
        self.by_urn = {c.urn: c for c in self.candidates}
        self.by_name: dict[str, list[_Candidate]] = {}
        for candidate in self.candidates:
            self.by_name.setdefault(candidate.name, []).append(candidate)
        self.la_names = sorted({c.local_authority for c in self.candidates if c.local_authority}, key=len, reverse=True)

    def match(self, wanted: str) -> _Candidate | None:
        words = set(wanted.split())
        # (finder, whether several schools may share the name): only for a whole-name match may the one open
        # school win over closed namesakes; a partial match must point at one school or none.
        tiers: list[tuple[Callable[[], list[_Candidate]], bool]] = [
            (lambda: self.by_name.get(wanted, []), True),
            (lambda: self._within_local_authority(wanted), True),
            (lambda: [c for c in self.candidates if c.name.startswith(wanted + " ")], False),
            (lambda: [c for c in self.candidates if f" {wanted} " in f" {c.name} "], False),
            (lambda: [c for c in self.candidates if len(words) > 1 and words <= set(c.name.split())], False),
        ]
        for find, namesakes_allowed in tiers:
            found = find()
            if found:
                chosen = self._one_school(found, namesakes_allowed=namesakes_allowed)
                return self._current(chosen) if chosen else None
        return None

    def _within_local_authority(self, wanted: str) -> list[_Candidate]:
        # "Educational Diversity Blackpool": the charity adds the place when the name alone is not distinctive.
        for la_name in self.la_names:
            if wanted.endswith(" " + la_name):
                stem = wanted.removesuffix(" " + la_name)
                return [c for c in self.by_name.get(stem, []) if c.local_authority == la_name]
        return []

    def _one_school(self, found: list[_Candidate], *, namesakes_allowed: bool) -> _Candidate | None:
        # Candidates joined by links are one school's successive URNs: each such group counts once, as its
        # open or else latest URN.
        by_urn = {c.urn: c for c in found}
        groups: list[list[_Candidate]] = []
        seen: set[int] = set()
        for candidate in found:
            if candidate.urn in seen:
                continue
            group, stack = [], [candidate.urn]
            seen.add(candidate.urn)
            while stack:
                urn = stack.pop()
                group.append(by_urn[urn])
                for other in (self.neighbours.get(urn, set()) & by_urn.keys()) - seen:
                    seen.add(other)
                    stack.append(other)
            groups.append(group)
        representatives = [max(group, key=lambda c: (c.is_open, c.urn)) for group in groups]
        if len(representatives) == 1:
            return representatives[0]
        open_ones = [c for c in representatives if c.is_open]
        return open_ones[0] if namesakes_allowed and len(open_ones) == 1 else None

    def _current(self, candidate: _Candidate) -> _Candidate:
        # A closed school's single successor is the same school today (The Boxing Academy, an independent
        # school, reopened as "The Boxing Academy AP Free School"); a split or several successors stop here.
        seen = {candidate.urn}
        while not candidate.is_open:
            successors = self.successors.get(candidate.urn, set())
            if len(successors) != 1:
                break
            successor = self.by_urn.get(next(iter(successors)))
            if successor is None or successor.urn in seen:
                break
            seen.add(successor.urn)
            candidate = successor
        return candidate


def match_school_names(names: list[str]) -> tuple[dict[str, School], list[str]]:
    """Match names as people write them (the charity's partner lists) to registry schools.

    Tries, in turn, stopping at the first that finds anyone: the same normalised name; the name less a trailing
    LA name, within that LA; names starting with it; names containing it; names containing all its words.
    Schools sharing a whole name: the only open one wins. A partial match must be one school (counting a
    school's successive, linked URNs once) or nothing. A closed school gives way to its single successor.
    Anything else is returned unmatched rather than guessed.
    """
    index = _NameIndex()
    matched_ids: dict[str, int] = {}
    unmatched: list[str] = []
    for raw in names:
        wanted = normalise_school_name(raw)
        chosen = index.match(wanted) if wanted else None
        if chosen is None:
            unmatched.append(raw)
        else:
            matched_ids[raw] = chosen.school_id
    schools = School.objects.select_related("local_authority", "trust").in_bulk(set(matched_ids.values()))
    return {raw: schools[school_id] for raw, school_id in matched_ids.items()}, unmatched
