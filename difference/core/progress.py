"""Progress for long commands: a live bar in a terminal, a plain line per step elsewhere (CI logs stay readable).

Imports report progress as messages (``core.imports.Progress``); a message that carries its figures
(``ProgressStep``: "Validated 100 of 250 rows") draws a bar in a terminal. ``progress_for(stream)`` gives the
callback to hand an import.
"""

from __future__ import annotations

from typing import Any

from difference.core.imports import Progress


def is_terminal(stream: Any) -> bool:
    # Django's OutputWrapper keeps the real stream in ``_out``.
    target = getattr(stream, "_out", stream)
    return bool(getattr(target, "isatty", lambda: False)())


class TerminalBar:
    """A rich progress bar on a terminal, started by the first step with figures and closed when it completes
    (or when a plain message comes, which is then printed as a line)."""

    def __init__(self, stream: Any) -> None:
        from rich.console import Console

        self._console = Console(file=getattr(stream, "_out", stream))
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, message: str) -> None:
        done, total = getattr(message, "done", None), getattr(message, "total", None)
        if done is None or total is None:
            self.close()
            self._console.print(f"- {message}", highlight=False)
            return
        if self._bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
            self._bar = Progress(*columns, console=self._console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(str(message), total=total)
        verb = str(message).split(" ", 1)[0]
        self._bar.update(self._task, completed=done, total=total, description=verb)
        if done >= total:
            self.close()
            self._console.print(f"- {message}", highlight=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def progress_for(stream: Any) -> Progress:
    """The progress callback for a command writing to ``stream``: a bar in a terminal, else "- message" lines."""
    if is_terminal(stream):
        return TerminalBar(stream)
    return lambda message: stream.write(f"- {message}\n")
