"""The national trends page: DfE's England rates per year, as a chart and a table, for staff only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from difference.benchmarks.charts import Point, line_chart
from difference.benchmarks.services import load_dfe_files

HEADER = (
    "time_identifier,time_period,geographic_level,country_code,country_name,school_type,headcount,"
    "perm_excl,perm_excl_rate,suspension,susp_rate,one_plus_susp,one_plus_susp_rate"
)
# National counts rounded to the nearest 5, as DfE publishes them; 2017/18's permanent exclusions suppressed.
ROWS = [
    "Academic year,201617,National,E92000001,England,Total,8025075,7720,0.10,381865,4.76,183475,2.29",
    "Academic year,201617,National,E92000001,England,State-funded primary,4689660,1255,0.03,64340,1.37,28940,0.62",
    "Academic year,201718,National,E92000001,England,Total,8040835,x,x,410755,5.08,187870,2.33",
    "Academic year,201718,National,E92000001,England,State-funded primary,4735925,1210,0.03,67905,1.43,29250,0.62",
    "Academic year,201819,National,E92000001,England,Total,8184245,7895,0.10,438265,5.36,194885,2.38",
    "Academic year,201819,National,E92000001,England,Special,120885,110,0.09,18265,15.11,6875,5.69",
]


@pytest.fixture
def national(db, tmp_path: Path) -> None:
    path = tmp_path / "national_trends.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    load_dfe_files(paths=[path])


def page(client_for, role: str = "staff_research"):  # type: ignore[no-untyped-def]
    return client_for(role).get(reverse("benchmarks:national_trends"))


def section(html: str, measure: str) -> str:
    start = html.index(f'id="{measure}-heading"')
    end = html.find("</section>", start)
    return html[start:end]


def test_it_shows_each_years_england_rate_as_dfe_publishes_it(national, client_for):
    html = page(client_for).content.decode()
    suspensions = section(html, "suspension_rate")
    for year, rate in (("2016/17", "4.76"), ("2017/18", "5.08"), ("2018/19", "5.36")):
        assert re.search(rf'<th scope="row">{year}</th>.*?<td class="num">{rate}</td>', suspensions), year
    # 100 x 7720 / 8025075 is 0.0962: 0.10 is DfE's rate from its unrounded counts, so the page shows DfE's.
    assert '<td class="num">0.10</td>' in section(html, "permanent_exclusion_rate")
    assert "DfE&#x27;s published rate (counts rounded)" in html
    assert "DfE rounds its national counts to the nearest 5" in html


def test_a_suppressed_year_is_not_available_never_zero(national, client_for):
    exclusions = section(page(client_for).content.decode(), "permanent_exclusion_rate")
    row = re.search(r'<th scope="row">2017/18</th>(.*?)</tr>', exclusions)
    assert row is not None
    assert row[1].count("not available") == 2  # the count and the rate; the pupils are published
    assert ">0<" not in row[1]


def test_the_chart_has_a_title_and_one_point_per_available_year(national, client_for):
    html = page(client_for).content.decode()
    exclusions, suspensions = section(html, "permanent_exclusion_rate"), section(html, "suspension_rate")
    for chart in (exclusions, suspensions):
        assert 'role="img"' in chart and "aria-labelledby=" in chart
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title>", chart)
        assert "<desc id=" in chart
    assert exclusions.count('<circle class="point"') == 2  # 2017/18 is not available
    assert suspensions.count('<circle class="point"') == 3


def test_staff_see_the_page_and_trust_partners_are_refused(national, client_for):
    for role in ("staff_admin", "staff_programme", "staff_research"):
        assert page(client_for, role).status_code == 200
    assert page(client_for, "trust_partner").status_code == 403


def test_the_page_says_when_nothing_is_loaded(client_for):
    assert "No national DfE exclusions statistics are loaded yet" in page(client_for).content.decode()


def test_chart_text_is_escaped():
    svg = line_chart(
        chart_id="c<1>", title="<script>", desc="a & b", points=[Point("<y>", None)], x_label="x", y_label="y"
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp;" in svg
    assert "<circle" not in svg


def test_a_trend_charts_year_labels_never_touch_and_the_first_and_last_hang_inwards() -> None:
    from decimal import Decimal

    from difference.benchmarks.charts import Point, line_chart

    years = [f"{2006 + i}/{(7 + i) % 100:02d}" for i in range(17)]
    svg = line_chart(
        chart_id="t", title="T", desc="D", points=[Point(y, Decimal("0.1")) for y in years], x_label="Year", y_label="R"
    )
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)" font-size="11">(\d{4}/\d{2})</text>', svg)
    assert labels[0][1:] == ("start", "2006/07") and labels[-1][1:] == ("end", "2022/23")
    xs = [float(x) for x, _, _ in labels]
    assert all(b - a >= 60 for a, b in zip(xs, xs[1:], strict=False))
