from __future__ import annotations

from difference.people.models import EthnicGroup, Gender, Person
from difference.people.tests.factories import DemographicsFactory, PersonFactory
from difference.training.tests.factories import EnrolmentFactory


def test_a_headteacher_sees_only_the_leader_placed_in_their_school(world, client_for):
    response = client_for("headteacher").get("/people/")
    assert response.status_code == 200
    assert b"Lena Leader" in response.content
    assert b"Omar Other" not in response.content
    assert b"Ada Applicant" not in response.content


def test_people_search_narrows_the_list_and_htmx_gets_only_the_results(world, client_for):
    response = client_for("staff_programme").get("/people/", {"q": "omar"}, HTTP_HX_REQUEST="true")
    assert b"Omar Other" in response.content
    assert b"Lena Leader" not in response.content
    assert b"<html" not in response.content


def test_the_person_page_links_demographics_only_for_staff_admin(world, client_for):
    url = f"/people/{world.people['leader_a1'].pk}/"
    assert b"Diversity answers" in client_for("staff_admin").get(url).content
    assert b"Diversity answers" not in client_for("staff_programme").get(url).content


def test_the_api_never_includes_special_category_data(world, client_for):
    payload = client_for("staff_admin").get("/api/v1/people/").json()
    assert payload["count"] == Person.objects.count() >= 3
    for person in payload["results"]:
        assert not {"demographics", "gender", "ethnic_group", "disability", "age_band"} & set(person)


def test_the_diversity_summary_suppresses_small_groups_and_shows_intervals(world, client_for):
    for n in range(11):
        person = PersonFactory()
        EnrolmentFactory(person=person, cohort=world.cohort)
        DemographicsFactory(
            person=person,
            gender=Gender.WOMAN if n < 8 else Gender.MAN,
            ethnic_group=EthnicGroup.WHITE if n < 9 else EthnicGroup.ASIAN,
        )
    response = client_for("staff_research").get("/people/diversity/")
    html = response.content.decode()
    assert response.status_code == 200
    # 9 of 12 answered "woman" (8 new + Lena); 3 "man" is below 5 and suppressed.
    assert "75% (9/12; 95% CI 47–91%)" in html
    assert "fewer than 5 — suppressed" in html
    assert "3/12" not in html
    assert "Lena" not in html


def test_a_headteacher_no_longer_sees_a_leader_whose_placement_ended(world, client_for):
    import datetime as dt

    world.placements["placement_a1"].end_early(on=dt.date(2023, 1, 31), reason="Family move")
    response = client_for("headteacher").get("/people/")
    assert b"Lena Leader" not in response.content
