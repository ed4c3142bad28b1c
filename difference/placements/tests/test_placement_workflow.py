"""Running, comparing, what-if and publishing matches through the services and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from difference.placements import services
from difference.placements.models import CandidatePreference, Placement, PlacementStatus, RunStatus, SchoolRanking
from difference.placements.services import WhatIfChange, WhatIfKind


@pytest.fixture
def live_round(world):
    """The world's round with live preferences: the applicant also wants a1, which ranks them second."""
    p = world.placements
    CandidatePreference.objects.create(candidate=p["cand_applicant"], vacancy=p["vac_a1"], rank=1)
    SchoolRanking.objects.create(vacancy=p["vac_a1"], candidate=p["cand_applicant"], rank=2)
    Placement.objects.all().delete()
    return p


def test_a_run_matches_everyone_it_can_and_explains_each_outcome(live_round, world):
    run = services.create_run(placement_round=live_round["round"], by=world.users["staff_programme"])
    outcomes = {o.candidate_id: o for o in run.outcomes.all()}
    assert outcomes[live_round["cand_leader"].pk].vacancy == live_round["vac_a1"]
    assert outcomes[live_round["cand_b1"].pk].vacancy == live_round["vac_b1"]
    applicant = outcomes[live_round["cand_applicant"].pk]
    assert applicant.vacancy is None
    assert "Alpha PRU" in applicant.explanation and "ranked higher" in applicant.explanation
    assert run.is_stable and run.stability_checked_at is not None


def test_a_run_made_and_published_earlier_and_recorded_later_keeps_its_moments(live_round, world):
    made, published = dt.datetime(2022, 5, 16, 10, tzinfo=dt.UTC), dt.datetime(2022, 5, 20, 9, tzinfo=dt.UTC)

    run = services.create_run(placement_round=live_round["round"], by=None, now=made)
    services.publish_run(run=run, by=None, now=published)

    run.refresh_from_db()
    assert (run.created_at, run.stability_checked_at, run.published_at) == (made, made, published)


def test_a_what_if_shows_exactly_the_people_whose_outcome_changed(live_round, world):
    run = services.create_run(placement_round=live_round["round"], by=None)
    change = WhatIfChange(kind=WhatIfKind.POSTS, vacancy=live_round["vac_a1"], posts=2)
    what_if = services.create_what_if(run=run, change=change, by=None)
    changes = services.compare_matchings(live_round["round"], run.matching, what_if.matching)
    assert [(c.candidate, c.before, c.after) for c in changes] == [
        (live_round["cand_applicant"], None, live_round["vac_a1"])
    ]
    assert what_if.parent == run and "2 post(s)" in what_if.change_description
    # The live vacancy is untouched.
    live_round["vac_a1"].refresh_from_db()
    assert live_round["vac_a1"].posts == 1


def test_publishing_creates_placements_and_tells_everyone_by_email(
    live_round, world, django_capture_on_commit_callbacks
):
    live_round["vac_a1"].contact_email = "head@alpha.example.org"
    live_round["vac_a1"].save()
    run = services.create_run(placement_round=live_round["round"], by=None)
    with django_capture_on_commit_callbacks(execute=True):
        placements = services.publish_run(run=run, by=world.users["staff_admin"])
    assert {(p.candidate, p.vacancy) for p in placements} == {
        (live_round["cand_leader"], live_round["vac_a1"]),
        (live_round["cand_b1"], live_round["vac_b1"]),
    }
    assert all(p.starts_on == dt.date(2022, 9, 1) for p in placements)
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    recipients = sorted(r for m in mail.outbox for r in m.to)
    assert "head@alpha.example.org" in recipients
    assert world.people["applicant_self"].email in recipients
    school_mail = next(m for m in mail.outbox if m.to == ["head@alpha.example.org"])
    assert "Lena Leader" in school_mail.body


def test_a_what_if_run_cannot_be_published(live_round):
    run = services.create_run(placement_round=live_round["round"], by=None)
    what_if = services.create_what_if(
        run=run, change=WhatIfChange(kind=WhatIfKind.WITHDRAW, vacancy=live_round["vac_b1"]), by=None
    )
    with pytest.raises(ValidationError, match="differ from the live ones"):
        services.publish_run(run=what_if, by=None)
    assert not Placement.objects.exists()


def test_a_round_is_published_once(live_round):
    first = services.create_run(placement_round=live_round["round"], by=None)
    second = services.create_run(placement_round=live_round["round"], by=None)
    services.publish_run(run=first, by=None)
    with pytest.raises(ValidationError, match="already published"):
        services.publish_run(run=second, by=None)
    assert Placement.objects.count() == 2


