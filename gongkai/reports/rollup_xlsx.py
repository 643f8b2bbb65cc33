"""The roll-up as an .xlsx workbook, the way supervising offices collect the reports: one sheet
each for tables 二, 三 and 四 with one row per organisation, and a 汇总状态 sheet.

Table sheets have two header rows — the official row label merged over its columns, then the
column labels (schema.layout) — and a 合计 row. The 合计 figures are written as numbers, not
formulas, so the file reads the same in WPS, in Excel and in a viewer that computes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.domain.report.model import AnnualReport, Cell, Cells, Number
from gongkai.domain.report.rules.tables import column_label, t4_group_label
from gongkai.domain.report.schema import Layout, layout
from gongkai.reports.rollup import KeyFigures, Rollup, RollupRow

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEAD_FILL = PatternFill("solid", fgColor="EEF1F5")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_DATE = "yyyy-mm-dd"
_AMOUNT = "0.00##"
# Columns on the left of every table sheet, with their widths.
_LEFT = (("序号", 6), ("机构名称", 30), ("机构类型", 12), ("数据来源", 18))
_DATA_WIDTH = 11

Value = Number | str | dt.date | None


@dataclass(frozen=True)
class _Column:
    label: str
    decimal: bool = False


@dataclass(frozen=True)
class _Row:
    """One row of an official table: its key, its label, and its columns."""

    key: str
    label: str
    columns: tuple[_Column, ...]


@dataclass(frozen=True)
class _Table:
    sheet: str
    caption: str
    attribute: str  # t2 | t3 | t4
    rows: tuple[_Row, ...]


def rollup_workbook(rollup: Rollup) -> bytes:
    """The workbook of `rollup`, as bytes."""
    workbook = Workbook()
    status = workbook.active
    assert status is not None
    _status_sheet(status, rollup)
    lay = layout(rollup.rows[0].report.format)
    for table in _tables(lay):
        _table_sheet(workbook.create_sheet(table.sheet), rollup, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _tables(lay: Layout) -> tuple[_Table, ...]:
    headings = {spec.number: spec.heading for spec in lay.sections}
    t2 = tuple(
        _Row(row.key, row.label, tuple(_Column(c.label, c.decimal) for c in table.columns))
        for table, row in lay.t2_rows
    )
    t3_columns = tuple(_Column(column_label(c)) for c in lay.t3_columns)
    t3 = tuple(_Row(row.key, _t3_label(row.label, row.group), t3_columns) for row in lay.t3_rows)
    t4_columns = tuple(_Column(c.label) for c in lay.t4_columns)
    t4 = tuple(_Row(g.key, t4_group_label(g), t4_columns) for g in lay.t4_groups)
    return (
        _Table("表二", headings[2], "t2", t2),
        _Table("表三", headings[3], "t3", t3),
        _Table("表四", headings[4], "t4", t4),
    )


def _t3_label(label: str, group: str | None) -> str:
    """Numbered rows (1.属于国家秘密) carry their group, or 1. would be ambiguous."""
    return f"{group} {label}" if group and label[:1].isdigit() else label


# ---------------------------------------------------------------- the table sheets


def _table_sheet(sheet: Worksheet, rollup: Rollup, table: _Table) -> None:
    width = len(_LEFT) + sum(len(row.columns) for row in table.rows)
    _title(sheet, f"{_title_text(rollup)} · {table.sheet} {table.caption}", width)
    _table_header(sheet, table)
    first, decimals = 4, _decimal_columns(table)
    for index, row in enumerate(rollup.rows, 1):
        cells = _cells_of(row.report, table)
        kind = row.organisation.get_kind_display()
        left: list[Value] = [index, row.organisation.name, kind, row.source]
        values = [*left, *(_value(cell) for cell in cells)]
        _write_row(sheet, first + index - 1, values, decimals)
    totals = _column_totals([_cells_of(row.report, table) for row in rollup.rows])
    total_row = first + len(rollup.rows)
    _write_row(sheet, total_row, [None, "合计", None, None, *totals], decimals)
    for column in range(1, width + 1):
        sheet.cell(total_row, column).font = _BOLD
    sheet.freeze_panes = f"{get_column_letter(len(_LEFT) + 1)}{first}"


def _table_header(sheet: Worksheet, table: _Table) -> None:
    """Row 2: the left labels (merged over both rows) and each table row's label merged over
    its columns; row 3: the column labels."""
    for column, (label, width) in enumerate(_LEFT, 1):
        _head(sheet, 2, column, label)
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        sheet.column_dimensions[get_column_letter(column)].width = width
    column = len(_LEFT) + 1
    for row in table.rows:
        _head(sheet, 2, column, row.label)
        last = column + len(row.columns) - 1
        if last > column:
            sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=last)
        for offset, spec in enumerate(row.columns):
            _head(sheet, 3, column + offset, spec.label)
            sheet.column_dimensions[get_column_letter(column + offset)].width = _DATA_WIDTH
        column = last + 1
    sheet.row_dimensions[2].height = 48
    sheet.row_dimensions[3].height = 48


def _cells_of(report: AnnualReport, table: _Table) -> list[Cell]:
    """The report's cells in sheet order; a row or cell the report lacks is blank."""
    rows: dict[str, Cells] = dict(getattr(report, table.attribute))
    found: list[Cell] = []
    for row in table.rows:
        cells = rows.get(row.key, ())
        found.extend(cells[i] if i < len(cells) else Cell.blank() for i in range(len(row.columns)))
    return found


