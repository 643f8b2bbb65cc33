"""Structure and format rules S-01…S-10, F-01, F-02 (spec.md §3.1).

S-09 (a section heading appears more than once) is the project's addition: a repeated heading
usually means a preamble was typed under the first heading, or text was pasted twice.
S-10 (a drafting placeholder such as “（待填写）” left in the text) is also the project's: a report
published with one is unfinished, whoever drafted it.
"""

from __future__ import annotations

import re
from collections import Counter

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Cell, Cells, CellState
from gongkai.domain.report.rules.context import CheckContext
from gongkai.domain.report.rules.registry import finding, single_rule
from gongkai.domain.report.rules.tables import (
    all_cells,
    count_problem,
    report_rows,
    t2_cells,
    t3_cells,
    t3_row_label,
    table_layout,
)
from gongkai.domain.report.rules.text import first_year, full_text, years_mentioned
from gongkai.domain.report.schema import FormatVersion, Layout, layout

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_NUMERALS = "〇一二三四五六"
_TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
# The section a table belongs to, for "缺少表三（收到和处理政府信息公开申请情况）".
_TABLE_SECTION = {"t2": 2, "t3": 3, "t4": 4}


def _headings(report: AnnualReport) -> dict[int, str]:
    return {spec.number: spec.heading for spec in layout(report.format).sections}


def _has_section_structure(report: AnnualReport) -> bool:
    # Pre-2019 reports follow the old 条例第三十二条 and local layouts, not the six sections.
    return report.format is not FormatVersion.PRE2019


