"""Section 四 identities T4-01…T4-04 (spec.md §3.3; table layout §1.6).

No official relationship links section 四 to section 三 or to next year's figures (spec.md
§3.3), so none is checked.
"""

from __future__ import annotations

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.rules.context import CheckContext
from gongkai.domain.report.rules.registry import finding, single_rule
from gongkai.domain.report.rules.tables import (
    count_problem,
    fmt,
    number,
    seen,
    t4_cells,
    t4_group_label,
    table_layout,
    total,
)

E = Severity.ERROR


def _group_sum(report: AnnualReport, rule_id: str, group_key: str) -> list[Finding]:
    """upheld + corrected + other + pending = total for one group of table 四."""
    lay = table_layout(report)
    if lay is None:
        return []
    cells = seen(report.t4, group_key, len(lay.t4_columns))
    if cells is None:
        return []
    parts, stated = total(cells[:-1]), number(cells[-1])
    if parts is None or stated is None or parts == stated:
        return []
    group = next(g for g in lay.t4_groups if g.key == group_key)
    terms = "+".join(
        f"{column.label}({fmt(number(cell) or 0)})"
        for column, cell in zip(lay.t4_columns[:-1], cells[:-1], strict=True)
    )
    message = f"表四“{t4_group_label(group)}”：{terms}={fmt(parts)} ≠ 总计({fmt(stated)})"
    return [finding(rule_id, f"t4.{group_key}.total", message)]


@single_rule(
    "T4-01",
    E,
    "行政复议：结果维持+结果纠正+其他结果+尚未审结＝总计",
    source="表四“行政复议”栏（国办公开办函〔2021〕30号）；spec.md §1.6、§3.3",
)
def t4_01_review_total(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T4-01: review.total = upheld + corrected + other + pending."""
    return _group_sum(report, "T4-01", "review")


@single_rule(
    "T4-02",
    E,
    "行政诉讼（未经复议直接起诉）：四项结果之和＝总计",
    source="表四“行政诉讼—未经复议直接起诉”栏；spec.md §1.6、§3.3",
)
def t4_02_direct_suit_total(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T4-02: suit_direct.total = upheld + corrected + other + pending."""
    return _group_sum(report, "T4-02", "suit_direct")


@single_rule(
    "T4-03",
    E,
    "行政诉讼（复议后起诉）：四项结果之和＝总计",
    source="表四“行政诉讼—复议后起诉”栏；spec.md §1.6、§3.3",
)
def t4_03_suit_after_review_total(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T4-03: suit_after_review.total = upheld + corrected + other + pending."""
    return _group_sum(report, "T4-03", "suit_after_review")


@single_rule("T4-04", E, "表四15个单元格均为不小于0的整数", source="表四（件数）；spec.md §3.3")
def t4_04_valid_counts(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T4-04: every cell of table 四 is an integer ≥ 0 (blank cells are S-05's, read as 0)."""
    lay = table_layout(report)
    if lay is None:
        return []
    findings: list[Finding] = []
    for located in t4_cells(report, lay):
        problem = count_problem(located)
        if problem:
            findings.append(finding("T4-04", located.where, f"{located.place}{problem}"))
    return findings
