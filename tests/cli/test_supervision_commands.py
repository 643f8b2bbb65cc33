"""`gongkai stats`, `gongkai score` and `gongkai notify` as an operator runs them: a fresh process
with nothing set up but the data folder (the in-process tests have Django ready already, so they
cannot see a command that touches a model before setting it up)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

UNSET = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of an empty, migrated installation in a temporary data folder."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env["GONGKAI_DATA_DIR"] = str(tmp_path_factory.mktemp("installation"))
    run(env, "manage", "migrate", "-v", "0")
    return env


def run(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "gongkai.cli.main", *argv]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    "argv",
    [
        ("stats", "--org", "NOPE", "--period", "2026-11", "--json"),
        ("stats", "--org", "NOPE", "--period", "2026-11", "--to", "x.xlsx"),
        ("score", "--gov", "NOPE", "--year", "2025", "--json"),
    ],
)
def test_an_unknown_organisation_is_a_message_not_a_traceback(
    installation: dict[str, str], argv: tuple[str, ...]
) -> None:
    done = run(installation, *argv)
    assert done.returncode == 2, done.stderr
    assert "找不到机构代码 NOPE" in done.stderr
    assert "Traceback" not in done.stderr


def test_notify_runs_on_an_empty_installation(installation: dict[str, str]) -> None:
    done = run(installation, "notify", "--today", "2026-12-04")
    assert done.returncode == 0, done.stderr
    assert "新提醒 0 条" in done.stdout
