"""The printed report after GB/T 9704-2012 (issue 14 part 8): page numbers "— n —" 7 mm below the
type area, odd pages right and even pages left; the title broken only between words; table 三 on
one page; the .docx on a 28 × 22 document grid with the Chinese language tag. Read back from the
real files (pdfplumber for the PDF, the .docx's XML)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from typing import Any

import pdfplumber
import pytest

from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.parsers.pdf import fold_radicals
from gongkai.domain.report.renderers import render
from gongkai.domain.report.renderers.html import title_html
from gongkai.pdf import chromium, report_pdf
from tests.report.fixtures import WANCHENG

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT, BOTTOM = 28 * MM, 26 * MM, 35 * MM
FOUR = 14  # 四号, pt: the one-character distance from the edge of the type area

needs_chromium = pytest.mark.skipif(chromium() is None, reason="chromium is not installed")


@pytest.fixture(scope="module")
def pdf_pages() -> list[list[dict]]:
    if chromium() is None:
        pytest.skip("chromium is not installed")
    report = parse_report(WANCHENG.read_bytes(), WANCHENG.name).report
    with pdfplumber.open(io.BytesIO(report_pdf(report))) as pdf:
        return [page.extract_words(keep_blank_chars=True) for page in pdf.pages]


def _footer(words: list[dict]) -> list[dict]:
    return [w for w in words if w["top"] > PAGE_H - BOTTOM]


@needs_chromium
def test_every_page_has_its_number_between_dashes_below_the_type_area(pdf_pages: list) -> None:
    for number, words in enumerate(pdf_pages, start=1):
        footer = _footer(words)
        assert " ".join(w["text"] for w in footer).replace(" ", "") == f"—{number}—", number
        # 7 mm below the type area (the dash line's top), give or take the font's ascent.
        assert abs(footer[0]["top"] - (PAGE_H - BOTTOM + 7 * MM)) < 4 * MM


@needs_chromium
def test_odd_numbers_sit_right_and_even_ones_left_one_character_in(pdf_pages: list) -> None:
    for number, words in enumerate(pdf_pages, start=1):
        footer = _footer(words)
        if number % 2:
            assert abs(max(w["x1"] for w in footer) - (PAGE_W - RIGHT - FOUR)) < 2 * MM, number
        else:
            assert abs(min(w["x0"] for w in footer) - (LEFT + FOUR)) < 2 * MM, number


@needs_chromium
def test_table_three_is_printed_whole_on_one_page(pdf_pages: list) -> None:
    def page_of(text: str) -> int:
        return next(
            i for i, words in enumerate(pdf_pages) if text in "".join(w["text"] for w in words)
        )

    first, last = page_of("本年新收政府信息公开申请数量"), page_of("结转下年度继续办理")
    assert first == last


@needs_chromium
def test_the_title_breaks_only_between_words(pdf_pages: list) -> None:
    body = [w for w in pdf_pages[0] if w["top"] < 37 * MM + 60]  # the title's lines
    lines = [fold_radicals(w["text"]).replace(" ", "") for w in body]
    assert "".join(lines).startswith("宛城区人民政府办公室2024年政府信息公开工作年度报告")
    for line in lines[:-1]:
        assert line.endswith(("办公室", "2024年", "政府信息公开")), lines


def test_the_title_offers_breaks_before_the_year_and_the_report_words_only() -> None:
    html = title_html("宛城区红泥湾镇人民政府2025年政府信息公开工作年度报告")
    assert html.split("<wbr>") == [
        "宛城区红泥湾镇人民政府",
        "2025年",
        "政府信息公开",
        "工作年度报告",
    ]


def _docx_xml(name: str) -> str:
    report = parse_report(WANCHENG.read_bytes(), WANCHENG.name).report
    with zipfile.ZipFile(io.BytesIO(render(report, "docx"))) as package:
        return package.read(name).decode("utf-8")


def test_the_docx_sets_a_grid_of_22_lines_of_28_characters() -> None:
    grid = re.search(r"<w:docGrid [^>]*>", _docx_xml("word/document.xml"))
    assert grid is not None
    attrs = dict(re.findall(r'w:(\w+)="([^"]*)"', grid.group(0)))
    assert attrs["type"] == "lines"
    # 22 lines in the 225 mm type area: 28.95 pt a line, in twentieths of a point.
    assert int(attrs["linePitch"]) == 579
    # 28 characters in 156 mm (442.2 pt): 三号 (16 pt) condensed by at least 0.21 pt, and by so
    # little that a 29th would not fit.
    body = re.search(
        r'<w:style [^>]*w:styleId="ReportBody".*?</w:style>', _docx_xml("word/styles.xml"), re.S
    )
    assert body is not None
    condensed = re.search(r'<w:spacing w:val="(-\d+)"/>', body.group(0))
    assert condensed is not None
    pitch = 16 + int(condensed.group(1)) / 20
    assert 28 * pitch <= 156 * MM < 29 * pitch


SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def libreoffice_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The .docx as LibreOffice lays it out (the editor many offices use besides Word and WPS),
    printed to PDF by LibreOffice itself and read back with pdfplumber."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("libreoffice")
    report = parse_report(WANCHENG.read_bytes(), WANCHENG.name).report
    source = folder / "report.docx"
    source.write_bytes(render(report, "docx"))
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/profile",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(folder / "report.pdf") as pdf:
        return [
            (page.extract_words(keep_blank_chars=True), page.extract_text_lines())
            for page in pdf.pages
        ]


def test_libreoffice_sets_28_characters_a_line_and_the_margins(libreoffice_pages: list) -> None:
    _words, lines = libreoffice_pages[0]
    body = [line for line in lines if LEFT - 2 * MM < line["x0"] < LEFT + 2 * MM]
    assert body, "no line starts at the 28 mm left margin"
    # A full line of Chinese characters (Latin digits are narrower) holds 28.
    widths = [
        len(text)
        for line in body
        if (text := line["text"].replace(" ", "")) and not any(ch.isascii() for ch in text)
    ]
    assert widths and max(widths) == 28, widths
    assert all(line["x1"] <= PAGE_W - RIGHT + 2 * MM for line in lines)
    # The title's first line sits in its 36 pt line just under the 37 mm top margin.
    assert 37 * MM <= min(line["top"] for line in lines) <= 37 * MM + 36


def test_libreoffice_numbers_every_page_and_needs_no_more_pages(libreoffice_pages: list) -> None:
    # The Wancheng report holds 5.3 pages of text and tables at 22 lines a page: six pages, as
    # the PDF printed by Chromium (a grid of characters made LibreOffice spread it over 13).
    assert len(libreoffice_pages) == 6
    for number, (words, _lines) in enumerate(libreoffice_pages, start=1):
        footer = [w for w in words if w["top"] > PAGE_H - BOTTOM]
        assert "".join(w["text"] for w in footer).replace(" ", "") == f"—{number}—", number


def test_the_docx_is_tagged_chinese_not_japanese() -> None:
    settings = _docx_xml("word/settings.xml")
    assert 'w:eastAsia="ja-JP"' not in settings
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings)
    assert 'w:eastAsia="zh-CN"' in _docx_xml("word/styles.xml")