@single_rule(
    "S-01",
    E,
    "六个部分齐全（标题归一化后匹配）",
    source="国办公开办函〔2021〕30号第一部分；spec.md §1.2、§3.1",
)
def s01_all_sections(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-01: all six sections of the format are present (spec.md §1.2, §3.1)."""
    if not _has_section_structure(report):
        return []
    present = {section.number for section in report.sections}
    return [
        finding("S-01", f"s{number}", f"缺少第{_NUMERALS[number]}部分“{heading}”")
        for number, heading in _headings(report).items()
        if number not in present
    ]


@single_rule(
    "S-02", W, "六个部分按一至六的顺序排列", source="国办公开办函〔2021〕30号第一部分；spec.md §3.1"
)
def s02_section_order(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-02: sections appear in the order 一…六; a repeated heading is S-09's concern, not this."""
    if not _has_section_structure(report):
        return []
    headings = _headings(report)
    findings: list[Finding] = []
    latest = 0
    for number in _first_occurrences(report):
        if number < latest:
            message = f"“{headings[number]}”排在“{headings[latest]}”之后"
            findings.append(finding("S-02", f"s{number}", message))
        latest = max(latest, number)
    return findings


def _first_occurrences(report: AnnualReport) -> list[int]:
    order: list[int] = []
    for section in report.sections:
        if section.number is not None and section.number not in order:
            order.append(section.number)
    return order


@single_rule(
    "S-03",
    E,
    "各固定表格及其全部官方行列齐全",
    source="国办公开办函〔2021〕30号、〔2019〕60号表格；spec.md §1.4–1.6、§2.2",
)
def s03_tables_complete(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-03: tables 二/三/四 have every official row with every column; one finding per table."""
    lay = table_layout(report)
    if lay is None:
        return []
    findings: list[Finding] = []
    for table, expected in _expected_rows(lay).items():
        problem = _table_problem(report, lay, table, expected)
        if problem:
            findings.append(finding("S-03", table, problem))
    return findings


def _expected_rows(lay: Layout) -> dict[str, list[tuple[str, str, int]]]:
    """(row key, label, number of cells) of each table, in the official order."""
    width3, width4 = len(lay.t3_columns), len(lay.t4_columns)
    return {
        "t2": [(row.key, row.label, len(table.columns)) for table, row in lay.t2_rows],
        "t3": [(row.key, t3_row_label(lay, row.key), width3) for row in lay.t3_rows],
        "t4": [(group.key, group.label, width4) for group in lay.t4_groups],
    }


def _table_problem(
    report: AnnualReport, lay: Layout, table: str, expected: list[tuple[str, str, int]]
) -> str:
    rows = report_rows(report, table)
    name = _TABLE_NAMES[table]
    if not rows:
        heading = lay.sections[_TABLE_SECTION[table] - 1].title
        return f"缺少{name}（{heading}）"
    missing = [f"“{label}”" for key, label, _ in expected if key not in rows]
    short = [
        f"“{label}”行只有{len(rows[key])}列（应为{width}列）"
        for key, label, width in expected
        if key in rows and len(rows[key]) != width
    ]
    parts = [f"{name}缺少{len(missing)}行：{'、'.join(missing)}"] if missing else []
    if short:
        parts.append(f"{name}" + "；".join(short))
    return "；".join(parts)


@single_rule(
    "S-04",
    E,
    "表二、表三数字格有效：计数为不小于0的整数，金额不小于0",
    source="国办公开办函〔2021〕30号表格（件数、万元）；spec.md §1.4、§3.1",
)
def s04_valid_numbers(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-04: cells of tables 二/三 parse as numbers, counts are integers ≥ 0, amounts ≥ 0.

    Table 四 has its own rule, T4-04, so its cells are not reported twice. The signed 2019
    本年增/减 columns may be negative; only amount columns may hold decimals.
    """
    lay = table_layout(report)
    if lay is None:
        return []
    findings: list[Finding] = []
    for located in (*t2_cells(report, lay), *t3_cells(report, lay)):
        problem = count_problem(located)
        if problem:
            findings.append(finding("S-04", located.where, f"{located.place}{problem}"))
    return findings


@single_rule(
    "S-05",
    W,
    "表二至表四没有空白或占位符（“/”“-”“无”等）单元格",
    source="spec.md §3.1 [D]：格式未规定占位符，空格使勾稽关系无法核验",
)
def s05_blank_cells(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-05: one warning per blank or placeholder cell; arithmetic reads them as 0 (spec.md §3)."""
    lay = table_layout(report)
    if lay is None:
        return []
    findings: list[Finding] = []
    for located in all_cells(report, lay):
        state = located.cell.state
        if state is CellState.BLANK:
            findings.append(finding("S-05", located.where, f"{located.place}为空白（按0计算）"))
        elif state is CellState.PLACEHOLDER:
            raw = located.cell.raw
            message = f"{located.place}为占位符“{raw}”（按0计算）"
            findings.append(finding("S-05", located.where, message))
    return findings


@single_rule(
    "S-11",
    W,
    "无法确定的单元格（识别置信度低或列位置有歧义）不参与勾稽校验，但予以提示",
    source="项目规则：读取方式不确定的数字不得作为计算错误的依据（docs/decisions.md AU-2）",
)
def s11_unreadable_cells(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-11: one warning per cell read without certainty, with where it stands on the page."""
    lay = table_layout(report)
    if lay is None:
        return []
    findings: list[Finding] = []
    for located in all_cells(report, lay):
        cell = located.cell
        if cell.state is not CellState.UNREADABLE:
            continue
        findings.append(
            finding("S-11", located.where, f"{located.place}{_unreadable_reason(cell)}")
        )
    return findings


def _unreadable_reason(cell: Cell) -> str:
    where = f"（{cell.source.describe()}）" if cell.source and cell.source.describe() else ""
    shown = f"“{cell.raw}”" if cell.raw else ""
    if cell.confidence is not None:
        return (
            f"识别为{shown or '空'}，置信度仅{cell.confidence:.0%}{where}，"
            "无法确认，未参与勾稽校验，请对照原件核对"
        )
    return f"{shown}无法确定属于哪一列{where}，未参与勾稽校验，请对照原件核对"


@single_rule(
    "S-06", INFO, "非官方的行（如“小计”）不参与勾稽校验，但予以提示", source="spec.md §1.5、§3.1"
)
def s06_extra_rows(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-06: rows the official table does not have (小计 …) are reported, never summed."""
    if table_layout(report) is None:
        return []
    return [
        finding(
            "S-06",
            f"{extra.table}.extra",
            f"{_TABLE_NAMES.get(extra.table, extra.table)}有非官方行“{extra.label}”，"
            f"不参与勾稽校验{_values_note(extra.cells)}",
        )
        for extra in report.extra_rows
    ]


def _values_note(cells: Cells) -> str:
    return f"（{'/'.join(cell.raw or '空' for cell in cells)}）" if cells else ""


@single_rule(
    "S-07",
    W,
    "统计期限与报告年度一致（YYYY年1月1日至12月31日）",
    source="报告前言的统计期限句；spec.md §1.2、§3.1",
)
def s07_period_matches_year(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-07: the statistics period of the preamble covers exactly the report year."""
    if report.period is None or report.year is None:
        return []
    start, end = report.period
    if start == end == report.year:
        return []
    span = f"{start}年" if start == end else f"{start}年至{end}年"
    message = f"统计期限为{span}，与报告年度{report.year}年不一致"
    return [finding("S-07", "preamble", message)]


def _reference_year(report: AnnualReport) -> int | None:
    if report.year is not None:
        return report.year
    return report.period[1] if report.period else None


@single_rule(
    "S-08",
    W,
    "标题年份、统计期限年份与第一部分正文的年份一致（年份陈旧提示照抄旧稿）",
    source="国办公开办函〔2021〕30号第二部分（四）“内容雷同”；spec.md §3.1、§6",
)
def s08_years_agree(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-08: the title's year and the years written in section 一 agree with the report year.

    Section 一 is flagged when another year is written there more often than the report year
    (years in cited document numbers and titles are left out).
    """
    year = _reference_year(report)
    if year is None:
        return []
    findings: list[Finding] = []
    title_year = first_year(report.title or "")
    if title_year is not None and title_year != year:
        message = f"标题年份({title_year}年)与报告年度({year}年)不一致"
        findings.append(finding("S-08", "title", message))
    years = years_mentioned(full_text(report, 1))
    stale = _stale_year(years, year)
    if stale is not None:
        other, count = stale
        message = (
            f"第一部分正文多次提到{other}年（{count}次），报告年度{year}年只出现{years[year]}次："
            "可能沿用了旧稿"
        )
        findings.append(finding("S-08", "s1", message))
    return findings


def _stale_year(years: Counter[int], year: int) -> tuple[int, int] | None:
    """The other year written more often than the report year, if there is exactly one."""
    others = [(count, other) for other, count in years.items() if other != year]
    if not others:
        return None
    count, other = max(others)
    ties = [y for c, y in others if c == count]
    # A tie between two other years gives no clear stale year; stay silent.
    if count > years[year] and len(ties) == 1:
        return other, count
    return None


@single_rule(
    "S-09", W, "同一部分标题重复出现", source="项目规则（宛城区2024年报：“一、总体情况”出现两次）"
)
def s09_repeated_heading(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-09: an official section heading occurs more than once (text pasted twice, or a
    preamble typed under the first heading)."""
    counts = Counter(section.number for section in report.sections if section.number)
    headings = _headings(report)
    return [
        finding("S-09", f"s{number}", f"标题“{headings[number]}”出现{count}次")
        for number, count in sorted(counts.items())
        if count > 1
    ]


# Marks a drafting template leaves for the office to replace; never words of a finished report.
_PLACEHOLDER = re.compile(r"待填写|待补充|此处填写|请在此填写")


@single_rule("S-10", E, "正文中没有未替换的占位文字（如“待填写”）", source="项目规则")
def s10_placeholder_text(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """S-10: a section still holds a drafting placeholder; one finding per section."""
    findings: list[Finding] = []
    for number in range(1, 7):
        match = _PLACEHOLDER.search(full_text(report, number))
        if match:
            message = f"第{_NUMERALS[number]}部分含未替换的占位文字“{match.group()}”"
            findings.append(finding("S-10", f"s{number}", message))
    return findings


def expected_format(year: int) -> FormatVersion:
    """The format a report for `year` must use (spec.md §2.5 step 3)."""
    if year <= 2018:
        return FormatVersion.PRE2019
    if year <= 2020:
        return FormatVersion.V2019
    return FormatVersion.V2021


_FORMAT_NAMES = {
    FormatVersion.V2021: "2021版格式（国办公开办函〔2021〕30号）",
    FormatVersion.V2019: "2019版试行格式（国办公开办函〔2019〕60号）",
    FormatVersion.PRE2019: "2019年以前的格式（无全国统一表格）",
}


@single_rule(
    "F-01",
    E,
    "格式版本与报告年度相符（2021年度起用30号格式，2018年度及以前无统一表格）",
    source="国办公开办函〔2021〕30号、〔2019〕60号；spec.md §2.5、§3.1",
)
def f01_format_matches_year(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """F-01: the detected format is the one in force for the report year (spec.md §2.5).

    The anachronism of a 2019–2020 report in the 2021 format is F-02's (a warning), not this.
    """
    if report.year is None or report.format is FormatVersion.UNKNOWN:
        return []
    expected = expected_format(report.year)
    if report.format is expected or _is_anachronism(report):
        return []
    message = (
        f"{report.year}年度报告应使用{_FORMAT_NAMES[expected]}，"
        f"实际为{_FORMAT_NAMES[report.format]}"
    )
    return [finding("F-01", "report", message)]


def _is_anachronism(report: AnnualReport) -> bool:
    return (
        report.year is not None
        and 2019 <= report.year <= 2020
        and report.format is FormatVersion.V2021
    )


@single_rule(
    "F-02",
    W,
    "2019—2020年度报告使用了2021版格式（可能是重新发布或年份有误）",
    source="国办公开办函〔2021〕30号自2021年度起适用；spec.md §2.5、§3.1",
)
def f02_anachronistic_format(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """F-02: a 2019–2020 report carries the 2021 tables, which did not exist yet."""
    if not _is_anachronism(report):
        return []
    message = (
        f"{report.year}年度报告使用了2021版格式（该格式自2021年度起适用），可能是重新发布或年份有误"
    )
    return [finding("F-02", "report", message)]