def test_a_placement_ends_early_only_with_a_date_and_a_reason(world, client_for):
    placement = world.placements["placement_a1"]
    client = client_for("staff_programme")
    response = client.post(f"/placements/placements/{placement.pk}/end/", {"ends_on": "2023-03-31", "reason": ""})
    assert response.status_code == 400
    end = {"ends_on": "2023-03-31", "reason": "Moved abroad"}
    response = client.post(f"/placements/placements/{placement.pk}/end/", end)
    # Ending cannot be undone: the first post only asks to confirm, with the date and reason for a last look.
    assert response.status_code == 200
    assert b"Yes, end the placement" in response.content and b'class="button-danger"' in response.content
    placement.refresh_from_db()
    assert placement.ends_on is None
    response = client.post(f"/placements/placements/{placement.pk}/end/", {**end, "confirmed": "yes"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.ends_on, placement.end_reason) == (
        PlacementStatus.ENDED_EARLY,
        dt.date(2023, 3, 31),
        "Moved abroad",
    )


def test_a_candidate_saves_their_ranking_and_gaps_are_refused(world, client_for):
    p = world.placements
    client = client_for("leader")
    url = f"/placements/candidates/{p['cand_leader'].pk}/preferences/"
    response = client.post(url, {f"rank_{p['vac_a1'].pk}": "1", f"rank_{p['vac_b1'].pk}": "1"})
    assert response.status_code == 400
    assert b"no gaps" in response.content
    assert list(p["cand_leader"].preferences.values_list("vacancy", "rank")) == [(p["vac_a1"].pk, 1)]
    response = client.post(url, {f"rank_{p['vac_a1'].pk}": "2", f"rank_{p['vac_b1'].pk}": "1"})
    assert response.status_code == 302
    assert [v.pk for v in p["cand_leader"].ranked_vacancies()] == [p["vac_b1"].pk, p["vac_a1"].pk]


def test_a_school_ranks_its_candidates_and_can_mark_one_unacceptable(world, client_for):
    p = world.placements
    CandidatePreference.objects.create(candidate=p["cand_applicant"], vacancy=p["vac_a1"], rank=1)
    response = client_for("headteacher").post(
        f"/placements/vacancies/{p['vac_a1'].pk}/ranking/",
        {f"rank_{p['cand_leader'].pk}": "1", f"rank_{p['cand_applicant'].pk}": ""},
    )
    assert response.status_code == 302
    rankings = {r.candidate_id: r.rank for r in SchoolRanking.objects.filter(vacancy=p["vac_a1"])}
    assert rankings == {p["cand_leader"].pk: 1, p["cand_applicant"].pk: None}


def test_the_run_page_shows_the_stability_check_and_the_other_side(live_round, client_for):
    run = services.create_run(placement_round=live_round["round"], by=None)
    response = client_for("staff_programme").get(f"/placements/runs/{run.pk}/")
    html = response.content.decode()
    assert "Stability check" in html and "<strong>stable</strong>" in html
    assert "Compared with schools proposing" in html


def test_a_headteacher_sees_only_their_own_vacancies_on_their_page(world, client_for):
    html = client_for("headteacher").get("/placements/mine/").content.decode()
    assert "Alpha PRU" in html
    assert "Beta AP Academy" not in html


def test_anywhere_in_these_regions_becomes_ranked_choices_after_the_existing_ones(world, client_for):
    p = world.placements
    candidate = p["cand_b1"]
    candidate.regions = "London"
    candidate.save()
    response = client_for("staff_programme").post(f"/placements/candidates/{candidate.pk}/expand-regions/")
    assert response.status_code == 302
    # Already ranked: vac_b1. Added after it: vac_a1, the other open post in London.
    assert [v.pk for v in candidate.ranked_vacancies()] == [p["vac_b1"].pk, p["vac_a1"].pk]
    client_for("staff_programme").post(f"/placements/candidates/{candidate.pk}/expand-regions/")
    assert candidate.preferences.count() == 2


def test_expanding_without_regions_says_so_and_changes_nothing(world, client_for):
    candidate = world.placements["cand_leader"]
    response = client_for("staff_admin").post(f"/placements/candidates/{candidate.pk}/expand-regions/", follow=True)
    assert b"has not named any regions" in response.content
    assert candidate.preferences.count() == 1


def test_staff_add_a_vacancy_by_urn_and_a_wrong_urn_is_refused(world, client_for):
    client = client_for("staff_programme")
    data = {
        "urn": world.schools["b2"].urn,
        "title": "Deputy Head",
        "focus": "send",
        "posts": 2,
        "starts_on": "2022-09-01",
        "status": "open",
        "setting_type": "internal_ap",
        "test_and_learn": "on",
    }
    assert client.post("/placements/2022/vacancies/new/", data | {"urn": 999999}).status_code == 400
    assert not world.placements["round"].vacancies.filter(title="Deputy Head").exists()
    assert client.post("/placements/2022/vacancies/new/", data).status_code == 302
    vacancy = world.placements["round"].vacancies.get(title="Deputy Head")
    assert (vacancy.school, vacancy.posts, vacancy.test_and_learn) == (world.schools["b2"], 2, True)


def test_staff_mark_a_person_ready_for_placement_by_email(world, client_for):
    from difference.people.tests.factories import PersonFactory

    person = PersonFactory(email="ready@example.org")
    client_for("staff_admin").post("/placements/2022/candidates/", {"email": "READY@example.org", "regions": "London"})
    candidate = world.placements["round"].candidates.get(person=person)
    assert candidate.regions == "London"
