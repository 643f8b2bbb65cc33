"""Narrative versus tables, N-01…N-09 (spec.md §3.6).

Numbers are read from the text with their nearest keyword (phrases.py) and compared with the
tables at tolerance 0. When a sentence is not clearly about the figure a table holds, there is
no finding: a false alarm costs a reviewer more than a missed one here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Number
from gongkai.domain.report.rules.context import CheckContext
from gongkai.domain.report.rules.phrases import (
    Claim,
    PercentClaim,
    appeal_claims,
    appeals_denied,
    carry_claims,
    fee_amount,
    is_about_disclosure,
    mentions_fees,
    percent_claims,
    promises_six_parts,
    received_claims,
    says_no_applications,
    section2_claims,
)
from gongkai.domain.report.rules.registry import finding, single_rule
from gongkai.domain.report.rules.tables import (
    cell_at,
    fmt,
    number,
    row_total,
    seen,
    seen_all,
    short_label,
    t2_columns,
    t2_row_label,
    table_layout,
    total,
)
from gongkai.domain.report.rules.text import (
    Sentence,
    full_text,
    occurrences,
    section_sentences,
    sentences,
)
from gongkai.domain.report.schema import FormatVersion, Layout, layout

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_PART = "〇一二三四五六"


def _part(number: int) -> str:
    return f"第{_PART[number]}部分"


def _t3_total(report: AnnualReport, lay: Layout, key: str) -> Number | None:
    return row_total(report.t3, key, len(lay.t3_columns))


# N-01 / N-02 ----------------------------------------------------------------------------------


def _expected_intake(claim: Claim, new: Number, carry_in: Number | None) -> tuple[Number, ...]:
    """What a "收到…申请 N 件" may equal: new, or new + carry_in when the sentence includes the
    carry-over; 受理 is ambiguous (some agencies count carried-over cases as 受理) so both pass."""
    if claim.includes_carry:
        return (new + carry_in,) if carry_in is not None else ()
    if claim.verb == "受理" and carry_in:
        return new, new + carry_in
    return (new,)


def _intake_claims(report: AnnualReport) -> Iterator[tuple[int, Claim]]:
    for section, sentence in section_sentences(report, (1, 3)):
        for claim in received_claims(sentence.text):
            yield section, dataclasses.replace(claim, quote=sentence.quote(claim.quote))


def _intake_mismatches(report: AnnualReport) -> Iterator[tuple[int, Claim, tuple[Number, ...]]]:
    """Claims of received applications that the table does not bear out."""
    lay = table_layout(report)
    new = _t3_total(report, lay, "new") if lay else None
    if lay is None or new is None:
        return
    carry_in = _t3_total(report, lay, "carry_in")
    for section, claim in _intake_claims(report):
        expected = _expected_intake(claim, new, carry_in)
        if expected and claim.value not in expected:
            yield section, claim, expected


def _zero_disagrees(value: Number, expected: tuple[Number, ...]) -> bool:
    return (value == 0) != all(figure == 0 for figure in expected)


def _intake_figures(claim: Claim, expected: tuple[Number, ...]) -> str:
    """表三本年新收总计为36 / …（加上年结转为38） / 表三本年新收+上年结转总计为38."""
    if claim.includes_carry:
        return f"表三本年新收+上年结转总计为{fmt(expected[0])}"
    if len(expected) > 1:
        return f"表三本年新收总计为{fmt(expected[0])}（加上年结转为{fmt(expected[1])}）"
    return f"表三本年新收总计为{fmt(expected[0])}"


@single_rule(
    "N-01",
    W,
    "正文“收到/新收/受理申请N件”与表三本年新收总计一致",
    source="第一部分（二）依申请公开；表三第一项；spec.md §3.6",
)
def n01_received_count(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-01: the number of applications received quoted in section 一 equals T3[new][total]
    (new + carry_in if the sentence clearly includes the carry-over). Zero against non-zero is
    N-02's, an error."""
    return [
        finding(
            "N-01",
            f"s{section}",
            f"{_part(section)}称“{claim.quote}”，{_intake_figures(claim, expected)}",
        )
        for section, claim, expected in _intake_mismatches(report)
        if not _zero_disagrees(claim.value, expected)
    ]


