"""Tables 二/三/四 as grids of merged cells, in the official layout (spec.md §1.4–1.6, §2.2).

Every renderer draws the same grids: HTML with rowspan/colspan, .docx with merged cells, and
plain text in the layout of Word's text export (one line per cell; a cell merged down from the
row above shows as an empty cell, a cell merged across shows once).

Only rows the report contains are drawn: a row missing from `AnnualReport.t3` was not in the
document, and drawing it would invent it. Table 四 is one row of 15 cells, so a missing group
there is drawn blank.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from gongkai.domain.report.model import AnnualReport, Cell, Cells, CellState, Number
from gongkai.domain.report.schema import Column, Layout, SubTable, layout

# Width of the text block of an A4 page with the GB/T 9704-2012 margins (210 − 28 − 26 mm).
TEXT_WIDTH_MM = 156.0


class Kind(enum.StrEnum):
    CAPTION = "caption"  # 第二十条第（一）项
    HEADER = "header"  # column headings
    GROUP = "group"  # merged row-group labels: 三、本年度办理结果, （三）不予公开
    LABEL = "label"  # row labels
    VALUE = "value"  # a numeric cell


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    kind: Kind
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None  # "t3.r_open.natural" for a value cell
    state: CellState | None = None  # the printed state of a value cell


@dataclass(frozen=True)
class Grid:
    name: str  # t2 | t3 | t4
    n_rows: int
    n_cols: int
    header_rows: int  # rows repeated on every printed page
    widths_mm: tuple[float, ...]
    cells: tuple[GridCell, ...]

    def rows(self) -> list[list[GridCell]]:
        """The cells that start in each row, left to right."""
        rows: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            rows[cell.row].append(cell)
        return rows

    def exported_rows(self) -> list[list[str]]:
        """The rows as Word's text export lists them.

        A cell merged across several columns appears once; a cell merged down appears in every
        row it covers, empty after the first.
        """
        owner: dict[tuple[int, int], GridCell] = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                owner[(r, cell.col)] = cell
        rows: list[list[str]] = []
        for r in range(self.n_rows):
            texts: list[str] = []
            for c in range(self.n_cols):
                found = owner.get((r, c))
                if found is not None:
                    texts.append(found.text if found.row == r else "")
            rows.append(texts)
        return rows


def format_number(value: Number) -> str:
    """A number as printed: integers plainly, decimals without exponent (0.5, 12.35)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def cell_text(cell: Cell) -> str:
    """What a cell shows: its value, the placeholder or non-number as printed, or nothing."""
    if cell.state is CellState.VALUE and cell.value is not None:
        return format_number(cell.value)
    if cell.state in (CellState.PLACEHOLDER, CellState.INVALID, CellState.UNREADABLE):
        return " ".join(cell.raw.split())
    return ""


def _value_cells(
    row: int, col: int, prefix: str, columns: tuple[Column, ...], cells: Cells
) -> list[GridCell]:
    result: list[GridCell] = []
    for index, column in enumerate(columns):
        cell = cells[index] if index < len(cells) else Cell.blank()
        result.append(
            GridCell(
                row,
                col + index,
                cell_text(cell),
                Kind.VALUE,
                key=f"{prefix}.{column.key}",
                state=cell.state,
            )
        )
    return result


def table_grids(report: AnnualReport) -> dict[str, Grid]:
    """The grids of the tables the report contains, keyed t2/t3/t4."""
    lay = layout(report.format)
    grids = {"t2": t2_grid(report, lay), "t3": t3_grid(report, lay), "t4": t4_grid(report, lay)}
    return {name: grid for name, grid in grids.items() if grid is not None}


# ---------------------------------------------------------------- table 二


def t2_grid(report: AnnualReport, lay: Layout) -> Grid | None:
    """Section 二 as the official single table: each 第二十条 item is a caption row across it."""
    width = max(len(table.columns) for table in lay.t2_tables)
    n_cols = 1 + width
    cells: list[GridCell] = []
    row = 0
    for table in lay.t2_tables:
        present = [r for r in table.rows if r.key in report.t2]
        if not present:
            continue
        cells.append(GridCell(row, 0, table.caption, Kind.CAPTION, colspan=n_cols))
        cells.extend(_t2_header(table, row + 1, width))
        row += 2
        for data_row in present:
            cells.append(GridCell(row, 0, data_row.label, Kind.LABEL))
            values = _value_cells(
                row, 1, f"t2.{data_row.key}", table.columns, report.t2[data_row.key]
            )
            cells.extend(_stretch_last(values, width))
            row += 1
    if not cells:
        return None
    data_width = (TEXT_WIDTH_MM - 54.0) / width
    return Grid("t2", row, n_cols, 0, (54.0, *([data_width] * width)), tuple(cells))


