from __future__ import annotations

import re

from difference.core.stats import SECONDARY_REASON
from difference.core.tests.disclosure import worked_out
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


def _diversity_tables(html: str) -> dict[str, tuple[int, dict[str, int | None], dict[str, str]]]:
    """Each question's number who answered, and each answer's count (None where withheld) and reason, as shown."""
    tables = {}
    for question, answered, body in re.findall(
        r"<h2>(.*?)</h2>\s*<p>(\d+) answered\.</p>\s*<table>(.*?)</table>", html, flags=re.DOTALL
    ):
        counts: dict[str, int | None] = {}
        reasons: dict[str, str] = {}
        for label, cell in re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", body):
            shown = re.search(r'class="proportion">[^(]*\((\d+)/(\d+);', cell)
            counts[label] = int(shown.group(1)) if shown else None
            reasons[label] = "" if shown else re.sub(r"<[^>]+>", "", cell)
            assert shown is None or int(shown.group(2)) == int(answered)
        tables[question] = (int(answered), counts, reasons)
    return tables


def test_no_answer_suppressed_in_the_diversity_summary_can_be_worked_out_from_the_number_who_answered(
    world, client_for
):
    # With Lena (a Black woman): 14 women, 1 man, 6 non-binary; 17 White, 3 Black, 1 Asian. One man beside the
    # empty groups would be 21 less the rest, so more answers than his are withheld.
    answers = [(Gender.WOMAN, EthnicGroup.WHITE)] * 12 + [(Gender.WOMAN, EthnicGroup.BLACK)]
    answers += [(Gender.MAN, EthnicGroup.ASIAN)] + [(Gender.NON_BINARY, EthnicGroup.WHITE)] * 5
    answers += [(Gender.NON_BINARY, EthnicGroup.BLACK)]
    for gender, ethnic_group in answers:
        person = PersonFactory()
        EnrolmentFactory(person=person, cohort=world.cohort)
        DemographicsFactory(person=person, gender=gender, ethnic_group=ethnic_group)

    html = client_for("staff_research").get("/people/diversity/").content.decode()

    tables = _diversity_tables(html)
    assert set(tables) == {"Gender", "Ethnic group", "Disability", "Age band"}
    for question, (answered, counts, reasons) in tables.items():
        assert worked_out(answered, counts, reasons, 5) == [], (question, counts, reasons)
    answered, gender, why = tables["Gender"]
    assert answered == 21 and why["Man"] == "fewer than 5 — suppressed"
    # Withheld with him: the smallest answers (nobody gave them), then the smallest anyone gave, because a man
    # is at least one and the empty answers add nothing to what could be his.
    assert gender["Woman"] == 14 and gender["Non-binary"] is None and why["Non-binary"] == SECONDARY_REASON
    assert why["In another way"] == why["Prefer not to say"] == SECONDARY_REASON
    assert "(6/21;" not in html and "(1/21;" not in html
    # Two small counts protect each other: 21 less the rest is four, which is 1 and 3 or 2 and 2 or 3 and 1.
    _, ethnic, ethnic_why = tables["Ethnic group"]
    assert ethnic["White"] == 17 and ethnic_why["Asian or Asian British"] == "fewer than 5 — suppressed"
