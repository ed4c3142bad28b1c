"""Long commands show a bar in a terminal and a plain line per step in a log."""

from __future__ import annotations

import io

from difference.core.progress import command_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_outside_a_terminal_each_step_is_one_plain_line():
    out = io.StringIO()
    with command_progress(out, "Loading", total=2, unit="files") as step:
        step("a.csv")
        step("b.csv")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Loading: 1/2 files (") and lines[0].endswith("a.csv")
    assert lines[1].startswith("Loading: 2/2 files (")


def test_in_a_terminal_the_steps_draw_a_bar_and_write_no_step_lines():
    out = Terminal()
    with command_progress(out, "Loading", total=2, unit="files") as step:
        step("a.csv")
        step("b.csv")
    assert "Loading: 1/2 files" not in out.getvalue()
