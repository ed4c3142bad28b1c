"""Stable matching of candidates (selected teachers) to vacancies (senior-leader posts in schools).

This is the many-to-one stable matching problem (college admissions, hospitals/residents), solved by
Gale and Shapley's deferred acceptance. Candidates rank vacancies, each vacancy (its school) ranks
candidates and has a number of posts; a candidate and a vacancy can only be matched when each has listed
the other. A matching is *stable* when no candidate and vacancy would both rather be together than keep
what they were given; deferred acceptance always finds one, and the side that proposes gets the best
stable outcome for itself (candidate-optimal or school-optimal).

Why pure Python with no Django: the engine is where correctness matters most and it is easiest to trust
when property tests can run it on thousands of random instances in seconds; the command-line tool and
the benchmark run it without settings or a database; and the data layer (which builds an ``Instance``
from the database) stays separate from the algorithm. Nothing here imports Django, and a test checks it.

Why a separate, deliberately naive stability check (``blocking_pairs``): a bug in the algorithm must not
be able to hide itself. Every run is checked from the definition of stability, so a stored result can
say "checked: no blocking pairs" independently of how it was produced.

Why explanations: people affected by an automated placement deserve to know why they got (or did not get)
a post. Every sentence states facts that follow from the inputs and the outcome ("filled its one post
with a candidate it ranked higher"), never a judgement, and each is also returned as structured reason
codes so tests can check every claim against the preferences.
"""

from __future__ import annotations

import heapq
import json
from collections import deque
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, get_args

Proposing = Literal["candidates", "schools"]
PROPOSING_SIDES: tuple[Proposing, ...] = get_args(Proposing)
Matching = dict[str, str | None]

# Enough of a bad instance's problems to fix the first ones without flooding a terminal or a form.
MAX_PROBLEMS_SHOWN = 20


# --- Input ----------------------------------------------------------------------------------------
class InstanceError(ValueError):
    """An instance the engine cannot use, with every problem found, in words a person can act on.

    ``problems`` holds one sentence per problem; the message is the single problem, or a count and a list,
    so a form or a command line can show it as it is.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(_summarise(self.problems))


def _summarise(problems: Sequence[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    shown = "\n".join(f"- {problem}" for problem in problems[:MAX_PROBLEMS_SHOWN])
    more = f"\n- … and {len(problems) - MAX_PROBLEMS_SHOWN} more" if len(problems) > MAX_PROBLEMS_SHOWN else ""
    return f"{len(problems)} problems in the instance:\n{shown}{more}"


def _quote(value: str) -> str:
    """An id as it would be typed in the JSON file, so quotes and odd characters are unambiguous."""
    return json.dumps(value, ensure_ascii=False)


def _describe(value: object) -> str:
    """A short JSON-flavoured description of a wrong value: ``true``, ``-1``, ``"2"``, ``a list``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _quote(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _check_id(kind: str, value: object, problems: list[str]) -> bool:
    if isinstance(value, str) and value:
        return True
    problems.append(f"{kind} ids must be non-empty strings, got {_describe(value)}.")
    return False


def _check_ids(
    owner: str, what: str, verb: str, kind: str, items: object, known: Container[str], problems: list[str]
) -> tuple[str, ...] | None:
    """The ids of one preference list or ranking, or None if it is not a list; problems go to ``problems``.

    ``owner``, ``what`` and ``verb`` make the sentences: 'Candidate "c1" lists unknown vacancy "v9".',
    'Vacancy "v1": ranking must be a list of candidate ids, got a string.'
    """
    if not isinstance(items, list | tuple):
        problems.append(f"{owner}: {what} must be a list of {kind} ids, got {_describe(items)}.")
        return None
    seen: set[str] = set()
    valid: list[str] = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, str):
            problems.append(f"{owner}: item {position} must be a {kind} id (a string), got {_describe(item)}.")
        elif item in seen:
            problems.append(f"{owner} {verb} {kind} {_quote(item)} more than once.")
        else:
            seen.add(item)
            if item in known:
                valid.append(item)
            else:
                problems.append(f"{owner} {verb} unknown {kind} {_quote(item)}.")
    return tuple(valid)


