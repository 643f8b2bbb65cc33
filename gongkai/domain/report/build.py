"""Tables 三 and 四 of the annual report built from records, exact by construction.

Counting conventions (shared/docs/spec.md §4.9, §1.7): 本年新收 = received in the year;
上年结转 = received earlier and not concluded before 1 January; results by conclusion date, each
application in exactly one result row; 结转下年度 = not concluded on 31 December. With these, every
application active in the year is counted once on each side of the printed identity
一 + 二 = 三 + 四 (T3-01), so the identities hold for any set of records.

Every cell keeps the ids of the records behind it, so each number can be traced to its cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from gongkai.domain.report.model import Cell, Cells
from gongkai.domain.report.schema import FormatVersion, layout

COLUMNS6 = ("natural", "biz", "research", "ngo", "legal", "other_org")
# In the 2019 format the three （六） rows are one row (spec.md §2.3).
_ROW_2019 = {"r_other_nocorrect": "r_other", "r_other_nofee": "r_other", "r_other_other": "r_other"}


@dataclass(frozen=True)
class CaseRecord:
    """What the report needs to know of one application."""

    id: int
    applicant_type: str  # one of COLUMNS6
    received_on: dt.date
    concluded_on: dt.date | None = None
    outcome: str | None = None  # a result row key of the 2021 table 三


@dataclass(frozen=True)
class AppealRecord:
    """A 行政复议 or 行政诉讼 about disclosure in which the agency is respondent or defendant."""

    id: int
    kind: str  # review | suit_direct | suit_after_review
    filed_on: dt.date
    result: str | None = None  # upheld | corrected | other, None while pending
    decided_on: dt.date | None = None


Members = dict[tuple[str, str], list[int]]  # (row, column) → record ids


class RecordError(ValueError):
    """A record that cannot be counted (concluded before it was received, no outcome…)."""

    def __init__(self, record_id: int, message: str) -> None:
        super().__init__(message)
        self.record_id = record_id


def table3_members(
    records: Iterable[CaseRecord], year: int, version: FormatVersion = FormatVersion.V2021
) -> Members:
    """Which records stand behind each cell of table 三 for `year`."""
    return table3_members_between(records, dt.date(year, 1, 1), dt.date(year, 12, 31), version)


def table3_members_between(
    records: Iterable[CaseRecord],
    start: dt.date,
    end: dt.date,
    version: FormatVersion = FormatVersion.V2021,
) -> Members:
    """Table 三 for any period [start, end] (a month, a quarter, a year to date: 监督保障 月报
    and 季报): the year's conventions with the period's bounds, so 本期新收 = received in the
    period, carry_in = open at its start, carry_out = open at its end, results by conclusion date.
    The annual table is this with 1 January and 31 December: one build, not two."""
    lay = layout(version)
    members: Members = {(row.key, col): [] for row in lay.t3_rows for col in (*COLUMNS6, "total")}
    leaves = {row.key for row in lay.t3_leaves}
    for record in records:
        _check(record, leaves, version)
        if record.received_on > end or (record.concluded_on and record.concluded_on < start):
            continue  # not active in this year
        rows = ["new" if record.received_on >= start else "carry_in"]
        if record.concluded_on is not None and record.concluded_on <= end:
            rows += [_row(record, version), "r_total"]
        else:
            rows.append("carry_out")
        for row in rows:
            members[(row, record.applicant_type)].append(record.id)
            members[(row, "total")].append(record.id)
    return members


def _row(record: CaseRecord, version: FormatVersion) -> str:
    outcome = record.outcome or ""
    return _ROW_2019.get(outcome, outcome) if version is FormatVersion.V2019 else outcome


def _check(record: CaseRecord, leaves: set[str], version: FormatVersion) -> None:
    if record.applicant_type not in COLUMNS6:
        raise RecordError(record.id, f"申请人类型“{record.applicant_type}”无法对应表三的列")
    if record.concluded_on is None:
        return
    if record.concluded_on < record.received_on:
        raise RecordError(record.id, "办结日期早于收到申请日期")
    if _row(record, version) not in leaves:
        raise RecordError(record.id, f"已办结但答复类型“{record.outcome}”无法对应表三的行")


def table3(members: Members, version: FormatVersion = FormatVersion.V2021) -> dict[str, Cells]:
    """The counts of table 三 from its members."""
    lay = layout(version)
    return {
        row.key: tuple(Cell.of(len(members[(row.key, col)])) for col in (*COLUMNS6, "total"))
        for row in lay.t3_rows
    }


T4_GROUPS = ("review", "suit_direct", "suit_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def table4_members(appeals: Iterable[AppealRecord], year: int) -> Members:
    """Section 四: cases filed up to the end of the year and not decided before it began.

    Decided in the year → its result column; still open on 31 December → 尚未审结 (spec.md §4.9).
    A case decided in an earlier year was reported then and is not counted again.
    """
    return table4_members_between(appeals, dt.date(year, 1, 1), dt.date(year, 12, 31))


def table4_members_between(
    appeals: Iterable[AppealRecord], start: dt.date, end: dt.date
) -> Members:
    """Section 四 for any period [start, end]: filed by its end and not decided before it began;
    decided in it → the result column, open at its end → 尚未审结."""
    members: Members = {(g, c): [] for g in T4_GROUPS for c in T4_COLUMNS}
    for appeal in appeals:
        if appeal.kind not in T4_GROUPS:
            raise RecordError(appeal.id, f"复议诉讼类型“{appeal.kind}”无效")
        decided = appeal.decided_on
        if appeal.filed_on > end or (decided is not None and decided < start):
            continue
        if decided is not None and decided <= end:
            if appeal.result not in ("upheld", "corrected", "other"):
                raise RecordError(appeal.id, "已审结但未登记结果（维持、纠正或其他）")
            column = appeal.result
        else:
            column = "pending"
        members[(appeal.kind, column)].append(appeal.id)
        members[(appeal.kind, "total")].append(appeal.id)
    return members


def table4(members: Members) -> dict[str, Cells]:
    return {g: tuple(Cell.of(len(members[(g, c)])) for c in T4_COLUMNS) for g in T4_GROUPS}


def counts(table: Mapping[str, Sequence[Cell]]) -> dict[str, list[int]]:
    """Plain numbers of a built table, for display and comparison."""
    return {key: [int(cell.as_number) for cell in cells] for key, cells in table.items()}
