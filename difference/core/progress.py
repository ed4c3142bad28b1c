"""Progress for long commands: a live bar in a terminal, a plain line per step elsewhere (CI logs stay readable).

with command_progress(self.stdout, "Loading DfE files", total=len(paths), unit="files") as step:
    for path in paths:
        load(path)
        step(path.name)
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import IO, Any


def _is_terminal(stream: Any) -> bool:
    # Django's OutputWrapper keeps the real stream in ``_out``.
    target = getattr(stream, "_out", stream)
    return bool(getattr(target, "isatty", lambda: False)())


@contextlib.contextmanager
def command_progress(
    stream: IO[str] | Any, description: str, *, total: int | None, unit: str = "steps"
) -> Iterator[Callable[..., None]]:
    """Yields ``step(label="", advance=1)``; each call moves the progress on by ``advance``."""
    if _is_terminal(stream):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(file=getattr(stream, "_out", stream))
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=console, transient=True) as bar:
            task_id = bar.add_task(description, total=total)

            def step(label: str = "", advance: int = 1) -> None:
                bar.update(task_id, advance=advance, description=f"{description}: {label}" if label else description)

            yield step
        return
    done = 0
    started = time.monotonic()

    def step(label: str = "", advance: int = 1) -> None:
        nonlocal done
        done += advance
        of = f"/{total}" if total is not None else ""
        suffix = f" {label}" if label else ""
        stream.write(f"{description}: {done}{of} {unit} ({time.monotonic() - started:.1f} s){suffix}\n")

    yield step
