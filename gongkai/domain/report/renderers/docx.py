"""The report as a Word document in the official document layout (GB/T 9704-2012 《党政机关公文格式》);
page, styles and page numbers are `gongkai.domain.document_layout`, shared with the reply letters.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号 centred;
body 仿宋_GB2312 三号, first line indented two characters, fixed line spacing 28.95 pt (22 lines
a page); first-level headings 黑体 三号, second-level 楷体_GB2312 三号; tables 仿宋_GB2312 五号 with
the official merged headers and a border on every cell; page numbers "— 1 —" in 宋体 四号,
right on odd pages and left on even pages, 7 mm below the text block.

Chinese font names must be written to `w:eastAsia`: Word picks the font of a CJK character from
that attribute alone, so setting only `run.font.name` would leave the text in the theme font.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_document
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import _Cell

from gongkai.domain.document_layout import (
    STYLE_BODY,
    STYLE_HEADING1,
    STYLE_HEADING2,
    STYLE_TABLE,
    STYLE_TITLE,
    Doc,
    add_paragraph,
    define_styles,
    page_numbers,
    page_setup,
)
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.renderers.document import Heading, Paragraph, Table, build_document
from gongkai.domain.report.renderers.grid import Grid, GridCell, Kind


def render_docx(report: AnnualReport) -> bytes:
    document = build_document(report)
    doc = new_document()
    page_setup(doc)
    ids = define_styles(doc)
    if document.title:
        doc.core_properties.title = document.title
        add_paragraph(doc, document.title, ids[STYLE_TITLE])
    for line in document.preamble:
        add_paragraph(doc, line, ids[STYLE_BODY])
    for block in document.blocks:
        match block:
            case Heading(text=text, level=1):
                add_paragraph(doc, text, ids[STYLE_HEADING1])
            case Heading(text=text):
                add_paragraph(doc, text, ids[STYLE_HEADING2])
            case Paragraph(text=text):
                add_paragraph(doc, text, ids[STYLE_BODY])
            case Table(grid=grid):
                _table(doc, grid, ids)
    page_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- tables


def _table(doc: Doc, grid: Grid, ids: dict[str, str]) -> None:
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_properties(table, grid)
    for index, width in enumerate(grid.widths_mm):
        table.columns[index].width = Mm(width)
    # The cells as created, before any merge. `table.cell(r, c)` recomputes the whole grid on
    # every call; merged regions never overlap, so each region's corner cells are still these.
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    for row in cells:
        for width, cell in zip(grid.widths_mm, row, strict=True):
            cell.width = Mm(width)
    for row_index, tr in enumerate(table._tbl.tr_lst):
        properties = tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if row_index < grid.header_rows:
            properties.append(OxmlElement("w:tblHeader"))  # repeated on every page
    for spec in grid.cells:
        cell = cells[spec.row][spec.col]
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(cells[spec.row + spec.rowspan - 1][spec.col + spec.colspan - 1])
        _fill(cell, spec, ids[STYLE_TABLE])
    # A paragraph after the table keeps two tables or a table and a heading apart.
    add_paragraph(doc, "", ids[STYLE_BODY])


def _fill(cell: Any, spec: GridCell, style_id: str) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph = cell.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = style_id
    if spec.kind is Kind.LABEL:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    elif spec.kind in (Kind.CAPTION, Kind.HEADER):
        # A 第二十条 caption or a column heading stays on the page of the row below it.
        paragraph.paragraph_format.keep_with_next = True
    if spec.text:
        paragraph.add_run(spec.text)


# Child order of w:tblPr in the OOXML schema; Word rejects a file whose elements are out of order.
_TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
    "tblLook", "tblCaption", "tblDescription",
)  # fmt: skip


def _table_properties(table: Any, grid: Grid) -> None:
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        _insert(properties, width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(grid.widths_mm) / 25.4 * 1440)))
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")  # eighths of a point: 0.5 pt
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    _insert(properties, borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(
            qn("w:w"), "57"
        )  # twentieths of a point: 1 mm, so narrow columns keep two characters
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    _insert(properties, margins)


def _insert(parent: Any, child: Any) -> None:
    """Insert `child` into w:tblPr at its schema position, replacing an element of the same name."""
    name = child.tag.split("}")[1]
    existing = parent.find(qn(f"w:{name}"))
    if existing is not None:
        parent.remove(existing)
    later = _TBLPR_ORDER[_TBLPR_ORDER.index(name) + 1 :]
    for element in parent:
        if element.tag.split("}")[1] in later:
            element.addprevious(child)
            return
    parent.append(child)
