"""The projects' SVG charts: accessible images that draw what the analysis says, and nothing a viewer may not see."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from difference.projects.analysis import CANNOT_RESOURCE, NO_TESTS, ONE_ROUND, analyse_project, analyse_projects
from difference.projects.charts import projects_chart, pupil_chart
from difference.projects.models import MeasureKind
from difference.projects.tests.factories import MeasureFactory, PupilFactory
from difference.projects.tests.test_analysis import (
    FIRST,
    SIX_MONTHS_ON,
    make_project,
    measured_project,
    pupil_tested,
)

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    ids = {el.get("id") for el in root.iter()}
    labelled = root.get("aria-labelledby", "").split()
    assert len(labelled) == 2 and set(labelled) <= ids
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    return root


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_the_pupil_chart_draws_one_line_per_pupil_with_two_tests_and_the_diagonal():
    project, measure = measured_project(gains=(6, 9, 12))
    pupil_tested(measure, [(FIRST, 140)], code="ONE")
    root = parse(pupil_chart(analyse_project(project)))
    pupils = root.findall(f".//{SVG}g[@class='pupil']")
    assert len(pupils) == 4
    assert len(root.findall(f".//{SVG}polyline")) == 3  # the pupil with one test is a point
    assert len(root.findall(f".//{SVG}circle")) == 3 * 2 + 1 + 1  # and the legend's marker
    diagonal = root.find(f".//{SVG}line[@class='reading-equals-age']")
    assert diagonal is not None
    assert "Reading age equals chronological age" in texts(root)
    assert "Reading age (years)" in texts(root) and "Chronological age (years)" in texts(root)
    tip = pupils[-1].find(f"{SVG}title").text  # pupils in code order: ONE, then P…
    assert tip.startswith("P") and "15 Oct 2022: aged 12y 7m, 12y 7m" in tip


def test_the_diagonal_runs_where_reading_age_equals_age():
    project, _ = measured_project(gains=(6,))
    root = parse(pupil_chart(analyse_project(project)))
    line = root.find(f".//{SVG}line[@class='reading-equals-age']")
    circles = root.findall(f".//{SVG}g[@class='pupil']/{SVG}circle")
    # The first test is at reading age = chronological age (151 months), so it sits on the diagonal.
    x1, y1, x2, y2 = (float(line.get(k)) for k in ("x1", "y1", "x2", "y2"))
    cx, cy = float(circles[0].get("cx")), float(circles[0].get("cy"))
    assert (cy - y1) * (x2 - x1) == pytest.approx((y2 - y1) * (cx - x1), abs=1.0)


def test_a_pupil_who_left_is_dashed_and_says_when():
    project, measure = measured_project(gains=(6,))
    pupil_tested(measure, [(FIRST, 140), (SIX_MONTHS_ON, 150)], code="GONE", left_on=dt.date(2023, 5, 1))
    root = parse(pupil_chart(analyse_project(project)))
    left = root.findall(f".//{SVG}g[@class='pupil left']")
    assert len(left) == 1
    assert left[0].find(f"{SVG}polyline").get("stroke-dasharray")
    assert "GONE (left 1 May 2023)" in left[0].find(f"{SVG}title").text


def test_another_measure_is_drawn_in_its_own_unit_without_the_diagonal():
    project = make_project()
    measure = MeasureFactory(project=project, kind=MeasureKind.STANDARDISED, name="Standardised score")
    pupil_tested(measure, [(FIRST, 85), (SIX_MONTHS_ON, 92)])
    root = parse(pupil_chart(analyse_project(project)))
    assert root.find(f".//{SVG}line[@class='reading-equals-age']") is None
    assert "Standardised score" in texts(root)


def test_there_is_no_pupil_chart_for_a_viewer_who_sees_aggregates_only_or_for_no_tests():
    project, _ = measured_project()
    assert pupil_chart(analyse_project(project).suppressed_for(False)) == ""
    assert pupil_chart(analyse_project(make_project())) == ""


def test_the_chart_escapes_what_it_is_given():
    project, measure = measured_project(gains=(6,))
    project.school.name = "St <Mary> & Joseph's"
    project.school.save()
    pupil_tested(measure, [(FIRST, 140), (SIX_MONTHS_ON, 150)], code="<b>")
    markup = str(pupil_chart(analyse_project(project)))
    assert "<b>" not in markup and "&lt;b&gt;" in markup and "St &lt;Mary&gt; &amp;" in markup
    parse(markup)


def test_the_projects_chart_has_one_row_per_project_a_point_for_each_measured_and_the_reason_for_the_rest():
    fast, _ = measured_project(gains=(14, 13, 12, 15, 16))
    one = make_project()
    pupil_tested(MeasureFactory(project=one), [(FIRST, 140)])
    none = make_project()
    PupilFactory(project=none)
    cannot = make_project(cannot_resource_tests=True)
    analyses = analyse_projects([fast, one, none, cannot])
    root = parse(projects_chart(analyses))
    labels = texts(root)
    for project in (fast, one, none, cannot):
        assert project.school.name in labels
    notes = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "not-shown"]
    assert notes == [
        f"Not yet measured: {ONE_ROUND}",
        f"Not yet measured: {NO_TESTS}",
        f"Not yet measured: {CANNOT_RESOURCE}",
    ]
    estimates = root.findall(f".//{SVG}g[@class='estimate']")
    assert len(estimates) == 1
    assert len(estimates[0].findall(f"{SVG}line")) == 1 and len(estimates[0].findall(f"{SVG}rect")) == 1
    # Ratio gains 14/6 … 16/6: mean 2.33, "substantial impact".
    assert "2.3 (95% CI" in estimates[0].find(f"{SVG}title").text
    assert "substantial impact" in estimates[0].find(f"{SVG}title").text
    assert "1 = ordinary rate" in labels


def test_the_point_and_its_interval_sit_on_the_scale_with_the_line_at_1():
    project, _ = measured_project()  # mean 1.5, interval about 0.52 to 2.48
    a = analyse_project(project)
    root = parse(projects_chart([a]))
    one = root.find(f".//{SVG}line[@class='ordinary-rate']")
    ticks = {el.text: float(el.get("x")) for el in root.iter(f"{SVG}text") if el.text in {"0", "1", "2", "3"}}
    assert float(one.get("x1")) == pytest.approx(ticks["1"])
    square = root.find(f".//{SVG}g[@class='estimate']/{SVG}rect")
    centre = float(square.get("x")) + 4
    assert centre == pytest.approx((ticks["1"] + ticks["2"]) / 2, abs=0.2)
    whisker = root.find(f".//{SVG}g[@class='estimate']/{SVG}line")
    unit = ticks["1"] - ticks["0"]
    assert float(whisker.get("x1")) == pytest.approx(ticks["0"] + a.ratio_gain.low * unit, abs=0.2)
    assert float(whisker.get("x2")) == pytest.approx(ticks["0"] + a.ratio_gain.high * unit, abs=0.2)


def test_a_withheld_ratio_gain_shows_its_reason_not_a_point():
    project, _ = measured_project(gains=(6, 9, 12))
    a = analyse_project(project, threshold=5).suppressed_for(False)
    root = parse(projects_chart([a]))
    assert root.find(f".//{SVG}g[@class='estimate']") is None
    assert a.ratio_gain.suppressed_reason in texts(root)
