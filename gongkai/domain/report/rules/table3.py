"""Section 三 identities T3-01…T3-08 (spec.md §3.2; table layout §1.5, §2.2).

Every identity is evaluated only when all the rows it involves were read whole (a partial copy
must not produce arithmetic errors about rows nobody saw).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Cells, ExtraRow, Number
from gongkai.domain.report.rules.context import CheckContext
from gongkai.domain.report.rules.registry import finding, single_rule
from gongkai.domain.report.rules.tables import (
    column_label,
    fmt,
    number,
    seen,
    seen_all,
    t3_row_label,
    table_layout,
    total,
)
from gongkai.domain.report.rules.text import full_text, sentences
from gongkai.domain.report.schema import FormatVersion, Layout
from gongkai.domain.report.schema import normalize_label as norm

E, W = Severity.ERROR, Severity.WARNING
_BALANCE_ROWS = ("new", "carry_in", "r_total", "carry_out")


def _t3(report: AnnualReport) -> Layout | None:
    return table_layout(report)


@single_rule(
    "T3-01",
    E,
    "每列：第一项（本年新收）+第二项（上年结转）＝第三项（办理结果总计）+第四项（结转下年度）",
    source=(
        "表三表头注“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”"
        "（国办公开办函〔2021〕30号）；spec.md §3.2"
    ),
)
def t3_01_column_balance(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T3-01: ∀ column, new + carry_in = r_total + carry_out — the only identity printed in the
    format itself (the header note of table 三)."""
    lay = _t3(report)
    rows = seen_all(report.t3, _BALANCE_ROWS, len(lay.t3_columns)) if lay else None
    if lay is None or rows is None:
        return []
    findings: list[Finding] = []
    for i, column in enumerate(lay.t3_columns):
        values = [number(rows[key][i]) for key in _BALANCE_ROWS]
        new, carry_in, done, carry_out = values
        if new is None or carry_in is None or done is None or carry_out is None:
            continue
        if new + carry_in != done + carry_out:
            message = (
                f"表三“{column_label(column)}”列：第一项({fmt(new)})+第二项({fmt(carry_in)})"
                f" ≠ 第三项({fmt(done)})+第四项({fmt(carry_out)})"
            )
            findings.append(finding("T3-01", f"t3.new.{column.key}", message))
    return findings


