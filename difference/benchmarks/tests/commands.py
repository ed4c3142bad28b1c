"""Running ``load_dfe`` and ``dfe_rates`` as their users do, for the benchmarks' tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command


def load(*paths: Path) -> str:
    """``load_dfe`` on the files; its printed report."""
    out = io.StringIO()
    call_command("load_dfe", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def rates(**options: str) -> list[dict[str, object]]:
    """``dfe_rates --format json`` with the options; its rows."""
    out = io.StringIO()
    call_command("dfe_rates", format="json", stdout=out, **options)
    return json.loads(out.getvalue())
