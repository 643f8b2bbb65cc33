"""Golden tests: every report of shared/corpus against its hand-checked truth file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gongkai.domain.report.model import AnnualReport, Cells
from gongkai.domain.report.parsers import parse_report

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
NAMES = sorted(p.stem for p in CORPUS.glob("*.txt"))

# Row names of the 2019 table 二 as the truth files spell them (`table2_2019_as_published`).
T2_2019_NAMES = {
    "规章": "regulations",
    "规范性文件": "normative_documents",
    "行政许可": "licensing",
    "其他对外管理服务事项": "other_services",
    "行政处罚": "penalty",
    "行政强制": "coercion",
    "行政事业性收费": "fees",
    "政府集中采购": "procurement",
}


def _values(cells: Cells) -> list[int | Decimal | None]:
    return [cell.value for cell in cells]


def _read(name: str) -> tuple[AnnualReport, dict[str, Any], str]:
    text = (CORPUS / f"{name}.txt").read_bytes()
    truth = json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))
    return parse_report(text, f"{name}.txt").report, truth, text.decode("utf-8")


def test_the_corpus_is_there() -> None:
    assert "wancheng-office-2024" in NAMES, f"corpus not found at {CORPUS}"


@pytest.mark.parametrize("name", NAMES)
def test_format_and_year_match_the_truth(name: str) -> None:
    report, truth, _ = _read(name)
    assert report.format.value == truth["format"]
    assert report.year == truth["year"]


@pytest.mark.parametrize("name", NAMES)
def test_agency_matches_when_the_text_names_it(name: str) -> None:
    report, truth, text = _read(name)
    if truth["agency"] and truth["agency"] in text:
        assert report.agency == truth["agency"]
    elif report.agency is not None:
        # The truth may describe an agency the excerpt names only in part.
        assert report.agency in (truth["agency"] or "")


@pytest.mark.parametrize("name", NAMES)
def test_table_3_matches_the_truth_cell_for_cell(name: str) -> None:
    report, truth, _ = _read(name)
    expected = (truth["tables"] or {}).get("t3") or {}
    for row, cells in expected.items():
        if cells is None or row == truth.get("truncated_row"):
            assert row not in report.t3, f"{row} is not in the text but was read"
        else:
            assert row in report.t3, f"{row} missing"
            assert _values(report.t3[row]) == cells, row
    assert set(report.t3) <= set(expected)


@pytest.mark.parametrize("name", NAMES)
def test_table_4_matches_the_truth(name: str) -> None:
    report, truth, _ = _read(name)
    expected = (truth["tables"] or {}).get("t4")
    if expected is None:
        assert report.t4 == {}
    else:
        assert {k: _values(v) for k, v in report.t4.items()} == expected


@pytest.mark.parametrize("name", NAMES)
def test_table_2_matches_the_truth(name: str) -> None:
    report, truth, _ = _read(name)
    if truth["format"] == "2019":
        published = truth.get("table2_2019_as_published") or {}
        expected = {T2_2019_NAMES[k]: v for k, v in published.items() if not k.startswith("_")}
        assert {k: _values(v) for k, v in report.t2.items()} == expected
        return
    expected_2021 = (truth["tables"] or {}).get("t2")
    if expected_2021 is None:
        assert report.t2 == {}
        return
    got = {k: _values(v) for k, v in report.t2.items()}
    for key in ("regulations", "normative_documents"):
        assert got[key] == expected_2021[key], key
    for key in ("licensing", "penalty", "coercion", "fees"):
        assert got[key] == [expected_2021[key]], key


def test_wancheng_sections_and_narrative() -> None:
    report, truth, _ = _read("wancheng-office-2024")
    assert [s.number for s in report.sections] == [1, 1, 2, 3, 4, 5, 6]
    assert report.period == (2024, 2024)
    s1 = "\n".join(s.text for s in report.sections if s.number == 1)
    assert f"主动公开政府信息{truth['narrative']['proactive_items']}条" in s1
    assert f"收到政府信息公开申请{truth['narrative']['applications_received']}件" in s1
    subsections = [s for s in report.sections if s.number == 1][1].subsections
    assert [s.key for s in subsections] == [
        "proactive",
        "on_request",
        "management",
        "platform",
        "oversight",
    ]
    assert "未收取任何信息处理费" in report.section_text(6)
    assert report.section_text(5).startswith("（一）存在问题")


def test_a_row_cut_off_at_the_end_is_dropped_with_a_note() -> None:
    report, _, _ = _read("pipe-rows-2024")
    assert "r_deny_enforce" not in report.t3
    assert any(
        "7.属于行政执法案卷" in note.message and "截断" in note.message for note in report.notes
    )
