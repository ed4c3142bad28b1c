"""The matching engine: stability, optimality and the explanations, on hand-made and random instances.

No database: the engine is pure Python. Random instances come in two kinds: small ones drawn piece by
piece (they shrink to readable counterexamples) and larger ones, up to 50 × 50, built from a drawn seed
(drawing 2,500 list items one by one would be slow and overrun Hypothesis's buffer). Optimality is
checked against a brute-force enumeration of every stable matching of instances up to 6 × 6.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from difference.placements.matching import (
    PROPOSING_SIDES,
    CandidateExplanation,
    CandidateReason,
    Instance,
    InstanceError,
    VacancyExplanation,
    VacancyReason,
    blocking_pairs,
    differences,
    explain,
    explain_candidates,
    explain_vacancies,
    match,
    ordinal,
    parse_instance,
    result_to_json,
    run,
)

ROOT = Path(__file__).resolve().parents[3]
PROPERTIES = settings(max_examples=200, deadline=None)
BRUTE_FORCE = settings(max_examples=300, deadline=None)


# --- Random instances -----------------------------------------------------------------------------
def _ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{n}" for n in range(count)]


def _subsets_of(items: list[str]) -> st.SearchStrategy[list[str]]:
    """A random subset in random order."""
    return st.lists(st.sampled_from(items), unique=True, max_size=len(items)) if items else st.just([])


def _size(most: int, often: int) -> st.SearchStrategy[int]:
    """0 to ``most``, but ``often`` to ``most`` half the time: Hypothesis favours small numbers, and the
    largest instances are those with rivalry (several stable matchings) and long runs."""
    return st.integers(0, most) | st.integers(often, most)


@st.composite
def small_instances(draw: st.DrawFn, max_candidates: int = 6, max_vacancies: int = 6) -> Instance:
    """Every list drawn item by item, so failures shrink to a readable example; capacities 0–4.

    Half the instances have complete lists and one post per vacancy: the rivalry that makes several
    stable matchings (and so gives the optimality tests something to choose between).
    """
    candidates = _ids("c", draw(_size(max_candidates, max_candidates)))
    vacancies = _ids("v", draw(_size(max_vacancies, max_vacancies)))
    rivalry = draw(st.booleans())
    lists_of = st.permutations if rivalry else _subsets_of
    capacity = st.just(1) if rivalry else st.integers(0, 4)
    return Instance(
        preferences={c: tuple(draw(lists_of(vacancies))) for c in candidates},
        capacities={v: draw(capacity) for v in vacancies},
        rankings={v: tuple(draw(lists_of(candidates))) for v in vacancies},
    )


@st.composite
def seeded_instances(draw: st.DrawFn, max_candidates: int = 50, max_vacancies: int = 50) -> Instance:
    """Up to 50 × 50 from a drawn seed: lists are random subsets in random order, up to ``length`` of all.

    ``capacities`` picks how posts are spread, from one each (much rivalry) to 0–4 (much slack).
    """
    candidates = _ids("c", draw(_size(max_candidates, max_candidates // 2)))
    vacancies = _ids("v", draw(_size(max_vacancies, max_vacancies // 2)))
    length = draw(st.sampled_from([1.0, 0.6, 0.3, 0.1]))
    capacities = draw(st.sampled_from([(1,), (0, 1, 1, 1, 2), (0, 1, 2, 3, 4)]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))

    def some(items: list[str]) -> tuple[str, ...]:
        return tuple(rng.sample(items, rng.randint(0, round(len(items) * length))))

    return Instance(
        preferences={c: some(vacancies) for c in candidates},
        capacities={v: rng.choice(capacities) for v in vacancies},
        rankings={v: some(candidates) for v in vacancies},
    )


instances = st.one_of(small_instances(8, 8), seeded_instances())


@st.composite
def feasible_matchings(draw: st.DrawFn, instance: Instance) -> dict[str, str | None]:
    """Any matching the rules allow (mutual listing, capacities), stable or not."""
    room = dict(instance.capacities)
    matching: dict[str, str | None] = {}
    for candidate, listed in instance.preferences.items():
        options = [v for v in listed if candidate in instance.rankings[v] and room[v] > 0]
        vacancy = draw(st.sampled_from([None, *options]))
        if vacancy is not None:
            room[vacancy] -= 1
        matching[candidate] = vacancy
    return matching


# --- Independent oracles --------------------------------------------------------------------------
def _is_stable(instance: Instance, matching: Mapping[str, str | None]) -> bool:
    """The definition, written out once more without any of the engine's code."""
    for candidate, listed in instance.preferences.items():
        current = matching[candidate]
        better = listed if current is None else listed[: listed.index(current)]
        for vacancy in better:
            ranking = instance.rankings[vacancy]
            if candidate not in ranking:
                continue
            held = [c for c, v in matching.items() if v == vacancy]
            if len(held) < instance.capacities[vacancy]:
                return False
            if any(ranking.index(h) > ranking.index(candidate) for h in held):
                return False
    return True


