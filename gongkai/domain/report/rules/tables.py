"""Reading the fixed tables for the rules: rows that were seen, numbers, labels for messages.

The one principle: a row key missing from a table mapping means the row was not in the document
(a partial copy), so an identity is evaluated only when every row it involves was seen whole.
Blank and placeholder cells count as 0 (spec.md §3 preamble; S-05 reports them); a cell that is
not a number makes every identity it is part of unverifiable (S-04 reports it), and so does a cell
the reader could not be sure of (S-11): a guessed placement never produces an arithmetic error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from gongkai.domain.report.model import AnnualReport, Cell, Cells, CellState, Number
from gongkai.domain.report.schema import Column, FormatVersion, Layout, Row, layout

TableRows = Mapping[str, Cells]

# Pre-2019 reports have no national tables and an unknown format has no known ones (spec.md §2.4).
_TABLE_VERSIONS = (FormatVersion.V2021, FormatVersion.V2019)


def table_layout(report: AnnualReport) -> Layout | None:
    """The layout whose tables the report should have, or None when table rules do not apply."""
    return layout(report.format) if report.format in _TABLE_VERSIONS else None


def seen(rows: TableRows, key: str, width: int) -> Cells | None:
    """The row's cells when the row was read whole; None when missing or cut short."""
    cells = rows.get(key)
    if cells is None or len(cells) != width:
        return None
    return cells


def seen_all(rows: TableRows, keys: Iterable[str], width: int) -> dict[str, Cells] | None:
    """All the rows, or None if any of them was not read whole."""
    found: dict[str, Cells] = {}
    for key in keys:
        cells = seen(rows, key, width)
        if cells is None:
            return None
        found[key] = cells
    return found


def number(cell: Cell) -> Number | None:
    """The value for arithmetic: blank/placeholder → 0; None for a cell that is not a number or
    that could not be read with certainty."""
    if cell.state in (CellState.INVALID, CellState.UNREADABLE):
        return None
    return cell.as_number


def total(cells: Iterable[Cell]) -> Number | None:
    """Sum of the cells, or None if any of them is not a number."""
    result: Number = 0
    for cell in cells:
        value = number(cell)
        if value is None:
            return None
        result += value
    return result


def fmt(value: Number) -> str:
    """A number as the report would print it (no trailing exponent for Decimal)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


# A long explanation in brackets at the end of a label, e.g. （区分处理的，只计这一情形…）.
_LONG_REMARK = re.compile(r"(?<=.)（[^（）]{6,}）$")


def short_label(label: str) -> str:
    """The label without a long trailing remark: （二）部分公开, 本年收费金额."""
    return _LONG_REMARK.sub("", label)


def t3_row_label(lay: Layout, key: str) -> str:
    """A row label as readers see it; numbered sub-rows carry their group: （三）不予公开 1.…"""
    row = lay.t3_row(key)
    label = short_label(row.label)
    if row.group and label[:1].isdigit():
        return f"{row.group} {label}"
    return label


def column_label(column: Column) -> str:
    """A column's label; the bare 其他 of the 法人或其他组织 columns gets its parent."""
    if column.parent and len(column.label) <= 2:
        return f"{column.parent}（{column.label}）"
    return short_label(column.label)


def t4_group_label(group: Column) -> str:
    """行政复议, 行政诉讼（未经复议直接起诉）, 行政诉讼（复议后起诉）."""
    return f"{group.parent}（{group.label}）" if group.parent else group.label


def t2_row(lay: Layout, key: str) -> Row | None:
    for _table, row in lay.t2_rows:
        if row.key == key:
            return row
    return None


def t2_columns(lay: Layout, key: str) -> tuple[Column, ...]:
    return lay.t2_table_of(key).columns


def cell_at(cells: Sequence[Cell], columns: Sequence[Column], key: str) -> Cell | None:
    for column, cell in zip(columns, cells, strict=False):
        if column.key == key:
            return cell
    return None


def report_rows(report: AnnualReport, table: str) -> TableRows:
    """The mapping of table "t2" / "t3" / "t4"."""
    return {"t2": report.t2, "t3": report.t3, "t4": report.t4}[table]


class LocatedCell(NamedTuple):
    """A cell with its `where` key and a Chinese description of its place (a named tuple: the
    rules make one per cell per check)."""

    where: str
    place: str  # 表三“（一）予以公开”行“自然人”列
    column: Column
    cell: Cell