def _t2_header(table: SubTable, row: int, width: int) -> list[GridCell]:
    cells = [GridCell(row, 0, table.header, Kind.HEADER)]
    cells.extend(
        GridCell(row, 1 + index, column.label, Kind.HEADER)
        for index, column in enumerate(table.columns)
    )
    return _stretch_last(cells, width + 1)


def _stretch_last(cells: list[GridCell], width: int) -> list[GridCell]:
    """Let the last cell of a narrower sub-table span the remaining columns (本年处理决定数量)."""
    last = cells[-1]
    span = width - len(cells) + 1
    cells[-1] = GridCell(
        last.row, last.col, last.text, last.kind, last.rowspan, span, last.key, last.state
    )
    return cells


# ---------------------------------------------------------------- table 三


def t3_grid(report: AnnualReport, lay: Layout) -> Grid | None:
    """Section 三: the 3×3 note cell, 申请人情况 over the columns, the merged row groups."""
    if not report.t3:
        return None
    cells = _t3_header(lay)
    rows = [r for r in lay.t3_rows if r.key in report.t3]
    top = next(r.group for r in lay.t3_rows if r.group)  # 三、本年度办理结果
    in_block = [r for r in rows if r.group]
    row = 3
    for index, data_row in enumerate(rows):
        if data_row.group is None:
            cells.append(GridCell(row, 0, data_row.label, Kind.LABEL, colspan=3))
        else:
            if data_row is in_block[0]:
                cells.append(GridCell(row, 0, top, Kind.GROUP, rowspan=len(in_block)))
            if data_row.group == top:
                cells.append(GridCell(row, 1, data_row.label, Kind.LABEL, colspan=2))
            else:
                if index == 0 or rows[index - 1].group != data_row.group:
                    span = sum(1 for r in rows if r.group == data_row.group)
                    cells.append(GridCell(row, 1, data_row.group, Kind.GROUP, rowspan=span))
                cells.append(GridCell(row, 2, data_row.label, Kind.LABEL))
        cells.extend(
            _value_cells(row, 3, f"t3.{data_row.key}", lay.t3_columns, report.t3[data_row.key])
        )
        row += 1
    n_numbers = len(lay.t3_columns)
    labels = (10.0, 14.0, 45.2)
    number_width = (TEXT_WIDTH_MM - sum(labels)) / n_numbers
    return Grid("t3", row, 3 + n_numbers, 3, (*labels, *([number_width] * n_numbers)), tuple(cells))


def _t3_header(lay: Layout) -> list[GridCell]:
    n_numbers = len(lay.t3_columns)
    cells = [
        GridCell(0, 0, lay.t3_note, Kind.HEADER, rowspan=3, colspan=3),
        GridCell(0, 3, lay.t3_caption, Kind.HEADER, colspan=n_numbers),
    ]
    col = 3
    for parent, group in groupby(lay.t3_columns, key=lambda c: c.parent):
        members = list(group)
        if parent is None:
            cells.extend(
                GridCell(1, col + i, m.label, Kind.HEADER, rowspan=2) for i, m in enumerate(members)
            )
        else:
            cells.append(GridCell(1, col, parent, Kind.HEADER, colspan=len(members)))
            cells.extend(GridCell(2, col + i, m.label, Kind.HEADER) for i, m in enumerate(members))
        col += len(members)
    return cells


# ---------------------------------------------------------------- table 四


def t4_grid(report: AnnualReport, lay: Layout) -> Grid | None:
    """Section 四: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉) over one row of 15 cells."""
    if not report.t4:
        return None
    columns = lay.t4_columns
    width = len(columns)
    cells: list[GridCell] = []
    col = 0
    for parent, group in groupby(lay.t4_groups, key=lambda g: g.parent):
        members = list(group)
        if parent is None:
            for member in members:
                cells.append(GridCell(0, col, member.label, Kind.HEADER, colspan=width))
                cells.extend(
                    GridCell(1, col + i, c.label, Kind.HEADER, rowspan=2)
                    for i, c in enumerate(columns)
                )
                col += width
        else:
            cells.append(GridCell(0, col, parent, Kind.HEADER, colspan=width * len(members)))
            for member in members:
                cells.append(GridCell(1, col, member.label, Kind.HEADER, colspan=width))
                cells.extend(
                    GridCell(2, col + i, c.label, Kind.HEADER) for i, c in enumerate(columns)
                )
                col += width
    for index, member in enumerate(lay.t4_groups):
        values = report.t4.get(member.key, ())
        cells.extend(_value_cells(3, index * width, f"t4.{member.key}", columns, values))
    return Grid("t4", 4, col, 3, tuple([TEXT_WIDTH_MM / col] * col), tuple(cells))