def all_stable_matchings(instance: Instance) -> list[dict[str, str | None]]:
    """Every stable matching, by trying every feasible assignment (candidate by candidate).

    A branch is cut as soon as an assigned candidate prefers (and is ranked by) a vacancy that either is
    full and holds someone it ranks below them (a full vacancy takes nobody else) or has more free posts
    than candidates left who could take them: either way that pair blocks every completion.
    """
    candidates = list(instance.preferences)
    options = {
        c: [v for v in instance.preferences[c] if c in instance.rankings[v]] + [None] for c in instance.preferences
    }
    held: dict[str, list[str]] = {v: [] for v in instance.capacities}
    assignment: dict[str, str | None] = {}
    found: list[dict[str, str | None]] = []

    def doomed(index: int) -> bool:
        later = candidates[index + 1 :]
        for candidate, current in assignment.items():
            listed = instance.preferences[candidate]
            for vacancy in listed if current is None else listed[: listed.index(current)]:
                ranking = instance.rankings[vacancy]
                if candidate not in ranking:
                    continue
                free = instance.capacities[vacancy] - len(held[vacancy])
                if free == 0 and any(ranking.index(h) > ranking.index(candidate) for h in held[vacancy]):
                    return True
                if free > len([c for c in later if vacancy in options[c]]):
                    return True  # too few candidates left to fill it: it ends with a free post
        return False

    def extend(index: int) -> None:
        if index == len(candidates):
            if _is_stable(instance, assignment):
                found.append(dict(assignment))
            return
        candidate = candidates[index]
        for vacancy in options[candidate]:
            if vacancy is not None and len(held[vacancy]) >= instance.capacities[vacancy]:
                continue
            assignment[candidate] = vacancy
            if vacancy is not None:
                held[vacancy].append(candidate)
            if not doomed(index):
                extend(index + 1)
            if vacancy is not None:
                held[vacancy].pop()
            del assignment[candidate]

    extend(0)
    return found


def _choice(instance: Instance, candidate: str, vacancy: str | None) -> int:
    """Position of the vacancy in the candidate's list; unmatched is worse than any listed vacancy."""
    listed = instance.preferences[candidate]
    return len(listed) if vacancy is None else listed.index(vacancy)


def _held(matching: Mapping[str, str | None], vacancy: str) -> set[str]:
    return {c for c, v in matching.items() if v == vacancy}


# --- Stability and feasibility on random instances ------------------------------------------------
@PROPERTIES
@given(instances)
def test_it_leaves_no_blocking_pair_whichever_side_proposes(instance: Instance) -> None:
    for side in PROPOSING_SIDES:
        matching = match(instance, side)
        assert blocking_pairs(instance, matching) == []
        assert _is_stable(instance, matching)


@PROPERTIES
@given(instances)
def test_it_never_gives_a_vacancy_more_candidates_than_posts(instance: Instance) -> None:
    for side in PROPOSING_SIDES:
        matching = match(instance, side)
        for vacancy, capacity in instance.capacities.items():
            assert len(_held(matching, vacancy)) <= capacity


@PROPERTIES
@given(instances)
def test_it_only_matches_a_candidate_and_a_vacancy_who_listed_each_other(instance: Instance) -> None:
    for side in PROPOSING_SIDES:
        matching = match(instance, side)
        assert list(matching) == list(instance.preferences)
        for candidate, vacancy in matching.items():
            if vacancy is not None:
                assert vacancy in instance.preferences[candidate]
                assert candidate in instance.rankings[vacancy]
                assert instance.acceptable(candidate, vacancy)


@PROPERTIES
@given(instances)
def test_it_places_the_same_candidates_and_fills_the_same_posts_whichever_side_proposes(instance: Instance) -> None:
    """The rural hospitals theorem: an under-filled vacancy even gets the very same candidates."""
    by_candidates, by_schools = match(instance, "candidates"), match(instance, "schools")
    assert {c for c, v in by_candidates.items() if v} == {c for c, v in by_schools.items() if v}
    for vacancy, capacity in instance.capacities.items():
        first, second = _held(by_candidates, vacancy), _held(by_schools, vacancy)
        assert len(first) == len(second)
        if len(first) < capacity:
            assert first == second


# --- Optimality against brute force ---------------------------------------------------------------
@BRUTE_FORCE
@given(small_instances())
def test_it_gives_every_candidate_their_best_stable_vacancy_when_candidates_propose(instance: Instance) -> None:
    stable = all_stable_matchings(instance)
    matching = match(instance, "candidates")
    assert matching in stable
    for other in stable:
        for candidate in instance.preferences:
            assert _choice(instance, candidate, matching[candidate]) <= _choice(instance, candidate, other[candidate])


