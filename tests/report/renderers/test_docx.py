"""The .docx in official document layout (GB/T 9704-2012), read back with python-docx."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import given, settings

from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.renderers import render
from gongkai.domain.report.renderers.grid import cell_text
from gongkai.domain.report.schema import FormatVersion, layout
from tests.report.renderers.samples import distinct_report
from tests.report.strategies import consistent_reports

V2021, V2019 = FormatVersion.V2021, FormatVersion.V2019


@cache
def opened(version: FormatVersion = V2021) -> Any:
    return docx.Document(io.BytesIO(render(distinct_report(version), "docx")))


def east_asian_font(run: Any) -> str:
    """The CJK font a run is shown in: its own w:eastAsia, else its paragraph style's."""
    for element in (run._r, run._parent.style.element):
        fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return str(fonts.get(qn("w:eastAsia")))
    raise AssertionError("no East Asian font")


def paragraph(document: Any, text: str) -> Any:
    (found,) = [p for p in document.paragraphs if p.text == text]
    return found


def size(par: Any) -> float:
    return float(par.style.font.size.pt)


def test_the_page_is_a4_with_the_official_margins() -> None:
    section = opened().sections[0]
    measured = [round(x.mm, 1) for x in (section.page_width, section.page_height)]
    margins = [
        round(x.mm, 1)
        for x in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert measured == [210.0, 297.0]
    assert margins == [37.0, 35.0, 28.0, 26.0]


def test_the_title_is_xiaobiaosong_2_centred() -> None:
    title = paragraph(opened(), "某某县人民政府办公室2024年政府信息公开工作年度报告")
    assert east_asian_font(title.runs[0]) == "方正小标宋简体"
    assert size(title) == 22
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert opened().core_properties.title == title.text


def test_the_body_is_fangsong_3_with_a_two_character_indent_on_a_fixed_line() -> None:
    body = paragraph(opened(), "全年收到申请三十六件。")
    fmt = body.style.paragraph_format
    assert east_asian_font(body.runs[0]) == "仿宋_GB2312"
    assert size(body) == 16
    assert fmt.first_line_indent == Pt(32)
    indent = body.style.element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert indent.get(qn("w:firstLineChars")) == "200"
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= fmt.line_spacing.pt <= 29


def test_headings_are_heiti_and_kaiti() -> None:
    document = opened()
    first = paragraph(document, "一、总体情况")
    second = paragraph(document, "（一）主动公开")
    assert (east_asian_font(first.runs[0]), size(first)) == ("黑体", 16)
    assert (east_asian_font(second.runs[0]), size(second)) == ("楷体_GB2312", 16)
    outline = [
        p.style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val"))
        for p in (first, second)
    ]
    assert outline == ["0", "1"]
    headings = [p.text for p in document.paragraphs if p.style.name == "Report Heading 1"]
    assert headings == [s.heading for s in layout(V2021).sections]


def test_east_asian_fonts_are_set_in_the_document_defaults() -> None:
    fonts = opened().styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_tables_are_small_fangsong_with_borders_on_every_cell() -> None:
    document = opened()
    assert len(document.tables) == 3
    for table in document.tables:
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.tag.split("}")[1]: b.get(qn("w:val")) for b in borders} == dict.fromkeys(
            ("top", "left", "bottom", "right", "insideH", "insideV"), "single"
        )
        par = table.cell(0, 0).paragraphs[0]
        assert (par.style.name, size(par), east_asian_font(par.runs[0])) == (
            "Report Table Text",
            10.5,
            "仿宋_GB2312",
        )
    assert round(sum(c.width.mm for c in document.tables[1].columns)) == 156


def matrix(table: Any) -> list[list[Any]]:
    """Every grid position's cell (a merged cell at each position it covers), computed once:
    `table.cell(r, c)` recomputes the whole grid on each call."""
    cells = table._cells
    width = len(table.columns)
    return [cells[i : i + width] for i in range(0, len(cells), width)]


def merged(table: Any, top: int, left: int, bottom: int, right: int) -> bool:
    """The block of cells is one merged cell, and its neighbours are not part of it."""
    grid = matrix(table)
    tc = grid[top][left]._tc
    inside = all(
        grid[r][c]._tc is tc for r in range(top, bottom + 1) for c in range(left, right + 1)
    )
    below = bottom + 1 >= len(grid) or grid[bottom + 1][left]._tc is not tc
    beside = right + 1 >= len(grid[0]) or grid[top][right + 1]._tc is not tc
    return inside and below and beside