def _check_capacity(vacancy: str, value: object, problems: list[str]) -> int | None:
    # bool is a subclass of int in Python, but `"capacity": true` is a mistake, not one post.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    problems.append(f"Vacancy {_quote(vacancy)}: capacity must be a non-negative integer, got {_describe(value)}.")
    return None


@dataclass(frozen=True)
class Instance:
    """Who ranks whom, and how many posts each vacancy has; validated and indexed once when built.

    ``preferences``: candidate id → vacancy ids, best first. ``capacities``: vacancy id → posts.
    ``rankings``: vacancy id → candidate ids, best first. A pair is acceptable only if each lists the
    other. Building one (directly or with ``parse_instance``) checks every id and capacity and raises
    ``InstanceError``; lists are copied into tuples so an instance cannot change under a running match.
    The ``*_ranks`` dicts give 0-based positions (lower is better) in O(1), which every part of the engine
    needs in its inner loop.
    """

    preferences: dict[str, tuple[str, ...]]
    capacities: dict[str, int]
    rankings: dict[str, tuple[str, ...]]
    # candidate → vacancy → position in the candidate's list (0 = first choice).
    candidate_ranks: dict[str, dict[str, int]] = field(init=False, repr=False, compare=False)
    # vacancy → candidate → position in the vacancy's ranking (0 = ranked first).
    vacancy_ranks: dict[str, dict[str, int]] = field(init=False, repr=False, compare=False)
    # candidate → the vacancies that also ranked them, best first: what the candidate can actually get.
    acceptable_vacancies: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    # vacancy → the candidates who also listed it, best first.
    acceptable_candidates: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    # vacancy → every candidate who listed it (acceptable to the school or not), in candidate order.
    applicants: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems: list[str] = []
        candidates = [c for c in self.preferences if _check_id("Candidate", c, problems)]
        vacancy_keys = list(self.capacities) + [v for v in self.rankings if v not in self.capacities]
        vacancies = [v for v in vacancy_keys if _check_id("Vacancy", v, problems)]
        for vacancy in vacancies:
            if vacancy not in self.rankings:
                problems.append(f"Vacancy {_quote(vacancy)} has a capacity but no ranking.")
            elif vacancy not in self.capacities:
                problems.append(f"Vacancy {_quote(vacancy)} has a ranking but no capacity.")
        known_candidates, known_vacancies = set(candidates), set(vacancies)
        checked_preferences = {
            c: _check_ids(
                f"Candidate {_quote(c)}",
                "preferences",
                "lists",
                "vacancy",
                self.preferences[c],
                known_vacancies,
                problems,
            )
            for c in candidates
        }
        checked_capacities = {
            v: _check_capacity(v, self.capacities[v], problems) for v in vacancies if v in self.capacities
        }
        checked_rankings = {
            v: _check_ids(
                f"Vacancy {_quote(v)}", "ranking", "ranks", "candidate", self.rankings[v], known_candidates, problems
            )
            for v in vacancies
            if v in self.rankings
        }
        if problems:
            raise InstanceError(problems)
        # No problems, so nothing above is None; the comprehensions only narrow the types.
        preferences = {c: vs for c, vs in checked_preferences.items() if vs is not None}
        rankings = {v: cs for v, cs in checked_rankings.items() if cs is not None}
        set_ = object.__setattr__  # frozen: the only way to fill the derived fields
        set_(self, "preferences", preferences)
        set_(self, "capacities", {v: c for v, c in checked_capacities.items() if c is not None})
        set_(self, "rankings", rankings)
        candidate_ranks = {c: {v: i for i, v in enumerate(vs)} for c, vs in preferences.items()}
        vacancy_ranks = {v: {c: i for i, c in enumerate(cs)} for v, cs in rankings.items()}
        set_(self, "candidate_ranks", candidate_ranks)
        set_(self, "vacancy_ranks", vacancy_ranks)
        set_(
            self,
            "acceptable_vacancies",
            {c: tuple(v for v in vs if c in vacancy_ranks[v]) for c, vs in preferences.items()},
        )
        set_(
            self,
            "acceptable_candidates",
            {v: tuple(c for c in cs if v in candidate_ranks[c]) for v, cs in rankings.items()},
        )
        applicants: dict[str, list[str]] = {v: [] for v in rankings}
        for candidate, listed in preferences.items():
            for vacancy in listed:
                applicants[vacancy].append(candidate)
        set_(self, "applicants", {v: tuple(cs) for v, cs in applicants.items()})

    def acceptable(self, candidate: str, vacancy: str) -> bool:
        """True when the candidate listed the vacancy and the vacancy ranked the candidate."""
        return vacancy in self.candidate_ranks.get(candidate, {}) and candidate in self.vacancy_ranks.get(vacancy, {})