@BRUTE_FORCE
@given(small_instances())
def test_it_gives_every_vacancy_its_best_stable_candidates_when_schools_propose(instance: Instance) -> None:
    """Best for a vacancy: whatever it has that another stable matching lacks, it ranks above all it would get.

    (With responsive preferences this is how stable matchings compare for a school.) The same matching is
    the worst stable one for every candidate.
    """
    stable = all_stable_matchings(instance)
    matching = match(instance, "schools")
    assert matching in stable
    for other in stable:
        for vacancy in instance.capacities:
            ranking = instance.rankings[vacancy]
            ours, theirs = _held(matching, vacancy), _held(other, vacancy)
            for kept in ours - theirs:
                assert all(ranking.index(kept) < ranking.index(lost) for lost in theirs - ours)
        for candidate in instance.preferences:
            assert _choice(instance, candidate, matching[candidate]) >= _choice(instance, candidate, other[candidate])


@BRUTE_FORCE
@given(small_instances(), st.data())
def test_blocking_pairs_agrees_with_the_definition_on_any_feasible_matching(
    instance: Instance, data: st.DataObject
) -> None:
    matching = data.draw(feasible_matchings(instance))
    pairs = blocking_pairs(instance, matching)
    assert (pairs == []) == _is_stable(instance, matching)
    assert pairs == sorted(set(pairs))
    for candidate, vacancy in pairs:
        assert instance.acceptable(candidate, vacancy)
        assert _choice(instance, candidate, vacancy) < _choice(instance, candidate, matching[candidate])


@PROPERTIES
@given(instances)
def test_blocking_pairs_catches_a_candidate_taken_out_of_a_stable_matching(instance: Instance) -> None:
    """Removing a placed candidate leaves their post free, and they still want it: a blocking pair."""
    matching = match(instance, "candidates")
    for candidate, vacancy in matching.items():
        if vacancy is not None:
            assert (candidate, vacancy) in blocking_pairs(instance, {**matching, candidate: None})


def test_blocking_pairs_lists_every_pair_that_would_rather_be_together_sorted() -> None:
    instance = Instance(
        preferences={"b": ("Y", "X"), "a": ("X", "Y"), "c": ("Y",)},
        capacities={"X": 1, "Y": 1},
        rankings={"X": ("a", "b"), "Y": ("b", "a", "c")},
    )
    assert blocking_pairs(instance, {"a": "Y", "b": "X", "c": None}) == [("a", "X"), ("b", "Y")]
    assert blocking_pairs(instance, {"a": "X", "b": "Y", "c": None}) == []
    # Missing candidates count as unmatched; an empty vacancy with room blocks with anyone it ranks.
    assert blocking_pairs(instance, {}) == [("a", "X"), ("a", "Y"), ("b", "X"), ("b", "Y"), ("c", "Y")]


def test_blocking_pairs_refuses_a_matching_with_unknown_ids() -> None:
    instance = parse_instance({"candidates": {"a": []}, "vacancies": {}})
    with pytest.raises(ValueError, match='unknown candidate "zed"'):
        blocking_pairs(instance, {"zed": None})
    with pytest.raises(ValueError, match='unknown vacancy "V"'):
        blocking_pairs(instance, {"a": "V"})


# --- Explanations: every claim checked against the preferences ------------------------------------
def _label(identifier: str) -> str:
    return f"<{identifier}>"  # delimited, so "<v1>" is never found inside "<v10>"


def _assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing (or out of order) in {text!r}"
        position = found + len(part)