@pytest.mark.parametrize("version", [V2021, V2019])
def test_table_3_has_the_official_merged_cells(version: FormatVersion) -> None:
    lay = layout(version)
    t3 = opened(version).tables[1]
    results = 22 if version is V2021 else 20
    assert t3.cell(0, 0).text == lay.t3_note
    assert merged(t3, 0, 0, 2, 2)
    assert (t3.cell(0, 3).text, merged(t3, 0, 3, 0, 9)) == ("申请人情况", True)
    assert (t3.cell(1, 3).text, merged(t3, 1, 3, 2, 3)) == ("自然人", True)
    assert (t3.cell(1, 4).text, merged(t3, 1, 4, 1, 8)) == ("法人或其他组织", True)
    assert (t3.cell(1, 9).text, merged(t3, 1, 9, 2, 9)) == ("总计", True)
    assert (t3.cell(3, 0).text, merged(t3, 3, 0, 3, 2)) == (lay.t3_rows[0].label, True)
    assert (t3.cell(5, 0).text, merged(t3, 5, 0, 5 + results - 1, 0)) == (
        "三、本年度办理结果",
        True,
    )
    assert (t3.cell(7, 1).text, merged(t3, 7, 1, 14, 1)) == ("（三）不予公开", True)
    assert (t3.cell(5, 1).text, merged(t3, 5, 1, 5, 2)) == ("（一）予以公开", True)
    header_rows = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in t3.rows]
    assert header_rows[:4] == [True, True, True, False]


def test_table_4_and_table_2_have_their_merged_headers() -> None:
    t2, _, t4 = opened().tables
    assert (t4.cell(0, 0).text, merged(t4, 0, 0, 0, 4)) == ("行政复议", True)
    assert (t4.cell(0, 5).text, merged(t4, 0, 5, 0, 14)) == ("行政诉讼", True)
    assert (t4.cell(1, 0).text, merged(t4, 1, 0, 2, 0)) == ("结果维持", True)
    assert (t4.cell(1, 5).text, merged(t4, 1, 5, 1, 9)) == ("未经复议直接起诉", True)
    assert (t4.cell(1, 10).text, merged(t4, 1, 10, 1, 14)) == ("复议后起诉", True)
    assert (t2.cell(0, 0).text, merged(t2, 0, 0, 0, 3)) == ("第二十条第（一）项", True)
    assert (t2.cell(5, 1).text, merged(t2, 5, 1, 5, 3)) == ("本年处理决定数量", True)


def figures(report: AnnualReport) -> dict[str, list[list[str]]]:
    """What every data row of each table should show: label(s) then the cells' texts."""
    lay = layout(report.format)
    t2: list[list[str]] = []
    for sub in lay.t2_tables:
        t2.append([sub.caption])
        t2.append([sub.header, *(c.label for c in sub.columns)])
        t2.extend([row.label, *(cell_text(c) for c in report.t2[row.key])] for row in sub.rows)
    t3 = [[row.label, *(cell_text(c) for c in report.t3[row.key])] for row in lay.t3_rows]
    t4 = [[cell_text(c) for g in lay.t4_groups for c in report.t4[g.key]]]
    return {"t2": t2, "t3": t3, "t4": t4}


def distinct_texts(row: list[Any]) -> list[str]:
    """The texts of a row's cells, a cell merged across several columns counted once."""
    seen: list[Any] = []
    texts: list[str] = []
    for cell in row:
        if cell._tc not in seen:
            seen.append(cell._tc)
            texts.append(cell.text)
    return texts


@settings(max_examples=8, deadline=None)
@given(consistent_reports())
def test_every_figure_is_in_its_cell(report: AnnualReport) -> None:
    document = docx.Document(io.BytesIO(render(report, "docx")))
    t2, t3, t4 = (matrix(table) for table in document.tables)
    expected = figures(report)
    assert [distinct_texts(row) for row in t2] == expected["t2"]
    # Table 三: the row label is the last label cell; the figures are in columns 3…9.
    assert [[row[2].text, *(cell.text for cell in row[3:])] for row in t3[3:]] == expected["t3"]
    assert [cell.text for cell in t4[3]] == expected["t4"][0]


def test_page_numbers_are_dash_framed_page_fields() -> None:
    document = opened()
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        (par,) = footer.paragraphs
        assert par.alignment == align
        assert par.text == "— 1 —"
        assert par._p.xpath(".//w:instrText")[0].text.strip() == "PAGE"
        assert (east_asian_font(par.runs[0]), size(par)) == ("宋体", 14)


def test_a_report_without_tables_or_title_still_renders() -> None:
    report = replace(distinct_report(), title=None, t2={}, t3={}, t4={})
    document = docx.Document(io.BytesIO(render(report, "docx")))
    assert document.tables == []
    assert document.paragraphs[0].text == "根据《中华人民共和国政府信息公开条例》编制本报告。"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_it_and_lays_it_out_on_a4(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(render(distinct_report(), "docx"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "report.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) >= 3  # title page, tables, closing sections
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4 in points
