"""`gongkai manage check --deploy` is clean with GONGKAI_HTTPS=1, and names what is missing
without it (Django's deployment checklist)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def deploy_check(tmp_path: Path, **env: str) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GONGKAI_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "DEBUG"))
    }
    environment.update(
        GONGKAI_DATA_DIR=str(tmp_path),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="gongkai.example.gov.cn",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli.main", "manage", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


@pytest.mark.parametrize("proxy", ["0", "1"])
def test_https_settings_pass_the_deployment_checklist(tmp_path: Path, proxy: str) -> None:
    output = deploy_check(tmp_path, GONGKAI_HTTPS="1", GONGKAI_BEHIND_PROXY=proxy)
    assert "System check identified no issues" in output, output


def test_without_https_the_checklist_names_the_transport_settings(tmp_path: Path) -> None:
    output = deploy_check(tmp_path)
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in output, output


def test_preload_can_be_turned_on(tmp_path: Path) -> None:
    output = deploy_check(tmp_path, GONGKAI_HTTPS="1", GONGKAI_HSTS_PRELOAD="1")
    assert "System check identified no issues" in output, output
