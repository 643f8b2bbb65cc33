"""Plain text in the layout of Word's text export (shared/corpus/wancheng-office-2024.txt)."""

from __future__ import annotations

from gongkai.domain.report.model import AnnualReport, Cell, CellState, Section
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.renderers import render
from gongkai.domain.report.schema import FormatVersion, layout
from tests.report.fixtures import WANCHENG

NOTE = layout(FormatVersion.V2021).t3_note


def cells(*values: int) -> tuple[Cell, ...]:
    return tuple(Cell.of(v) for v in values)


def small_report() -> AnnualReport:
    return AnnualReport(
        FormatVersion.V2021,
        title="某局2024年政府信息公开工作年度报告",
        preamble="本报告所列数据的统计期限自2024年1月1日至2024年12月31日止。",
        sections=(
            Section(3, "三、收到和处理政府信息公开申请情况"),
            Section(
                4, "四、政府信息公开行政复议、行政诉讼情况", "本年度无复议诉讼。\n\n\t详见下表。"
            ),
        ),
        t3={
            "new": cells(1, 2, 3, 4, 5, 6, 21),
            "r_open": (*cells(1, 0, 0, 0, 0), Cell(None, CellState.PLACEHOLDER, "/"), Cell.blank()),
            "r_deny_secret": cells(0, 0, 0, 0, 0, 0, 0),
        },
        t4={"review": cells(1, 0, 0, 0, 1)},
    )


def test_a_small_report_line_by_line() -> None:
    t = "\t"
    expected = [
        "某局2024年政府信息公开工作年度报告",
        "本报告所列数据的统计期限自2024年1月1日至2024年12月31日止。",
        "三、收到和处理政府信息公开申请情况",
        "",
        # header: the 3×3 note cell shows once per row (blank below), 申请人情况 once across
        t + NOTE, t + "申请人情况", "",
        t, t + "自然人", t + "法人或其他组织", t + "总计", "",
        t, t, t + "商业企业", t + "科研机构", t + "社会公益组织", t + "法律服务机构", t + "其他", t, "",
        t + "一、本年新收政府信息公开申请数量", *(t + v for v in ["1", "2", "3", "4", "5", "6", "21"]), "",
        t + "三、本年度办理结果", t + "（一）予以公开", *(t + v for v in ["1", "0", "0", "0", "0", "/"]), t, "",
        t, t + "（三）不予公开", t + "1.属于国家秘密", *[t + "0"] * 7, "",
        "",
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "本年度无复议诉讼。",
        "详见下表。",
        "",
        t + "行政复议", t + "行政诉讼", "",
        t + "结果维持", t + "结果纠正", t + "其他结果", t + "尚未审结", t + "总计",
        t + "未经复议直接起诉", t + "复议后起诉", "",
        t, t, t, t, t, *(t + label for label in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2), "",
        *(t + v for v in ["1", "0", "0", "0", "1"]), *[t] * 10, "",
        "",
        "",
    ]  # fmt: skip
    assert render(small_report(), "txt").decode("utf-8").split("\n") == [*expected, ""]


def table_rows(text: str) -> list[list[str]]:
    """The rows of every table, read the way Word exported them (a cell may break a line)."""
    rows: list[list[str]] = []
    row: list[str] = []
    for line in text.replace("[bookmark: _GoBack]", "").split("\n"):
        if line.startswith("\t"):
            row.append(line[1:])
        elif not line.strip():
            if row:
                rows.append(row)
            row = []
        elif row:
            row[-1] += line  # "商业" / "企业"
    return rows


def test_the_wancheng_report_comes_out_in_its_own_table_layout() -> None:
    original = WANCHENG.read_text("utf-8")
    report = parse_report(original.encode("utf-8"), WANCHENG.name).report
    assert table_rows(render(report, "txt").decode("utf-8")) == table_rows(original)


def test_the_text_parser_reads_it_back() -> None:
    report = small_report()
    again = parse_report(render(report, "txt"), "small.txt").report
    assert {k: [(c.value, c.state, c.raw) for c in v] for k, v in again.t3.items()} == {
        k: [(c.value, c.state, c.raw) for c in v] for k, v in report.t3.items()
    }
    assert [(c.value, c.state) for c in again.t4["review"]] == [
        (c.value, c.state) for c in report.t4["review"]
    ]
