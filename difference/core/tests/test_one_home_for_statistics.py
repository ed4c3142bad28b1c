"""Every interval and every decision to withhold a figure is made in ``core.stats``, and nowhere else.

The test reads every ``.py`` file under ``difference/`` for the names that give a copy away: SciPy's ``binomtest``,
anything ``poisson`` or ``wilson`` (in any case), and the small-cell setting's name. A hit anywhere but
``core/stats`` fails it. Left out of the search:

* ``core/stats`` itself and its own tests (``core/tests/test_stats*.py``), which name what they check;
* this file, which names what it looks for;
* the demo app, ``difference/demo/``. The demo invents data (NumPy's ``rng.poisson`` draws suspensions; a made-up
  applicant can be called Wilson); it reports no figures.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
FORBIDDEN = re.compile(r"binomtest|poisson|wilson|DIFFERENCE_SMALL_CELL_THRESHOLD", re.IGNORECASE)


def _searched(path: Path) -> bool:
    relative = path.relative_to(PACKAGE)
    parts = relative.parts
    if parts[:2] == ("core", "stats") or parts[:2] == ("core", "stats.py"):
        return False
    if parts[:2] == ("core", "tests") and (relative.name.startswith("test_stats") or path == Path(__file__)):
        return False
    return parts[0] != "demo"


def _hits() -> list[str]:
    hits = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if not _searched(path):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FORBIDDEN.search(line):
                hits.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    return hits


def test_no_module_outside_core_stats_computes_an_interval_or_reads_the_small_cell_threshold():
    assert _hits() == []


def test_the_search_reads_the_apps_and_leaves_out_only_core_stats_its_tests_and_the_demo():
    searched = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py") if _searched(path)}
    assert {
        "consultancy/analysis.py",
        "recruitment/analysis.py",
        "benchmarks/rates.py",
        "people/queries.py",
    } <= searched
    assert "consultancy/tests/test_analysis.py" in searched
    assert not {p for p in searched if p.startswith("core/stats") or p.startswith("core/tests/test_stats")}
    assert not {p for p in searched if p.startswith("demo/")}
    assert "home/queries.py" in searched
    assert FORBIDDEN.search("from scipy.stats import binomtest") and FORBIDDEN.search("rng.Poisson(")