def _check_candidate(instance: Instance, matching: Mapping[str, str | None], e: CandidateExplanation) -> None:
    candidate, got = e.candidate, matching.get(e.candidate)
    listed = instance.preferences[candidate]
    assert e.vacancy == got
    if not listed:
        assert (e.status, e.choice, e.reasons, e.text) == (
            "no_preferences",
            None,
            (),
            "Not matched: you ranked no vacancies.",
        )
        return
    if got is None:
        assert e.status == "unmatched" and e.choice is None
        assert [v for v, _ in e.reasons] == list(listed)
        assert e.text.startswith("Not matched. ")
        _assert_in_order(e.text, [f"{_label(v)} (your {ordinal(n)} choice)" for n, v in enumerate(listed, 1)])
    else:
        assert e.status == "matched" and e.choice == listed.index(got) + 1
        assert [v for v, _ in e.reasons] == list(listed[: e.choice - 1])
        _assert_in_order(
            e.text,
            [f"Matched to your {ordinal(e.choice)} choice, {_label(got)}."]
            + [f"Your {ordinal(n)} choice, {_label(v)}, " for n, (v, _) in enumerate(e.reasons, 1)],
        )
    for vacancy, reason in e.reasons:
        ranking, capacity, held = instance.rankings[vacancy], instance.capacities[vacancy], _held(matching, vacancy)
        if reason is CandidateReason.NO_POSTS:
            assert capacity == 0
        elif reason is CandidateReason.NOT_ACCEPTABLE:
            assert capacity > 0 and candidate not in ranking
        elif reason is CandidateReason.FILLED_HIGHER:
            assert candidate in ranking and len(held) == capacity > 0
            assert all(ranking.index(h) < ranking.index(candidate) for h in held)
            assert f"filled its {'one post' if capacity == 1 else f'{capacity} posts'} with" in e.text
        elif reason is CandidateReason.FREE_POST:
            assert candidate in ranking and len(held) < capacity
        else:
            assert reason is CandidateReason.RANKED_YOU_HIGHER
            assert candidate in ranking and len(held) == capacity > 0
            assert any(ranking.index(h) > ranking.index(candidate) for h in held)


def _check_vacancy(instance: Instance, matching: Mapping[str, str | None], e: VacancyExplanation) -> None:
    vacancy, capacity = e.vacancy, instance.capacities[e.vacancy]
    ranking, held = instance.rankings[vacancy], _held(matching, vacancy)
    assert e.capacity == capacity and set(e.filled) == held and len(e.filled) == len(held)
    assert list(e.filled) == sorted(held, key=ranking.index)
    if capacity == 0:
        assert (e.reasons, e.text) == ((), "No posts to fill.")
        return
    assert e.text.startswith(f"{len(held)} of {capacity} post{'' if capacity == 1 else 's'} filled.")
    if len(held) == capacity:
        assert e.reasons == ()
        return
    applicants = {c for c, listed in instance.preferences.items() if vacancy in listed}
    concerned = [c for c, _ in e.reasons]
    assert len(concerned) == len(set(concerned)) and set(concerned) == (applicants | set(ranking)) - held
    for candidate, reason in e.reasons:
        listed, elsewhere = instance.preferences[candidate], matching.get(candidate)
        if reason is VacancyReason.NOT_RANKED:
            assert vacancy in listed and candidate not in ranking
        elif reason is VacancyReason.DID_NOT_LIST:
            assert candidate in ranking and vacancy not in listed
        elif reason is VacancyReason.PREFERRED_OTHER:
            assert candidate in ranking and vacancy in listed and elsewhere is not None
            assert listed.index(elsewhere) < listed.index(vacancy)
            assert f"{_label(candidate)} (matched to their {ordinal(listed.index(elsewhere) + 1)} choice, " in e.text
        else:
            assert reason is VacancyReason.LEFT_OUT
            assert candidate in ranking and vacancy in listed
            assert elsewhere is None or listed.index(elsewhere) > listed.index(vacancy)
        assert _label(candidate) in e.text


def _check_explanations(instance: Instance, matching: Mapping[str, str | None]) -> None:
    labels = {identifier: _label(identifier) for identifier in [*instance.preferences, *instance.capacities]}
    candidates = explain_candidates(instance, matching, labels)
    vacancies = explain_vacancies(instance, matching, labels)
    assert list(candidates) == list(instance.preferences) and list(vacancies) == list(instance.capacities)
    for candidate_explanation in candidates.values():
        _check_candidate(instance, matching, candidate_explanation)
    for vacancy_explanation in vacancies.values():
        _check_vacancy(instance, matching, vacancy_explanation)
    # The unstable-only reasons appear exactly for the blocking pairs.
    pairs = set(blocking_pairs(instance, matching))
    unstable = {CandidateReason.FREE_POST, CandidateReason.RANKED_YOU_HIGHER}
    assert {(e.candidate, v) for e in candidates.values() for v, r in e.reasons if r in unstable} == pairs
    left_out = {(c, e.vacancy) for e in vacancies.values() for c, r in e.reasons if r is VacancyReason.LEFT_OUT}
    assert left_out == {(c, v) for c, v in pairs if len(_held(matching, v)) < instance.capacities[v]}
    assert explain(instance, matching, labels) == (
        {c: e.text for c, e in candidates.items()},
        {v: e.text for v, e in vacancies.items()},
    )


@PROPERTIES
@given(instances)
def test_every_claim_in_the_explanations_of_a_stable_matching_is_true(instance: Instance) -> None:
    for side in PROPOSING_SIDES:
        matching = match(instance, side)
        _check_explanations(instance, matching)
        for explanation in explain_candidates(instance, matching).values():
            assert not {CandidateReason.FREE_POST, CandidateReason.RANKED_YOU_HIGHER} & {
                r for _, r in explanation.reasons
            }


@PROPERTIES
@given(instances, st.data())
def test_every_claim_in_the_explanations_of_any_feasible_matching_is_true(
    instance: Instance, data: st.DataObject
) -> None:
    _check_explanations(instance, data.draw(feasible_matchings(instance)))


# --- Explanations: the exact words ----------------------------------------------------------------
NAMES = {
    "ash": "Ash Academy",
    "brook": "Brook PRU",
    "cedar": "Cedar School",
    "dale": "Dale AP",
    "ann": "Ann",
    "bob": "Bob",
    "cat": "Cat",
    "dan": "Dan",
}


def _texts(data: dict[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    instance = parse_instance(data)
    return explain(instance, match(instance), NAMES)


def test_it_explains_a_first_choice_and_why_a_higher_choice_did_not_take_someone() -> None:
    candidates, vacancies = _texts(
        {
            "candidates": {"ann": ["brook", "ash"], "bob": ["brook"]},
            "vacancies": {
                "brook": {"capacity": 1, "ranking": ["bob", "ann"]},
                "ash": {"capacity": 1, "ranking": ["ann"]},
            },
        }
    )
    assert candidates == {
        "ann": "Matched to your 2nd choice, Ash Academy. "
        "Your 1st choice, Brook PRU, filled its one post with a candidate it ranked higher.",
        "bob": "Matched to your 1st choice, Brook PRU.",
    }
    assert vacancies == {"brook": "1 of 1 post filled.", "ash": "1 of 1 post filled."}


def test_it_explains_why_someone_was_not_matched_and_why_a_post_stayed_empty() -> None:
    candidates, vacancies = _texts(
        {
            "candidates": {"ann": ["brook"], "bob": ["brook"], "cat": ["brook", "cedar"], "dan": []},
            "vacancies": {
                "brook": {"capacity": 2, "ranking": ["ann", "bob", "cat"]},
                "cedar": {"capacity": 1, "ranking": []},
            },
        }
    )
    assert candidates["cat"] == (
        "Not matched. Brook PRU (your 1st choice) filled its 2 posts with candidates it ranked higher; "
        "Cedar School (your 2nd choice) did not list you as acceptable."
    )
    assert candidates["dan"] == "Not matched: you ranked no vacancies."
    assert vacancies == {
        "brook": "2 of 2 posts filled.",
        "cedar": "0 of 1 post filled. Unfilled because: no candidate who ranked this post was acceptable to the "
        "school (not ranked by it: Cat).",
    }


def test_it_explains_a_part_filled_vacancy_whose_other_candidates_went_elsewhere() -> None:
    candidates, vacancies = _texts(
        {
            "candidates": {"ann": ["ash", "dale"], "bob": ["dale"], "cat": ["dale"], "dan": ["ash"]},
            "vacancies": {
                "ash": {"capacity": 1, "ranking": ["ann", "dan"]},
                "dale": {"capacity": 3, "ranking": ["dan", "ann", "bob"]},
                "brook": {"capacity": 1, "ranking": []},
                "cedar": {"capacity": 0, "ranking": ["ann"]},
            },
        }
    )
    assert vacancies == {
        "ash": "1 of 1 post filled.",
        "dale": "1 of 3 posts filled. Unfilled because: candidates it ranked preferred and got other posts: "
        "Ann (matched to their 1st choice, Ash Academy); candidates who ranked this post but were not ranked by it: "
        "Cat; candidates it ranked who did not rank this post: Dan.",
        "brook": "0 of 1 post filled. Unfilled because: no candidate ranked this post.",
        "cedar": "No posts to fill.",
    }
    assert candidates["dan"] == (
        "Not matched. Ash Academy (your 1st choice) filled its one post with a candidate it ranked higher."
    )


def test_it_says_when_every_other_applicant_was_unacceptable_to_the_school() -> None:
    _, vacancies = _texts(
        {
            "candidates": {"ann": ["dale"], "bob": ["dale"]},
            "vacancies": {"dale": {"capacity": 2, "ranking": ["ann"]}},
        }
    )
    assert vacancies["dale"] == (
        "1 of 2 posts filled. Unfilled because: no other candidate who ranked this post was acceptable to the "
        "school (not ranked by it: Bob)."
    )


def test_it_counts_choices_in_english_and_mentions_every_higher_choice() -> None:
    vacancies = [f"s{n}" for n in range(1, 22)]
    instance = Instance(
        preferences={"ann": tuple(vacancies)},
        capacities=dict.fromkeys(vacancies, 1) | {"s1": 0},
        rankings={v: ("ann",) if v == "s21" else () for v in vacancies},
    )
    explanation = explain_candidates(instance, match(instance))["ann"]
    assert (explanation.status, explanation.vacancy, explanation.choice) == ("matched", "s21", 21)
    assert explanation.reasons[0] == ("s1", CandidateReason.NO_POSTS)
    assert explanation.reasons[1:] == tuple((v, CandidateReason.NOT_ACCEPTABLE) for v in vacancies[1:20])
    assert explanation.text.startswith(
        "Matched to your 21st choice, s21. Your 1st choice, s1, had no posts to fill. "
        "Your 2nd choice, s2, did not list you as acceptable. Your 3rd choice, s3, did not list you as acceptable."
    )
    for nth in ("11th", "12th", "13th", "20th"):
        assert f"Your {nth} choice, s{nth[:-2]}, did not list you as acceptable." in explanation.text


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (10, "10th"), (11, "11th"), (12, "12th"), (13, "13th")]
    + [(21, "21st"), (22, "22nd"), (23, "23rd"), (100, "100th"), (101, "101st"), (111, "111th"), (112, "112th")],
)
def test_it_writes_ordinals_the_english_way(number: int, words: str) -> None:
    assert ordinal(number) == words


