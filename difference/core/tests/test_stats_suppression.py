"""Secondary suppression: no withheld figure can be worked out from a published total and the cells shown.

The property tests play the reader: for each suppressed cell they look for a table a reader could believe in (whole
numbers adding up to the published totals, agreeing with the cells shown and with what each reason says) in
which that cell holds another value.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from difference.core.stats import (
    NO_ONE,
    SECONDARY_REASON,
    THRESHOLD_SETTING,
    secondary_suppression,
    small_count_reason,
    suppress_counts,
)

SMALL = "fewer than 5 — suppressed"
GROUP = "group of fewer than 5 — suppressed"


def _line(*values: int) -> tuple[dict[str, int], list[list[str]]]:
    cells = {chr(ord("a") + i): v for i, v in enumerate(values)}
    return cells, [list(cells)]


# --- Known cases ----------------------------------------------------------------------------------------------------
def test_a_lone_small_cell_beside_a_total_takes_the_smallest_other_cell_with_it():
    cells, lines = _line(3, 20, 7, 9)
    assert suppress_counts(cells, lines, threshold=5) == {"a": SMALL, "b": "", "c": SECONDARY_REASON, "d": ""}


def test_an_empty_cell_is_the_smallest_and_hiding_it_is_enough_when_the_count_is_more_than_one():
    # Reading the total: a + b = 3 with a at least 1, so a is 1, 2 or 3.
    cells, lines = _line(3, 20, 0)
    assert suppress_counts(cells, lines, threshold=5) == {"a": SMALL, "b": "", "c": SECONDARY_REASON}


def test_a_count_of_one_needs_a_cell_that_is_not_empty():
    # a + c = 1 with a at least 1 gives a away, so the smallest cell above zero goes too.
    cells, lines = _line(1, 20, 0)
    assert suppress_counts(cells, lines, threshold=5) == {"a": SMALL, "b": SECONDARY_REASON, "c": SECONDARY_REASON}


def test_two_small_cells_protect_each_other_unless_their_reasons_pin_them_down():
    assert suppress_counts(*_line(2, 3, 40), threshold=5) == {"a": SMALL, "b": SMALL, "c": ""}
    # 1 + 1 = 2 and each is at least 1: both are 1. So are 4 + 4 = 8 with each at most 4.
    assert suppress_counts(*_line(1, 1, 40), threshold=5)["c"] == SECONDARY_REASON
    assert suppress_counts(*_line(4, 4, 40), threshold=5)["c"] == SECONDARY_REASON


def test_a_line_of_nothing_but_small_cells_gives_way_to_the_secondary_reason():
    # Two cells of 4 and a total of 8: withheld with their own reason, each would have to be 4.
    assert suppress_counts(*_line(4, 4), threshold=5) == {"a": SECONDARY_REASON, "b": SECONDARY_REASON}
    # The only count, with a total of 1: whichever cell said "fewer than 5" would hold it.
    assert set(suppress_counts(*_line(1, 0, 0), threshold=5).values()) == {SECONDARY_REASON}


def test_nothing_more_is_withheld_when_nothing_is_suppressed_or_every_count_is_zero():
    assert suppress_counts(*_line(5, 20, 0), threshold=5) == {"a": "", "b": "", "c": ""}
    assert suppress_counts(*_line(0, 0, 0), threshold=5) == {"a": "", "b": "", "c": ""}


def test_a_cell_at_the_threshold_is_shown_and_one_below_it_is_not():
    assert suppress_counts(*_line(5, 5, 5), threshold=5) == {"a": "", "b": "", "c": ""}
    assert suppress_counts(*_line(4, 5, 6), threshold=5) == {"a": SMALL, "b": SECONDARY_REASON, "c": ""}


def test_a_line_of_one_cell_is_its_own_total_and_is_left_to_the_caller():
    assert secondary_suppression({"a": 3}, {"a": SMALL}, [["a"]], threshold=5) == frozenset()


def test_a_group_of_no_one_is_known_to_be_empty_so_it_can_protect_a_neighbour():
    values = {"a": (3, 10), "b": (0, 0), "c": (40, 90)}
    withheld = {"a": SMALL, "b": NO_ONE}
    assert secondary_suppression(values, withheld, [["a", "b", "c"]], threshold=5) == {"b"}


def test_a_count_and_its_group_size_are_withheld_together_and_each_protected():
    # b's count is 0, but its group size of 30 would give away a's group of 3.
    values = {"a": (2, 3), "b": (0, 30), "c": (40, 200)}
    assert secondary_suppression(values, {"a": GROUP}, [list(values)], threshold=5) == {"b"}


def test_a_cell_hidden_only_with_another_is_not_protected_for_its_own_sake():
    values = {"fsm": 0, "not_fsm": 300}
    assert secondary_suppression(values, {"fsm": NO_ONE}, [list(values)], hidden={"not_fsm"}) == frozenset()


def test_a_two_way_table_withholds_a_cycle_so_no_row_or_column_gives_the_cell_away():
    table = [[3, 10, 12], [9, 8, 20], [15, 30, 6]]
    cells = {(r, c): v for r, row in enumerate(table) for c, v in enumerate(row)}
    reasons = suppress_counts(cells, _rows_and_columns(3, 3), threshold=5)
    assert {cell for cell, reason in reasons.items() if reason} == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_a_cell_whose_lines_are_given_away_by_empty_totals_cannot_be_protected():
    cells = {(0, 0): 3, (0, 1): 0, (1, 0): 0, (1, 1): 0}
    with pytest.raises(ValueError, match="cannot be protected"):
        suppress_counts(cells, _rows_and_columns(2, 2), threshold=5)


def test_the_threshold_is_read_from_settings_when_none_is_given(settings):
    setattr(settings, THRESHOLD_SETTING, 10)
    assert suppress_counts(*_line(7, 50, 20)) == {"a": small_count_reason(10), "b": "", "c": SECONDARY_REASON}


# --- Properties -----------------------------------------------------------------------------------------------------
def _rows_and_columns(rows: int, columns: int) -> list[list[tuple[int, int]]]:
    return [[(r, c) for c in range(columns)] for r in range(rows)] + [
        [(r, c) for r in range(rows)] for c in range(columns)
    ]


def _bounds(reason: str, limit: int) -> tuple[int, int | None]:
    # What a reader knows of a withheld cell from its reason alone.
    return (1, limit - 1) if reason == small_count_reason(limit) else (0, None)


def _another_reading(
    cells: dict[tuple[int, int], int],
    reasons: dict[tuple[int, int], str],
    lines: list[list[tuple[int, int]]],
    limit: int,
    target: tuple[int, int],
) -> bool:
    """Whether some table consistent with what is published (the totals, the cells shown, what each reason says)
    gives ``target`` a value other than its own: a search over whole numbers, nearest the truth first."""
    hidden = [target] + [cell for cell in cells if reasons[cell] and cell != target]
    bounds = {cell: _bounds(reasons[cell], limit) for cell in hidden}
    left = [sum(cells[c] for c in line if reasons[c]) for line in lines]
    lines_of = {cell: [i for i, line in enumerate(lines) if cell in line] for cell in hidden}
    unfilled = [[c for c in line if reasons[c]] for line in lines]

    def possible() -> bool:
        # Each line's withheld remainder must fit what its unfilled cells can hold.
        for i, rest in enumerate(unfilled):
            lows = sum(bounds[c][0] for c in rest)
            highs = [bounds[c][1] for c in rest]
            if left[i] < lows or (None not in highs and left[i] > sum(h or 0 for h in highs)):
                return False
            if not rest and left[i]:
                return False
        return True

    def fill(index: int) -> bool:
        if index == len(hidden):
            return not any(left)
        cell = hidden[index]
        low, high = bounds[cell]
        top = min((left[i] for i in lines_of[cell]), default=low)
        top = top if high is None else min(top, high)
        values = sorted(range(low, top + 1), key=lambda v: abs(v - cells[cell]))
        if index == 0:
            values = [v for v in values if v != cells[cell]]
        for value in values:
            for i in lines_of[cell]:
                left[i] -= value
                unfilled[i].remove(cell)
            if possible() and fill(index + 1):
                return True
            for i in lines_of[cell]:
                left[i] += value
                unfilled[i].append(cell)
        return False

    return fill(0)


def _assert_protected(cells: dict[tuple[int, int], int], lines: list[list[tuple[int, int]]], limit: int) -> None:
    reasons = suppress_counts(cells, lines, threshold=limit)
    small = small_count_reason(limit)
    for cell, count in cells.items():
        # Every count of 1 to threshold-1 is withheld; anything else withheld says it is withheld for another's sake.
        if 0 < count < limit:
            assert reasons[cell] in (small, SECONDARY_REASON)
        else:
            assert reasons[cell] in ("", SECONDARY_REASON)
    primary = [cell for cell, count in cells.items() if 0 < count < limit]
    for line in lines:
        # Total minus the cells shown never leaves a suppressed cell on its own.
        withheld = [cell for cell in line if reasons[cell]]
        assert len(withheld) != 1 or withheld[0] not in primary
    for cell in primary:
        assert _another_reading(cells, reasons, lines, limit, cell), (cells, reasons, cell)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=2, max_value=6),
    st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=2, max_size=8),
)
def test_no_suppressed_cell_of_a_line_can_be_worked_out_from_its_total(limit, counts):
    cells = {(0, i): count for i, count in enumerate(counts)}
    _assert_protected(cells, [list(cells)], limit)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=6),
    st.integers(min_value=2, max_value=3),
    st.integers(min_value=2, max_value=3),
    st.data(),
)
def test_no_suppressed_cell_of_a_table_can_be_worked_out_from_its_row_and_column_totals(limit, rows, columns, data):
    # Counts from 1 up: a row or column of zeros shows every cell in it, and with it sometimes a cell crossing it.
    values = data.draw(st.lists(st.integers(1, 9), min_size=rows * columns, max_size=rows * columns))
    cells = {(r, c): values[r * columns + c] for r in range(rows) for c in range(columns)}
    _assert_protected(cells, _rows_and_columns(rows, columns), limit)