@single_rule(
    "N-02",
    E,
    "正文称未收到申请而表三本年新收大于0，或正文称收到申请而表三为0",
    source="第一部分（二）依申请公开；表三第一项；spec.md §3.6",
)
def n02_no_applications(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-02: the text says there were no applications but T3[new][total] > 0, or the reverse."""
    findings = [
        finding(
            "N-02",
            f"s{section}",
            f"{_part(section)}称“{claim.quote}”，但{_intake_figures(claim, expected)}",
        )
        for section, claim, expected in _intake_mismatches(report)
        if _zero_disagrees(claim.value, expected)
    ]
    return findings + _denials_of_applications(report)


def _denials_of_applications(report: AnnualReport) -> list[Finding]:
    lay = table_layout(report)
    new = _t3_total(report, lay, "new") if lay else None
    if not new:
        return []
    findings: list[Finding] = []
    for section, sentence in section_sentences(report, (1, 3)):
        words = says_no_applications(sentence.text)
        if words:
            message = f"{_part(section)}称“{sentence.quote(words)}”，但表三本年新收总计为{fmt(new)}"
            findings.append(finding("N-02", f"s{section}", message))
    return findings


# N-03 -----------------------------------------------------------------------------------------

_CARRY_NAMES = {"carry_in": "上年结转", "carry_out": "结转下年度继续办理"}


@single_rule(
    "N-03",
    W,
    "正文“上年结转N件”“结转下年度N件”与表三对应总计一致",
    source="表三第二项、第四项；spec.md §3.6",
)
def n03_carry_counts(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-03: carry-over numbers in the text equal T3[carry_in] / T3[carry_out] totals."""
    lay = table_layout(report)
    if lay is None:
        return []
    findings: list[Finding] = []
    for section, sentence in section_sentences(report, (1, 3)):
        for claim in carry_claims(sentence.text):
            stated = _t3_total(report, lay, claim.kind)
            if stated is not None and stated != claim.value:
                message = (
                    f"{_part(section)}称“{sentence.quote(claim.quote)}”，"
                    f"表三{_CARRY_NAMES[claim.kind]}总计为{fmt(stated)}"
                )
                findings.append(finding("N-03", f"s{section}", message))
    return findings


# N-04 / N-05 ----------------------------------------------------------------------------------

_APPEAL_NAMES = {"review": "行政复议总计", "suit": "行政诉讼总计（两栏合计）"}


def _appeal_totals(report: AnnualReport) -> dict[str, Number]:
    """Table 四 totals: review, and suit = direct + after-review (only when both rows were read)."""
    lay = table_layout(report)
    if lay is None:
        return {}
    width = len(lay.t4_columns)
    figures = {
        key: row_total(report.t4, key, width)
        for key in ("review", "suit_direct", "suit_after_review")
    }
    totals: dict[str, Number] = {}
    if figures["review"] is not None:
        totals["review"] = figures["review"]
    direct, after = figures["suit_direct"], figures["suit_after_review"]
    if direct is not None and after is not None:
        totals["suit"] = direct + after
    return totals


def _appeal_sentences(report: AnnualReport) -> Iterator[tuple[int, Sentence]]:
    for section, sentence in section_sentences(report, (1, 4)):
        if section == 4 or is_about_disclosure(sentence.text):
            yield section, sentence


def _appeal_count_findings(report: AnnualReport, rule_id: str) -> list[Finding]:
    """Stated appeal counts against table 四: N-05 when zero meets non-zero, else N-04."""
    totals = _appeal_totals(report)
    findings: list[Finding] = []
    for section, sentence in _appeal_sentences(report):
        for claim in appeal_claims(sentence.text):
            stated = totals.get(claim.kind)
            if stated is None or stated == claim.value:
                continue
            is_zero_conflict = (claim.value == 0) != (stated == 0)
            if (rule_id == "N-05") == is_zero_conflict:
                table = f"表四{_APPEAL_NAMES[claim.kind]}为{fmt(stated)}"
                message = f"{_part(section)}称“{sentence.quote(claim.quote)}”，{table}"
                findings.append(finding(rule_id, f"s{section}", message))
    return findings


@single_rule(
    "N-04",
    W,
    "正文所述行政复议、行政诉讼件数与表四总计一致",
    source="条例第五十条第（三）项；表四；spec.md §3.6",
)
def n04_appeal_counts(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-04: "行政复议 N 件/起/宗" = review.total; "行政诉讼 N 件" = suit_direct.total +
    suit_after_review.total. Per-outcome numbers are not read (too many phrasings)."""
    return _appeal_count_findings(report, "N-04")


@single_rule(
    "N-05",
    E,
    "正文称未发生行政复议/诉讼而表四总计大于0，或正文称发生而表四为0",
    source="条例第五十条第（三）项；表四；spec.md §3.6",
)
def n05_appeals_denied(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-05: the text says there was no 复议/诉讼 but table 四 has some, or the reverse."""
    totals = _appeal_totals(report)
    findings = _appeal_count_findings(report, "N-05")
    for section, sentence in _appeal_sentences(report):
        for kind, words in appeals_denied(sentence.text).items():
            stated = totals.get(kind)
            if stated:
                table = f"表四{_APPEAL_NAMES[kind]}为{fmt(stated)}"
                message = f"{_part(section)}称“{sentence.quote(words)}”，但{table}"
                findings.append(finding("N-05", f"s{section}", message))
    return findings


# N-06 -----------------------------------------------------------------------------------------

# The text's roles mapped to the columns of each version's table 二 (2019 has no 废止/现行有效).
_ROLE_COLUMNS = {
    FormatVersion.V2021: {
        "issued": "issued",
        "abolished": "abolished",
        "in_force": "in_force",
        "decisions": "decisions",
    },
    FormatVersion.V2019: {"issued": "made", "decisions": "decisions"},
}


def _t2_value(
    report: AnnualReport, lay: Layout, row: str, column: str
) -> tuple[Number, str] | None:
    columns = t2_columns(lay, row)
    cells = seen(report.t2, row, len(columns))
    cell = cell_at(cells, columns, column) if cells else None
    value = number(cell) if cell else None
    label = next((short_label(c.label) for c in columns if c.key == column), column)
    return (value, label) if value is not None else None


@single_rule(
    "N-06",
    W,
    "正文所述规范性文件、行政许可、行政处罚等件数与表二一致",
    source="条例第二十条第（一）（五）（六）项；表二；spec.md §3.6",
)
def n06_section2_counts(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-06: counts of 规范性文件 (制发/废止/现行有效), 行政许可, 行政处罚, 行政强制 quoted in
    the text equal table 二."""
    lay = table_layout(report)
    if lay is None:
        return []
    roles = _ROLE_COLUMNS.get(report.format, {})
    findings: list[Finding] = []
    for section, sentence in section_sentences(report, (1, 2)):
        for row, role, claim in section2_claims(sentence.text):
            column = roles.get(role)
            found = _t2_value(report, lay, row, column) if column else None
            if found is None or found[0] == claim.value:
                continue
            table = f"表二“{t2_row_label(lay, row)}”{found[1]}为{fmt(found[0])}"
            message = f"{_part(section)}称“{sentence.quote(claim.quote)}”，{table}"
            findings.append(finding("N-06", f"s{section}", message))
    return findings


# N-07 -----------------------------------------------------------------------------------------


@single_rule(
    "N-07",
    INFO,
    "第六部分说明信息处理费收取情况（金额无法与表格核对）",
    source=(
        "国办公开办函〔2021〕30号第六部分；《政府信息公开信息处理费管理办法》"
        "（国办函〔2020〕109号）；spec.md §1.3、§3.6"
    ),
)
def n07_fee_statement(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-07 (info): section 六 of a 2021+ report should state the 信息处理费 collected; a stated
    amount is shown for the reviewer because no table holds it (T3-07 checks the contradiction)."""
    if not occurrences(report, 6) or report.year is None or report.year < 2021:
        return []
    text = full_text(report, 6)
    if not mentions_fees(text):
        return [finding("N-07", "s6", "第六部分未说明信息处理费的收取情况")]
    findings: list[Finding] = []
    for sentence in sentences(text):
        stated = fee_amount(sentence.text)
        if stated is not None and stated[0] > 0:
            message = (
                f"第六部分称“{sentence.quote(stated[2])}”："
                "金额无法与表格核对，请确认收费通知与表三（六）2的情况"
            )
            findings.append(finding("N-07", "s6", message))
    return findings


# N-08 -----------------------------------------------------------------------------------------


def _opening_sentences(report: AnnualReport) -> tuple[Sentence, ...]:
    """The preamble, and the first section's text where many reports put the preamble."""
    opening = report.preamble
    if report.sections:
        opening += "\n" + report.sections[0].text
    return sentences(opening)


@single_rule(
    "N-08",
    E,
    "开头称报告共六部分，但有部分缺失",
    source="国办公开办函〔2021〕30号六部分结构；spec.md §3.6、§6第11项",
)
def n08_promised_parts(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-08: the preamble promises six parts (or lists them) but a section is missing."""
    if report.format is FormatVersion.PRE2019:
        return []
    if not any(promises_six_parts(s.text) for s in _opening_sentences(report)):
        return []
    present = {section.number for section in report.sections if section.number}
    # A missing tail (四–六 of a copy cut off after 三) is S-01's alone: it cannot be told from a
    # truncated page. A gap before a section that is there is the defect N-08 is about.
    last = max(present, default=0)
    specs = layout(report.format).sections
    missing = [spec.heading for spec in specs if spec.number not in present and spec.number < last]
    if not missing:
        return []
    message = f"报告开头称共六部分，但缺少：{'、'.join(f'“{h}”' for h in missing)}"
    return [finding("N-08", "preamble", message)]


# N-09 -----------------------------------------------------------------------------------------

_RESULT_GROUPS = {"不予公开", "无法提供", "不予处理", "其他处理"}
_ORG_COLUMNS = ("biz", "research", "ngo", "legal", "other_org")


def _result_rows(lay: Layout, keyword: str) -> list[str]:
    if keyword == "予以公开":
        return ["r_open"]
    if keyword == "部分公开":
        return ["r_partial"]
    return [row.key for row in lay.t3_rows if row.leaf and keyword in (row.group or "") + row.label]


def _numerators(report: AnnualReport, lay: Layout, keyword: str) -> list[Number]:
    """The table figures a percentage about `keyword` can be a share of."""
    width = len(lay.t3_columns)
    keys = lay.t3_column_keys
    if keyword in _RESULT_GROUPS or keyword in ("予以公开", "部分公开"):
        rows = seen_all(report.t3, _result_rows(lay, keyword), width)
        summed = total(cells[-1] for cells in rows.values()) if rows else None
        return [summed] if summed is not None else []
    wanted = ("natural",) if keyword == "自然人" else _ORG_COLUMNS
    found: list[Number] = []
    for row_key in ("new", "r_total"):
        cells = seen(report.t3, row_key, width)
        summed = total(cells[keys.index(c)] for c in wanted) if cells else None
        if summed is not None:
            found.append(summed)
    return found


def _denominators(report: AnnualReport, lay: Layout) -> list[Number]:
    new, carry_in = _t3_total(report, lay, "new"), _t3_total(report, lay, "carry_in")
    done = _t3_total(report, lay, "r_total")
    candidates = [done, new, new + carry_in if new is not None and carry_in is not None else None]
    return [value for value in candidates if value]


def _matches(claim: PercentClaim, numerators: list[Number], denominators: list[Number]) -> bool:
    # Printed with d decimals, a share may be rounded or cut off: allow one unit of the last digit.
    decimals = max(0, -int(claim.percent.as_tuple().exponent))
    tolerance = Decimal(1).scaleb(-decimals)
    return any(
        abs(claim.percent - Decimal(n) * 100 / Decimal(d)) <= tolerance
        for n in numerators
        for d in denominators
    )


def _share(numerator: Number, denominator: Number, claim: PercentClaim) -> str:
    decimals = max(1, -int(claim.percent.as_tuple().exponent))
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return f"{value:.{decimals}f}%"


@single_rule("N-09", W, "正文所引百分比与按表三重新计算的比例一致", source="表三；spec.md §3.6")
def n09_percentages(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """N-09: "予以公开22件，占61.1%" — the share matches the table figure for that keyword
    over one of the natural denominators (（七）总计, 本年新收, 本年新收+上年结转)."""
    lay = table_layout(report)
    if lay is None:
        return []
    denominators = _denominators(report, lay)
    findings: list[Finding] = []
    for section, sentence in section_sentences(report, (1, 3)):
        for claim in percent_claims(sentence.text):
            numerators = _numerators(report, lay, claim.keyword)
            if not numerators or not denominators or _matches(claim, numerators, denominators):
                continue
            expected = _share(numerators[0], denominators[0], claim)
            message = (
                f"{_part(section)}称“{sentence.quote(claim.quote)}”，按表三计算为{expected}"
                f"（{fmt(numerators[0])}/{fmt(denominators[0])}）"
            )
            findings.append(finding("N-09", f"s{section}", message))
    return findings
