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
        concluded = record.concluded_on is not None and record.concluded_on <= end
        carried_in = record.received_on < start
        for row in t3_rows(carried_in, concluded, record.outcome, version):
            members[(row, record.applicant_type)].append(record.id)
            members[(row, "total")].append(record.id)
    return members


def t3_rows(
    carried_in: bool, concluded: bool, outcome: str | None, version: FormatVersion
) -> tuple[str, ...]:
    """The rows of table 三 one application active in the period counts in: 上年结转 or 本年新收
    on the left side; its result row and 总计, or 结转下年度, on the right. The one rule of the
    records' build, of the SQL aggregation (`table3_from_groups`) and of the drill-down
    (`t3_cell_filter`)."""
    left = "carry_in" if carried_in else "new"
    if concluded:
        return (left, row_of_outcome(outcome, version), "r_total")
    return (left, "carry_out")


def row_of_outcome(outcome: str | None, version: FormatVersion) -> str:
    """The result row of an outcome (a 2021 result row key) in the table of `version`."""
    outcome = outcome or ""
    return _ROW_2019.get(outcome, outcome) if version is FormatVersion.V2019 else outcome


def outcomes_of_row(row: str, version: FormatVersion) -> frozenset[str]:
    """The outcomes counted in a result row: the inverse of `row_of_outcome` over the outcomes
    an application can have (the 2021 result rows, and the 2019 rows of old records)."""
    known = {r.key for v in (FormatVersion.V2021, version) for r in layout(v).t3_leaves}
    return frozenset(o for o in known if row_of_outcome(o, version) == row)


def _row(record: CaseRecord, version: FormatVersion) -> str:
    return row_of_outcome(record.outcome, version)


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


# ---------------------------------------------------------------- counted by the database
# The database groups the active applications by the facts `t3_rows` reads and counts each
# group; the domain folds the groups into rows and columns. The database counts, the domain
# decides: one mapping for the records' build, the SQL tables and the drill-down.


@dataclass(frozen=True)
class T3Group:
    """How many active applications share these facts (one row of a GROUP BY)."""

    carried_in: bool  # received before the period began
    concluded: bool  # concluded by the period's end
    closed: bool  # has a conclusion date at all (checked even when after the period)
    inverted: bool  # concluded before it was received
    outcome: str | None
    applicant_type: str
    count: int


class InvalidGroup(ValueError):
    """A group holding records `_check` refuses: the caller finds which record (RecordError)."""


def table3_from_groups(
    groups: Iterable[T3Group], version: FormatVersion = FormatVersion.V2021
) -> dict[str, Cells]:
    """Table 三 from grouped counts: the same numbers as `table3(table3_members_between(…))`
    over the records the groups count (tests/report/test_build.py, property test)."""
    lay = layout(version)
    leaves = {row.key for row in lay.t3_leaves}
    totals = {(row.key, col): 0 for row in lay.t3_rows for col in (*COLUMNS6, "total")}
    for group in groups:
        _check_group(group, leaves, version)
        for row in t3_rows(group.carried_in, group.concluded, group.outcome, version):
            totals[(row, group.applicant_type)] += group.count
            totals[(row, "total")] += group.count
    return {
        row.key: tuple(Cell.of(totals[(row.key, col)]) for col in (*COLUMNS6, "total"))
        for row in lay.t3_rows
    }


def _check_group(group: T3Group, leaves: set[str], version: FormatVersion) -> None:
    if group.applicant_type not in COLUMNS6:
        raise InvalidGroup(f"applicant type {group.applicant_type!r}")
    if group.closed and (group.inverted or row_of_outcome(group.outcome, version) not in leaves):
        raise InvalidGroup(f"conclusion {group.outcome!r}, inverted={group.inverted}")


@dataclass(frozen=True)
class T3CellFilter:
    """Which active applications one cell of table 三 counts, as data for a query: None leaves
    a fact free. Generated from `t3_rows`' rule, so the drill-down lists what the cell counts."""

    carried_in: bool | None = None
    concluded: bool | None = None
    outcomes: frozenset[str] | None = None
    applicant_type: str | None = None


def t3_cell_filter(
    row: str, column: str, version: FormatVersion = FormatVersion.V2021
) -> T3CellFilter:
    """The filter of cell (row, column); ValueError for a cell the table does not have."""
    lay = layout(version)
    if column not in (*COLUMNS6, "total") or row not in {r.key for r in lay.t3_rows}:
        raise ValueError(f"no cell {row}.{column}")
    applicant_type = None if column == "total" else column
    by_row = {
        "new": T3CellFilter(carried_in=False),
        "carry_in": T3CellFilter(carried_in=True),
        "carry_out": T3CellFilter(concluded=False),
        "r_total": T3CellFilter(concluded=True),
    }
    chosen = by_row.get(row) or T3CellFilter(concluded=True, outcomes=outcomes_of_row(row, version))
    return T3CellFilter(chosen.carried_in, chosen.concluded, chosen.outcomes, applicant_type)


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
        column = t4_column(decided is not None and decided <= end, appeal.result)
        if column is None:
            raise RecordError(appeal.id, "已审结但未登记结果（维持、纠正或其他）")
        members[(appeal.kind, column)].append(appeal.id)
        members[(appeal.kind, "total")].append(appeal.id)
    return members


def t4_column(decided: bool, result: str | None) -> str | None:
    """Decided in the period → its result column; open at its end → 尚未审结; None for a decision
    without a result (it cannot be counted)."""
    if not decided:
        return "pending"
    return result if result in ("upheld", "corrected", "other") else None


@dataclass(frozen=True)
class T4Group:
    """How many appeals active in the period share a kind, decided-by-the-end and result."""

    kind: str
    decided: bool
    result: str | None
    count: int


def table4_from_groups(groups: Iterable[T4Group]) -> dict[str, Cells]:
    """Section 四 from grouped counts, by `t4_column` as `table4_members_between`."""
    totals = {(g, c): 0 for g in T4_GROUPS for c in T4_COLUMNS}
    for group in groups:
        column = t4_column(group.decided, group.result)
        if group.kind not in T4_GROUPS or column is None:
            raise InvalidGroup(f"appeal kind {group.kind!r}, result {group.result!r}")
        totals[(group.kind, column)] += group.count
        totals[(group.kind, "total")] += group.count
    return {g: tuple(Cell.of(totals[(g, c)]) for c in T4_COLUMNS) for g in T4_GROUPS}


@dataclass(frozen=True)
class T4CellFilter:
    """Which appeals active in the period one cell of section 四 counts; None leaves it free."""

    kind: str
    decided: bool | None = None  # decided by the period's end
    result: str | None = None


def t4_cell_filter(group: str, column: str) -> T4CellFilter:
    """The filter of cell (group, column), by `t4_column`; ValueError for an unknown cell."""
    if group not in T4_GROUPS or column not in T4_COLUMNS:
        raise ValueError(f"no cell {group}.{column}")
    if column == "total":
        return T4CellFilter(group)
    if column == "pending":
        return T4CellFilter(group, decided=False)
    return T4CellFilter(group, decided=True, result=column)


def table4(members: Members) -> dict[str, Cells]:
    return {g: tuple(Cell.of(len(members[(g, c)])) for c in T4_COLUMNS) for g in T4_GROUPS}


def counts(table: Mapping[str, Sequence[Cell]]) -> dict[str, list[int]]:
    """Plain numbers of a built table, for display and comparison."""
    return {key: [int(cell.as_number) for cell in cells] for key, cells in table.items()}
