"""`gongkai` starts fast because it imports only what the command needs (issue 15 §6): each case
runs the command in a fresh interpreter and lists the modules it ended up with. A structural
check, not a timing one (the figures are bench/cli_startup.py's); it fails as soon as a module
imports a heavy library at its top again."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli.commands import COMMANDS
from gongkai.cli.main import build_parser
from tests.report.fixtures import WANCHENG, wancheng_docx

PDF = Path(__file__).resolve().parents[1] / "data" / "pdf" / "wancheng-ruled.pdf"

# Run `main(argv)` with its output discarded, then print the names of the modules loaded.
PROBE = """
import contextlib, io, json, sys
from gongkai.cli.main import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        status = main(json.loads(sys.argv[1]))
    except SystemExit as exc:  # --help exits
        status = exc.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""

# Never needed to check a file or count a deadline.
WEB = ("django", "gunicorn", "psycopg")
OCR = ("onnxruntime", "rapidocr", "rapidocr_onnxruntime", "cv2", "numpy", "scipy", "datasketch")
# What only one input format, the --summary file or a batch's progress bar needs.
PDF_READERS = ("pypdfium2", "pdfplumber", "pdfminer")
DOCX_READERS = ("docx", "lxml")
SUMMARY = ("openpyxl", "gongkai.domain.report.batch_summary")
BATCH = ("rich.progress", "rich.live", "concurrent.futures.process", "multiprocessing")


def loaded(*argv: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    return result["status"], set(result["modules"])


def present(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of `packages` (a package or a module, with its submodules) that were loaded."""
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_checking_a_text_file_loads_no_web_no_ocr_no_other_format_reader() -> None:
    status, modules = loaded("check", str(WANCHENG))
    assert status == 0
    assert "gongkai.domain.report.parsers.text" in modules  # the probe saw the real work
    assert "rich.table" in modules  # the findings were printed
    assert present(modules, WEB + OCR + PDF_READERS + DOCX_READERS + SUMMARY + BATCH) == []


def test_checking_a_pdf_loads_pdfium_and_not_the_word_reader() -> None:
    status, modules = loaded("check", str(PDF))
    assert status == 0
    assert "pypdfium2" in modules
    # pdfplumber is the fallback for what PDFium cannot read, not a reader of every PDF.
    assert present(modules, WEB + OCR + DOCX_READERS + ("pdfplumber", "pdfminer")) == []


def test_checking_a_docx_loads_its_reader_and_not_pdfium(tmp_path: Path) -> None:
    report = tmp_path / "report.docx"
    report.write_bytes(wancheng_docx())
    status, modules = loaded("check", str(report))
    assert status == 0
    assert "gongkai.domain.report.parsers.docx" in modules
    assert present(modules, WEB + OCR + PDF_READERS + SUMMARY) == []


def test_reports_of_one_agency_build_no_minhash_index() -> None:
    """雷同 across agencies (D-02) needs two agencies: without them datasketch (and scipy under it,
    half a second) is not imported."""
    status, modules = loaded("check", "--jobs", "1", str(WANCHENG), str(WANCHENG))
    assert status == 0
    assert present(modules, ("datasketch", "scipy")) == []  # the same agency twice


def test_due_loads_no_report_reader_and_its_json_no_rich() -> None:
    argv = ("due", "--received", "2025-01-20", "--today", "2025-02-01")
    status, modules = loaded(*argv)
    assert status == 0 and "gongkai.domain.deadlines" in modules
    readers = ("gongkai.domain.report", "rich.progress")
    assert present(modules, WEB + OCR + PDF_READERS + DOCX_READERS + readers) == []
    status, modules = loaded(*argv, "--json")
    assert status == 0
    assert present(modules, ("rich", "gongkai.domain.report", *WEB)) == []


def test_help_imports_no_sub_command() -> None:
    status, modules = loaded("--help")
    assert status == 0
    sub_commands = tuple(f"gongkai.cli.{command.module}" for command in COMMANDS)
    assert present(modules, (*sub_commands, "rich", "gongkai.domain", *WEB)) == []


# ---------------------------------------------------------------- the table and the modules agree


def test_every_module_registers_exactly_its_commands_of_the_table() -> None:
    """The bare parser of a command not run is only its name and help; the module's own parsers
    must have the same names, in the table's order, each with its arguments."""
    for command in COMMANDS:
        parser = build_parser(command.name)
        [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        choices: dict[str, argparse.ArgumentParser] = action.choices
        assert list(choices) == [c.name for c in COMMANDS]
        for sibling in COMMANDS:
            actions = choices[sibling.name]._actions
            registered = any(not isinstance(a, argparse._HelpAction) for a in actions)
            assert registered == (sibling.module == command.module), sibling.name


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
def test_gongkai_help_is_the_same_whichever_module_is_loaded(command: str) -> None:
    """`gongkai --help` lists the table's help; a module registering its parser with another help
    (or in another order) would make the two listings differ."""
    assert build_parser(command).format_help() == build_parser(None).format_help()
