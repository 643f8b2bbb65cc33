"""The letter markup and the .docx layout (GB/T 9704-2012), read back with python-docx."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.disclosure.documents import (
    Block,
    BlockKind,
    MarkupError,
    display_width,
    letter_docx,
    neutralise,
    parse_letter,
)
from tests.letters.reading import containing, east_asian_font, opened, paragraph

SAMPLE = """

政府信息公开信息处理费收费通知书
= 〔2025〕7号

< 张三：

本机关于2025年3月3日收到您提出的政府信息公开申请，
申请公开的内容为：“某项目的批复文件”。

# 一、收费金额

应缴纳信息处理费200元。
第一项\u2028第二项

> 宛城区人民政府办公室
> 2025年3月3日

（联系电话：0377-00000000）
"""

B = BlockKind


def test_the_first_line_is_the_title_and_markers_make_blocks() -> None:
    letter = parse_letter(SAMPLE)
    assert letter.title == "政府信息公开信息处理费收费通知书"
    assert letter.blocks == (
        Block(B.CENTRE, "〔2025〕7号"),
        Block(B.LEFT, "张三："),
        Block(
            B.BODY,
            "本机关于2025年3月3日收到您提出的政府信息公开申请，申请公开的内容为：“某项目的批复文件”。",
        ),
        Block(B.HEADING, "一、收费金额"),
        Block(B.BODY, "应缴纳信息处理费200元。第一项"),
        Block(B.BODY, "第二项"),
        Block(B.RIGHT, "宛城区人民政府办公室"),
        Block(B.RIGHT, "2025年3月3日"),
        Block(B.BODY, "（联系电话：0377-00000000）"),
    )


def test_lines_join_without_a_space_except_between_latin_words() -> None:
    letter = parse_letter("标题\n编号为\nWCBGS-2025-0001\nand more\n的申请")
    assert letter.blocks == (Block(B.BODY, "编号为WCBGS-2025-0001 and more的申请"),)


def test_blank_lines_in_a_row_make_one_break() -> None:
    letter = parse_letter("标题\n\n\n\n第一段\n\n\n第二段\n")
    assert [b.text for b in letter.blocks] == ["第一段", "第二段"]


def test_a_marker_needs_a_space_and_an_empty_one_is_dropped() -> None:
    letter = parse_letter("标题\n#1号文件\n>\n> \n=")
    assert letter.blocks == (Block(B.BODY, "#1号文件"),)


def test_a_letter_without_a_title_is_refused() -> None:
    with pytest.raises(MarkupError, match="标题"):
        parse_letter("\n \n\n")


def test_a_value_cannot_become_markup() -> None:
    assert neutralise("> 落款") == "＞ 落款"
    assert neutralise("# 标题") == "＃ 标题"
    assert neutralise("#1号") == "#1号"
    assert neutralise("=") == "＝"
    letter = parse_letter(f"标题\n{neutralise('> 伪造落款')}")
    assert letter.blocks == (Block(B.BODY, "＞ 伪造落款"),)


def test_display_width_counts_half_width_characters_as_half() -> None:
    assert display_width("2025年3月3日") == 6
    assert display_width("宛城区人民政府办公室") == 10


# ---------------------------------------------------------------- .docx layout


def test_the_page_is_a4_with_the_official_margins() -> None:
    section = opened(letter_docx(SAMPLE)).sections[0]
    assert [round(x.mm, 1) for x in (section.page_width, section.page_height)] == [210.0, 297.0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(x.mm, 1) for x in margins] == [37.0, 35.0, 28.0, 26.0]


def test_the_title_is_xiaobiaosong_2_centred() -> None:
    doc = opened(letter_docx(SAMPLE))
    title = doc.paragraphs[0]
    assert title.text == "政府信息公开信息处理费收费通知书"
    assert east_asian_font(title) == "方正小标宋简体"
    assert title.style.font.size.pt == 22
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert doc.core_properties.title == title.text


def test_the_body_is_fangsong_3_indented_two_characters_on_a_fixed_line() -> None:
    body = containing(opened(letter_docx(SAMPLE)), "本机关于2025年3月3日")
    fmt = body.style.paragraph_format
    assert east_asian_font(body) == "仿宋_GB2312"
    assert body.style.font.size.pt == 16
    assert fmt.first_line_indent == Pt(32)
    indent = body.style.element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert indent.get(qn("w:firstLineChars")) == "200"
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= fmt.line_spacing.pt <= 29


def test_headings_are_heiti_3() -> None:
    heading = paragraph(opened(letter_docx(SAMPLE)), "一、收费金额")
    assert east_asian_font(heading) == "黑体"
    assert heading.style.font.size.pt == 16


def test_the_number_is_centred_and_the_addressee_flush_left() -> None:
    doc = opened(letter_docx(SAMPLE))
    number, addressee = paragraph(doc, "〔2025〕7号"), paragraph(doc, "张三：")
    assert number.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert number.paragraph_format.space_after.pt == pytest.approx(28.95)
    assert east_asian_font(addressee) == "仿宋_GB2312"
    assert addressee.style.paragraph_format.first_line_indent in (None, 0)


def test_the_date_is_four_characters_from_the_right_and_the_agency_centred_above() -> None:
    doc = opened(letter_docx(SAMPLE))
    agency, date = paragraph(doc, "宛城区人民政府办公室"), paragraph(doc, "2025年3月3日")
    assert date.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(4 * 16)
    # Agency 10 characters wide, date 6: centred on the date means 2 characters further right.
    assert agency.paragraph_format.right_indent == Pt(2 * 16)
    assert agency.paragraph_format.space_before.pt == pytest.approx(28.95)
    assert agency.paragraph_format.keep_with_next


def test_the_signature_never_goes_to_a_page_of_its_own() -> None:
    doc = opened(letter_docx(SAMPLE))
    assert paragraph(doc, "第二项").paragraph_format.keep_with_next
    assert paragraph(doc, "2025年3月3日").paragraph_format.keep_with_next  # the 附注 follows
    assert not paragraph(doc, "应缴纳信息处理费200元。第一项").paragraph_format.keep_with_next


def test_a_multi_line_value_becomes_paragraphs_of_the_same_kind() -> None:
    doc = opened(letter_docx(SAMPLE))
    second = paragraph(doc, "第二项")
    assert second.style.name == containing(doc, "本机关于").style.name


def test_the_document_names_its_author() -> None:
    doc = opened(letter_docx(SAMPLE, author="宛城区人民政府办公室"))
    assert doc.core_properties.author == "宛城区人民政府办公室"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_lays_it_out_on_one_a4_page(tmp_path: Path) -> None:
    source = tmp_path / "letter.docx"
    source.write_bytes(letter_docx(SAMPLE))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "letter.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4 in points
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", str(tmp_path / "letter.pdf"), str(tmp_path / "page")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        assert (tmp_path / "page-1.png").stat().st_size > 1000
