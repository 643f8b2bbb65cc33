"""Collapsed rows (issue 13): a row printed with fewer figures than columns is placed by the
table's identities, or its doubtful cells are unreadable — never guessed into an arithmetic error.

The files of tests/data/collapsed are the Wancheng report (shared/corpus) with blank cells dropped
as text and HTML copies drop them; their truth files were derived by hand (README there). The
short documents below were typed for these tests; their expectations are worked out in comments.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Cell, Cells, CellState
from gongkai.domain.report.parsers import parse_report, placement
from gongkai.domain.report.parsers.placement import (
    T4_GROUPS,
    Collapsed,
    readings,
    resolve_row,
)
from gongkai.domain.report.parsers.values import parse_cell
from gongkai.domain.report.rules import check_report
from tests.report.test_corpus import CORPUS, NAMES

DATA = Path(__file__).resolve().parents[1] / "data" / "collapsed"
MATERIAL = sorted(p.name for p in DATA.iterdir() if p.suffix in (".txt", ".html"))
ARITHMETIC = ("T2-", "T3-", "T4-")


def arithmetic_errors(report: AnnualReport) -> list[Finding]:
    return [
        f
        for f in check_report(report)
        if f.rule.startswith(ARITHMETIC) and f.severity is Severity.ERROR
    ]


def assert_cells(cells: Cells, expected: list[int | str | None], where: str) -> None:
    """ "?" must be unreadable; a figure or null (blank) must be read as that number (a blank
    and a 0 are the same for arithmetic, and which of them a dropped cell was is unknowable)."""
    assert len(cells) == len(expected), where
    for column, (cell, want) in enumerate(zip(cells, expected, strict=True)):
        place = f"{where}[{column}]"
        if want == "?":
            assert cell.state is CellState.UNREADABLE, place
            continue
        assert cell.state is not CellState.UNREADABLE, place
        assert cell.as_number == (want or 0), place
        if want:
            assert cell.value == want, place


def read(name: str) -> tuple[AnnualReport, dict[str, Any]]:
    path = DATA / name
    truth = json.loads(path.with_suffix(".truth.json").read_text("utf-8"))
    return parse_report(path.read_bytes(), name).report, truth


def test_there_is_material() -> None:
    assert len(MATERIAL) == 5
    assert all((DATA / name).with_suffix(".truth.json").exists() for name in MATERIAL)


@pytest.mark.parametrize("name", MATERIAL)
def test_collapsed_material_reads_to_its_truth(name: str) -> None:
    report, truth = read(name)
    assert report.format.value == truth["format"]
    assert report.year == truth["year"]
    tables = truth["tables"]
    for table in ("t2", "t3", "t4"):
        got = getattr(report, table)
        for key, expected in tables[table].items():
            assert key in got, f"{table}.{key} missing"
            assert_cells(got[key], expected, f"{table}.{key}")
    blank_rows = set(report.t3) - set(tables["t3"])
    for key in blank_rows:  # "other_t3_rows": every cell blank
        assert_cells(report.t3[key], [None] * 7, f"t3.{key}")
    assert len(report.t3) == (25 if truth["format"] == "2021" else 23)


@pytest.mark.parametrize("name", MATERIAL)
def test_collapsed_material_gives_no_arithmetic_error(name: str) -> None:
    report, truth = read(name)
    assert arithmetic_errors(report) == []
    doubtful = sum(v == "?" for rows in truth["tables"].values() for r in rows.values() for v in r)
    warned = [f for f in check_report(report) if f.rule == "S-11"]
    assert len(warned) == doubtful
    placed = [n.message for n in report.notes if "空白单元格未保留" in n.message]
    assert placed, "a collapsed row is always noted"
    if truth["how"] == "pinned":
        assert not any("无法确定" in message for message in placed)


@pytest.mark.parametrize("name", NAMES)
def test_the_corpus_gives_no_arithmetic_error(name: str) -> None:
    # None of the corpus reports has an arithmetic inconsistency (their truth files).
    truth = json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))
    assert not truth.get("inconsistencies")
    report = parse_report((CORPUS / f"{name}.txt").read_bytes(), f"{name}.txt").report
    assert arithmetic_errors(report) == []
    assert not any(c.state is CellState.UNREADABLE for r in report.t3.values() for c in r)


# ---------------------------------------------------------------- the issue's 2019 page

HEAD_2019 = """某乡人民政府2019年政府信息公开工作年度报告
本报告所列数据的统计期限自2019年1月1日至2019年12月31日止。
一、总体情况
全年收到申请3件。
二、主动公开政府信息情况
第二十条第(一)项 |
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
规章 | 0 | 0 | 0 |
规范性文件 | 0 | 0 | 0 |
三、收到和处理政府信息公开申请情况
"""
TAIL_2019 = """四、政府信息公开行政复议、行政诉讼情况
行政复议 | 行政诉讼 |
0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
无。
"""
T3_LABELS_2019 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "（七）总计",
    "四、结转下年度继续办理",
]


def page_2019(rows: dict[str, str]) -> bytes:
    """A 2019 page of pipe rows; a row not given is printed as zeros."""
    lines = [
        f"{label} | {rows.get(label, '0 | 0 | 0 | 0 | 0 | 0 | 0 |')}" for label in T3_LABELS_2019
    ]
    return (HEAD_2019 + "\n".join(lines) + "\n" + TAIL_2019).encode("utf-8")


def test_the_issue_row_is_placed_when_a_whole_row_pins_the_column() -> None:
    # 3 applications from citizens, all opened: 新收 and 总计 printed whole, 予以公开 collapsed
    # to "3 | 3 | ||||||". T3-03 in the 自然人 column: 予以公开 + 0 = 3, so the 3 is 自然人.
    report = parse_report(
        page_2019(
            {
                "一、本年新收政府信息公开申请数量": "3 | 0 | 0 | 0 | 0 | 0 | 3 |",
                "（一）予以公开": "3 | 3 | ||||||",
                "（七）总计": "3 | 0 | 0 | 0 | 0 | 0 | 3 |",
            }
        ),
        "township.txt",
    ).report
    assert_cells(report.t3["r_open"], [3, None, None, None, None, None, 3], "r_open")
    assert report.t3["r_open"][0].raw == "3"
    assert arithmetic_errors(report) == []
    assert any("按本行及各列勾稽关系推定" in n.message for n in report.notes)


def test_the_issue_row_is_ambiguous_when_nothing_pins_the_column() -> None:
    # Every row collapsed: the 3 may be any applicant's, consistently down the table, so the
    # six applicant cells of each row are unreadable; 总计 is 3 in every reading.
    collapsed = "3 | 3 | ||||||"
    rows = {label: "||||||" for label in T3_LABELS_2019}
    rows |= {label: collapsed for label in (T3_LABELS_2019[0], "（一）予以公开", "（七）总计")}
    report = parse_report(page_2019(rows), "township.txt").report
    for key in ("new", "r_open", "r_total"):
        assert_cells(report.t3[key], ["?"] * 6 + [3], key)
    assert_cells(report.t3["r_partial"], [None] * 7, "r_partial")
    assert arithmetic_errors(report) == []
    assert len([f for f in check_report(report) if f.rule == "S-11"]) == 18


def test_the_issue_row_on_its_own_was_a_false_t3_02_error_before() -> None:
    # Read as printed (3 in 自然人 and 商业企业, 总计 blank) the row broke T3-02.
    report = parse_report(page_2019({"（一）予以公开": "3 | 3 | ||||||"}), "township.txt").report
    assert not any(f.rule == "T3-02" for f in check_report(report))


def test_a_row_no_placement_fits_is_unreadable_and_noted() -> None:
    # "3 4": 4 as 总计 leaves 3 ≠ 4; 4 as an applicant leaves 7 ≠ blank. Every cell doubtful.
    report = parse_report(page_2019({"（一）予以公开": "3 | 4 |"}), "township.txt").report
    assert [c.state for c in report.t3["r_open"]] == [CellState.UNREADABLE] * 7
    assert any("任何排列都与本行总计不符" in n.message for n in report.notes)
    assert arithmetic_errors(report) == []


def test_a_row_with_trailing_empty_cells_is_read_as_positioned() -> None:
    # Eight cells, the last blank: the first seven satisfy T3-02 as they stand.
    report = parse_report(
        page_2019({"（一）予以公开": "3 | | | | | | 3 | |"}), "township.txt"
    ).report
    assert [c.value for c in report.t3["r_open"]] == [3, None, None, None, None, None, 3]
    assert not any("空白单元格未保留" in n.message for n in report.notes)


def test_a_true_error_in_a_whole_row_is_still_found() -> None:
    # A full row with explicit blank cells is trusted: 3 ≠ blank 总计 is the report's error.
    report = parse_report(
        page_2019({"（一）予以公开": "3 |  |  |  |  |  |  |"}), "township.txt"
    ).report
    assert any(f.rule == "T3-02" for f in check_report(report))


# ---------------------------------------------------------------- placement on its own


def figures(*texts: str) -> Cells:
    return tuple(parse_cell(text) for text in texts)


def test_placements_keep_the_order_and_are_all_enumerated() -> None:
    row = Collapsed("x", None, figures("1", "2"), 4)
    assert [r.placement for r in readings(row)] == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert len(readings(Collapsed("t4", None, figures(*"1234567"), 15))) == 6435


def test_table_4_is_placed_by_its_group_sums() -> None:
    # Figures typed for tests/report/test_layout_variants.py (T4), zeros printed blank:
    # 2 1 1 4 1 1. The 4 is a 总计 of three of the results before it (as a result it would need
    # a total of at least 8): 行政复议's, the two 1s then a result and the 总计 of either 行政诉讼
    # group; or 未经复议直接起诉's, 行政复议 then empty and the two 1s in 复议后起诉. No cell is
    # the same in all of these.
    resolved = resolve_row(
        Collapsed("表四", None, figures("2", "1", "1", "4", "1", "1"), 15, T4_GROUPS, True)
    )
    assert_cells(resolved.cells, ["?"] * 15, "t4")
    assert resolved.cells[4].raw == "4"
    # 2 1 1 4 1 1 1 3 1 1: a group holding figures ends with its 总计, the sum of the figures
    # before it in the group. 2 1 1 | 4 is the only first group; then 1 | 1 leaves 1 3 1 1,
    # which no group fits, so 1 1 1 | 3 and 1 | 1. The three totals are known; which result
    # columns hold each group's figures is not.
    pinned = resolve_row(
        Collapsed(
            "表四",
            None,
            figures("2", "1", "1", "4", "1", "1", "1", "3", "1", "1"),
            15,
            T4_GROUPS,
            True,
        )
    )
    assert_cells(
        pinned.cells, ["?", "?", "?", "?", 4, "?", "?", "?", "?", 3, "?", "?", "?", "?", 1], "t4"
    )


def test_table_4_zeros_only_in_the_totals() -> None:
    resolved = resolve_row(Collapsed("表四", None, figures("0", "0", "0"), 15, T4_GROUPS, True))
    assert [c.value for c in resolved.cells] == [None, None, None, None, 0] * 3
    assert resolved.doubtful == 0


def test_table_2_has_no_identity_so_nonzero_figures_stay_doubtful() -> None:
    # "行政规范性文件 10 27": (10, 27, _), (10, _, 27) and (_, 10, 27) are all possible.
    resolved = resolve_row(Collapsed("行政规范性文件", None, figures("10", "27"), 3))
    assert [c.state for c in resolved.cells] == [CellState.UNREADABLE] * 3
    assert resolved.cells[1].raw == "27/10"
    zeros = resolve_row(Collapsed("规章", None, figures("0"), 3))
    assert [c.value for c in zeros.cells] == [0, None, None]


def test_a_search_too_large_falls_back_to_each_rows_own_identity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With no room for the column search the pinned 3 of the first page test is doubtful again.
    monkeypatch.setattr(placement, "MAX_STATES", 0)
    report = parse_report(
        page_2019(
            {
                "一、本年新收政府信息公开申请数量": "3 | 0 | 0 | 0 | 0 | 0 | 3 |",
                "（一）予以公开": "3 | 3 | ||||||",
                "（七）总计": "3 | 0 | 0 | 0 | 0 | 0 | 3 |",
            }
        ),
        "township.txt",
    ).report
    assert_cells(report.t3["r_open"], ["?"] * 6 + [3], "r_open")
    assert arithmetic_errors(report) == []


def test_an_unreadable_cell_names_what_may_stand_in_it() -> None:
    cell = Cell.unreadable("3", None)
    report = parse_report(page_2019({"（一）予以公开": "3 | 3 | ||||||"}), "township.txt").report
    assert report.t3["r_open"][0].raw == cell.raw
    warning = next(f for f in check_report(report) if f.where == "t3.r_open.natural")
    assert "“3”无法确定属于哪一列" in warning.message


def test_a_cell_merged_across_columns_stands_for_blank_cells() -> None:
    # In HTML a colspan says how many columns a cell covers: those blanks are explicit, the row is
    # read as printed and is not a collapsed one.
    page = (DATA / "wancheng-2021-fewer-td.html").read_text("utf-8")
    printed = (
        "<td>（一）予以公开</td><td>20</td><td>2</td><td>0</td><td>0</td><td>0</td><td>22</td>"
    )
    assert printed in page
    merged = '<td>（一）予以公开</td><td>20</td><td>2</td><td colspan="4">/</td><td>22</td>'
    report = parse_report(page.replace(printed, merged).encode("utf-8"), "page.html").report
    assert [c.value for c in report.t3["r_open"]] == [20, 2, None, None, None, None, 22]
    assert report.t3["r_open"][2].raw == "/"
    assert not any("予以公开" in n.message for n in report.notes)
    assert arithmetic_errors(report) == []
