from __future__ import annotations

import pytest

from difference.core.env import EnvironmentError_, env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_it_reads_booleans(raw, expected):
    assert env_bool("FLAG", default=not expected, environ={"FLAG": raw}) is expected


@pytest.mark.parametrize("raw", ["ture", "2", "enabled", "y e s"])
def test_it_rejects_malformed_booleans(raw):
    with pytest.raises(EnvironmentError_, match="FLAG"):
        env_bool("FLAG", default=False, environ={"FLAG": raw})


def test_it_uses_defaults_when_unset():
    assert env_bool("FLAG", default=True, environ={}) is True
    assert env_int("N", default=7, environ={}) == 7
    assert env_str("S", default="x", environ={}) == "x"
    assert env_list("L", default=["a"], environ={}) == ["a"]


@pytest.mark.parametrize("raw", ["ten", "1.5", "0x10"])
def test_it_rejects_malformed_integers(raw):
    with pytest.raises(EnvironmentError_, match="whole number"):
        env_int("N", default=1, environ={"N": raw})


def test_it_enforces_a_minimum():
    with pytest.raises(EnvironmentError_, match="at least 1"):
        env_int("N", default=1, environ={"N": "0"}, minimum=1)


def test_it_reads_secrets_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    assert env_str("KEY", environ={"KEY_FILE": str(secret)}) == "s3cret"


def test_it_splits_lists():
    assert env_list("HOSTS", default=[], environ={"HOSTS": "a.org, b.org,,"}) == ["a.org", "b.org"]
