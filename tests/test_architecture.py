"""The domain stays pure: no module of gongkai/domain imports Django or gongkai code outside it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[1] / "gongkai" / "domain"
MODULES = sorted(DOMAIN.rglob("*.py"))


def imported_names(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_there_are_domain_modules_to_scan() -> None:
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_module_imports_no_django_and_no_app_code(path: Path) -> None:
    for name in imported_names(path):
        assert not name.startswith("django"), f"{path} imports {name}"
        if name.startswith("gongkai"):
            assert name.startswith("gongkai.domain"), f"{path} imports {name}"


def test_the_scan_would_catch_a_django_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from django.db import models\nimport gongkai.cli.main\n", "utf-8")
    assert imported_names(module) == ["django.db", "gongkai.cli.main"]


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    from django.core.management import call_command

    # Exits with status 1 (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


AUDIT = Path(__file__).resolve().parents[1] / "gongkai" / "audit"


@pytest.mark.parametrize(
    "path", sorted(AUDIT.rglob("*.py")), ids=lambda p: str(p.relative_to(AUDIT))
)
def test_the_audit_app_is_the_lowest_layer(path: Path) -> None:
    """Every app records into the audit log, so it may import no other app of gongkai."""
    for name in imported_names(path):
        if name.startswith("gongkai"):
            assert name.startswith("gongkai.audit"), f"{path} imports {name}"