def test_it_says_so_when_asked_to_explain_an_unstable_matching() -> None:
    instance = parse_instance(
        {
            "candidates": {"ann": ["brook", "ash"], "bob": ["brook"]},
            "vacancies": {
                "brook": {"capacity": 1, "ranking": ["ann", "bob"]},
                "ash": {"capacity": 2, "ranking": ["ann"]},
            },
        }
    )
    candidates, vacancies = explain(instance, {"ann": "ash", "bob": "brook"}, NAMES)
    assert candidates["ann"] == (
        "Matched to your 2nd choice, Ash Academy. "
        "Your 1st choice, Brook PRU, took a candidate it ranked below you (this result is not stable)."
    )
    candidates, vacancies = explain(instance, {"ann": "ash", "bob": None}, NAMES)
    assert candidates["ann"].endswith("listed you and had a post left unfilled (this result is not stable).")
    assert vacancies["brook"] == (
        "0 of 1 post filled. Unfilled because: candidates who ranked this post and whom it ranked were not placed "
        "here: Ann (matched to their 2nd choice, Ash Academy), Bob (not matched) (this result is not stable)."
    )


def test_it_refuses_to_explain_a_matching_that_breaks_the_rules() -> None:
    instance = parse_instance(
        {"candidates": {"ann": ["ash"], "bob": ["ash"]}, "vacancies": {"ash": {"capacity": 1, "ranking": ["ann"]}}}
    )
    with pytest.raises(ValueError, match='places candidate "bob" at vacancy "ash", but they did not both list'):
        explain(instance, {"ann": None, "bob": "ash"})
    instance = parse_instance(
        {
            "candidates": {"ann": ["ash"], "bob": ["ash"]},
            "vacancies": {"ash": {"capacity": 1, "ranking": ["ann", "bob"]}},
        }
    )
    with pytest.raises(ValueError, match='places 2 candidates at vacancy "ash", which has 1 post'):
        explain(instance, {"ann": "ash", "bob": "ash"})


# --- differences ------------------------------------------------------------------------------------
def test_differences_is_empty_when_nobody_s_outcome_changed() -> None:
    assert differences({"a": "X", "b": None}, {"b": None, "a": "X"}) == []
    assert differences({}, {}) == []


def test_differences_lists_each_changed_candidate_with_both_outcomes_sorted_by_id() -> None:
    before = {"c": "X", "a": None, "b": "Y", "d": "Z"}
    after = {"c": "Y", "a": "X", "b": "Y", "d": None}
    assert differences(before, after) == [("a", None, "X"), ("c", "X", "Y"), ("d", "Z", None)]


def test_differences_counts_a_candidate_present_on_one_side_only_as_changed() -> None:
    assert differences({"a": "X", "b": None}, {"c": None, "b": None}) == [("a", "X", None), ("c", None, None)]


@PROPERTIES
@given(instances)
def test_differences_between_the_two_sides_are_exactly_the_candidates_who_fare_differently(
    instance: Instance,
) -> None:
    by_candidates, by_schools = match(instance, "candidates"), match(instance, "schools")
    changed = differences(by_candidates, by_schools)
    assert [c for c, _, _ in changed] == sorted(c for c in by_candidates if by_candidates[c] != by_schools[c])
    for candidate, before, after in changed:
        assert (before, after) == (by_candidates[candidate], by_schools[candidate])
        # Candidate-optimal versus school-optimal: never better for the candidate when schools propose.
        assert _choice(instance, candidate, before) < _choice(instance, candidate, after)


