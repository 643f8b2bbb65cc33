"""The report as a Word document in the official document layout (GB/T 9704-2012 《党政机关公文格式》).

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
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.renderers.document import Heading, Paragraph, Table, build_document
from gongkai.domain.report.renderers.grid import Grid, GridCell, Kind

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

SIZE_2 = 22.0  # 二号
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号
SIZE_5 = 10.5  # 五号
LINE = 28.95  # pt: 22 lines in the 225 mm text block

PAGE = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}

STYLE_TITLE = "Report Title"
STYLE_BODY = "Report Body"
STYLE_HEADING1 = "Report Heading 1"
STYLE_HEADING2 = "Report Heading 2"
STYLE_TABLE = "Report Table Text"
STYLE_PAGE_NUMBER = "Report Page Number"

# python-docx has no type information: its objects are Any here and stay inside this module.
Doc = Any


def render_docx(report: AnnualReport) -> bytes:
    document = build_document(report)
    doc = new_document()
    _page_setup(doc)
    ids = _styles(doc)
    if document.title:
        doc.core_properties.title = document.title
        _paragraph(doc, document.title, ids[STYLE_TITLE])
    for line in document.preamble:
        _paragraph(doc, line, ids[STYLE_BODY])
    for block in document.blocks:
        match block:
            case Heading(text=text, level=1):
                _paragraph(doc, text, ids[STYLE_HEADING1])
            case Heading(text=text):
                _paragraph(doc, text, ids[STYLE_HEADING2])
            case Paragraph(text=text):
                _paragraph(doc, text, ids[STYLE_BODY])
            case Table(grid=grid):
                _table(doc, grid, ids)
    _page_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraph(doc: Doc, text: str, style_id: str) -> Any:
    # The style goes in by id: python-docx looks a style name up among all styles each time.
    paragraph = doc.add_paragraph()
    paragraph._p.get_or_add_pPr().style = style_id
    if text:
        paragraph.add_run(text)
    return paragraph


# ---------------------------------------------------------------- page and styles


def _page_setup(doc: Doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width = Mm(PAGE["width"])
    section.page_height = Mm(PAGE["height"])
    section.top_margin = Mm(PAGE["top"])
    section.bottom_margin = Mm(PAGE["bottom"])
    section.left_margin = Mm(PAGE["left"])
    section.right_margin = Mm(PAGE["right"])
    # The page number's dash line sits 7 mm below the text block (GB/T 9704-2012 §7.5).
    section.footer_distance = Mm(PAGE["bottom"] - 7 - 5)


def set_fonts(rpr: Any, name: str) -> None:
    """Name the font for every script, East Asian included, and drop theme fonts."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _styles(doc: Doc) -> dict[str, str]:
    """Define the report's styles; return their ids by name."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    _style_font(normal, BODY_FONT, SIZE_3)
    _spacing(normal.paragraph_format, exact=LINE)
    _paragraph_style(
        doc, STYLE_BODY, BODY_FONT, SIZE_3, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY
    )
    title = _paragraph_style(doc, STYLE_TITLE, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    _spacing(title.paragraph_format, exact=36.0, after=LINE)
    for name, font, level in (
        (STYLE_HEADING1, HEADING1_FONT, 0),
        (STYLE_HEADING2, HEADING2_FONT, 1),
    ):
        heading = _paragraph_style(
            doc, name, font, SIZE_3, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY
        )
        heading.paragraph_format.keep_with_next = True
        heading.element.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(level))
    table = _paragraph_style(doc, STYLE_TABLE, BODY_FONT, SIZE_5, align=WD_ALIGN_PARAGRAPH.CENTER)
    _spacing(table.paragraph_format, single=True)
    number = _paragraph_style(doc, STYLE_PAGE_NUMBER, PAGE_NUMBER_FONT, SIZE_4)
    _spacing(number.paragraph_format, single=True)
    styles = (
        title,
        table,
        number,
        *(doc.styles[n] for n in (STYLE_BODY, STYLE_HEADING1, STYLE_HEADING2)),
    )
    return {style.name: style.style_id for style in styles}


def _paragraph_style(
    doc: Doc, name: str, font: str, size: float, *, indent: bool = False, align: Any = None
) -> Any:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    _style_font(style, font, size)
    fmt = style.paragraph_format
    _spacing(fmt, exact=LINE)
    if align is not None:
        fmt.alignment = align
    if indent:
        # Two characters: firstLineChars scales with the font; firstLine is the fallback.
        fmt.first_line_indent = Pt(2 * size)
        style.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    return style


def _style_font(style: Any, font: str, size: float) -> None:
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = False
    set_fonts(style.element.get_or_add_rPr(), font)


def _spacing(
    fmt: Any, *, exact: float | None = None, single: bool = False, after: float = 0
) -> None:
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    if exact is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact)
    if single:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


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
    _paragraph(doc, "", ids[STYLE_BODY])


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


# ---------------------------------------------------------------- page numbers


def _page_numbers(doc: Doc) -> None:
    """Page numbers "— 1 —": odd pages on the right, even pages on the left, a character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for paragraph, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph.style = STYLE_PAGE_NUMBER
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(SIZE_4)
        else:
            fmt.left_indent = Pt(SIZE_4)
        paragraph.add_run("— ")
        _page_field(paragraph)
        paragraph.add_run(" —")


def _page_field(paragraph: Any) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(separate)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)
