"""A filled vacancy is read-only: the page shows who was placed and when, and every change to it is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from difference.placements import services
from difference.placements.models import SchoolRanking, Vacancy, VacancyStatus


@pytest.fixture
def filled(world):  # type: ignore[no-untyped-def]
    p = world.placements
    p["run"].published_at = timezone.make_aware(dt.datetime(2022, 6, 15, 10, 0))
    p["run"].save(update_fields=["published_at"])
    Vacancy.objects.filter(pk=p["vac_a1"].pk).update(status=VacancyStatus.FILLED)
    p["vac_a1"].refresh_from_db()
    return p


def _rankings(vacancy: Vacancy) -> list[tuple[int, int | None]]:
    return list(SchoolRanking.objects.filter(vacancy=vacancy).order_by("pk").values_list("candidate_id", "rank"))


def test_a_filled_vacancy_shows_who_was_placed_and_when_and_offers_no_ranking_or_edit_form(filled, client_for):
    vacancy, leader = filled["vac_a1"], filled["cand_leader"].person
    for role in ("headteacher", "staff_programme"):
        page = client_for(role).get(vacancy.get_absolute_url()).content.decode()
        assert "Filled: this vacancy is read-only" in page
        assert leader.full_name in page and "15 June 2022" in page
        assert f"/placements/vacancies/{vacancy.pk}/ranking/" not in page
        assert f"/placements/vacancies/{vacancy.pk}/edit/" not in page


def test_a_post_to_rank_candidates_for_a_filled_vacancy_is_refused_and_nothing_is_written(filled, client_for):
    vacancy, candidate = filled["vac_a1"], filled["cand_leader"]
    before = _rankings(vacancy)

    response = client_for("headteacher").post(
        f"/placements/vacancies/{vacancy.pk}/ranking/", {f"rank_{candidate.pk}": ""}
    )

    assert response.status_code == 409
    assert "This vacancy is filled, so it is read-only" in response.content.decode()
    assert _rankings(vacancy) == before


def test_opening_the_ranking_form_of_a_filled_vacancy_shows_the_read_only_page(filled, client_for):
    response = client_for("headteacher").get(f"/placements/vacancies/{filled['vac_a1'].pk}/ranking/")
    assert response.status_code == 409
    assert b'name="rank_' not in response.content


def test_a_post_to_edit_a_filled_vacancy_is_refused_and_nothing_is_written(filled, client_for):
    vacancy = filled["vac_a1"]
    response = client_for("staff_programme").post(
        f"/placements/vacancies/{vacancy.pk}/edit/", {"title": "Renamed", "status": VacancyStatus.OPEN}
    )
    assert response.status_code == 409
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.status) == ("Assistant Head", VacancyStatus.FILLED)


def test_the_ranking_service_refuses_a_filled_vacancy_whoever_calls_it(filled):
    vacancy, candidate = filled["vac_a1"], filled["cand_leader"]
    before = _rankings(vacancy)
    with pytest.raises(ValidationError, match="read-only"):
        services.save_school_ranking(vacancy=vacancy, ranks={candidate: None})
    assert _rankings(vacancy) == before


def test_an_open_vacancy_can_still_be_ranked(world, client_for):
    vacancy, candidate = world.placements["vac_a1"], world.placements["cand_leader"]
    response = client_for("headteacher").post(
        f"/placements/vacancies/{vacancy.pk}/ranking/", {f"rank_{candidate.pk}": "1"}
    )
    assert response.status_code == 302