def _value(cell: Cell) -> Value:
    """A number as a number; a placeholder ("/") or unreadable text as printed; blank empty."""
    if cell.is_number:
        return cell.value
    return cell.raw.strip() or None


def _column_totals(rows: Sequence[Sequence[Cell]]) -> list[Number]:
    """Blank and placeholder cells add 0, as in the aggregate report (spec.md §3 preamble)."""
    if not rows:
        return []
    return [sum((row[i].as_number for row in rows), 0) for i in range(len(rows[0]))]


def _decimal_columns(table: _Table) -> frozenset[int]:
    """Sheet column numbers of the amount columns (表二 行政事业性收费, in 万元)."""
    specs = [spec for row in table.rows for spec in row.columns]
    return frozenset(len(_LEFT) + 1 + i for i, spec in enumerate(specs) if spec.decimal)


def _write_row(
    sheet: Worksheet, row: int, values: Sequence[Value], decimals: frozenset[int]
) -> None:
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column, value)
        if column in decimals and isinstance(value, int | Decimal):
            cell.number_format = _AMOUNT


# ---------------------------------------------------------------- the status sheet

_STATUS = (
    ("序号", 6),
    ("机构名称", 30),
    ("机构类型", 12),
    ("状态", 9),
    ("最新版本", 9),
    ("首次发布日期", 13),
    ("截止日期", 12),
    ("发布时限", 13),
    ("错误", 7),
    ("警告", 7),
    *((label, 11) for label in KeyFigures.LABELS),
)


def _status_sheet(sheet: Worksheet, rollup: Rollup) -> None:
    sheet.title = "汇总状态"
    exported = f"汇总状态（{rollup.today.isoformat()}导出）"
    _title(sheet, f"{_title_text(rollup)} · {exported}", len(_STATUS))
    for column, (label, width) in enumerate(_STATUS, 1):
        _head(sheet, 2, column, label)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for index, row in enumerate(rollup.rows, 1):
        for column, value in enumerate(_status_values(index, row), 1):
            cell = sheet.cell(index + 2, column, value)
            if column in (6, 7) and value is not None:
                cell.number_format = _DATE
        # An indent rather than leading spaces, which would end up in copied names.
        sheet.cell(index + 2, 2).alignment = Alignment(indent=row.depth)
    total_row = len(rollup.rows) + 3
    published = f"已发布{rollup.published}/{len(rollup.rows)}"
    late = f"逾期{rollup.late}个" if rollup.late else None
    summary: list[Value] = [None, "合计", None, published, None, None, None, late, rollup.errors]
    summary += [rollup.warnings, *rollup.totals.values()]
    for column, value in enumerate(summary, 1):
        sheet.cell(total_row, column, value).font = _BOLD
    sheet.freeze_panes = "C3"


def _status_values(index: int, row: RollupRow) -> list[Value]:
    return [
        index,
        row.organisation.name,
        row.organisation.get_kind_display(),
        row.state.label,
        f"第{row.version}版" if row.version else None,
        row.first_published_on,
        row.deadline.due,
        row.timing.text,
        row.errors,
        row.warnings,
        *row.figures.values(),
    ]


# ---------------------------------------------------------------- shared


def _title_text(rollup: Rollup) -> str:
    return f"{rollup.government.name}{rollup.year}年度政府信息公开工作年度报告汇总"


def _title(sheet: Worksheet, text: str, width: int) -> None:
    cell = sheet.cell(1, 1, text)
    cell.font = _TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.row_dimensions[1].height = 24


def _head(sheet: Worksheet, row: int, column: int, label: str) -> None:
    cell = sheet.cell(row, column, label)
    cell.font = _BOLD
    cell.fill = _HEAD_FILL
    cell.alignment = _CENTER


__all__ = ["XLSX_TYPE", "rollup_workbook"]