# --- parse_instance and Instance ----------------------------------------------------------------------
GOOD = {
    "candidates": {"ann": ["ash", "brook"], "bob": ["ash"]},
    "vacancies": {"ash": {"capacity": 1, "ranking": ["bob", "ann"]}, "brook": {"capacity": 2, "ranking": ["ann"]}},
}


def _with(**changes: object) -> dict[str, object]:
    """GOOD with a candidate's list or a vacancy's spec replaced: ``candidate_ann=[...]``, ``vacancy_ash={...}``."""
    data = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        side, identifier = key.split("_", 1)
        data["candidates" if side == "candidate" else "vacancies"][identifier] = value
    return data


def test_parse_instance_reads_the_json_shape_into_tuples_and_indexes() -> None:
    instance = parse_instance(GOOD)
    assert instance.preferences == {"ann": ("ash", "brook"), "bob": ("ash",)}
    assert instance.capacities == {"ash": 1, "brook": 2}
    assert instance.rankings == {"ash": ("bob", "ann"), "brook": ("ann",)}
    assert instance.candidate_ranks["ann"] == {"ash": 0, "brook": 1}
    assert instance.vacancy_ranks["ash"] == {"bob": 0, "ann": 1}
    assert instance.acceptable("ann", "brook") and not instance.acceptable("bob", "brook")
    assert not instance.acceptable("nobody", "ash") and not instance.acceptable("ann", "nowhere")
    assert parse_instance({**GOOD, "note": "extra keys are ignored"}) == instance


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], 'The instance must be a JSON object with "candidates" and "vacancies", got a list.'),
        ("text", 'The instance must be a JSON object with "candidates" and "vacancies", got "text".'),
        ({}, 'The instance is missing "candidates" and "vacancies".'),
        ({"candidates": {}}, 'The instance is missing "vacancies".'),
        ({"candidates": [], "vacancies": {}}, '"candidates" must be an object mapping each candidate id to a list'),
        ({"candidates": {}, "vacancies": []}, '"vacancies" must be an object mapping each vacancy id to'),
        (_with(candidate_ann="ash"), 'Candidate "ann": preferences must be a list of vacancy ids, got "ash".'),
        (_with(candidate_ann={"ash": 1}), 'Candidate "ann": preferences must be a list of vacancy ids, got an object.'),
        (_with(candidate_ann=["ash", "cedar"]), 'Candidate "ann" lists unknown vacancy "cedar".'),
        (_with(candidate_ann=["ash", "ash"]), 'Candidate "ann" lists vacancy "ash" more than once.'),
        (_with(candidate_ann=[1]), 'Candidate "ann": item 1 must be a vacancy id (a string), got 1.'),
        (_with(candidate_ann=["ash", None]), 'Candidate "ann": item 2 must be a vacancy id (a string), got null.'),
        (_with(vacancy_ash=[]), 'Vacancy "ash" must be an object with "capacity" and "ranking", got a list.'),
        (_with(vacancy_ash={"ranking": []}), 'Vacancy "ash" is missing "capacity".'),
        (_with(vacancy_ash={"capacity": 1}), 'Vacancy "ash" is missing "ranking".'),
        (_with(vacancy_ash={"capacity": 1, "ranking": "ann"}), 'Vacancy "ash": ranking must be a list of candidate'),
        (_with(vacancy_ash={"capacity": 1, "ranking": ["zed"]}), 'Vacancy "ash" ranks unknown candidate "zed".'),
        (
            _with(vacancy_ash={"capacity": 1, "ranking": ["ann", "bob", "ann"]}),
            'Vacancy "ash" ranks candidate "ann" more than once.',
        ),
        (
            _with(vacancy_ash={"capacity": True, "ranking": []}),
            'Vacancy "ash": capacity must be a non-negative integer, got true.',
        ),
        (_with(vacancy_ash={"capacity": -1, "ranking": []}), "capacity must be a non-negative integer, got -1."),
        (_with(vacancy_ash={"capacity": 1.0, "ranking": []}), "capacity must be a non-negative integer, got 1.0."),
        (_with(vacancy_ash={"capacity": "2", "ranking": []}), 'capacity must be a non-negative integer, got "2".'),
        (_with(vacancy_ash={"capacity": None, "ranking": []}), "capacity must be a non-negative integer, got null."),
        ({"candidates": {1: []}, "vacancies": {}}, "Candidate ids must be non-empty strings, got 1."),
        ({"candidates": {"": []}, "vacancies": {}}, 'Candidate ids must be non-empty strings, got "".'),
        ({"candidates": {}, "vacancies": {None: {}}}, "Vacancy ids must be non-empty strings, got null."),
    ],
)
def test_parse_instance_says_clearly_what_is_wrong(data: object, message: str) -> None:
    with pytest.raises(InstanceError) as raised:
        parse_instance(data)
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_parse_instance_reports_every_problem_at_once() -> None:
    data = _with(candidate_ann=["cedar"], candidate_bob="ash", vacancy_ash={"capacity": -2, "ranking": ["zed"]})
    with pytest.raises(InstanceError) as raised:
        parse_instance(data)
    assert raised.value.problems == [
        'Candidate "ann" lists unknown vacancy "cedar".',
        'Candidate "bob": preferences must be a list of vacancy ids, got "ash".',
        'Vacancy "ash": capacity must be a non-negative integer, got -2.',
        'Vacancy "ash" ranks unknown candidate "zed".',
    ]
    assert str(raised.value).startswith('4 problems in the instance:\n- Candidate "ann" lists unknown vacancy')


