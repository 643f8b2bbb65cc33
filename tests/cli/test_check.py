"""`gongkai check`: the Done-means command of issue 2, exit statuses, JSON lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.cli.main import main

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
WANCHENG = CORPUS / "wancheng-office-2024.txt"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    status = main(["check", "--json", *args])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return status, lines


def test_wancheng_gives_the_truth_tables_and_two_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    truth = json.loads((CORPUS / "wancheng-office-2024.truth.json").read_text("utf-8"))
    status, [result] = run_json(capsys, str(WANCHENG))
    assert status == 0
    assert result["format"] == "2021" and result["year"] == 2024
    assert result["agency"] == truth["agency"]
    assert result["tables"] == truth["tables"]
    assert [(f["rule"], f["severity"], f["where"]) for f in result["findings"]] == [
        ("S-09", "warning", "s1"),
        ("S-05", "warning", "t3.r_open.other_org"),
    ]


def test_an_arithmetic_error_exits_1_and_names_the_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = WANCHENG.read_text("utf-8").replace(
        "\t36\n\n\t二、上年结转", "\t37\n\n\t二、上年结转", 1
    )
    broken = tmp_path / "broken.txt"
    broken.write_text(text, "utf-8")
    status, [result] = run_json(capsys, str(broken))
    assert status == 1
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert {f["rule"] for f in errors} >= {"T3-01", "T3-02"}
    assert any(
        "37" in f["message"] and "36" in f["message"] for f in errors if f["rule"] == "T3-01"
    )


def test_an_unreadable_file_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    status = main(["check", str(junk), str(WANCHENG)])
    captured = capsys.readouterr()
    assert status == 2
    assert "Word" in captured.err and "Traceback" not in captured.err
    assert "共检查 2 个文件" in captured.out


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, [result] = run_json(capsys, "/nonexistent/report.txt")
    assert status == 2 and "找不到文件" in result["error"]


def test_the_previous_year_enables_cross_year_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Last year's report claims 3 carried forward; this year's 上年结转 is 0 → X-01.
    last_year = WANCHENG.read_text("utf-8").replace("2024", "2023")
    row = "\t四、结转下年度继续办理\n" + "\t0\n" * 7
    assert row in last_year
    last_year = last_year.replace(row, "\t四、结转下年度继续办理\n\t3\n" + "\t0\n" * 5 + "\t3\n", 1)
    previous = tmp_path / "2023.txt"
    previous.write_text(last_year, "utf-8")
    status, [result] = run_json(capsys, str(WANCHENG), "--previous", str(previous))
    assert any(f["rule"] == "X-01" for f in result["findings"])
    assert status == 1


def test_every_corpus_file_is_read_without_a_false_arithmetic_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    _, results = run_json(capsys, *files)
    assert len(results) == len(files)
    for result in results:
        arithmetic = [
            f
            for f in result["findings"]
            if f["rule"][:3] in ("T3-", "T4-") and f["severity"] == "error"
        ]
        assert arithmetic == [], result["file"]
