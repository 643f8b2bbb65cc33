"""When a year's report is due and whether a publication date keeps to it: rules P-01…P-04 and
P-06 of spec.md §3.7.

条例第四十九条: 县级以上人民政府部门 publish by 1月31日 (P-01), the 本级政府's report is due
by 3月31日 (P-02); 乡镇/街道 dates are set locally (P-03, a warning); before the 2019 条例 every
agency had until 3月31日 (P-06). A report cannot be published before its year has ended (P-04).
The deadline is a calendar date, not rolled forward over holidays (spec.md §1.8 [D]).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from gongkai.domain.report.findings import Finding, Severity


class Publisher(enum.StrEnum):
    DEPARTMENT = "department"  # 县级以上人民政府部门
    GOVERNMENT = "government"  # 本级人民政府
    TOWNSHIP = "township"  # 乡镇（街道）: local date


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    rule: str  # the P-rule a late publication breaks
    severity: Severity


_STATUTORY = {
    Publisher.DEPARTMENT: (1, 31, "P-01", Severity.ERROR),
    Publisher.GOVERNMENT: (3, 31, "P-02", Severity.ERROR),
}


def deadline(
    publisher: Publisher, year: int, *, local_month: int = 1, local_day: int = 31
) -> Deadline:
    """The publication deadline of the report for `year`; `local_*` is the township's date."""
    if year <= 2018:  # old 条例 (国务院令第492号) 第三十一条
        return Deadline(dt.date(year + 1, 3, 31), "P-06", Severity.ERROR)
    if publisher is Publisher.TOWNSHIP:
        return Deadline(dt.date(year + 1, local_month, local_day), "P-03", Severity.WARNING)
    month, day, rule, severity = _STATUTORY[publisher]
    return Deadline(dt.date(year + 1, month, day), rule, severity)


def timeliness(year: int, published_on: dt.date, due: Deadline) -> list[Finding]:
    """P-04 when the year has not ended by `published_on`; the deadline's rule when late.

    A report published on 12-31 itself is treated as too early: that day's applications are
    still part of the year's tables (docs/decisions.md R-2)."""
    if published_on <= dt.date(year, 12, 31):
        message = f"{year}年度尚未结束（{published_on.isoformat()}），不能发布全年报告"
        return [Finding("P-04", Severity.ERROR, "publication", message)]
    if published_on > due.due:
        days = (published_on - due.due).days
        message = (
            f"发布日期{published_on.isoformat()}晚于截止日期{due.due.isoformat()}（逾期{days}天）"
        )
        return [Finding(due.rule, due.severity, "publication", message)]
    return []


def days_left(due: Deadline, today: dt.date) -> int:
    """Calendar days until the deadline; negative once it has passed."""
    return (due.due - today).days
