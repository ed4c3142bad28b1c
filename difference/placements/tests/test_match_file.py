"""``manage.py match_file``: a JSON file in, the engine's JSON out, clear errors, and no database.

No test here asks for the database (pytest-django refuses any query from a test without the ``db``
fixture), so passing also shows the command never touches it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]
INSTANCE = {
    "candidates": {"ann": ["ash", "brook"], "bob": ["brook", "ash"], "zoë": []},
    "vacancies": {
        "ash": {"capacity": 1, "ranking": ["bob", "ann"]},
        "brook": {"capacity": 1, "ranking": ["ann", "bob"]},
    },
}


def _write(tmp_path: Path, content: str | dict[str, object], name: str = "instance.json") -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _match_file(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("match_file", *args, stdout=out)
    output: dict[str, Any] = json.loads(out.getvalue())
    return output


def test_it_prints_the_candidate_proposing_result_as_json(tmp_path: Path) -> None:
    output = _match_file(str(_write(tmp_path, INSTANCE)))
    assert output["proposing"] == "candidates"
    assert output["matching"] == {"ann": "ash", "bob": "brook", "zoë": None}
    assert output["blocking_pairs"] == []
    assert output["explanations"] == {
        "ann": "Matched to your 1st choice, ash.",
        "bob": "Matched to your 1st choice, brook.",
        "zoë": "Not matched: you ranked no vacancies.",
    }
    assert output["vacancy_explanations"] == {"ash": "1 of 1 post filled.", "brook": "1 of 1 post filled."}


def test_it_lets_the_schools_propose(tmp_path: Path) -> None:
    output = _match_file(str(_write(tmp_path, INSTANCE)), "--proposing", "schools")
    assert output["proposing"] == "schools"
    assert output["matching"] == {"ann": "brook", "bob": "ash", "zoë": None}
    assert output["explanations"]["ann"] == (
        "Matched to your 2nd choice, brook. "
        "Your 1st choice, ash, filled its one post with a candidate it ranked higher."
    )


def test_it_keeps_non_ascii_text_readable(tmp_path: Path) -> None:
    out = StringIO()
    call_command("match_file", str(_write(tmp_path, INSTANCE)), stdout=out)
    assert '"zoë": null' in out.getvalue()
    assert out.getvalue().startswith('{\n  "proposing": "candidates",')


def test_it_accepts_a_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(INSTANCE).encode())
    assert _match_file(str(path))["matching"] == {"ann": "ash", "bob": "brook", "zoë": None}


def test_it_refuses_an_unknown_proposing_side(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'teachers'"):
        call_command("match_file", str(_write(tmp_path, INSTANCE)), "--proposing", "teachers")


def test_it_says_where_the_json_is_malformed(tmp_path: Path) -> None:
    path = _write(tmp_path, '{\n  "candidates": {},\n  "vacancies": {,}\n}\n')
    with pytest.raises(CommandError) as raised:
        call_command("match_file", str(path))
    assert str(raised.value) == (
        f"{path} is not valid JSON: Expecting property name enclosed in double quotes at line 3, column 17."
    )


def test_it_names_unknown_ids_in_the_instance(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(INSTANCE))
    bad["candidates"]["ann"] = ["ash", "cedar"]
    bad["vacancies"]["brook"]["ranking"] = ["ann", "bob", "dan"]
    with pytest.raises(CommandError) as raised:
        call_command("match_file", str(_write(tmp_path, bad)))
    assert str(raised.value) == (
        f"{tmp_path / 'instance.json'} is not a usable instance: 2 problems in the instance:\n"
        '- Candidate "ann" lists unknown vacancy "cedar".\n'
        '- Vacancy "brook" ranks unknown candidate "dan".'
    )


def test_it_says_when_the_file_is_not_an_instance_at_all(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match='is not a usable instance: The instance must be a JSON object with "candi'):
        call_command("match_file", str(_write(tmp_path, "[1, 2]")))


def test_it_says_when_the_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=f"No such file: {tmp_path / 'absent.json'}"):
        call_command("match_file", str(tmp_path / "absent.json"))


def test_it_says_when_the_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"candidates": {"zoë": []}, "vacancies": {}}'.encode("latin-1"))
    with pytest.raises(CommandError, match=r"is not UTF-8 text \(byte 19 cannot be decoded\)"):
        call_command("match_file", str(path))


def test_from_the_command_line_it_exits_non_zero_on_bad_input_and_never_opens_the_database(tmp_path: Path) -> None:
    """A database path in a directory that does not exist: any query would fail loudly."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["DIFFERENCE_SQLITE_PATH"] = str(tmp_path / "no-such-directory" / "db.sqlite3")

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "manage.py", "match_file", *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    good = manage(str(_write(tmp_path, INSTANCE)), "--proposing", "schools")
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["matching"] == {"ann": "brook", "bob": "ash", "zoë": None}
    bad = manage(str(_write(tmp_path, "{", name="bad.json")))
    assert bad.returncode != 0
    assert "is not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2." in bad.stderr
    assert bad.stdout == ""
    assert not (tmp_path / "no-such-directory").exists()
