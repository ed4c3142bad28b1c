"""The one number format: what every page, chart, PDF and export shows for a figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from difference.core import numbers
from difference.core.exports import csv_bytes


def test_a_rate_per_100_is_shown_to_two_decimals_rounding_half_up() -> None:
    assert numbers.rate(18.89525) == "18.90"
    assert numbers.rate(Decimal("0.125")) == "0.13"


def test_a_rate_can_be_shown_to_one_decimal_where_the_measure_suits_it() -> None:
    assert numbers.rate(18.89525, places=1) == "18.9"


def test_a_rate_stored_per_pupil_is_shown_per_100() -> None:
    assert numbers.rate(0.06273, per_pupil=True) == "6.27"


def test_a_missing_figure_is_an_en_dash_never_none_or_nan() -> None:
    for value in (None, float("nan"), float("inf"), "", "n/a"):
        assert numbers.rate(value) == "–"
        assert numbers.percent(value) == "–"
        assert numbers.count(value) == "–"
        assert numbers.decimal2(value) == "–"


def test_a_percentage_is_whole_unless_under_ten() -> None:
    assert numbers.percent(47.4) == "47%"
    assert numbers.percent(4.64) == "4.6%"
    assert numbers.percent(0) == "0.0%"
    assert numbers.percent(100) == "100%"


def test_a_percentage_just_under_ten_that_rounds_to_ten_reads_as_ten() -> None:
    assert numbers.percent(9.97) == "10%"


def test_a_fraction_is_shown_as_a_percentage_when_the_caller_says_so() -> None:
    assert numbers.percent(0.474, fraction=True) == "47%"


def test_a_count_is_a_whole_number_with_thousands_separators() -> None:
    assert numbers.count(5741) == "5,741"
    assert numbers.count(5741.02) == "5,741"


def test_an_estimated_count_is_marked_as_an_estimate() -> None:
    assert numbers.count(5741.02, estimated=True) == "≈5,741"
    assert numbers.count(5741.02, estimated=True, word=True) == "5,741 (estimated)"


def test_decimal2_never_shows_more_than_two_decimals_nor_minus_zero() -> None:
    assert numbers.decimal2(0.06273) == "0.06"
    assert numbers.decimal2(-0.001) == "0.00"
    assert numbers.decimal2(12345.678) == "12,345.68"


def test_a_difference_carries_its_sign_with_a_true_minus() -> None:
    assert numbers.signed(1.254) == "+1.25"
    assert numbers.signed(-0.4) == "−0.40"
    assert numbers.signed(0.001) == "0.00"


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("{{ v|rate }}", 18.89525, "18.90"),
        ("{{ v|rate:1 }}", 18.89525, "18.9"),
        ('{{ v|rate:"pupil" }}', 0.06273, "6.27"),
        ("{{ v|percent }}", 4.64, "4.6%"),
        ('{{ v|percent:"fraction" }}', 0.474, "47%"),
        ("{{ v|count }}", 5741.02, "5,741"),
        ('{{ v|count:"estimated" }}', 5741.02, "≈5,741"),
        ("{{ v|decimal2 }}", 0.06273, "0.06"),
        ("{{ v|signed }}", -0.4, "−0.40"),
        ("{{ v|percent }}", None, "–"),
    ],
)
def test_the_template_filters_show_what_the_functions_show(template: str, value: object, expected: str) -> None:
    rendered = Template("{% load numbers %}" + template).render(Context({"v": value}))
    assert rendered == expected


def test_a_csv_export_rounds_computed_floats_to_two_decimals_and_keeps_exact_decimals() -> None:
    text = csv_bytes(["rate", "exact", "n"], [[18.89525, Decimal("3.125"), 12]]).decode("utf-8-sig")
    assert text.splitlines()[1] == "18.9,3.125,12"


def test_a_dfe_rate_keeps_dfes_one_place_and_is_cut_to_two_otherwise() -> None:
    assert numbers.published_rate(Decimal("26.4")) == "26.4"
    assert numbers.published_rate(Decimal("1.56409")) == "1.56"


def test_the_filters_pass_a_word_standing_in_for_a_figure_through() -> None:
    rendered = Template('{% load numbers %}{{ v|rate }}/{{ v|count:"auto" }}').render(Context({"v": "not available"}))
    assert rendered == "not available/not available"


def test_a_fractional_dfe_count_is_marked_as_an_estimate() -> None:
    rendered = Template('{% load numbers %}{{ v|count:"auto" }} {{ w|count:"auto" }}').render(
        Context({"v": "565.079", "w": 1200})
    )
    assert rendered == "≈565 1,200"
