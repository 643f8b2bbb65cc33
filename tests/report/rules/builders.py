"""Reports built by hand for the rule tests.

`consistent_2021()` is the 宛城区人民政府办公室 2024 report typed in from
shared/corpus/wancheng-office-2024.truth.json, with its one blank cell read as 0 and its
repeated heading removed, so every rule passes on it. Tests mutate one thing and expect one
finding. `wancheng_as_published()` keeps the blank cell and the repeated heading.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal

from gongkai.domain.report.findings import Finding
from gongkai.domain.report.model import AnnualReport, Cell, Cells, CellState, Section
from gongkai.domain.report.rules import check_report
from gongkai.domain.report.rules.context import DEFAULT_CONTEXT, CheckContext
from gongkai.domain.report.schema import FormatVersion, layout

Value = int | Decimal | None

# Rows as in the truth file: [natural, biz, research, ngo, legal, other_org, total].
_ZERO7 = [0] * 7
WANCHENG_T3: dict[str, list[Value]] = {
    "new": [33, 2, 0, 0, 0, 1, 36],
    "carry_in": _ZERO7,
    "r_open": [20, 2, 0, 0, 0, 0, 22],  # other_org is blank in the source
    "r_partial": [13, 0, 0, 0, 0, 0, 13],
    **{
        key: _ZERO7
        for key in (
            "r_deny_secret",
            "r_deny_law",
            "r_deny_3s1s",
            "r_deny_3rd",
            "r_deny_internal",
            "r_deny_process",
            "r_deny_enforce",
            "r_deny_query",
            "r_na_notheld",
            "r_na_create",
            "r_na_unclear",
            "r_np_petition",
            "r_np_repeat",
            "r_np_publication",
            "r_np_excessive",
            "r_np_confirm",
            "r_other_nocorrect",
            "r_other_nofee",
        )
    },
    "r_other_other": [0, 0, 0, 0, 0, 1, 1],
    "r_total": [33, 2, 0, 0, 0, 1, 36],
    "carry_out": _ZERO7,
}
WANCHENG_T2: dict[str, list[Value]] = {
    "regulations": [0, 0, 0],
    "normative_documents": [10, 0, 27],
    "licensing": [0],
    "penalty": [0],
    "coercion": [0],
    "fees": [0],
}
WANCHENG_T4: dict[str, list[Value]] = {
    "review": [0] * 5,
    "suit_direct": [0] * 5,
    "suit_after_review": [0] * 5,
}

PREAMBLE_TEXT = (
    "根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室关于印发"
    "《中华人民共和国政府信息公开工作年度报告格式》的通知国办公开办函〔2021〕30号有关规定编制本报告。"
    "本报告所列数据的统计期限自2024年1月1日至2024年12月31日止。"
)
S1_TEXT = (
    "2024年，宛城区政府办在区委、区政府的坚强领导下，完善政务公开工作机制。"
    "配备2名工作人员负责政务公开工作，确保政务公开平台定期更新、查阅便捷。\n"
    "（一）主动公开\n"
    "2024年度，我办累计在宛城区人民政府网站主动公开政府信息68条，"
    "全年共发布文字、图片、视频等多样化解读15篇。\n"
    "（二）依申请公开\n"
    "严格按照《条例》相关规定，做好依申请公开接收、登记、办理、答复、寄送、归档等工作。"
    "全年共收到政府信息公开申请36件。\n"
    "（五）监督保障\n"
    "完善政务公开工作考核机制，对不主动、不及时、不配合公开应公开信息的部门落实责任追究。"
)
S5_TEXT = (
    "（一）存在问题。2024年区政府办公室在推进政务公开工作方面做了大量的工作，但也存在一定的差距，"
    "比如部分重点领域信息公开深度和质量不高；公众意见调查征集实际应用成效不够；"
    "本地政策解读较少，部分单位解读形式不够全面；部分信息公开时效性差。\n"
    "（二）改进措施。一是进一步强化政务公开的思想认识。二是进一步完善政务公开的制度。"
    "三是进一步突出工作重点。四是进一步加强网络安全建设。"
)
S6_TEXT = "依申请公开收费标准按照《政府信息公开信息处理费管理办法》执行,未收取任何信息处理费。"


def cells(values: Sequence[Value]) -> Cells:
    """Cells as a parser would make them: None is a blank cell."""
    return tuple(Cell.blank() if value is None else Cell.of(value) for value in values)


def table(rows: Mapping[str, Sequence[Value]]) -> dict[str, Cells]:
    return {key: cells(values) for key, values in rows.items()}


def sections(texts: Mapping[int, str], version: FormatVersion) -> tuple[Section, ...]:
    headings = {spec.number: spec.heading for spec in layout(version).sections}
    return tuple(Section(n, headings[n], texts.get(n, "")) for n in range(1, 7))


def consistent_2021() -> AnnualReport:
    """Wancheng 2024 with the blank read as 0 and one 一、总体情况: no rule finds anything."""
    texts = {1: PREAMBLE_TEXT + "\n" + S1_TEXT, 5: S5_TEXT, 6: S6_TEXT}
    return AnnualReport(
        format=FormatVersion.V2021,
        year=2024,
        agency="宛城区人民政府办公室",
        title="宛城区人民政府办公室2024年政府信息公开工作年度报告",
        period=(2024, 2024),
        sections=sections(texts, FormatVersion.V2021),
        t2=table(WANCHENG_T2),
        t3=table(WANCHENG_T3),
        t4=table(WANCHENG_T4),
    )


def wancheng_as_published() -> AnnualReport:
    """The report as printed: r_open/other_org blank, 一、总体情况 twice (preamble under it)."""
    report = with_cell(consistent_2021(), "t3", "r_open", 5, None)
    first = Section(1, "一、总体情况", PREAMBLE_TEXT)
    second = Section(1, "一、总体情况", S1_TEXT)
    return dataclasses.replace(report, sections=(first, second, *report.sections[1:]))


def consistent_2019() -> AnnualReport:
    """A 2020 report in the 2019 format: the Wancheng figures with （六） as one row r_other."""
    t3 = {key: values for key, values in WANCHENG_T3.items() if not key.startswith("r_other_")}
    t3 = {**t3, "r_other": [0, 0, 0, 0, 0, 1, 1]}
    ordered = {row.key: t3[row.key] for row in layout(FormatVersion.V2019).t3_rows}
    t2: dict[str, list[Value]] = {
        "regulations": [0, 0, 0],
        "normative_documents": [3, 3, 40],
        "licensing": [12, -2, 30],
        "other_services": [0, 0, 0],
        "penalty": [5, 1, 7],
        "coercion": [0, 0, 0],
        "fees": [2, 0],
        "procurement": [1, Decimal("25.1")],
    }
    texts = {
        1: "本报告统计期限自2020年1月1日至2020年12月31日。2020年，我办全年共收到政府信息公开申请36件。"
    }
    texts |= {5: S5_TEXT.replace("2024", "2020"), 6: "无。"}
    return AnnualReport(
        format=FormatVersion.V2019,
        year=2020,
        agency="宛城区人民政府办公室",
        title="宛城区人民政府办公室2020年政府信息公开工作年度报告",
        period=(2020, 2020),
        sections=sections(texts, FormatVersion.V2019),
        t2=table(t2),
        t3=table(ordered),
        t4=table(WANCHENG_T4),
    )


def with_cell(
    report: AnnualReport, table_key: str, row: str, column: int, value: Value | Cell
) -> AnnualReport:
    """The report with one cell replaced (a number, None for blank, or a ready Cell)."""
    rows = dict(getattr(report, table_key))
    old = list(rows[row])
    if isinstance(value, Cell):
        old[column] = value
    else:
        old[column] = Cell.blank() if value is None else Cell.of(value)
    rows[row] = tuple(old)
    return dataclasses.replace(report, **{table_key: rows})


def with_row(
    report: AnnualReport, table_key: str, row: str, values: Sequence[Value]
) -> AnnualReport:
    rows = dict(getattr(report, table_key))
    rows[row] = cells(values)
    return dataclasses.replace(report, **{table_key: rows})


def without_rows(report: AnnualReport, table_key: str, *keys: str) -> AnnualReport:
    """The report as a partial copy that never reached these rows."""
    rows = {k: v for k, v in getattr(report, table_key).items() if k not in keys}
    return dataclasses.replace(report, **{table_key: rows})


def with_text(report: AnnualReport, number: int, text: str) -> AnnualReport:
    """The report with the text of section `number` replaced."""
    replaced = tuple(
        dataclasses.replace(section, text=text) if section.number == number else section
        for section in report.sections
    )
    return dataclasses.replace(report, sections=replaced)


def without_sections(report: AnnualReport, *numbers: int) -> AnnualReport:
    kept = tuple(section for section in report.sections if section.number not in numbers)
    return dataclasses.replace(report, sections=kept)


def placeholder(raw: str = "/") -> Cell:
    return Cell(value=None, state=CellState.PLACEHOLDER, raw=raw)


def invalid(raw: str) -> Cell:
    return Cell(value=None, state=CellState.INVALID, raw=raw)


def previous_year(report: AnnualReport) -> AnnualReport:
    """Last year's report of the same agency: consistent with `report` on every X- rule
    (carry-over 0, 现行有效 27 − 10 = 17, different problems in section 五)."""
    year = (report.year or 2024) - 1
    texts = {
        1: f"本报告所列数据的统计期限自{year}年1月1日至{year}年12月31日止。"
        f"{year}年，全年共收到政府信息公开申请20件。",
        5: "一是政府信息公开目录更新不够及时，二是基层工作人员业务能力有待提高，"
        "三是依申请公开答复文书格式不够规范，今后将加强培训并修订答复模板，定期检查目录。",
        6: "本年度无其他需要报告的事项，未收取信息处理费。",
    }
    t3 = {key: list(values) for key, values in WANCHENG_T3.items()}
    t3["new"] = [18, 1, 0, 0, 0, 1, 20]
    t3["r_open"] = [18, 1, 0, 0, 0, 0, 19]
    t3["r_partial"] = _ZERO7
    t3["r_total"] = [18, 1, 0, 0, 0, 1, 20]
    t2 = {**WANCHENG_T2, "normative_documents": [4, 1, 17]}
    return dataclasses.replace(
        report,
        year=year,
        title=f"宛城区人民政府办公室{year}年政府信息公开工作年度报告",
        period=(year, year),
        sections=sections(texts, FormatVersion.V2021),
        t2=table(t2),
        t3=table(t3),
    )


def findings_of(
    report: AnnualReport,
    rule: str,
    previous: AnnualReport | None = None,
    context: CheckContext = DEFAULT_CONTEXT,
) -> list[Finding]:
    """The findings of one rule when the whole engine runs."""
    return [f for f in check_report(report, previous, context=context) if f.rule == rule]
