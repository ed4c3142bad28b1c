"""Long commands show a bar in a terminal and a plain line per step in a log."""

from __future__ import annotations

import io

from difference.core.imports import rows_done
from difference.core.progress import progress_for


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_outside_a_terminal_each_step_is_one_plain_line():
    out = io.StringIO()
    progress = progress_for(out)
    progress(rows_done("Validated", 100, 250))
    progress("Writing")
    assert out.getvalue().splitlines() == ["- Validated 100 of 250 rows", "- Writing"]


def test_in_a_terminal_steps_draw_a_bar_and_only_the_finished_step_stays_as_a_line():
    out = Terminal()
    progress = progress_for(out)
    progress(rows_done("Validated", 100, 250))
    progress(rows_done("Validated", 250, 250))
    text = out.getvalue()
    assert "- Validated 100 of 250 rows" not in text
    assert "- Validated 250 of 250 rows" in text
