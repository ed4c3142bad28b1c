"""The import rules (``[tool.importlinter]`` in pyproject.toml) hold, and would catch a break.

``lint-imports`` reads the source without running it, so the check runs on a copy of the package: unchanged it
passes; with one domain import added to the access kernel it fails and names the rule.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "difference", tmp_path / "difference", ignore=shutil.ignore_patterns("__pycache__", "data", "*.gz")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(where / "pyproject.toml")],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_import_rules_hold_on_the_code_as_it_is(tmp_path):
    result = _lint(_copy_of_the_package(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_domain_import_added_to_the_access_kernel_breaks_the_rule(tmp_path):
    where = _copy_of_the_package(tmp_path)
    kernel = where / "difference" / "accounts" / "policy.py"
    kernel.write_text(kernel.read_text() + "\nfrom difference.schools.models import School  # noqa\n")
    result = _lint(where)
    assert result.returncode != 0
    assert "core and the access kernel import no domain app BROKEN" in result.stdout
    assert "difference.accounts.policy -> difference.schools.models" in result.stdout


def test_a_models_module_importing_an_access_module_breaks_the_rule(tmp_path):
    where = _copy_of_the_package(tmp_path)
    models = where / "difference" / "training" / "models.py"
    models.write_text(models.read_text() + "\nfrom difference.training import access  # noqa\n")
    result = _lint(where)
    assert result.returncode != 0
    assert "no models module imports an access module BROKEN" in result.stdout
