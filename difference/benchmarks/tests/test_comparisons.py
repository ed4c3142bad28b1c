"""The comparison pages: every region and LA against England, one LA's trend, and one school's published figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from difference.benchmarks.comparisons import LA_SERIES, la_regions, versus
from difference.benchmarks.services import load_dfe_files
from difference.schools.models import SchoolCategory
from difference.schools.tests.factories import LocalAuthorityFactory, SchoolFactory

HEADER = (
    "time_identifier,time_period,geographic_level,country_code,country_name,region_code,region_name,old_la_code,"
    "new_la_code,la_name,laestab,school_type,headcount,perm_excl,perm_excl_rate,fixed_excl,fixed_excl_rate,"
    "one_plus_fixed,one_plus_fixed_rate"
)
NAT = "Academic year,{year},National,E92000001,England,,,,,,"
INNER = "Academic year,{year},Regional,E92000001,England,E13000001,Inner London,,,,"
EAST_MIDS = "Academic year,{year},Regional,E92000001,England,E12000004,East Midlands,,,,"
CAMDEN = "Academic year,{year},Local authority,E92000001,England,E13000001,Inner London,202,E09000007,Camden,"
LINCS = "Academic year,{year},Local authority,E92000001,England,E12000004,East Midlands,925,E10000019,Lincolnshire,"
SCHOOL = "Academic year,{year},School,E92000001,England,E13000001,Inner London,202,E09000007,Camden,"
LAESTAB = 2024001
ROWS = [
    # England's counts are rounded to the nearest 5, as DfE publishes them: its rates are DfE's own.
    NAT.format(year=201617) + ",Total,8025075,7720,0.10,381865,4.76,183475,2.29",
    NAT.format(year=201617) + ",State-funded primary,4689660,1255,0.03,64340,1.37,28940,0.62",
    NAT.format(year=201516) + ",Total,7915975,6685,0.08,339360,4.29,167125,2.11",
    INNER.format(year=201617) + ",Total,300000,300,0.10,9000,3.00,4500,1.50",
    EAST_MIDS.format(year=201617) + ",Total,700001,701,0.10,30001,4.29,15001,2.14",
    CAMDEN.format(year=201617) + ",Total,25000,20,0.08,750,3.00,400,1.60",
    CAMDEN.format(year=201516) + ",Total,24800,17,0.07,700,2.82,390,1.57",
    CAMDEN.format(year=201617) + ",State-funded primary,15000,3,0.02,150,1.00,100,0.67",
    # Lincolnshire's suspensions suppressed ("x"): not available, never 0.
    LINCS.format(year=201617) + ",Total,100000,150,0.15,x,x,2500,2.50",
    SCHOOL.format(year=201617) + f"{LAESTAB},State-funded primary,400,x,x,12,3.00,6,1.50",
]


@pytest.fixture
def statistics(db, tmp_path: Path) -> None:
    path = tmp_path / "comparison_test.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    load_dfe_files(paths=[path])


@pytest.fixture
def camden(db):  # type: ignore[no-untyped-def]
    return LocalAuthorityFactory(code="202", gss_code="E09000007", name="Camden", region="London")


def get(client_for, url: str, role: str = "staff_research", **headers: str):  # type: ignore[no-untyped-def]
    return client_for(role).get(url, **headers)


def row_of(html: str, name: str) -> str:
    """The table row whose header cell holds ``name`` (linked or not)."""
    pattern = rf"<tr[^>]*>\s*<th scope=\"row\">(?:<a [^>]+>)?{re.escape(name)}(?:</a>)?</th>(.*?)</tr>"
    match = re.search(pattern, html, re.S)
    assert match is not None, f"no row for {name}"
    return match[1]


def cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


# --- Regions and LAs -------------------------------------------------------------------------------------------
def test_the_comparison_lists_england_then_each_region_then_each_la_with_counts_rate_and_basis(statistics, client_for):
    response = get(client_for, reverse("benchmarks:area_comparison"))
    assert response.status_code == 200
    html = response.content.decode()
    # Defaults: the first measure, the latest year, all school types.
    assert "Permanent exclusions per 100 pupils in 2016/17: Total" in html
    assert html.index(">England</th>") < html.index(">East Midlands</th>") < html.index(">Camden</a></th>")
    assert cells(row_of(html, "England")) == [
        "7,720",
        "8,025,075",
        "0.10",
        "—",
        "DfE&#x27;s published rate (counts rounded)",
    ]
    assert cells(row_of(html, "Camden")) == ["20", "25,000", "0.08", "lower than England", "Computed from exact counts"]
    assert cells(row_of(html, "Lincolnshire"))[2:4] == ["0.15", "higher than England"]
    # Grouped by the region DfE gives each LA, with a link to the LA's own page.
    assert "Local authorities in Inner London" in html and "Local authorities in East Midlands" in html
    assert f'href="{reverse("benchmarks:la_detail", args=["E09000007"])}"' in html


def test_a_suppressed_la_value_is_shown_as_not_available_never_zero(statistics, client_for):
    html = get(client_for, reverse("benchmarks:area_comparison") + "?measure=suspension_rate").content.decode()
    lincolnshire = cells(row_of(html, "Lincolnshire"))
    assert lincolnshire == ["not available", "100,000", "not available", "not available", "Computed from exact counts"]


def test_the_wording_is_higher_or_lower_than_england_never_a_judgement(statistics, client_for):
    html = get(client_for, reverse("benchmarks:area_comparison")).content.decode().lower()
    assert "higher than england" in html and "lower than england" in html
    for judgement in ("better", "worse", "good", " bad", "poor"):
        assert judgement not in html, judgement


def test_the_page_says_where_a_rate_is_dfes_published_one(statistics, client_for):
    html = get(client_for, reverse("benchmarks:area_comparison")).content.decode()
    assert 'id="published-note"' in html and "rounded the counts to the nearest 5" in html


def test_another_year_school_type_and_order_are_chosen_by_a_plain_get_form(statistics, client_for):
    url = reverse("benchmarks:area_comparison") + "?measure=one_plus_suspension_rate&year=201516&school_type=total"
    html = get(client_for, url).content.decode()
    assert "Pupils with one or more suspensions per 100 pupils in 2015/16: Total" in html
    assert cells(row_of(html, "England"))[2] == "2.11"
    assert cells(row_of(html, "Camden"))[2:4] == ["1.57", "lower than England"]
    assert '<form method="get"' in html and '<label for="id_year">' in html
    by_rate = get(client_for, reverse("benchmarks:area_comparison") + "?order=rate").content.decode()
    assert by_rate.index(">Lincolnshire</a>") < by_rate.index(">Camden</a>")


def test_htmx_gets_only_the_table_back(statistics, client_for):
    response = get(client_for, reverse("benchmarks:area_comparison"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="area-results"') and "<form" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("measure=attendance", "is not a measure on this page"),
        ("year=1999", "is not a year with regional and LA figures"),
        ("year=2016/18", "is not a year with regional and LA figures"),
        ("school_type=%3Cscript%3E", "is not a school type in these figures"),
        ("order=-password", "is not a way to order the table"),
    ],
)
def test_a_choice_not_on_offer_gets_a_clear_message_not_an_error(statistics, client_for, query, message):
    response = get(client_for, reverse("benchmarks:area_comparison") + "?" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "<script>" not in html
    assert '<form method="get"' in html  # the form is still there to choose again


def test_the_page_says_when_nothing_is_loaded(db, client_for):
    html = get(client_for, reverse("benchmarks:area_comparison")).content.decode()
    assert "No regional or local authority DfE exclusions statistics are loaded yet" in html


def test_a_known_las_2016_17_rate_from_the_shipped_series(db, client_for):
    load_dfe_files(paths=[LA_SERIES])
    html = get(client_for, reverse("benchmarks:area_comparison") + "?year=2016/17").content.decode()
    # Camden, all schools, 2016/17: 30 permanent exclusions of 22,387 pupils, 0.13401 per 100; England 0.09619.
    assert cells(row_of(html, "Camden")) == [
        "30",
        "22,387",
        "0.13",
        "higher than England",
        "Computed from exact counts",
    ]
    assert cells(row_of(html, "England"))[2] == "0.10"
    assert cells(row_of(html, "Inner London"))[2:4] == ["0.09", "lower than England"]


def test_each_la_is_put_in_the_region_dfe_gives_it():
    regions = la_regions()
    assert regions["E09000007"] == ("E13000001", "Inner London")
    assert regions["202"] == ("E13000001", "Inner London")
    assert regions["925"] == ("E12000004", "East Midlands")


# --- One LA -----------------------------------------------------------------------------------------------------
def test_the_la_page_shows_its_trend_against_its_region_and_england_by_ons_or_old_code(statistics, client_for):
    for code in ("E09000007", "202"):
        response = get(client_for, reverse("benchmarks:la_detail", args=[code]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Camden: exclusions and suspensions compared with Inner London and England" in html
        section = html[html.index('id="suspension_rate-heading"') :]
        section = section[: section.index("</section>")]
        assert 'role="img"' in section and "<desc id=" in section  # the chart, readable without JavaScript
        assert section.count('<circle class="point"') == 2  # Camden's two years
        row = cells(row_of(section, "2016/17"))
        published = '4.76 <span class="basis">(DfE\'s published rate)</span>'
        assert row == ["750", "25,000", "3.00", "3.00", published, "lower than England"]
        assert cells(row_of(section, "2015/16"))[3] == "not available"  # no Inner London row for 2015/16


def test_the_la_page_shows_one_school_type_at_a_time(statistics, client_for):
    url = reverse("benchmarks:la_detail", args=["202"]) + "?school_type=State-funded+primary"
    html = get(client_for, url).content.decode()
    assert "Permanent exclusions: State-funded primary" in html
    section = html[html.index('id="permanent_exclusion_rate-heading"') :]
    assert cells(row_of(section, "2016/17"))[:3] == ["3", "15,000", "0.02"]
    bad = get(client_for, reverse("benchmarks:la_detail", args=["202"]) + "?school_type=nursery")
    assert bad.status_code == 400 and "is not a school type in Camden" in bad.content.decode()


@pytest.mark.parametrize("code", ["E99999999", "999", "abc", "E0900000"])
def test_a_code_that_names_no_la_is_not_found(statistics, client_for, code):
    assert get(client_for, reverse("benchmarks:la_detail", args=[code])).status_code == 404


def test_an_la_in_the_registry_without_statistics_says_so(camden, client_for):
    html = get(client_for, reverse("benchmarks:la_detail", args=["202"])).content.decode()
    assert "No DfE exclusions statistics for Camden are loaded" in html


# --- One school ---------------------------------------------------------------------------------------------------
def test_a_school_is_compared_with_its_la_and_england_in_the_same_year_and_school_type(statistics, camden, client_for):
    school = SchoolFactory(name="Camden Primary", laestab=LAESTAB, local_authority=camden)
    response = get(client_for, reverse("benchmarks:school_benchmarks", args=[school.urn]))
    assert response.status_code == 200
    html = response.content.decode()
    suspensions = html[html.index('id="suspension_rate-heading"') :]
    suspensions = suspensions[: suspensions.index("</section>")]
    assert "in 2016/17 (state-funded primary)" in suspensions
    assert cells(row_of(suspensions, "Camden Primary")) == ["12", "400", "3.00", "Computed from exact counts"]
    assert cells(row_of(suspensions, "Camden")) == ["150", "15,000", "1.00", "Computed from exact counts"]
    assert cells(row_of(suspensions, "England")) == [
        "64,340", "4,689,660", "1.37", "DfE&#x27;s published rate (counts rounded)"
    ]  # fmt: skip
    assert "The school's rate is higher than England's." in suspensions
    exclusions = html[html.index('id="permanent_exclusion_rate-heading"') :]
    assert cells(row_of(exclusions, "Camden Primary"))[:3] == ["not available", "400", "not available"]
    assert 'id="published-note"' in html


def test_a_school_without_published_figures_is_told_why(statistics, camden, client_for):
    ap = SchoolFactory(name="Camden PRU", category=SchoolCategory.PRU, laestab=2021100, local_authority=camden)
    html = get(client_for, reverse("benchmarks:school_benchmarks", args=[ap.urn])).content.decode()
    assert "pupil referral units and other alternative provision are not in them" in html
    new = SchoolFactory(name="New Academy", laestab=2024999, local_authority=camden)
    html = get(client_for, reverse("benchmarks:school_benchmarks", args=[new.urn])).content.decode()
    assert "LAEstab 2024999 is not in DfE&#x27;s school-level figures loaded here (2016/17 only)" in html
    assert "opened after 2016/17" in html


def test_a_school_page_says_when_no_school_level_figures_are_loaded(camden, client_for):
    school = SchoolFactory(laestab=LAESTAB, local_authority=camden)
    html = get(client_for, reverse("benchmarks:school_benchmarks", args=[school.urn])).content.decode()
    assert "No DfE school-level exclusions figures are loaded" in html


def test_a_school_page_refuses_a_year_it_has_no_figures_for(statistics, camden, client_for):
    school = SchoolFactory(laestab=LAESTAB, local_authority=camden)
    response = get(client_for, reverse("benchmarks:school_benchmarks", args=[school.urn]) + "?year=2010/11")
    assert response.status_code == 400
    assert "is not a year with figures for this school" in response.content.decode()


def test_the_school_record_links_to_its_benchmarks_only_for_roles_that_may_see_them(world, client_for):
    school = world.schools["a1"]
    link = reverse("benchmarks:school_benchmarks", args=[school.urn])
    assert link in get(client_for, school.get_absolute_url(), "staff_programme").content.decode()
    assert link not in get(client_for, school.get_absolute_url(), "headteacher").content.decode()
    assert get(client_for, link, "headteacher").status_code == 403


def test_the_national_trends_page_links_to_the_comparison(db, client_for):
    html = get(client_for, reverse("benchmarks:national_trends")).content.decode()
    assert f'href="{reverse("benchmarks:area_comparison")}"' in html


# --- Pieces -------------------------------------------------------------------------------------------------------
def test_versus_needs_both_rates():
    assert versus(None, None) == ""