def parse_instance(data: object) -> Instance:
    """An ``Instance`` from decoded JSON, or ``InstanceError`` naming every problem found.

    The shape is ``{"candidates": {"<id>": ["<vacancy id>", …]},
    "vacancies": {"<id>": {"capacity": <int>, "ranking": ["<candidate id>", …]}}}``. Other keys are
    ignored, so a file may carry notes. All problems are collected, not just the first, so a person
    fixing a file by hand sees them all at once.
    """
    if not isinstance(data, dict):
        raise InstanceError(
            f'The instance must be a JSON object with "candidates" and "vacancies", got {_describe(data)}.'
        )
    missing = [key for key in ("candidates", "vacancies") if key not in data]
    if missing:
        raise InstanceError(f"The instance is missing {' and '.join(_quote(key) for key in missing)}.")
    raw_candidates, raw_vacancies = data["candidates"], data["vacancies"]
    if not isinstance(raw_candidates, dict) or not isinstance(raw_vacancies, dict):
        shape_problems = []
        if not isinstance(raw_candidates, dict):
            shape_problems.append(
                '"candidates" must be an object mapping each candidate id to a list of vacancy ids, '
                f"got {_describe(raw_candidates)}."
            )
        if not isinstance(raw_vacancies, dict):
            shape_problems.append(
                '"vacancies" must be an object mapping each vacancy id to {"capacity": …, "ranking": […]}, '
                f"got {_describe(raw_vacancies)}."
            )
        raise InstanceError(shape_problems)
    problems: list[str] = []
    candidate_ids = {c for c in raw_candidates if _check_id("Candidate", c, problems)}
    vacancy_ids = {v for v in raw_vacancies if _check_id("Vacancy", v, problems)}
    preferences: dict[str, tuple[str, ...]] = {}
    for candidate, listed in raw_candidates.items():
        if candidate not in candidate_ids:
            continue
        owner = f"Candidate {_quote(candidate)}"
        checked = _check_ids(owner, "preferences", "lists", "vacancy", listed, vacancy_ids, problems)
        if checked is not None:
            preferences[candidate] = checked
    capacities: dict[str, int] = {}
    rankings: dict[str, tuple[str, ...]] = {}
    for vacancy, spec in raw_vacancies.items():
        if vacancy not in vacancy_ids:
            continue
        name = f"Vacancy {_quote(vacancy)}"
        if not isinstance(spec, dict):
            problems.append(f'{name} must be an object with "capacity" and "ranking", got {_describe(spec)}.')
            continue
        for key in ("capacity", "ranking"):
            if key not in spec:
                problems.append(f"{name} is missing {_quote(key)}.")
        if "capacity" in spec:
            capacity = _check_capacity(vacancy, spec["capacity"], problems)
            if capacity is not None:
                capacities[vacancy] = capacity
        if "ranking" in spec:
            checked = _check_ids(name, "ranking", "ranks", "candidate", spec["ranking"], candidate_ids, problems)
            if checked is not None:
                rankings[vacancy] = checked
    if problems:
        raise InstanceError(problems)
    return Instance(preferences=preferences, capacities=capacities, rankings=rankings)