@single_rule(
    "T3-02",
    E,
    "每行：六类申请人之和＝总计",
    source="表三列结构“申请人情况”→各类+总计（未成文，由表头结构推出）；spec.md §1.7、§3.2",
)
def t3_02_row_total(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T3-02: ∀ numeric row, total = Σ of the six applicant columns (implied by the header)."""
    lay = _t3(report)
    if lay is None:
        return []
    findings: list[Finding] = []
    for row in lay.t3_rows:
        cells = seen(report.t3, row.key, len(lay.t3_columns))
        if cells is None:
            continue
        parts, stated = total(cells[:-1]), number(cells[-1])
        if parts is not None and stated is not None and parts != stated:
            message = (
                f"表三“{t3_row_label(lay, row.key)}”行：各类申请人合计({fmt(parts)})"
                f" ≠ 总计({fmt(stated)})"
            )
            findings.append(finding("T3-02", f"t3.{row.key}.total", message))
    return findings


@single_rule(
    "T3-03",
    E,
    "每列：各项办理结果之和＝（七）总计",
    source="表三行“（七）总计”（由标签推出）；spec.md §1.7、§3.2",
)
def t3_03_results_total(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T3-03: ∀ column, （七）总计 = Σ of the result leaf rows (21 in 2021, 19 in 2019)."""
    lay = _t3(report)
    if lay is None:
        return []
    keys = [row.key for row in lay.t3_leaves]
    leaves = seen_all(report.t3, keys, len(lay.t3_columns))
    stated_row = seen(report.t3, "r_total", len(lay.t3_columns))
    if leaves is None or stated_row is None:
        return []
    findings: list[Finding] = []
    for i, column in enumerate(lay.t3_columns):
        parts, stated = total(leaves[key][i] for key in keys), number(stated_row[i])
        if parts is not None and stated is not None and parts != stated:
            message = (
                f"表三“{column_label(column)}”列：各项办理结果之和({fmt(parts)})"
                f" ≠ （七）总计({fmt(stated)})"
            )
            findings.append(finding("T3-03", f"t3.r_total.{column.key}", message))
    return findings


@single_rule(
    "T3-04",
    E,
    "每列：结转下年度不大于本年新收+上年结转",
    source="由T3-01及非负性推出；spec.md §3.2",
)
def t3_04_carry_out_bounded(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T3-04: ∀ column, carry_out ≤ new + carry_in; implied by T3-01 but a clearer message."""
    lay = _t3(report)
    keys = ("new", "carry_in", "carry_out")
    rows = seen_all(report.t3, keys, len(lay.t3_columns)) if lay else None
    if lay is None or rows is None:
        return []
    findings: list[Finding] = []
    for i, column in enumerate(lay.t3_columns):
        new, carry_in, carry_out = (number(rows[key][i]) for key in keys)
        if new is None or carry_in is None or carry_out is None:
            continue
        if carry_out > new + carry_in:
            message = (
                f"表三“{column_label(column)}”列：结转下年度继续办理({fmt(carry_out)})"
                f" > 本年新收({fmt(new)})+上年结转({fmt(carry_in)})"
            )
            findings.append(finding("T3-04", f"t3.carry_out.{column.key}", message))
    return findings


def _total_of(report: AnnualReport, lay: Layout, key: str) -> Number | None:
    """The 总计 cell of a row, if the row was seen and the cell is a number."""
    cells = seen(report.t3, key, len(lay.t3_columns))
    return number(cells[-1]) if cells else None


@single_rule(
    "T3-05",
    W,
    "结转下年度总数大于本年新收总数（积压超过一年收件量）",
    source="spec.md §3.2（合理性）",
)
def t3_05_large_backlog(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T3-05: carry_out.total > new.total — possible, but a backlog larger than a year's intake
    needs a human look."""
    lay = _t3(report)
    if lay is None:
        return []
    new, carry_out = _total_of(report, lay, "new"), _total_of(report, lay, "carry_out")
    if new is None or carry_out is None or carry_out <= new:
        return []
    message = f"表三：结转下年度继续办理({fmt(carry_out)})多于本年新收({fmt(new)})，请核实"
    return [finding("T3-05", "t3.carry_out.total", message)]


@single_rule("T3-06", W, "有申请但全年办理结果总计为0", source="spec.md §3.2（合理性）")
def t3_06_nothing_decided(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T3-06: applications to handle (new + carry_in > 0) but （七）总计 is 0."""
    lay = _t3(report)
    if lay is None:
        return []
    new, carry_in = _total_of(report, lay, "new"), _total_of(report, lay, "carry_in")
    done = _total_of(report, lay, "r_total")
    if new is None or carry_in is None or done is None or new + carry_in == 0 or done != 0:
        return []
    message = f"表三：本年新收与上年结转共{fmt(new + carry_in)}件，但办理结果总计为0"
    return [finding("T3-06", "t3.r_total.total", message)]


# Section 六 statements that no fee was charged or notified (NFKC text).
NO_FEE = re.compile(
    r"(未|没有|不)(向申请人)?(收取|征收|计收|收|产生|发生|涉及)(过)?(任何)?"
    r"(政府信息公开)?(的)?(信息处理费|处理费|费用|收费)"
    r"|(未|没有)(发出|送达|出具|下发|发放|制发)(过)?(任何)?(信息处理费)?(收费|缴费)通知"
    r"|信息处理费(共|合计)?(为)?(0|零)(\.0+)?(元|万元)"
)


def no_fee_sentence(report: AnnualReport) -> str | None:
    """The first sentence of section 六 that says no fee was charged or notified."""
    for sentence in sentences(full_text(report, 6)):
        if NO_FEE.search(sentence.text):
            return sentence.original
    return None


@single_rule(
    "T3-07",
    W,
    "（六）2“逾期未缴纳费用”不为0，但第六部分称未收取或未通知收费",
    source=(
        "表三行（六）2（国办公开办函〔2021〕30号）；《政府信息公开信息处理费管理办法》；"
        "spec.md §3.2"
    ),
)
def t3_07_fee_row_vs_text(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T3-07 (2021 only): applications closed because a fee notice went unpaid, while section 六
    says no fee was charged — an unpaid notice means a fee was charged, so one of them is wrong."""
    lay = _t3(report)
    if lay is None or report.format is not FormatVersion.V2021:
        return []
    unpaid = _total_of(report, lay, "r_other_nofee")
    sentence = no_fee_sentence(report) if unpaid else None
    if not unpaid or sentence is None:
        return []
    message = (
        f"表三“{t3_row_label(lay, 'r_other_nofee')}”总计为{fmt(unpaid)}，"
        f"但第六部分称“{sentence}”：请核实是否发出过收费通知"
    )
    return [finding("T3-07", "t3.r_other_nofee.total", message)]


@single_rule(
    "T3-08",
    E,
    "报告自行添加的（三）至（六）小计行等于其分项之和",
    source="spec.md §1.5（小计为推导值）、§3.2",
)
def t3_08_subtotals(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T3-08: a subtotal row the report added for a group （三）–（六） equals the sum of the
    group's sub-rows. The group is read from the row's label (a group label that carries
    figures); a bare 小计/合计 belongs to the group just before or just after it, so it passes
    if it is the sum of either and is reported against the group before (小计 usually closes
    its group)."""
    lay = _t3(report)
    if lay is None:
        return []
    findings: list[Finding] = []
    for extra in report.extra_rows:
        if extra.table != "t3":
            continue
        checks = [
            _check_subtotal(extra, g, report, lay) for g in subtotal_groups(extra, report, lay)
        ]
        verifiable = [found for found in checks if found is not None]
        if verifiable and all(verifiable):
            findings.extend(verifiable[0])
    return findings


@dataclass(frozen=True)
class _RowPosition:
    group: str | None
    line: int


def _numbered_groups(lay: Layout) -> list[str]:
    """Groups with numbered sub-rows: （三）不予公开 … （六）其他处理 (2021)."""
    return [
        group
        for group in lay.t3_groups
        if sum(1 for row in lay.t3_rows if row.group == group) > 1 and not group.startswith("三")
    ]


def subtotal_groups(extra: ExtraRow, report: AnnualReport, lay: Layout) -> list[str]:
    """The groups （三）…（六） an extra t3 row may sum up: one when its label names the group,
    the groups of its neighbours for a bare 小计/合计, none for anything else."""
    label = norm(extra.label)
    groups = _numbered_groups(lay)
    for group in groups:
        if norm(group)[3:] in label:  # the title after "(三)"
            return [group]
    if "小计" not in label and "合计" not in label:
        return []
    neighbours = [row.group for row in _neighbours(extra, report, lay)]
    return [group for group in dict.fromkeys(neighbours) if group in groups]


def _row_lines(report: AnnualReport, lay: Layout) -> list[_RowPosition]:
    """Official rows with the line of their first cell, in document order."""
    found: list[_RowPosition] = []
    for row in lay.t3_rows:
        cells = report.t3.get(row.key, ())
        first = cells[0].source if cells else None
        if first is not None and first.line is not None:
            found.append(_RowPosition(row.group, first.line))
    return sorted(found, key=lambda position: position.line)


def _neighbours(extra: ExtraRow, report: AnnualReport, lay: Layout) -> list[_RowPosition]:
    """The official rows just before and just after the extra row."""
    if extra.source is None or extra.source.line is None:
        return []
    line = extra.source.line
    rows = _row_lines(report, lay)
    before = [row for row in rows if row.line < line][-1:]
    after = [row for row in rows if row.line > line][:1]
    return before + after


def _check_subtotal(
    extra: ExtraRow, group: str, report: AnnualReport, lay: Layout
) -> list[Finding] | None:
    """Mismatches of the subtotal against `group`; None when the group was not read whole."""
    width = len(lay.t3_columns)
    keys = [row.key for row in lay.t3_rows if row.group == group]
    rows = seen_all(report.t3, keys, width)
    if rows is None or len(extra.cells) != width:
        return None
    return _subtotal_mismatches(extra.cells, [rows[key] for key in keys], group, lay)


def _subtotal_mismatches(
    stated: Cells, parts: Sequence[Cells], group: str, lay: Layout
) -> list[Finding]:
    findings: list[Finding] = []
    for i, column in enumerate(lay.t3_columns):
        value, summed = number(stated[i]), total(cells[i] for cells in parts)
        if value is not None and summed is not None and value != summed:
            message = (
                f"表三“{group}”小计“{column_label(column)}”列：小计({fmt(value)})"
                f" ≠ 各分项之和({fmt(summed)})"
            )
            findings.append(finding("T3-08", f"t3.extra.{column.key}", message))
    return findings
