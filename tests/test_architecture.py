"""The layers hold: the domain stays pure (no Django, no gongkai code outside it); no app imports
an app built on it or the packages that compose the apps; no module imports another's private
name. Each rule is an `ast` scan, with a test that proves the scan would catch a violation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GONGKAI = ROOT / "gongkai"
DOMAIN = GONGKAI / "domain"
MODULES = sorted(DOMAIN.rglob("*.py"))
ALL_MODULES = sorted(GONGKAI.rglob("*.py"))


def module_name(path: Path, root: Path = ROOT) -> str:
    """`gongkai/cases/api.py` → `gongkai.cases.api`; a package's `__init__.py` → the package."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _from_target(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute module of `from … import`, relative imports resolved against `module`."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def imported_names(path: Path, module: str = "") -> list[str]:
    """Every module the file imports: `import`, `from … import` (relative ones resolved when the
    file's module is given) and `importlib.import_module("…")` with a literal name."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                names.append(node.module)
            elif node.level and module:
                names.append(_from_target(node, module, path.name == "__init__.py"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append(node.args[0].value)
    return names


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


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


# ---------------------------------------------------------------- nothing imports upward

# What each app must never import: the apps built on it, and the packages above the apps that
# compose them (the API's root, the 工作台, the demo loader, the console script, the backup).
ABOVE_THE_APPS = ("gongkai.api", "gongkai.web", "gongkai.demo", "gongkai.cli", "gongkai.backup")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "gongkai.accounts": (
        "gongkai.cases",
        "gongkai.disclosure",
        "gongkai.reports",
        "gongkai.portal",
        "gongkai.supervision",
        *ABOVE_THE_APPS,
    ),
    "gongkai.cases": (
        "gongkai.disclosure",
        "gongkai.reports",
        "gongkai.portal",
        "gongkai.supervision",
        *ABOVE_THE_APPS,
    ),
    "gongkai.disclosure": ("gongkai.portal", "gongkai.supervision", *ABOVE_THE_APPS),
    "gongkai.reports": ("gongkai.portal", "gongkai.supervision", *ABOVE_THE_APPS),
    # The public side is built on the apps; supervision reads the portal's 指南 too.
    "gongkai.portal": ("gongkai.supervision", *ABOVE_THE_APPS),
    # 监督保障 reads every app; only what composes everything sits above it.
    "gongkai.supervision": ABOVE_THE_APPS,
}


def upward_imports(path: Path, module: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{module} imports {name}"
        for name in imported_names(path, module)
        if any(within(name, above) for above in forbidden)
    ]


LAYERED = [
    (path, package)
    for package in FORBIDDEN
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py"))
]


@pytest.mark.parametrize(
    ("path", "package"), LAYERED, ids=[str(p.relative_to(GONGKAI)) for p, _ in LAYERED]
)
def test_no_app_imports_upward(path: Path, package: str) -> None:
    assert upward_imports(path, module_name(path), FORBIDDEN[package]) == []


def test_there_are_app_modules_to_scan() -> None:
    packages = {package for _, package in LAYERED}
    assert packages == set(FORBIDDEN)
    assert len(LAYERED) > 50


def test_the_scan_would_catch_an_upward_import(tmp_path: Path) -> None:
    package = tmp_path / "gongkai" / "cases" / "selectors"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    module = package / "bad.py"
    module.write_text(
        "import gongkai.reports.selectors\n"
        "from gongkai.disclosure.services import letter_kinds_for\n"
        "from ...reports import api\n"
        "from gongkai.api import schema\n"
        "import importlib\n"
        "importlib.import_module('gongkai.disclosure.services')\n"
        "from gongkai.cases.models import Application\n"
        "import gongkai.reportsmith\n",
        "utf-8",
    )
    name = module_name(module, tmp_path)
    assert name == "gongkai.cases.selectors.bad"
    assert upward_imports(module, name, FORBIDDEN["gongkai.cases"]) == [
        f"{name} imports gongkai.reports.selectors",
        f"{name} imports gongkai.disclosure.services",
        f"{name} imports gongkai.reports",
        f"{name} imports gongkai.api",
        f"{name} imports gongkai.disclosure.services",
    ]
    accounts = tmp_path / "accounts_bad.py"
    accounts.write_text("from gongkai.cases.access import applications_for_user\n", "utf-8")
    assert upward_imports(accounts, "gongkai.accounts.bad", FORBIDDEN["gongkai.accounts"]) == [
        "gongkai.accounts.bad imports gongkai.cases.access"
    ]


def test_the_audit_scan_would_catch_an_import_of_another_app(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from gongkai.accounts.models import Organisation\n", "utf-8")
    with pytest.raises(AssertionError, match=re.escape("imports gongkai.accounts.models")):
        test_the_audit_app_is_the_lowest_layer(module)


# ---------------------------------------------------------------- no private names across modules


def private_name_imports(path: Path, module: str) -> list[str]:
    """`from x import _y` where x is another module of gongkai and `_y` is private (a leading
    underscore, not a dunder)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        target = _from_target(node, module, path.name == "__init__.py")
        if not within(target, "gongkai") or target == module:
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                found.append(f"{module} imports {target}.{alias.name}")
    return found


@pytest.mark.parametrize("path", ALL_MODULES, ids=lambda p: str(p.relative_to(GONGKAI)))
def test_no_module_imports_a_private_name_of_another(path: Path) -> None:
    assert private_name_imports(path, module_name(path)) == []


def test_the_scan_would_catch_a_private_import(tmp_path: Path) -> None:
    package = tmp_path / "gongkai" / "disclosure"
    package.mkdir(parents=True)
    module = package / "documents.py"
    module.write_text(
        "from gongkai.domain.report.renderers.docx import _styles, set_fonts\n"
        "from .services import _render\n"
        "from gongkai.disclosure.documents import _own\n"
        "from gongkai.cases import __version__\n"
        "from docx.table import _Cell\n",
        "utf-8",
    )
    name = module_name(module, tmp_path)
    assert private_name_imports(module, name) == [
        f"{name} imports gongkai.domain.report.renderers.docx._styles",
        f"{name} imports gongkai.disclosure.services._render",
    ]