def test_an_instance_built_directly_is_checked_and_copied_into_tuples() -> None:
    preferences = {"ann": ["ash"]}
    instance = Instance(preferences=preferences, capacities={"ash": 1}, rankings={"ash": ["ann"]})  # type: ignore[dict-item]
    preferences["ann"].append("brook")
    assert instance.preferences == {"ann": ("ash",)}
    assert instance.rankings == {"ash": ("ann",)}
    with pytest.raises(InstanceError, match='Vacancy "brook" has a capacity but no ranking.'):
        Instance(preferences={}, capacities={"brook": 1}, rankings={})
    with pytest.raises(InstanceError, match='Vacancy "brook" has a ranking but no capacity.'):
        Instance(preferences={}, capacities={}, rankings={"brook": ()})
    with pytest.raises(InstanceError, match='Candidate "ann" lists unknown vacancy "brook".'):
        Instance(preferences={"ann": ("brook",)}, capacities={}, rankings={})


# --- match, run, output ----------------------------------------------------------------------------
def test_match_refuses_an_unknown_proposing_side() -> None:
    with pytest.raises(ValueError, match="proposing must be one of candidates, schools, got 'teachers'"):
        match(parse_instance(GOOD), "teachers")  # type: ignore[arg-type]


def test_the_two_sides_can_disagree_and_each_gets_its_optimum() -> None:
    """The classic 2 × 2 with crossed preferences: both matchings are stable, each side gets its favourite."""
    instance = parse_instance(
        {
            "candidates": {"ann": ["ash", "brook"], "bob": ["brook", "ash"]},
            "vacancies": {
                "ash": {"capacity": 1, "ranking": ["bob", "ann"]},
                "brook": {"capacity": 1, "ranking": ["ann", "bob"]},
            },
        }
    )
    assert match(instance, "candidates") == {"ann": "ash", "bob": "brook"}
    assert match(instance, "schools") == {"ann": "brook", "bob": "ash"}


def test_run_matches_checks_and_explains_and_result_to_json_is_plain_json() -> None:
    result = run(parse_instance(GOOD), proposing="schools", labels=NAMES)
    assert result.matching == {"ann": "brook", "bob": "ash"}
    assert (result.proposing, result.blocking_pairs, result.stable) == ("schools", [], True)
    assert result.candidate_explanations["bob"] == "Matched to your 1st choice, Ash Academy."
    assert result.vacancy_explanations["brook"].startswith("1 of 2 posts filled. Unfilled because:")
    output = result_to_json(result)
    assert output == {
        "proposing": "schools",
        "matching": {"ann": "brook", "bob": "ash"},
        "blocking_pairs": [],
        "explanations": result.candidate_explanations,
        "vacancy_explanations": result.vacancy_explanations,
    }
    assert json.loads(json.dumps(output)) == output
    unstable = type(result)(result.matching, "candidates", [("ann", "ash")], {}, {})
    assert result_to_json(unstable)["blocking_pairs"] == [["ann", "ash"]] and not unstable.stable


def test_it_matches_400_candidates_to_350_vacancies_well_within_a_second() -> None:
    rng = random.Random(2022)
    candidates, vacancies = _ids("c", 400), _ids("v", 350)
    preferences = {c: tuple(rng.sample(vacancies, 10)) for c in candidates}
    rankings: dict[str, list[str]] = {v: [] for v in vacancies}
    for candidate, listed in preferences.items():
        for vacancy in listed:
            rankings[vacancy].append(candidate)
    for ranking in rankings.values():
        rng.shuffle(ranking)
    instance = Instance(
        preferences=preferences,
        capacities={v: rng.randint(1, 2) for v in vacancies},
        rankings={v: tuple(r) for v, r in rankings.items()},
    )
    for side in PROPOSING_SIDES:
        started = time.perf_counter()
        result = run(instance, side)
        assert time.perf_counter() - started < 1.0
        assert result.blocking_pairs == []


def test_the_engine_does_not_import_django() -> None:
    code = (
        "import sys; import difference.placements.matching; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
