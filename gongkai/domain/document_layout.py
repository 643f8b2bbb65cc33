"""The official document layout (GB/T 9704-2012 《党政机关公文格式》) for Word documents.

One module, used by the annual report's renderer (`gongkai.domain.report.renderers.docx`) and the
reply letters (`gongkai.disclosure.documents`): A4; margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; title 方正小标宋简体 二号 centred; body 仿宋_GB2312 三号, first line indented two
characters, fixed line spacing 28.95 pt (22 lines a page); first-level headings 黑体 三号,
second-level 楷体_GB2312 三号; page numbers "— 1 —" in 宋体 四号, right on odd pages and left on
even pages, 7 mm below the text block.

Chinese font names must be written to `w:eastAsia`: Word picks the font of a CJK character from
that attribute alone, so setting only `run.font.name` would leave the text in the theme font.

Pure: python-docx only, no Django.
"""

from __future__ import annotations

import math
from typing import Any

from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

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

# python-docx has no type information: its objects are Any here.
Doc = Any


def add_paragraph(doc: Doc, text: str, style_id: str) -> Any:
    # The style goes in by id: python-docx looks a style name up among all styles each time.
    paragraph = doc.add_paragraph()
    paragraph._p.get_or_add_pPr().style = style_id
    if text:
        paragraph.add_run(text)
    return paragraph


# ---------------------------------------------------------------- page and styles


def page_setup(doc: Doc) -> None:
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
    document_grid(section)
    chinese_theme_language(doc)


# GB/T 9704-2012 §5.2.1: 每面排22行，每行排28个字. The 22 lines are a document grid of lines of
# 28.95 pt. The 28 characters are the body's character spacing, condensed so that 28 三号
# characters fill the 156 mm text width: a grid of characters (w:type="linesAndChars") does the
# same in Word and WPS, but LibreOffice spreads each character over two grid cells with it (the
# report rendered in 13 pages), so the line grid and the spacing are what every editor reads alike.
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28


def text_width_pt() -> float:
    return (PAGE["width"] - PAGE["left"] - PAGE["right"]) / 25.4 * 72


def body_char_spacing() -> int:
    """The body's character spacing in twentieths of a point (w:spacing, negative = condensed):
    the largest that still puts 28 三号 characters in the text width."""
    pitch = text_width_pt() / CHARS_PER_LINE
    return math.floor((pitch - SIZE_3) * 20)


def document_grid(section: Any) -> None:
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE * 20)))
    grid.attrib.pop(qn("w:charSpace"), None)


def chinese_theme_language(doc: Doc) -> None:
    """python-docx's template declares Japanese as the East Asian theme language, so LibreOffice
    picks a Japanese font for the text; the document is Chinese (zh-CN)."""
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def set_fonts(rpr: Any, name: str) -> None:
    """Name the font for every script, East Asian included, and drop theme fonts."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def define_styles(doc: Doc) -> dict[str, str]:
    """Define the report's styles; return their ids by name."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY_FONT)
    # The grid's character pitch is counted from the default size: 三号, the body's.
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(round(SIZE_3 * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    style_font(normal, BODY_FONT, SIZE_3)
    spacing(normal.paragraph_format, exact=LINE)
    paragraph_style(
        doc, STYLE_BODY, BODY_FONT, SIZE_3, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY
    )
    title = paragraph_style(doc, STYLE_TITLE, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    spacing(title.paragraph_format, exact=36.0, after=LINE)
    for name, font, level in (
        (STYLE_HEADING1, HEADING1_FONT, 0),
        (STYLE_HEADING2, HEADING2_FONT, 1),
    ):
        heading = paragraph_style(
            doc, name, font, SIZE_3, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY
        )
        heading.paragraph_format.keep_with_next = True
        heading.element.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(level))
    table = paragraph_style(doc, STYLE_TABLE, BODY_FONT, SIZE_5, align=WD_ALIGN_PARAGRAPH.CENTER)
    spacing(table.paragraph_format, single=True)
    # Table text keeps its own single spacing: snapped to the 28.95 pt line grid, every line of
    # a cell would take a whole body line and table 三 would run over three pages.
    no_snap = OxmlElement("w:snapToGrid")
    no_snap.set(qn("w:val"), "0")
    table.element.get_or_add_pPr().insert(0, no_snap)
    number = paragraph_style(doc, STYLE_PAGE_NUMBER, PAGE_NUMBER_FONT, SIZE_4)
    spacing(number.paragraph_format, single=True)
    styles = (
        title,
        table,
        number,
        *(doc.styles[n] for n in (STYLE_BODY, STYLE_HEADING1, STYLE_HEADING2)),
    )
    return {style.name: style.style_id for style in styles}


def paragraph_style(
    doc: Doc, name: str, font: str, size: float, *, indent: bool = False, align: Any = None
) -> Any:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style_font(style, font, size)
    fmt = style.paragraph_format
    spacing(fmt, exact=LINE)
    if align is not None:
        fmt.alignment = align
    if size == SIZE_3 and indent:  # body and headings: 28 characters a line (document_grid)
        condensed = OxmlElement("w:spacing")
        condensed.set(qn("w:val"), str(body_char_spacing()))
        style.element.get_or_add_rPr().append(condensed)
    if indent:
        # Two characters: firstLineChars scales with the font; firstLine is the fallback.
        fmt.first_line_indent = Pt(2 * size)
        style.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    return style


def style_font(style: Any, font: str, size: float) -> None:
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = False
    set_fonts(style.element.get_or_add_rPr(), font)


def spacing(
    fmt: Any, *, exact: float | None = None, single: bool = False, after: float = 0
) -> None:
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    if exact is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact)
    if single:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


# ---------------------------------------------------------------- page numbers


def page_numbers(doc: Doc) -> None:
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
        page_field(paragraph)
        paragraph.add_run(" —")


def page_field(paragraph: Any) -> None:
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
