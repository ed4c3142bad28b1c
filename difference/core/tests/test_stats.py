from __future__ import annotations

import pytest
from django.template import Context, Template
from statsmodels.stats.proportion import proportion_confint

from difference.core.stats import proportion, wilson_interval

GRID = [
    (k, n) for n in (1, 2, 5, 7, 10, 29, 50, 100, 664, 1000) for k in sorted({0, 1, n // 3, n // 2, n - 1, n}) if k >= 0
]


@pytest.mark.parametrize(("k", "n"), GRID)
def test_the_wilson_interval_matches_statsmodels_to_six_places(k, n):
    low, high = wilson_interval(k, n)
    expected_low, expected_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert low == pytest.approx(expected_low, abs=1e-6)
    assert high == pytest.approx(expected_high, abs=1e-6)


def test_it_renders_a_proportion_with_n_and_interval():
    assert proportion(27, 29, threshold=5).as_text() == "93% (27/29; 95% CI 78–98%)"


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_it_suppresses_counts_below_the_threshold(k):
    p = proportion(k, 100, threshold=5)
    assert p.is_suppressed
    assert p.as_text() == "fewer than 5 — suppressed"
    assert f"{k}/100" not in p.as_text()


def test_it_suppresses_groups_smaller_than_the_threshold():
    p = proportion(4, 4, threshold=5)
    assert p.is_suppressed
    assert "fewer than 5" in p.as_text()


def test_it_shows_a_true_zero():
    p = proportion(0, 40, threshold=5)
    assert not p.is_suppressed
    assert p.as_text().startswith("0% (0/40; 95% CI 0–")


def test_the_threshold_comes_from_settings(settings):
    settings.DIFFERENCE_SMALL_CELL_THRESHOLD = 10
    assert proportion(7, 100).as_text() == "fewer than 10 — suppressed"
    assert not proportion(10, 100).is_suppressed


def test_an_empty_group_says_so():
    assert proportion(0, 0).as_text() == "no one in this group"


@pytest.mark.parametrize(("k", "n"), [(-1, 5), (6, 5), (0, -1)])
def test_impossible_counts_are_refused(k, n):
    with pytest.raises(ValueError):
        proportion(k, n)


def test_the_template_tag_renders_the_same_text_everywhere():
    template = Template("{% load figures %}{% proportion a %}|{% proportion b %}")
    html = template.render(Context({"a": proportion(27, 29, threshold=5), "b": proportion(2, 29, threshold=5)}))
    assert html == (
        '<span class="proportion">93% (27/29; 95% CI 78–98%)</span>|'
        '<span class="suppressed">fewer than 5 — suppressed</span>'
    )
