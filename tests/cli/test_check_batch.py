"""`gongkai check` over a region's reports: folders, .zip files, --jobs, pairing, --summary.

Truth of the Wancheng figures (checked by hand against the corpus text, see
tests/report/test_batch.py): 本年新收 总计 36, 上年结转 总计 0, 予以公开 总计 22 of 办理结果 总计
36, 表四 all 0. The 2023 report made from it carries 3 forward: X-01 against 2024's 0.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai.cli.main import main
from tests.report.fixtures import CORPUS, WANCHENG
from tests.report.test_batch import wancheng_2023_carrying_three


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    status = main(["check", "--json", *args])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return status, lines


@pytest.fixture
def region(tmp_path: Path) -> Path:
    """A district's folder: the corpus texts in two sub-folders, a zip of two of them, the
    previous year of Wancheng, a damaged .docx, and files that are not reports."""
    folder = tmp_path / "region"
    (folder / "县直").mkdir(parents=True)
    (folder / "乡镇").mkdir()
    for path in sorted(CORPUS.glob("*.txt")):
        target = "乡镇" if "township" in path.name or "blank" in path.name else "县直"
        shutil.copy(path, folder / target / path.name)
    (folder / "县直" / "宛城区人民政府办公室2023年报.txt").write_text(
        wancheng_2023_carrying_three(), "utf-8"
    )
    with zipfile.ZipFile(folder / "上报.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(CORPUS / "pipe-rows-2024.txt", "一组/pipe-rows-2024.txt")
        archive.write(CORPUS / "bar-own-line-2023.txt", "一组/bar-own-line-2023.txt")
    (folder / "乡镇" / "损坏.docx").write_bytes(b"PK\x03\x04 damaged")
    (folder / "乡镇" / "说明.gif").write_bytes(b"\x89PNG not a report")
    (folder / ".hidden.txt").write_text("not read", "utf-8")
    return folder


def test_a_folder_with_a_zip_and_a_damaged_file(
    region: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, results = run_json(capsys, str(region), "--jobs", "2")
    names = [Path(r["file"]).relative_to(region).as_posix() for r in results]
    assert names == [
        "上报.zip/一组/pipe-rows-2024.txt",
        "上报.zip/一组/bar-own-line-2023.txt",
        "乡镇/blank-line-cells-2022.txt",
        "乡镇/township-2019-blank.txt",
        "乡镇/损坏.docx",
        "县直/bar-own-line-2023.txt",
        "县直/cell-per-line-bar-2023.txt",
        "县直/pdf-page-text-2022.txt",
        "县直/pipe-rows-2024.txt",
        "县直/wancheng-office-2024.txt",
        "县直/宛城区人民政府办公室2023年报.txt",
    ]
    assert status == 2  # one file unreadable, and errors elsewhere
    damaged = results[4]
    assert "Word" in damaged["error"] and damaged["risk"] == 50.0
    wancheng = results[9]
    assert wancheng["previous"].endswith("宛城区人民政府办公室2023年报.txt")
    x01 = [f for f in wancheng["findings"] if f["rule"] == "X-01"]
    assert len(x01) == 1 and "上年结转(0)" in x01[0]["message"] and "(3)" in x01[0]["message"]
    for result in results:  # the corpus and its 2023 copy: no arithmetic error
        assert not [
            f
            for f in result.get("findings", [])
            if f["rule"][:3] in ("T3-", "T4-") and f["severity"] == "error"
        ], result["file"]


def test_jobs_1_and_2_give_the_same_results(
    region: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = run_json(capsys, str(region), "--jobs", "1")
    two = run_json(capsys, str(region), "--jobs", "2")
    assert one == two


def test_a_pair_with_an_x01_mismatch_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = tmp_path / "2023.txt"
    last.write_text(wancheng_2023_carrying_three(), "utf-8")
    status, results = run_json(capsys, str(WANCHENG), str(last))
    assert status == 1
    assert results[0]["previous"] == str(last) and results[1]["previous"] is None
    assert {f["rule"] for f in results[0]["findings"]} >= {"X-01", "X-02"}
    # Each alone: no cross-year rule, exit 0 (the 2023 report adds up; only warnings).
    assert run_json(capsys, str(last))[0] == 0
    assert run_json(capsys, str(WANCHENG))[0] == 0


def test_previous_still_pairs_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = tmp_path / "last.txt"
    last.write_text(wancheng_2023_carrying_three(), "utf-8")
    status, [result] = run_json(capsys, str(WANCHENG), "--previous", str(last))
    assert status == 1 and result["previous"] == str(last)
    assert any(f["rule"] == "X-01" for f in result["findings"])


def _rows(region: Path, tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> Path:
    summary = tmp_path / f"summary{suffix}"
    status = main(["check", str(region), "--jobs", "2", "--summary", str(summary)])
    out = capsys.readouterr().out
    assert status == 2
    assert "共检查 11 个文件" in out and "风险分最高的报告" in out
    assert "汇总表已保存" in out and "┃" not in out  # no per-report tables with a summary
    return summary


def test_summary_csv_has_one_row_per_report_with_the_key_figures(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = _rows(region, tmp_path, ".csv", capsys)
    rows = list(csv.DictReader(io.StringIO(summary.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 11
    assert list(rows[0]) == [
        "文件",
        "机关",
        "年度",
        "格式",
        "文件类型",
        "错误",
        "警告",
        "风险分",
        "上年报告",
        "本年新收申请",
        "上年结转申请",
        "予以公开比例",
        "行政复议",
        "行政诉讼",
        "无法读取原因",
    ]
    wancheng = next(r for r in rows if r["文件"].endswith("wancheng-office-2024.txt"))
    assert (wancheng["机关"], wancheng["年度"], wancheng["格式"]) == (
        "宛城区人民政府办公室",
        "2024",
        "2021版",
    )
    assert (wancheng["本年新收申请"], wancheng["上年结转申请"]) == ("36", "0")
    assert wancheng["予以公开比例"] == str(round(22 / 36, 4))
    assert (wancheng["行政复议"], wancheng["行政诉讼"]) == ("0", "0")
    assert wancheng["错误"] == "1"
    damaged = next(r for r in rows if r["文件"].endswith("损坏.docx"))
    assert "Word" in damaged["无法读取原因"] and damaged["风险分"] == "50.0"


def test_summary_json_and_xlsx(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(_rows(region, tmp_path, ".json", capsys).read_text("utf-8"))
    assert len(document["reports"]) == 11
    wancheng = next(
        r for r in document["reports"] if r["file"].endswith("wancheng-office-2024.txt")
    )
    assert wancheng["new"] == 36 and wancheng["open_share"] == round(22 / 36, 4)
    assert "X-01" in {f["rule"] for f in wancheng["findings"]}
    risks = [a["risk"] for a in document["agencies"]]
    assert risks == sorted(risks, reverse=True)
    book = load_workbook(_rows(region, tmp_path, ".xlsx", capsys), read_only=True)
    assert book.sheetnames == ["报告", "机关", "问题"]
    assert len(list(book["报告"].iter_rows(values_only=True))) == 12
    problems = list(book["问题"].iter_rows(values_only=True))
    assert any(row[1] == "X-01" for row in problems)
    assert any(row[2] == "无法读取" for row in problems)


def test_summary_html_is_self_contained_with_charts_and_links(
    region: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = _rows(region, tmp_path, ".html", capsys).read_text("utf-8")
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert page.count("<svg") == 4 and page.count('role="img"') == 4
    assert page.count("<desc") == 4 and page.count("数据表（图表的文字说明）") == 4
    assert "各规则涉及的报告数" in page and "X-01（错误）" in page
    # Every report in the list links to its own section of findings.
    links = set(re.findall(r'href="#(r\d+)"', page))
    sections = set(re.findall(r'<section id="(r\d+)"', page))
    assert len(sections) == 11 and links >= sections


def test_a_summary_of_an_unknown_kind_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(WANCHENG), "--summary", str(tmp_path / "s.pdf")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_a_folder_without_reports_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path)]) == 2
    assert "没有找到" in capsys.readouterr().err