# Where-keys and Chinese descriptions of every cell, computed once per layout: the rules ask
# for them on every check.
Places = tuple[tuple[str, tuple[tuple[Column, str, str], ...]], ...]


@cache
def _t2_places(lay: Layout) -> Places:
    return tuple(
        (row.key, tuple(
            (column, f"t2.{row.key}.{column.key}", f"表二“{row.label}”行“{short_label(column.label)}”列")
            for column in table.columns
        ))
        for table, row in lay.t2_rows
    )  # fmt: skip


@cache
def _t3_places(lay: Layout) -> Places:
    return tuple(
        (row.key, tuple(
            (column, f"t3.{row.key}.{column.key}",
             f"表三“{t3_row_label(lay, row.key)}”行“{column_label(column)}”列")
            for column in lay.t3_columns
        ))
        for row in lay.t3_rows
    )  # fmt: skip


@cache
def _t4_places(lay: Layout) -> Places:
    return tuple(
        (group.key, tuple(
            (column, f"t4.{group.key}.{column.key}", f"表四“{t4_group_label(group)}”“{column.label}”")
            for column in lay.t4_columns
        ))
        for group in lay.t4_groups
    )  # fmt: skip


def _located(rows: TableRows, places: Places) -> Iterator[LocatedCell]:
    for key, columns in places:
        for (column, where, place), cell in zip(columns, rows.get(key, ()), strict=False):
            yield LocatedCell(where, place, column, cell)


def t2_cells(report: AnnualReport, lay: Layout) -> Iterator[LocatedCell]:
    return _located(report.t2, _t2_places(lay))


def t3_cells(report: AnnualReport, lay: Layout) -> Iterator[LocatedCell]:
    return _located(report.t3, _t3_places(lay))


def t4_cells(report: AnnualReport, lay: Layout) -> Iterator[LocatedCell]:
    return _located(report.t4, _t4_places(lay))


def all_cells(report: AnnualReport, lay: Layout) -> Iterator[LocatedCell]:
    yield from t2_cells(report, lay)
    yield from t3_cells(report, lay)
    yield from t4_cells(report, lay)


def count_problem(located: LocatedCell) -> str | None:
    """Why a cell is not a valid count or amount (S-04, T4-04), or None when it is fine.

    Counts are integers ≥ 0; only columns marked `decimal` (fee and procurement amounts) may
    hold decimals and only those marked `signed` (2019 本年增/减) may be negative.
    """
    cell, column = located.cell, located.column
    if cell.state is CellState.INVALID:
        return f"不是数字：“{cell.raw}”"
    if not cell.is_number or cell.value is None:
        return None
    value = cell.value
    if value < 0 and not column.signed:
        return f"为负数({fmt(value)})"
    if not column.decimal and isinstance(value, Decimal) and value != value.to_integral_value():
        return f"不是整数({fmt(value)})"
    return None


def row_total(rows: TableRows, key: str, width: int) -> Number | None:
    """The last (总计) cell of a row that was read whole, if it is a number."""
    cells = seen(rows, key, width)
    return number(cells[-1]) if cells else None


def t2_values(report: AnnualReport, lay: Layout, key: str) -> dict[str, Number] | None:
    """Column key → value of a table 二 row that was read whole and holds only numbers."""
    columns = t2_columns(lay, key)
    cells = seen(report.t2, key, len(columns))
    if cells is None:
        return None
    values = {column.key: number(cell) for column, cell in zip(columns, cells, strict=True)}
    if any(value is None for value in values.values()):
        return None
    return {key: value for key, value in values.items() if value is not None}


def t2_row_label(lay: Layout, key: str) -> str:
    row = t2_row(lay, key)
    return row.label if row else key


@cache
def _place_index(lay: Layout) -> dict[str, str]:
    index: dict[str, str] = {}
    for places in (_t2_places(lay), _t3_places(lay), _t4_places(lay)):
        for _key, columns in places:
            index.update((where, place) for _column, where, place in columns)
    return index


def cell_place(lay: Layout, where: str) -> str | None:
    """表三“（一）予以公开”行“自然人”列 for `t3.r_open.natural`; None for a key that is not a cell."""
    return _place_index(lay).get(where)
