"""Cross-year rules X-01, X-02, X-04…X-06 and T2-02 (spec.md §3.4, §3.5).

They compare a report with the same agency's report for the previous year. When both years are
known and are not consecutive, nothing is compared: a two-year gap makes the carry-over and the
copy checks meaningless. X-03 of the spec is T2-02 and is reported under that id.
"""

from __future__ import annotations

import re

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Number
from gongkai.domain.report.rules.context import (
    AgencyLevel,
    CheckContext,
    agency_level_of,
    agency_name,
)
from gongkai.domain.report.rules.registry import cross_rule, finding
from gongkai.domain.report.rules.tables import (
    column_label,
    fmt,
    number,
    seen,
    t2_row_label,
    t2_values,
    table_layout,
)
from gongkai.domain.report.rules.text import comparable, full_text, jaccard, sentences
from gongkai.domain.report.schema import FormatVersion, Layout
from gongkai.domain.report.similarity import shared_passages

E, W = Severity.ERROR, Severity.WARNING


def consecutive(report: AnnualReport, previous: AnnualReport) -> bool:
    """Whether `previous` is the year before `report` (trusted when a year is unknown)."""
    if report.year is None or previous.year is None:
        return True
    return previous.year == report.year - 1


def _tables(report: AnnualReport, previous: AnnualReport) -> tuple[Layout, Layout] | None:
    """Both layouts when both reports have national tables and are a year apart."""
    this, last = table_layout(report), table_layout(previous)
    if this is None or last is None or not consecutive(report, previous):
        return None
    return this, last


def _carry_pairs(
    report: AnnualReport, previous: AnnualReport
) -> list[tuple[int, Number, Number]] | None:
    """(column index, this year's 上年结转, last year's 结转下年度) per column, in 2019 and 2021
    alike: both formats have the same seven columns (spec.md §2.3)."""
    layouts = _tables(report, previous)
    if layouts is None:
        return None
    width = len(layouts[0].t3_columns)
    carry_in = seen(report.t3, "carry_in", width)
    carry_out = seen(previous.t3, "carry_out", width)
    if carry_in is None or carry_out is None:
        return None
    pairs: list[tuple[int, Number, Number]] = []
    for i, (now, before) in enumerate(zip(carry_in, carry_out, strict=True)):
        a, b = number(now), number(before)
        if a is not None and b is not None:
            pairs.append((i, a, b))
    return pairs


def _carry_message(label: str, now: Number, before: Number) -> str:
    return (
        f"表三“{label}”列：上年结转({fmt(now)}) ≠ 上年报告“四、结转下年度继续办理”({fmt(before)})"
    )


@cross_rule(
    "X-01",
    E,
    "本年“上年结转”总计等于上年报告“结转下年度继续办理”总计",
    source="表三第二项与上年表三第四项；spec.md §3.5、§4.9",
)
def x01_carry_over_total(
    report: AnnualReport, previous: AnnualReport, context: CheckContext
) -> list[Finding]:
    """X-01: T3(Y)[carry_in][total] = T3(Y−1)[carry_out][total]; works across 2020→2021."""
    pairs = _carry_pairs(report, previous)
    lay = table_layout(report)
    if not pairs or lay is None:
        return []
    last = len(lay.t3_columns) - 1
    return [
        finding("X-01", "t3.carry_in.total", _carry_message("总计", now, before))
        for i, now, before in pairs
        if i == last and now != before
    ]


@cross_rule(
    "X-02",
    W,
    "各类申请人的“上年结转”等于上年报告对应列的“结转下年度继续办理”",
    source="表三第二项与上年表三第四项（申请人分类）；spec.md §3.5",
)
def x02_carry_over_columns(
    report: AnnualReport, previous: AnnualReport, context: CheckContext
) -> list[Finding]:
    """X-02: the same per applicant column; re-classifying an applicant is possible but rare."""
    pairs = _carry_pairs(report, previous)
    lay = table_layout(report)
    if not pairs or lay is None:
        return []
    columns = lay.t3_columns
    return [
        finding(
            "X-02",
            f"t3.carry_in.{columns[i].key}",
            _carry_message(column_label(columns[i]), now, before),
        )
        for i, now, before in pairs
        if i < len(columns) - 1 and now != before
    ]


@cross_rule(
    "T2-02",
    W,
    "现行有效件数＝上年现行有效件数+本年制发件数−本年废止件数（即X-03）",
    source="表二第二十条第（一）项；spec.md §3.4、§3.5（X-03）",
)
def t2_02_in_force_carries_over(
    report: AnnualReport, previous: AnnualReport, context: CheckContext
) -> list[Finding]:
    """T2-02 (= X-03): in_force(Y) = in_force(Y−1) + issued(Y) − abolished(Y) for 规章 and
    行政规范性文件; expiry or reorganisation can explain a difference, hence a warning with the
    delta. 2021 format in both years only (2019's 对外公开总数量 is another quantity)."""
    layouts = _tables(report, previous)
    both_2021 = report.format is previous.format is FormatVersion.V2021
    if layouts is None or not both_2021:
        return []
    lay = layouts[0]
    findings: list[Finding] = []
    for key in ("regulations", "normative_documents"):
        now, before = t2_values(report, lay, key), t2_values(previous, lay, key)
        if now is None or before is None:
            continue
        expected = before["in_force"] + now["issued"] - now["abolished"]
        if now["in_force"] != expected:
            message = (
                f"表二“{t2_row_label(lay, key)}”：现行有效件数({fmt(now['in_force'])}) ≠ "
                f"上年现行有效件数({fmt(before['in_force'])})+本年制发件数({fmt(now['issued'])})"
                f"−本年废止件数({fmt(now['abolished'])})={fmt(expected)}"
                f"（相差{fmt(now['in_force'] - expected)}）"
            )
            findings.append(finding("T2-02", f"t2.{key}.in_force", message))
    return findings


