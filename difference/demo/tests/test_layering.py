"""The demo is the top floor: it builds on every app, and no app builds on it."""

from __future__ import annotations

import ast
from pathlib import Path

import difference

DIFFERENCE = Path(difference.__file__).resolve().parent
DEMO = DIFFERENCE / "demo"


def _imports(path: Path) -> set[str]:
    """Every name the module imports, in full: ``from difference import demo`` gives ``difference.demo``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_app_imports_the_demo():
    importers = [
        str(path.relative_to(DIFFERENCE))
        for path in sorted(DIFFERENCE.rglob("*.py"))
        if DEMO not in path.parents and any(f"{name}.".startswith("difference.demo.") for name in _imports(path))
    ]
    assert importers == []
