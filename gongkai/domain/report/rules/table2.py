"""Section 二 plausibility T2-01, T2-03, T2-04 (spec.md §3.4; tables §1.4, §2.2).

T2-02 compares two years and lives in crossyear.py; T2-05/T2-06 (2019 only) are not in scope.
"""

from __future__ import annotations

from decimal import Decimal

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.rules.context import (
    AdminTier,
    AgencyLevel,
    CheckContext,
    admin_tier_of,
    agency_level_of,
)
from gongkai.domain.report.rules.registry import finding, single_rule
from gongkai.domain.report.rules.tables import (
    cell_at,
    fmt,
    number,
    seen,
    short_label,
    t2_columns,
    t2_row_label,
    t2_values,
    table_layout,
)
from gongkai.domain.report.schema import FormatVersion

W = Severity.WARNING
_DOCUMENT_ROWS = ("regulations", "normative_documents")


@single_rule(
    "T2-01",
    W,
    "规章、行政规范性文件：现行有效件数不小于本年制发件数减本年废止件数",
    source="表二第二十条第（一）项（国办公开办函〔2021〕30号）；spec.md §3.4",
)
def t2_01_in_force_covers_new(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T2-01 (2021): in_force ≥ issued − abolished; a document made this year and still valid is
    counted in 现行有效, so this fails only if the columns were filled with different scopes."""
    lay = table_layout(report)
    if lay is None or report.format is not FormatVersion.V2021:
        return []
    findings: list[Finding] = []
    for key in _DOCUMENT_ROWS:
        values = t2_values(report, lay, key)
        if values is None or values["in_force"] >= values["issued"] - values["abolished"]:
            continue
        message = (
            f"表二“{t2_row_label(lay, key)}”：现行有效件数({fmt(values['in_force'])})"
            f" < 本年制发件数({fmt(values['issued'])})−本年废止件数({fmt(values['abolished'])})"
        )
        findings.append(finding("T2-01", f"t2.{key}.in_force", message))
    return findings


def cannot_make_rules(report: AnnualReport, context: CheckContext) -> bool:
    """Whether the agency is county-level or below and so cannot make 规章.

    立法法: only State Council departments and the governments of provinces and districted cities
    make 规章 (spec.md §1.4). Known from the context, else guessed from the agency's name.
    """
    if agency_level_of(report, context) is AgencyLevel.TOWNSHIP:
        return True
    return admin_tier_of(report, context) in (AdminTier.COUNTY, AdminTier.TOWNSHIP)


@single_rule(
    "T2-03",
    W,
    "县级、乡镇级机关报告的规章件数不为0（无权制定规章）",
    source="《立法法》规章制定主体；表二第二十条第（一）项；spec.md §1.4、§3.4",
)
def t2_03_rules_below_city(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T2-03: a county-level or township agency reports non-zero 规章 counts."""
    lay = table_layout(report)
    if lay is None or not cannot_make_rules(report, context):
        return []
    values = t2_values(report, lay, "regulations")
    if values is None:
        return []
    columns = t2_columns(lay, "regulations")
    stated = [f"{short_label(c.label)}为{fmt(values[c.key])}" for c in columns if values[c.key]]
    if not stated:
        return []
    first = next(c.key for c in columns if values[c.key])
    message = f"表二“规章”{'、'.join(stated)}：县级及乡镇机关无权制定规章，应为0"
    return [finding("T2-03", f"t2.regulations.{first}", message)]


@single_rule(
    "T2-04",
    W,
    "行政事业性收费金额疑似按“元”填写（单位应为万元）",
    source="表二第二十条第（八）项“本年收费金额（单位：万元）”；spec.md §1.4、§3.4",
)
def t2_04_fee_unit(report: AnnualReport, context: CheckContext) -> list[Finding]:
    """T2-04 (2021): the fee cell says 元 but not 万元, or its value reaches the context's
    threshold (default 10,000 万元 = 1 亿元)."""
    lay = table_layout(report)
    if lay is None or report.format is not FormatVersion.V2021:
        return []
    columns = t2_columns(lay, "fees")
    cells = seen(report.t2, "fees", len(columns))
    cell = cell_at(cells, columns, "amount") if cells else None
    if cell is None:
        return []
    value = number(cell)
    if "元" in cell.raw and "万元" not in cell.raw:
        reason = f"填写为“{cell.raw}”"
    elif value is not None and Decimal(value) >= context.fee_yuan_threshold:
        reason = f"为{fmt(value)}（即{fmt(value)}万元），疑似按元填写"
    else:
        return []
    message = f"表二“行政事业性收费”本年收费金额{reason}：单位应为万元"
    return [finding("T2-04", "t2.fees.amount", message)]
