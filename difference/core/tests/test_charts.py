from __future__ import annotations

import re

import pytest

from difference.core.charts import BAR_AREA, Bar, bar_chart


def _widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect class="chart-bar"[^>]* width="([0-9.]+)"', svg)]


def test_a_chart_is_an_image_labelled_by_its_title_and_description():
    chart = bar_chart([Bar("Applied", 10, "10")], chart_id="funnel", title="People at each stage", description="d")
    assert chart.svg.startswith("<svg")
    assert 'role="img"' in chart.svg
    assert 'aria-labelledby="funnel-title funnel-desc"' in chart.svg
    assert '<title id="funnel-title">People at each stage</title>' in chart.svg
    assert '<desc id="funnel-desc">d</desc>' in chart.svg


def test_a_chart_without_a_description_is_labelled_by_its_title_alone():
    chart = bar_chart([Bar("Applied", 10, "10")], chart_id="c", title="T")
    assert 'aria-labelledby="c-title"' in chart.svg
    assert "<desc" not in chart.svg


def test_the_longest_bar_fills_the_width_and_the_others_are_in_proportion():
    chart = bar_chart([Bar("A", 200, "200"), Bar("B", 50, "50")], chart_id="c", title="T")
    assert _widths(chart.svg) == [BAR_AREA, BAR_AREA / 4]


def test_a_given_maximum_sets_the_scale_and_longer_bars_are_clipped_to_it():
    chart = bar_chart([Bar("A", 50, "50%"), Bar("B", 150, "150%")], chart_id="c", title="T", maximum=100)
    assert _widths(chart.svg) == [BAR_AREA / 2, BAR_AREA]


def test_each_bar_is_labelled_and_carries_its_value_text():
    chart = bar_chart([Bar("Offered a place", 12, "12 — 40% of previous (12/30)")], chart_id="c", title="T")
    assert ">Offered a place</text>" in chart.svg
    assert ">12 — 40% of previous (12/30)</text>" in chart.svg


def test_an_interval_is_drawn_as_a_whisker_on_the_bar_scale():
    chart = bar_chart([Bar("A", 50, "50%", low=25, high=75)], chart_id="c", title="T", maximum=100)
    assert 'class="chart-whisker"' in chart.svg
    assert f'x1="{BAR_AREA / 4}"' in chart.svg and f'x2="{BAR_AREA * 3 / 4}"' in chart.svg


def test_a_bar_without_an_interval_has_no_whisker():
    chart = bar_chart([Bar("A", 50, "50")], chart_id="c", title="T")
    assert "chart-whisker" not in chart.svg


def test_the_default_scale_makes_room_for_the_highest_interval_end():
    chart = bar_chart([Bar("A", 50, "50%", low=40, high=80)], chart_id="c", title="T")
    assert _widths(chart.svg) == [BAR_AREA * 50 / 80]


def test_a_suppressed_bar_draws_no_bar_and_says_why():
    chart = bar_chart(
        [Bar("A", 3, "3", low=1, high=5, suppressed="fewer than 5 — suppressed"), Bar("B", 10, "10")],
        chart_id="c",
        title="T",
    )
    assert len(_widths(chart.svg)) == 1
    assert "chart-whisker" not in chart.svg
    assert ">fewer than 5 — suppressed</text>" in chart.svg
    assert ">3</text>" not in chart.svg


def test_a_zero_bar_draws_no_rectangle_but_keeps_its_text():
    chart = bar_chart([Bar("A", 0, "0"), Bar("B", 4, "4")], chart_id="c", title="T")
    assert len(_widths(chart.svg)) == 1
    assert ">0</text>" in chart.svg


def test_all_zero_bars_do_not_divide_by_zero():
    chart = bar_chart([Bar("A", 0, "0")], chart_id="c", title="T")
    assert _widths(chart.svg) == []


def test_labels_and_texts_are_escaped_and_the_markup_prints_unescaped_in_templates():
    chart = bar_chart([Bar("<script>", 1, "a & b", group="G<1>")], chart_id="c", title='"T"')
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg and "a &amp; b" in chart.svg and "G&lt;1&gt;" in chart.svg
    assert chart.svg.__html__() == str(chart.svg)


def test_bars_of_a_group_share_one_heading_and_the_rows_keep_their_groups_for_the_table():
    bars = [Bar("F", 1, "1", group="Applied"), Bar("M", 2, "2", group="Applied"), Bar("F", 1, "1", group="Offered")]
    chart = bar_chart(bars, chart_id="c", title="T")
    assert chart.svg.count('class="chart-group"') == 2
    assert [(group, len(rows)) for group, rows in chart.groups] == [("Applied", 2), ("Offered", 1)]
    assert chart.rows == tuple(bars)


def test_a_chart_id_that_is_not_an_html_id_is_refused():
    with pytest.raises(ValueError, match="chart_id"):
        bar_chart([], chart_id="1 bad", title="T")


def test_negative_values_and_reversed_intervals_are_refused():
    with pytest.raises(ValueError, match="negative"):
        bar_chart([Bar("A", -1, "-1")], chart_id="c", title="T")
    with pytest.raises(ValueError, match="interval"):
        bar_chart([Bar("A", 5, "5", low=6, high=4)], chart_id="c", title="T")
    with pytest.raises(ValueError, match="maximum"):
        bar_chart([Bar("A", 5, "5")], chart_id="c", title="T", maximum=0)


def test_the_chart_grows_taller_with_each_bar():
    one = bar_chart([Bar("A", 1, "1")], chart_id="c", title="T")
    two = bar_chart([Bar("A", 1, "1"), Bar("B", 1, "1")], chart_id="c", title="T")

    def height(svg: str) -> int:
        return int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))  # type: ignore[union-attr]

    assert height(two.svg) > height(one.svg)
