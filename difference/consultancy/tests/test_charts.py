"""The funnel plot's SVG: accessible, escaped, with the limit curves and one point per school shown."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from difference.consultancy.analysis import SchoolCounts, funnel
from difference.consultancy.charts import funnel_chart

SVG = "{http://www.w3.org/2000/svg}"


def school(urn: int, name: str, headcount: int, exclusions: int) -> SchoolCounts:
    return SchoolCounts(urn, name, "Secondary", "2022/23", headcount, 90, 40, exclusions, None, None)


SCHOOLS = [
    school(1, "<script>alert(1)</script> Academy", 1000, 0),
    school(2, "Birch & Co", 600, 5),
    school(3, "Cedar", 1400, 9),
    school(4, "Damson", 300, 2),  # a count of 2: withheld
]


def chart(**overrides: object) -> str:
    options: dict[str, object] = {
        "chart_id": "px-funnel",
        "title": "Permanent exclusion rate by school size",
        "desc": "Each school's rate against the national rate of 0.10 per 100 pupils.",
        "points": funnel(SCHOOLS, "permanent_exclusion_rate", 0.001, threshold=5),
        "measure": "permanent_exclusion_rate",
        "p0": 0.001,
    }
    options.update(overrides)
    return str(funnel_chart(**options))  # type: ignore[arg-type]


def test_the_funnel_chart_is_well_formed_svg_with_a_title_description_and_labelled_axes():
    svg = chart()
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "px-funnel-title px-funnel-desc"
    assert root.find(f"{SVG}title").text == "Permanent exclusion rate by school size"
    assert "1 school is not shown" in root.find(f"{SVG}desc").text
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "School size (pupils)" in texts and "Permanent exclusion rate per 100 pupils" in texts
    assert {"National rate", "95% limits", "99.8% limits"} <= set(texts)


def test_the_funnel_chart_escapes_school_names_and_runs_no_script():
    svg = chart()
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; Academy" in svg
    assert "Birch &amp; Co" in svg and "Birch & Co" not in svg
    assert "javascript:" not in svg.lower() and not re.search(r"\son\w+=", svg)


def test_the_funnel_chart_draws_the_four_limit_curves_and_the_national_rate():
    root = ET.fromstring(chart())
    curves = {line.get("class"): line.get("points") for line in root.iter(f"{SVG}polyline")}
    assert set(curves) == {"limit-95-upper", "limit-95-lower", "limit-998-upper", "limit-998-lower"}
    for coords in curves.values():
        assert len(coords.split()) > 100  # evaluated at many sizes, not only at the schools'
    assert root.find(f".//{SVG}line[@class='expected']") is not None


def test_the_funnel_chart_has_one_titled_point_per_shown_school():
    root = ET.fromstring(chart())
    titles = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert len(titles) == 3  # Damson's two exclusions are withheld
    # Five exclusions where 0.6 are expected: above the 99.8% upper limit of 4 at that size.
    assert titles[1] == (
        "Birch & Co: 0.83 per 100 pupils (600 pupils), well above what its size would lead us to expect "
        "(outside the 99.8% limits)"
    )
    assert not any("Damson" in t for t in titles)


def test_an_empty_funnel_chart_still_renders():
    root = ET.fromstring(chart(points=[]))
    assert list(root.iter(f"{SVG}circle")) == []
    assert len(list(root.iter(f"{SVG}polyline"))) == 4
