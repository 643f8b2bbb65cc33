"""`gongkai manage check --deploy` in a production environment (Django's deployment checklist).

Each case runs the real command in a fresh process with the environment an operator would set:
DEBUG off, a generated 50-character key, the site's host name, and GONGKAI_HTTPS or not.
"""

from __future__ import annotations

import os
import re
import secrets
import string
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "gongkai.cli.main"]
ALPHABET = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"


def check_deploy(**env: str) -> tuple[int, set[str], str]:
    """Exit status (with --fail-level WARNING), the ids of the issues found, and the output."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DJANGO_", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"))
    }
    with tempfile.TemporaryDirectory(prefix="gongkai-deploy-") as data:
        process = subprocess.run(
            [*COMMAND, "manage", "check", "--deploy", "--fail-level", "WARNING"],
            env={
                **base,
                "DJANGO_SETTINGS_MODULE": "gongkai.settings",
                "GONGKAI_DATA_DIR": data,
                "DEBUG": "false",
                "SECRET_KEY": "".join(secrets.choice(ALPHABET) for _ in range(50)),
                "ALLOWED_HOSTS": "gongkai.example.gov.cn",
                **env,
            },
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    output = process.stdout + process.stderr
    return process.returncode, set(re.findall(r"\((\w+\.[EW]\d+)\)", output)), output


class DeployCheckTests(unittest.TestCase):
    def test_with_https_the_deployment_checklist_finds_nothing(self) -> None:
        status, issues, output = check_deploy(GONGKAI_HTTPS="1")
        self.assertEqual(issues, set(), output)
        self.assertEqual(status, 0, output)
        self.assertIn("no issues", output)

    def test_behind_a_proxy_with_https_too(self) -> None:
        status, issues, output = check_deploy(GONGKAI_HTTPS="1", GONGKAI_BEHIND_PROXY="1")
        self.assertEqual((status, issues), (0, set()), output)

    def test_without_https_it_names_exactly_what_https_would_switch_on(self) -> None:
        status, issues, output = check_deploy()
        self.assertEqual(
            issues,
            {
                "security.W004",  # SECURE_HSTS_SECONDS
                "security.W008",  # SECURE_SSL_REDIRECT
                "security.W012",  # SESSION_COOKIE_SECURE
                "security.W016",  # CSRF_COOKIE_SECURE
            },
            output,
        )
        self.assertEqual(status, 1)

    def test_debug_or_a_weak_key_are_still_caught(self) -> None:
        _status, issues, output = check_deploy(
            GONGKAI_HTTPS="1", DEBUG="true", SECRET_KEY="django-insecure-short"
        )
        self.assertEqual(issues, {"security.W018", "security.W009"}, output)