# --- Deferred acceptance --------------------------------------------------------------------------
def match(instance: Instance, proposing: Proposing = "candidates") -> Matching:
    """The stable matching that is best for the proposing side: candidate id → vacancy id or None.

    ``"candidates"``: candidates propose, so every candidate gets the best vacancy they can have in any
    stable matching (and, as a bonus, no candidate can gain by misreporting their preferences).
    ``"schools"``: vacancies propose, so each gets the best set of candidates it can have in any stable
    matching. By the rural hospitals theorem both place the same candidates and fill each vacancy to
    the same number. Every candidate of the instance is a key, in the instance's order.
    """
    if proposing == "candidates":
        return _candidates_propose(instance)
    if proposing == "schools":
        return _schools_propose(instance)
    raise ValueError(f"proposing must be one of {', '.join(PROPOSING_SIDES)}, got {proposing!r}.")


def _candidates_propose(instance: Instance) -> Matching:
    """Each free candidate proposes to their next acceptable vacancy; a full vacancy keeps its best.

    Each vacancy keeps a max-heap (by its ranking) of the candidates it holds, so displacing the worst is
    O(log posts); every candidate proposes to each vacancy at most once, so the whole run is
    O(pairs × log posts).
    """
    vacancy_ranks = instance.vacancy_ranks
    capacities = instance.capacities
    options = instance.acceptable_vacancies
    held: dict[str, list[tuple[int, str]]] = {v: [] for v in capacities}  # (-rank, candidate): worst on top
    next_option = dict.fromkeys(instance.preferences, 0)
    free = list(reversed(instance.preferences))  # the order of proposals does not change the outcome
    while free:
        candidate = free.pop()
        listed = options[candidate]
        position = next_option[candidate]
        while position < len(listed):
            vacancy = listed[position]
            position += 1
            capacity = capacities[vacancy]
            if capacity == 0:
                continue
            heap = held[vacancy]
            rank = vacancy_ranks[vacancy][candidate]
            if len(heap) < capacity:
                heapq.heappush(heap, (-rank, candidate))
                break
            if rank < -heap[0][0]:
                displaced = heapq.heapreplace(heap, (-rank, candidate))[1]
                free.append(displaced)
                break
        next_option[candidate] = position
    matching: Matching = dict.fromkeys(instance.preferences)
    for vacancy, heap in held.items():
        for _, candidate in heap:
            matching[candidate] = vacancy
    return matching


def _schools_propose(instance: Instance) -> Matching:
    """Each vacancy with free posts offers to its next acceptable candidate; a candidate keeps their best offer.

    A vacancy whose candidate leaves for a better offer goes back in the queue and offers further down
    its ranking. Every vacancy offers to each candidate at most once: O(pairs).
    """
    candidate_ranks = instance.candidate_ranks
    capacities = instance.capacities
    options = instance.acceptable_candidates
    holder: dict[str, str] = {}
    filled = dict.fromkeys(capacities, 0)
    next_option = dict.fromkeys(capacities, 0)
    queue = deque(v for v, capacity in capacities.items() if capacity > 0)
    while queue:
        vacancy = queue.popleft()
        listed = options[vacancy]
        capacity = capacities[vacancy]
        position = next_option[vacancy]
        while filled[vacancy] < capacity and position < len(listed):
            candidate = listed[position]
            position += 1
            current = holder.get(candidate)
            if current is None:
                holder[candidate] = vacancy
                filled[vacancy] += 1
            elif candidate_ranks[candidate][vacancy] < candidate_ranks[candidate][current]:
                holder[candidate] = vacancy
                filled[vacancy] += 1
                filled[current] -= 1
                queue.append(current)
        next_option[vacancy] = position
    return {candidate: holder.get(candidate) for candidate in instance.preferences}


# --- Checking a matching --------------------------------------------------------------------------
def _check_known(instance: Instance, matching: Mapping[str, str | None]) -> None:
    for candidate, vacancy in matching.items():
        if candidate not in instance.preferences:
            raise ValueError(f"The matching names unknown candidate {_quote(candidate)}.")
        if vacancy is not None and vacancy not in instance.capacities:
            raise ValueError(f"The matching gives candidate {_quote(candidate)} unknown vacancy {_quote(vacancy)}.")


def _check_feasible(instance: Instance, matching: Mapping[str, str | None]) -> None:
    """Known ids, acceptable pairs only, no vacancy over capacity: what any explanation presumes."""
    _check_known(instance, matching)
    counts = dict.fromkeys(instance.capacities, 0)
    for candidate, vacancy in matching.items():
        if vacancy is None:
            continue
        if not instance.acceptable(candidate, vacancy):
            raise ValueError(
                f"The matching places candidate {_quote(candidate)} at vacancy {_quote(vacancy)}, "
                "but they did not both list each other."
            )
        counts[vacancy] += 1
    for vacancy, count in counts.items():
        capacity = instance.capacities[vacancy]
        if count > capacity:
            raise ValueError(
                f"The matching places {count} candidates at vacancy {_quote(vacancy)}, "
                f"which has {capacity} post{'' if capacity == 1 else 's'}."
            )


def blocking_pairs(instance: Instance, matching: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """Every (candidate, vacancy) pair that would both rather be together than keep their outcome, sorted.

    Straight from the definition and on purpose independent of ``match`` (it uses only the raw lists,
    none of the engine's indexes), so a bug in one cannot hide in the other. A pair blocks when each lists
    the other, the candidate prefers the vacancy to their assignment (or is unmatched), and the vacancy has
    a free post or ranks the candidate above the worst candidate it was given. Candidates missing from
    ``matching`` count as unmatched; a candidate placed somewhere they did not list prefers any listed
    vacancy to it, and a vacancy given a candidate it did not rank prefers any ranked one.
    """
    _check_known(instance, matching)
    # Positions rebuilt here from the raw tuples rather than taken from the instance's indexes.
    prefers = {c: {v: i for i, v in enumerate(listed)} for c, listed in instance.preferences.items()}
    ranks = {v: {c: i for i, c in enumerate(ranking)} for v, ranking in instance.rankings.items()}
    assigned: dict[str, list[str]] = {v: [] for v in instance.capacities}
    for candidate, vacancy in matching.items():
        if vacancy is not None:
            assigned[vacancy].append(candidate)
    unranked = len(instance.preferences)  # worse than any position in any ranking
    worst_held = {v: max((ranks[v].get(c, unranked) for c in held), default=-1) for v, held in assigned.items()}
    pairs: list[tuple[str, str]] = []
    for candidate, listed in instance.preferences.items():
        current = matching.get(candidate)
        current_position = prefers[candidate].get(current, len(listed)) if current is not None else len(listed)
        for vacancy in listed[:current_position]:
            position = ranks[vacancy].get(candidate)
            if position is None:
                continue
            if len(assigned[vacancy]) < instance.capacities[vacancy] or (
                assigned[vacancy] and position < worst_held[vacancy]
            ):
                pairs.append((candidate, vacancy))
    return sorted(pairs)


# --- Explanations ---------------------------------------------------------------------------------
class CandidateReason(StrEnum):
    """Why a candidate is not at a vacancy they listed above their outcome (one per such vacancy).

    The first three are all a stable matching can produce; the last two only describe unstable ones.
    """

    NO_POSTS = "no_posts"  # the vacancy has capacity 0
    NOT_ACCEPTABLE = "not_acceptable"  # the vacancy did not rank the candidate
    FILLED_HIGHER = "filled_higher"  # full, and every candidate it holds is ranked above this one
    FREE_POST = "free_post"  # unstable: ranked the candidate and still has a free post
    RANKED_YOU_HIGHER = "ranked_you_higher"  # unstable: full, but holds someone ranked below this candidate


class VacancyReason(StrEnum):
    """Why a candidate linked to an under-filled vacancy is not there (one per candidate concerned).

    Given for every candidate who listed the vacancy or whom it ranked, except those placed there; only
    for vacancies with at least one post and fewer candidates than posts.
    """

    NOT_RANKED = "not_ranked"  # the candidate listed the vacancy; the vacancy did not rank them
    DID_NOT_LIST = "did_not_list"  # the vacancy ranked the candidate, who did not list it
    PREFERRED_OTHER = "preferred_other"  # they listed each other; the candidate got a vacancy they put higher
    LEFT_OUT = "left_out"  # unstable: listed each other, yet the candidate is unmatched or got a lower choice


CandidateStatus = Literal["matched", "unmatched", "no_preferences"]


@dataclass(frozen=True)
class CandidateExplanation:
    """One candidate's outcome: ``reasons`` holds (vacancy, reason) for each vacancy they put higher.

    ``choice`` is 1 for a first choice. For an unmatched candidate ``reasons`` covers every vacancy they
    listed; for a matched one, every vacancy listed above the one they got, in their order.
    """

    candidate: str
    status: CandidateStatus
    vacancy: str | None
    choice: int | None
    reasons: tuple[tuple[str, CandidateReason], ...]
    text: str


@dataclass(frozen=True)
class VacancyExplanation:
    """One vacancy's outcome: ``filled`` in its ranking order, ``reasons`` as (candidate, reason).

    ``reasons`` is empty when every post is filled or there are none; otherwise it covers every candidate
    who listed the vacancy or whom it ranked and who is not placed there (ranked ones in ranking order,
    then the others in the instance's order).
    """

    vacancy: str
    capacity: int
    filled: tuple[str, ...]
    reasons: tuple[tuple[str, VacancyReason], ...]
    text: str


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th, 112th."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@dataclass(frozen=True)
class _Outcome:
    """The facts the explanations are built from, computed once for the whole matching."""

    assigned: dict[str, list[str]]  # vacancy → its candidates, in its ranking order
    worst: dict[str, int]  # vacancy → ranking position of the worst candidate it holds (-1: none)

    @classmethod
    def of(cls, instance: Instance, matching: Mapping[str, str | None]) -> _Outcome:
        assigned: dict[str, list[str]] = {v: [] for v in instance.capacities}
        for candidate, vacancy in matching.items():
            if vacancy is not None:
                assigned[vacancy].append(candidate)
        for vacancy, holders in assigned.items():
            holders.sort(key=instance.vacancy_ranks[vacancy].__getitem__)
        worst = {v: instance.vacancy_ranks[v][holders[-1]] if holders else -1 for v, holders in assigned.items()}
        return cls(assigned, worst)


def _candidate_reason(instance: Instance, outcome: _Outcome, candidate: str, vacancy: str) -> CandidateReason:
    """Why ``candidate`` is not at ``vacancy``, which they put above their outcome; first true fact wins."""
    capacity = instance.capacities[vacancy]
    if capacity == 0:
        return CandidateReason.NO_POSTS
    rank = instance.vacancy_ranks[vacancy].get(candidate)
    if rank is None:
        return CandidateReason.NOT_ACCEPTABLE
    if len(outcome.assigned[vacancy]) < capacity:
        return CandidateReason.FREE_POST
    if outcome.worst[vacancy] < rank:
        return CandidateReason.FILLED_HIGHER
    return CandidateReason.RANKED_YOU_HIGHER


def _candidate_phrase(reason: CandidateReason, capacity: int) -> str:
    if reason is CandidateReason.NO_POSTS:
        return "had no posts to fill"
    if reason is CandidateReason.NOT_ACCEPTABLE:
        return "did not list you as acceptable"
    if reason is CandidateReason.FILLED_HIGHER:
        if capacity == 1:
            return "filled its one post with a candidate it ranked higher"
        return f"filled its {capacity} posts with candidates it ranked higher"
    if reason is CandidateReason.FREE_POST:
        return "listed you and had a post left unfilled (this result is not stable)"
    return "took a candidate it ranked below you (this result is not stable)"


def explain_candidates(
    instance: Instance, matching: Mapping[str, str | None], labels: Mapping[str, str] | None = None
) -> dict[str, CandidateExplanation]:
    """A structured explanation for every candidate of the instance, in its order.

    ``matching`` must be feasible (known ids, acceptable pairs, no vacancy over capacity: ``ValueError``
    otherwise) but need not be stable: reasons that only an unstable matching can produce say so.
    """
    _check_feasible(instance, matching)
    return _explain_candidates(instance, matching, _Outcome.of(instance, matching), labels or {})


def _explain_candidates(
    instance: Instance, matching: Mapping[str, str | None], outcome: _Outcome, labels: Mapping[str, str]
) -> dict[str, CandidateExplanation]:
    return {c: _explain_candidate(instance, outcome, matching.get(c), c, labels) for c in instance.preferences}


def _explain_candidate(
    instance: Instance, outcome: _Outcome, vacancy: str | None, candidate: str, labels: Mapping[str, str]
) -> CandidateExplanation:
    listed = instance.preferences[candidate]
    if not listed:
        return CandidateExplanation(
            candidate, "no_preferences", None, None, (), "Not matched: you ranked no vacancies."
        )
    above = listed if vacancy is None else listed[: instance.candidate_ranks[candidate][vacancy]]
    reasons = tuple((v, _candidate_reason(instance, outcome, candidate, v)) for v in above)
    phrases = [
        (ordinal(position), labels.get(v, v), _candidate_phrase(reason, instance.capacities[v]))
        for position, (v, reason) in enumerate(reasons, start=1)
    ]
    if vacancy is None:
        text = "Not matched. " + "; ".join(f"{name} (your {nth} choice) {phrase}" for nth, name, phrase in phrases)
        return CandidateExplanation(candidate, "unmatched", None, None, reasons, text + ".")
    choice = len(above) + 1
    sentences = [f"Matched to your {ordinal(choice)} choice, {labels.get(vacancy, vacancy)}."]
    sentences += [f"Your {nth} choice, {name}, {phrase}." for nth, name, phrase in phrases]
    return CandidateExplanation(candidate, "matched", vacancy, choice, reasons, " ".join(sentences))


def explain_vacancies(
    instance: Instance, matching: Mapping[str, str | None], labels: Mapping[str, str] | None = None
) -> dict[str, VacancyExplanation]:
    """A structured explanation for every vacancy of the instance, in its order (see ``explain_candidates``)."""
    _check_feasible(instance, matching)
    return _explain_vacancies(instance, matching, _Outcome.of(instance, matching), labels or {})


def _explain_vacancies(
    instance: Instance, matching: Mapping[str, str | None], outcome: _Outcome, labels: Mapping[str, str]
) -> dict[str, VacancyExplanation]:
    return {v: _explain_vacancy(instance, outcome, matching, v, labels) for v in instance.capacities}


def _explain_vacancy(
    instance: Instance,
    outcome: _Outcome,
    matching: Mapping[str, str | None],
    vacancy: str,
    labels: Mapping[str, str],
) -> VacancyExplanation:
    capacity = instance.capacities[vacancy]
    filled = tuple(outcome.assigned[vacancy])
    if capacity == 0:
        return VacancyExplanation(vacancy, 0, filled, (), "No posts to fill.")
    head = f"{len(filled)} of {capacity} post{'' if capacity == 1 else 's'} filled."
    if len(filled) >= capacity:
        return VacancyExplanation(vacancy, capacity, filled, (), head)

    def name(candidate: str) -> str:
        return labels.get(candidate, candidate)

    def placed(candidate: str) -> str:
        elsewhere = matching.get(candidate)
        if elsewhere is None:
            return f"{name(candidate)} (not matched)"
        choice = instance.candidate_ranks[candidate][elsewhere] + 1
        return f"{name(candidate)} (matched to their {ordinal(choice)} choice, {labels.get(elsewhere, elsewhere)})"

    here = set(filled)
    reasons: list[tuple[str, VacancyReason]] = []
    for candidate in instance.rankings[vacancy]:
        if candidate in here:
            continue
        own = instance.candidate_ranks[candidate]
        if vacancy not in own:
            reasons.append((candidate, VacancyReason.DID_NOT_LIST))
            continue
        elsewhere = matching.get(candidate)
        better = elsewhere is not None and own[elsewhere] < own[vacancy]
        reasons.append((candidate, VacancyReason.PREFERRED_OTHER if better else VacancyReason.LEFT_OUT))
    ranked = instance.vacancy_ranks[vacancy]
    reasons += [(c, VacancyReason.NOT_RANKED) for c in instance.applicants[vacancy] if c not in ranked]

    def of(kind: VacancyReason) -> list[str]:
        return [c for c, reason in reasons if reason is kind]

    preferred, left_out = of(VacancyReason.PREFERRED_OTHER), of(VacancyReason.LEFT_OUT)
    not_ranked, did_not_list = of(VacancyReason.NOT_RANKED), of(VacancyReason.DID_NOT_LIST)
    other = " other" if filled else ""
    clauses: list[str] = []
    if not (preferred or left_out or not_ranked):
        clauses.append(f"no{other} candidate ranked this post")
    elif not (preferred or left_out):
        clauses.append(
            f"no{other} candidate who ranked this post was acceptable to the school "
            f"(not ranked by it: {', '.join(map(name, not_ranked))})"
        )
    else:
        if preferred:
            clauses.append(f"candidates it ranked preferred and got other posts: {', '.join(map(placed, preferred))}")
        if left_out:
            clauses.append(
                "candidates who ranked this post and whom it ranked were not placed here: "
                f"{', '.join(map(placed, left_out))} (this result is not stable)"
            )
        if not_ranked:
            clauses.append(
                f"candidates who ranked this post but were not ranked by it: {', '.join(map(name, not_ranked))}"
            )
    if did_not_list:
        clauses.append(f"candidates it ranked who did not rank this post: {', '.join(map(name, did_not_list))}")
    text = f"{head} Unfilled because: {'; '.join(clauses)}."
    return VacancyExplanation(vacancy, capacity, filled, tuple(reasons), text)


def explain(
    instance: Instance, matching: Mapping[str, str | None], labels: Mapping[str, str] | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Plain-English explanations: (candidate id → text, vacancy id → text), for everyone in the instance.

    ``labels`` maps ids to display names (an id without a label is shown as itself). The structured
    facts behind each sentence are in ``explain_candidates`` and ``explain_vacancies``.
    """
    _check_feasible(instance, matching)
    outcome = _Outcome.of(instance, matching)
    candidates = _explain_candidates(instance, matching, outcome, labels or {})
    vacancies = _explain_vacancies(instance, matching, outcome, labels or {})
    return {c: e.text for c, e in candidates.items()}, {v: e.text for v, e in vacancies.items()}


# --- One run, comparisons, output -----------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    """A matching with its independent stability check and every explanation, ready to store or print."""

    matching: Matching
    proposing: Proposing
    blocking_pairs: list[tuple[str, str]]
    candidate_explanations: dict[str, str]
    vacancy_explanations: dict[str, str]

    @property
    def stable(self) -> bool:
        return not self.blocking_pairs


def run(instance: Instance, proposing: Proposing = "candidates", labels: Mapping[str, str] | None = None) -> Result:
    """Match, check the result for blocking pairs from scratch, and explain every outcome."""
    matching = match(instance, proposing)
    candidate_texts, vacancy_texts = explain(instance, matching, labels)
    return Result(matching, proposing, blocking_pairs(instance, matching), candidate_texts, vacancy_texts)


def differences(
    before: Mapping[str, str | None], after: Mapping[str, str | None]
) -> list[tuple[str, str | None, str | None]]:
    """(candidate, before, after) for every candidate whose outcome changed, sorted by candidate id.

    A candidate present in only one of the two counts as changed (they joined or left the round), with
    None on the side they are missing from, even if their outcome there was None too.
    """
    changed = []
    for candidate in sorted(before.keys() | after.keys()):
        if candidate not in before or candidate not in after or before[candidate] != after[candidate]:
            changed.append((candidate, before.get(candidate), after.get(candidate)))
    return changed


def result_to_json(result: Result) -> dict[str, object]:
    """The result as JSON-ready data; pairs become two-item lists, as JSON has no tuples."""
    return {
        "proposing": result.proposing,
        "matching": dict(result.matching),
        "blocking_pairs": [[candidate, vacancy] for candidate, vacancy in result.blocking_pairs],
        "explanations": dict(result.candidate_explanations),
        "vacancy_explanations": dict(result.vacancy_explanations),
    }
