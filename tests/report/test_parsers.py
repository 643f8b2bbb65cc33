"""Parsers for HTML, .docx and PDF read the Wancheng report back to its truth file's figures,
and refuse unreadable input with a Chinese message (ReportParseError), never anything else."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.report.parsers import ReportParseError, detect_kind, parse_report
from gongkai.domain.report.schema import FormatVersion
from gongkai.pdf import chromium, html_to_pdf
from tests.report.fixtures import CORPUS, wancheng_docx, wancheng_html

TRUTH = json.loads((CORPUS / "wancheng-office-2024.truth.json").read_text("utf-8"))
needs_chromium = pytest.mark.skipif(chromium() is None, reason="Debian chromium not installed")


@cache
def wancheng_pdf() -> bytes:
    return html_to_pdf(wancheng_html())


def assert_matches_truth(data: bytes, name: str) -> None:
    report = parse_report(data, name).report
    assert report.format is FormatVersion.V2021
    assert report.year == 2024
    assert report.agency == "宛城区人民政府办公室"
    t3 = {k: [c.value for c in v] for k, v in report.t3.items()}
    assert t3 == TRUTH["tables"]["t3"]
    t4 = {k: [c.value for c in v] for k, v in report.t4.items()}
    assert t4 == TRUTH["tables"]["t4"]
    assert [c.value for c in report.t2["normative_documents"]] == [10, 0, 27]
    assert [s.number for s in report.sections] == [1, 1, 2, 3, 4, 5, 6]
    assert "未收取任何信息处理费" in report.section_text(6)


def test_html_with_merged_cells_matches_the_truth() -> None:
    assert_matches_truth(wancheng_html().encode("utf-8"), "w.html")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_html_in_chinese_encodings_is_decoded(encoding: str) -> None:
    page = wancheng_html().replace('charset="utf-8"', f'charset="{encoding}"')
    assert_matches_truth(page.encode(encoding), "w.html")


def test_html_without_a_declared_charset_in_gbk_is_decoded() -> None:
    page = wancheng_html().replace('<meta charset="utf-8">', "")
    assert_matches_truth(page.encode("gbk"), "w.html")


def test_html_full_width_digits_and_nested_markup() -> None:
    page = wancheng_html().replace("<td>33</td>", "<td><span><b>３３</b></span></td>", 1)
    report = parse_report(page.encode("utf-8"), "w.html").report
    assert report.t3["new"][0].value == 33


def test_docx_with_merged_cells_matches_the_truth() -> None:
    assert_matches_truth(wancheng_docx(), "w.docx")


@needs_chromium
def test_pdf_printed_by_chromium_matches_the_truth() -> None:
    assert_matches_truth(wancheng_pdf(), "w.pdf")


@needs_chromium
def test_pdf_without_text_layer_or_anything_ocr_can_read_is_refused() -> None:
    page = '<html><body><div style="width:300px;height:300px;background:#000"></div></body></html>'
    with pytest.raises(ReportParseError, match="没有文字层"):
        parse_report(html_to_pdf(page), "scan.pdf")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"   \n\t ", "文件为空"),
        (b"PK\x03\x04" + b"\x00" * 40, "Word"),
        (b"%PDF-1.7\n%garbage", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
        ("这是一段与年度报告无关的文字。".encode(), "未能在文件中识别"),
    ],
)
def test_unreadable_input_gives_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(ReportParseError, match=message):
        parse_report(data, "x")


def test_a_truncated_docx_is_refused() -> None:
    data = wancheng_docx()
    with pytest.raises(ReportParseError, match="Word"):
        parse_report(data[: len(data) // 2], "w.docx")


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ReportParseError, match=r"word/document\.xml"):
        parse_report(buffer.getvalue(), "x.docx")


@needs_chromium
def test_a_truncated_pdf_is_refused() -> None:
    data = wancheng_pdf()
    with pytest.raises(ReportParseError):
        parse_report(data[: len(data) // 3], "w.pdf")


def test_kind_is_detected_from_the_bytes_not_the_name() -> None:
    assert detect_kind(wancheng_docx(), "report.txt") == "docx"
    assert detect_kind(b"<!DOCTYPE html><html></html>", "report.txt") == "html"
    assert detect_kind("一、总体情况".encode(), "report.html") == "html"
    assert detect_kind("一、总体情况".encode(), "report.txt") == "text"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_raise_nothing_but_the_parsers_error(data: bytes) -> None:
    with contextlib.suppress(ReportParseError):
        parse_report(data, "random")


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=7411), st.sampled_from(["text", "html", "docx"]))
def test_truncated_reports_raise_nothing_but_the_parsers_error(cut: int, kind: str) -> None:
    if kind == "text":
        data = (CORPUS / "wancheng-office-2024.txt").read_bytes()
    elif kind == "html":
        data = wancheng_html().encode("utf-8")
    else:
        data = wancheng_docx_bytes()
    data = data[: cut * len(data) // 7411]
    try:
        report = parse_report(data, "cut").report
    except ReportParseError:
        return
    # What was read is never invented: every row read equals the truth's row.
    for key, cells in report.t3.items():
        assert [c.value for c in cells] == TRUTH["tables"]["t3"][key]


@cache
def wancheng_docx_bytes() -> bytes:
    return wancheng_docx()