def _similarity(this: str, last: str, context: CheckContext) -> tuple[float, bool] | None:
    """(Jaccard similarity, identical after normalisation), or None when a text is too short."""
    a, b = comparable(this), comparable(last)
    if min(len(a), len(b)) < context.min_compared_chars:
        return None
    return jaccard(a, b, context.shingle_size), a == b


def _copy_message(subject: str, similarity: float, identical: bool) -> str:
    if identical:
        return f"{subject}与上年报告内容雷同（除年份和数字外完全相同）"
    return f"{subject}与上年报告高度相似（5字片段重合度{similarity:.2f}），疑似内容雷同"


def _copy_finding(
    rule_id: str, where: str, subject: str, this: str, last: str, context: CheckContext
) -> list[Finding]:
    result = _similarity(this, last, context)
    if result is None or result[0] < context.similarity_threshold:
        return []
    message = _copy_message(subject, *result)
    # A near copy shows its shared passages (the measure of D-01, which then leaves the section
    # to this rule: decision AU-SIM-1); an identical one needs no quote.
    quotes = "" if result[1] or rule_id != "X-04" else shared_passages(this, last)
    return [finding(rule_id, where, f"{message}：{quotes}" if quotes else message)]


@cross_rule(
    "X-04",
    W,
    "第五部分（存在的主要问题及改进情况）与上年报告高度相似（内容雷同）",
    source="国办公开办函〔2021〕30号第二部分（四）“内容雷同”；spec.md §3.5、§6第3、13项",
)
def x04_problems_copied(
    report: AnnualReport, previous: AnnualReport, context: CheckContext
) -> list[Finding]:
    """X-04: section 五 near-identical to last year's: character 5-gram Jaccard ≥ threshold
    (0.9) after replacing years and numbers; identical after that → "内容雷同"."""
    if not consecutive(report, previous):
        return []
    this, last = full_text(report, 5), full_text(previous, 5)
    return _copy_finding("X-04", "s5", "第五部分", this, last, context)


def _narrative(report: AnnualReport) -> str:
    return "\n".join(full_text(report, number) for number in (1, 5, 6))


@cross_rule(
    "X-05",
    W,
    "第一、五、六部分正文整体与上年报告高度相似",
    source="国办公开办函〔2021〕30号第二部分（四）“内容雷同”；spec.md §3.5、§6第3项",
)
def x05_narrative_copied(
    report: AnnualReport, previous: AnnualReport, context: CheckContext
) -> list[Finding]:
    """X-05: the whole narrative (sections 一, 五, 六) near-identical to last year's."""
    if not consecutive(report, previous):
        return []
    subject = "第一、五、六部分正文"
    return _copy_finding(
        "X-05", "report", subject, _narrative(report), _narrative(previous), context
    )


# A sentence that looks back at last year's problems: a back-reference and a follow-up word.
_BACK_REFERENCE = r"上一?年度?|去年|以往|往年|前一年|{year}年"
_FOLLOW_UP = re.compile(r"整改|改进|解决|落实|完成|问题")


def _mentions_follow_up(text: str, previous_year: int | None) -> bool:
    year = str(previous_year) if previous_year else r"\d{4}"
    back = re.compile(_BACK_REFERENCE.format(year=year))
    return any(back.search(s.text) and _FOLLOW_UP.search(s.text) for s in sentences(text))


def is_people_government(report: AnnualReport, context: CheckContext) -> bool:
    """各级人民政府 include township governments (宪法第九十五条), not 街道办事处 (派出机关)."""
    level = agency_level_of(report, context)
    if level is AgencyLevel.GOVERNMENT:
        return True
    return level is AgencyLevel.TOWNSHIP and "街道" not in (agency_name(report) or "")


@cross_rule(
    "X-06",
    W,
    "各级人民政府报告第五部分未说明上年报告所列问题的整改情况",
    source="国办公开办函〔2021〕30号第五部分要求（[K]）；条例第五十条；spec.md §1.3、§3.5",
)
def x06_no_follow_up(
    report: AnnualReport, previous: AnnualReport, context: CheckContext
) -> list[Finding]:
    """X-06: a 各级人民政府 report's section 五 says nothing about fixing the problems listed the
    year before: no sentence both refers back (上年/去年/YYYY年 …) and speaks of 整改/改进 …"""
    if not is_people_government(report, context) or not consecutive(report, previous):
        return []
    this, last = full_text(report, 5), full_text(previous, 5)
    if not this.strip() or not last.strip():
        return []
    previous_year = previous.year or (report.year - 1 if report.year else None)
    if _mentions_follow_up(this, previous_year):
        return []
    message = "第五部分未说明上年报告所列问题的整改情况（各级人民政府应报告）"
    return [finding("X-06", "s5", message)]
