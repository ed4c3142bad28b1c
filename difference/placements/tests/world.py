"""Placements for the shared test ``world`` (conftest.py), as ``world.placements``.

A 2022 round: vacancies at a1 and b1; the leader and Omar ranked them; a run placed the leader at a1 (the
headteacher's school). Scopes (object kind ``placements`` in tests/authz_matrix.yaml): ``round``, ``vac_a1``,
``vac_b1``, ``cand_leader``, ``cand_b1``, ``cand_applicant``, ``run``, ``placement_a1``.
"""

from __future__ import annotations

from typing import Any

from difference.placements.tests.factories import (
    CandidateFactory,
    CandidatePreferenceFactory,
    MatchOutcomeFactory,
    MatchRunFactory,
    PlacementFactory,
    PlacementRoundFactory,
    SchoolRankingFactory,
    VacancyFactory,
)


def placement_world(schools: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    placement_round = PlacementRoundFactory(year=2022, target_posts=2)
    vac_a1 = VacancyFactory(placement_round=placement_round, school=schools["a1"], title="Assistant Head")
    vac_b1 = VacancyFactory(
        placement_round=placement_round, school=schools["b1"], title="Head of SEND", setting_type="ap_academy"
    )
    cand_leader = CandidateFactory(placement_round=placement_round, person=people["leader_a1"])
    cand_b1 = CandidateFactory(placement_round=placement_round, person=people["leader_b1"])
    cand_applicant = CandidateFactory(placement_round=placement_round, person=people["applicant_self"])
    CandidatePreferenceFactory(candidate=cand_leader, vacancy=vac_a1, rank=1)
    CandidatePreferenceFactory(candidate=cand_b1, vacancy=vac_b1, rank=1)
    SchoolRankingFactory(vacancy=vac_a1, candidate=cand_leader, rank=1)
    SchoolRankingFactory(vacancy=vac_b1, candidate=cand_b1, rank=1)
    run = MatchRunFactory(placement_round=placement_round)
    MatchOutcomeFactory(run=run, candidate=cand_leader, vacancy=vac_a1)
    placement = PlacementFactory(candidate=cand_leader, vacancy=vac_a1, run=run)
    return {
        "round": placement_round,
        "vac_a1": vac_a1,
        "vac_b1": vac_b1,
        "cand_leader": cand_leader,
        "cand_b1": cand_b1,
        "cand_applicant": cand_applicant,
        "run": run,
        "placement_a1": placement,
    }
