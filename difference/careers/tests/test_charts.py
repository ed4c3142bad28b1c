"""The careers charts: accessible SVG, every text escaped, withheld figures not drawn."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from difference.careers import analysis, charts
from difference.careers.tests.test_analysis import first_cohort, second_cohort
from difference.core.stats import kaplan_meier

DURATIONS = [0.5, 1.0, 1.0, 1.5, 2.0, 2.0, 2.5, 3.0]
OBSERVED = [True, True, False, True, False, False, True, False]


def test_a_survival_chart_is_a_labelled_image_with_its_band_and_a_tick_per_censoring_time():
    curve = kaplan_meier(DURATIONS, OBSERVED, threshold=0)
    svg = charts.survival_chart(curve, chart_id="senior", title="Staying <senior>", state="senior leadership")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="senior-title senior-desc"' in svg
    assert "Staying &lt;senior&gt;" in svg and "<senior>" not in svg
    assert svg.count('class="band"') == 1 and svg.count('class="curve"') == 1
    assert svg.count('class="censored"') == sum(1 for s in curve.steps if s.censored)
    assert "8 graduates in senior leadership" in svg and "4 left and 4 were still in it" in svg


def test_a_withheld_curve_draws_nothing():
    curve = kaplan_meier(DURATIONS[:3], OBSERVED[:3], threshold=5)
    assert charts.survival_chart(curve, chart_id="c", title="t", state="education") == ""
    assert charts.survival_chart(kaplan_meier([], [], threshold=0), chart_id="c", title="t", state="s") == ""


@pytest.mark.django_db
def test_the_outcomes_chart_has_a_bar_per_cohort_split_by_change_in_proportion():
    results = [
        analysis.analyse_cohort(cohort, as_of=dt.date(2022, 10, 1), threshold=1)
        for cohort in (first_cohort(), second_cohort())
    ]
    svg = charts.outcomes_chart(results)
    assert "DLP 2019 (n=10)" in svg and "DLP 2020 (n=12)" in svg
    widths = [float(w) for w in re.findall(r'<g class="segment promoted">.*?width="([\d.]+)"', svg)]
    plot_w = charts.BAR_WIDTH - charts.B_LEFT - charts.B_RIGHT
    assert widths == pytest.approx([plot_w * 9 / 10, plot_w * 10 / 12], abs=0.1)
    assert 'class="segment withheld"' not in svg


@pytest.mark.django_db
def test_figures_withheld_at_the_threshold_are_drawn_as_one_withheld_part():
    result = analysis.analyse_cohort(first_cohort(), as_of=dt.date(2022, 10, 1))
    svg = charts.outcomes_chart([result])
    assert svg.count('class="segment withheld"') == 1
    assert 'class="segment promoted"' not in svg and 'class="segment same"' not in svg
