"""Content sniffing (issue 13): a file is what its bytes say, whatever its name — a .doc renamed
.docx, a PDF served as .html, RTF saved under a Word name — and text is read in GBK/GB18030 and in
UTF-16 with or without a byte-order mark. The reports are the corpus's, checked against their
hand-checked truth files (shared/corpus)."""

from __future__ import annotations

import pytest

from gongkai.domain.report.parsers import ReportParseError, detect_kind, parse_report
from gongkai.domain.report.parsers.text import utf16_encoding
from tests.report.test_corpus import CORPUS, NAMES
from tests.report.test_mirrors import assert_tables_match
from tests.report.test_parsers import assert_matches_truth, needs_chromium, wancheng_pdf

# The first bytes of a Word 97–2003 file: the OLE compound-file signature and header.
OLE = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + b"\x00" * 482
)


@pytest.mark.parametrize("name", ["report.docx", "report.doc", "report.txt", "report.html"])
def test_a_doc_renamed_is_refused_by_its_ole_signature(name: str) -> None:
    assert detect_kind(OLE, name) == "doc"
    with pytest.raises(ReportParseError, match=r"旧版 Word（\.doc）"):
        parse_report(OLE, name)


@pytest.mark.parametrize("name", ["report.doc", "report.docx", "report.txt"])
def test_rtf_under_a_word_name_is_refused_not_read_as_json(name: str) -> None:
    data = rb"{\rtf1\ansi\ansicpg936 {\fonttbl{\f0 SimSun;}} \f0 \'d2\'bb\'a1\'a2 }"
    assert detect_kind(data, name) == "rtf"
    with pytest.raises(ReportParseError, match="RTF"):
        parse_report(data, name)


@needs_chromium
def test_a_pdf_served_as_html_is_read_as_the_pdf_it_is() -> None:
    data = wancheng_pdf()
    assert detect_kind(data, "report.html") == "pdf"
    assert_matches_truth(data, "report.html")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
@pytest.mark.parametrize("name", NAMES)
def test_chinese_encodings_read_as_the_report(name: str, encoding: str) -> None:
    text = (CORPUS / f"{name}.txt").read_text("utf-8")
    assert_tables_match(text.encode(encoding), f"{name}.txt", name)


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", NAMES)
def test_utf16_with_or_without_a_byte_order_mark(name: str, encoding: str, bom: bool) -> None:
    text = (CORPUS / f"{name}.txt").read_text("utf-8")
    mark = ("\ufeff" if bom else "").encode(encoding)
    data = mark + text.encode(encoding)
    assert utf16_encoding(data) == ("utf-16" if bom else encoding)
    assert detect_kind(data, f"{name}.txt") == "text"
    assert_tables_match(data, f"{name}.txt", name)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_page_without_a_mark_is_html(encoding: str) -> None:
    page = "<html><body><h2>一、总体情况</h2><p>全年共收到申请36件。</p></body></html>"
    assert detect_kind(page.encode(encoding), "report.txt") == "html"


@pytest.mark.parametrize(
    "data",
    [
        "一、总体情况。二〇二四年".encode(),  # UTF-8: no NUL byte
        "一、总体情况".encode("gb18030"),
        b"\x00\x01\x00\x02\x00\x00\x00\x00\xff\x00",  # NULs on both sides: binary
        b"12\x00\x00",  # too few NULs to tell
    ],
)
def test_text_without_the_nul_pattern_is_not_utf16(data: bytes) -> None:
    assert utf16_encoding(data) is None


def test_many_u4e00_characters_do_not_hide_little_endian() -> None:
    # 一 (U+4E00) is 00 4E in little-endian: a NUL on the "big-endian" side; here 35 such NULs
    # against 87 from ASCII characters.
    text = "一一一一一一一一一一\n" * 2 + "第一部分 总体情况\n（一）予以公开 1 0 0 0 0 0 1\n" * 5
    assert utf16_encoding(text.encode("utf-16-le")) == "utf-16-le"
