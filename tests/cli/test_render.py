"""`gongkai render`: the Wancheng report converted to PDF reads back to its truth tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.cli.main import main
from gongkai.domain.report.parsers import parse_report
from gongkai.pdf import chromium

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed")
def test_a_report_converted_to_pdf_reads_back_to_the_same_tables(tmp_path: Path) -> None:
    target = tmp_path / "wancheng.pdf"
    assert main(["render", str(CORPUS / "wancheng-office-2024.txt"), "--to", str(target)]) == 0
    report = parse_report(target.read_bytes(), target.name).report
    truth = json.loads((CORPUS / "wancheng-office-2024.truth.json").read_text("utf-8"))["tables"]
    assert {k: [c.value for c in cells] for k, cells in report.t3.items()} == truth["t3"]
    assert report.agency == "宛城区人民政府办公室"


def test_an_unknown_output_format_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "x.odt"
    assert main(["render", str(CORPUS / "wancheng-office-2024.txt"), "--to", str(target)]) == 2
    assert not target.exists()
