"""`gongkai render FILE --to OUT`: any readable report to .docx, .html, .txt or .json."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from gongkai.cli.main import main
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.parsers.json import parse_json
from gongkai.domain.report.renderers import render, report_to_dict
from gongkai.pdf import chromium
from tests.report.fixtures import WANCHENG
from tests.report.renderers.samples import distinct_report


@pytest.fixture
def report_json(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_bytes(render(distinct_report(), "json"))
    return path


@pytest.mark.parametrize("suffix", [".docx", ".html", ".htm", ".txt", ".json", ".DOCX"])
def test_it_writes_the_format_named_by_the_extension(
    report_json: Path, tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"out{suffix}"
    assert main(["render", str(report_json), "--to", str(out)]) == 0
    fmt = {".htm": "html", ".DOCX": "docx"}.get(suffix, suffix[1:])
    if fmt == "docx":
        assert docx.Document(str(out)).tables  # a Word file with its tables
    else:
        assert out.read_bytes() == render(distinct_report(), fmt)
    assert capsys.readouterr().out == f"已生成 {out}\n"


def test_json_out_of_json_is_the_same_report(report_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    assert main(["render", str(report_json), "--to", str(out)]) == 0
    assert report_to_dict(parse_json(out.read_bytes())) == report_to_dict(
        parse_json(report_json.read_bytes())
    )


def test_it_reads_a_published_text_report(tmp_path: Path) -> None:
    out = tmp_path / "wancheng.html"
    assert main(["render", str(WANCHENG), "--to", str(out)]) == 0
    assert "宛城区人民政府办公室2024年政府信息公开工作年度报告" in out.read_text("utf-8")


def test_an_unreadable_file_exits_2_with_a_chinese_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "2030", "tables": {}}', "utf-8")
    out = tmp_path / "out.html"
    assert main(["render", str(bad), "--to", str(out)]) == 2
    assert "format 的值“2030”无效" in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(tmp_path / "nope.txt"), "--to", str(tmp_path / "x.html")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_an_unknown_output_extension_exits_2(
    report_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(report_json), "--to", str(tmp_path / "out.odt")]) == 2
    assert "无法确定输出格式" in capsys.readouterr().err


def test_an_unwritable_output_exits_2(
    report_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["render", str(report_json), "--to", str(tmp_path / "no" / "such" / "dir.html")]) == 2
    )
    assert "无法写入" in capsys.readouterr().err


def test_to_is_required(report_json: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["render", str(report_json)])
    assert caught.value.code == 2


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed")
def test_a_report_converted_to_pdf_reads_back_to_the_same_tables(tmp_path: Path) -> None:
    target = tmp_path / "wancheng.pdf"
    assert main(["render", str(WANCHENG), "--to", str(target)]) == 0
    report = parse_report(target.read_bytes(), target.name).report
    truth = json.loads(WANCHENG.with_suffix(".truth.json").read_text("utf-8"))["tables"]
    assert {k: [c.value for c in cells] for k, cells in report.t3.items()} == truth["t3"]
    assert report.agency == "宛城区人民政府办公室"
