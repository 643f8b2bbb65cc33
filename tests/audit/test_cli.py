"""`gongkai audit --json` prints one JSON object per line with at, user, action, object, ip."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cli.main import main


@pytest.mark.django_db
def test_json_lines_carry_the_required_members(capsys: pytest.CaptureFixture[str]) -> None:
    user = get_user_model().objects.create_user("li")
    audit_record(AuditAction.DOWNLOAD, user=user, object_repr="WCBGS-2025-0003 申请书.pdf")
    audit_record(AuditAction.LOGIN_FAILED, username="mallory", success=False)
    assert main(["audit", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["action"] for row in rows] == ["login_failed", "download"]
    assert {"at", "user", "action", "object", "ip"} <= set(rows[0])
    assert rows[1]["user"] == "li"
    assert rows[1]["object"] == "WCBGS-2025-0003 申请书.pdf"


@pytest.mark.django_db
def test_filters_by_user_and_since(capsys: pytest.CaptureFixture[str]) -> None:
    audit_record(AuditAction.EXPORT, username="", object_repr="a")
    user = get_user_model().objects.create_user("zhao")
    audit_record(AuditAction.EXPORT, user=user, object_repr="b")
    assert main(["audit", "--json", "--user", "zhao", "--since", "2020-01-01"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["object"] for row in rows] == ["b"]
    assert main(["audit", "--json", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_an_unknown_action_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--action", "nonsense"]) == 2
    assert "没有“nonsense”这种事件" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly(tmp_path: object) -> None:
    """`gongkai audit --json | head -1` prints no traceback when head stops reading."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    data = Path(str(tmp_path))
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "gongkai.cli.main", "manage", "migrate", "-v0"],
        cwd=root, env=env, check=True, timeout=120,
    )  # fmt: skip
    script = (
        "from gongkai.cli.web import setup_django; setup_django()\n"
        "from gongkai.audit.actions import AuditAction\n"
        "from gongkai.audit.services import audit_record\n"
        "for n in range(1000): audit_record(AuditAction.EXPORT, object_repr=f'导出{n}')\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=root, env=env, check=True, timeout=120)
    pipeline = f"{sys.executable} -m gongkai.cli.main audit --json | head -1"
    result = subprocess.run(
        pipeline, shell=True, cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr
