"""Mirror pages (issue 13): the corpus reports in traditional characters, with pinyin glosses, in
UTF-16, as an HTML page saved under a .txt name — each read back to its hand-checked truth.

The material is made here from the corpus: OpenCC's s2t writes the traditional text (as the mirror
sites' converters do), the glosses come from a small table typed by hand, and the truth files are
the corpus's own (shared/corpus/*.truth.json, checked by hand against the published reports)."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import opencc
import pytest

from gongkai.domain.report.parsers import detect_kind, parse_report
from gongkai.domain.report.parsers.script import is_traditional, strip_glosses
from tests.report.test_corpus import CORPUS, NAMES

# Pinyin with tone marks, typed from the 现代汉语词典 (not generated).
GLOSSES = {"經": "jīng", "濟": "jì", "政": "zhèng", "府": "fǔ", "開": "kāi", "請": "qǐng",
           "處": "chǔ", "報": "bào", "告": "gào", "數": "shù"}  # fmt: skip


def traditional(text: str) -> str:
    return opencc.OpenCC("s2t").convert(text)


def glossed(text: str) -> str:
    return "".join(ch + (f"({GLOSSES[ch]})" if ch in GLOSSES else "") for ch in text)


def truth_of(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))


def assert_tables_match(data: bytes, filename: str, name: str) -> None:
    report = parse_report(data, filename).report
    truth = truth_of(name)
    expected = (truth["tables"] or {}).get("t3") or {}
    for row, cells in expected.items():
        if cells is None or row == truth.get("truncated_row"):
            continue
        assert [c.value for c in report.t3[row]] == cells, (name, row)
    t4 = (truth["tables"] or {}).get("t4")
    if t4 is not None:
        assert {k: [c.value for c in v] for k, v in report.t4.items()} == t4, name


@pytest.mark.parametrize("name", NAMES)
def test_a_traditional_mirror_with_pinyin_glosses_reads_as_the_report(name: str) -> None:
    text = (CORPUS / f"{name}.txt").read_text("utf-8")
    mirror = glossed(traditional(text))
    assert "經(jīng)" in mirror or "政(zhèng)" in mirror
    assert_tables_match(mirror.encode("utf-8"), f"{name}.txt", name)


@pytest.mark.parametrize("name", NAMES)
def test_a_utf16_text_file_reads_as_the_report(name: str) -> None:
    text = (CORPUS / f"{name}.txt").read_text("utf-8")
    assert_tables_match(text.encode("utf-16"), f"{name}.txt", name)


def test_an_html_page_saved_with_a_txt_name_is_read_as_html() -> None:
    name = "pipe-rows-2024"
    rows = []
    for line in (CORPUS / f"{name}.txt").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if "|" in line else None
        if cells:
            rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        else:
            rows.append(f"<p>{html.escape(line)}</p>")
    # A saved page: a long head of scripts first, the markup well past the first 2 KB.
    page = (
        "<!-- saved from url=(0042)http://www.example.gov.cn/xxgk/ndbg/ -->\n"
        + "<script>var x = 1;</script>\n" * 200
        + "<table>"
        + "\n".join(rows)
        + "</table>"
    )
    data = page.encode("utf-8")
    assert detect_kind(data, f"{name}.txt") == "html"


def test_a_pdf_behind_some_bytes_or_under_another_name_is_a_pdf() -> None:
    assert detect_kind(b"\r\n%PDF-1.7\n...", "report.html") == "pdf"


def test_simplified_text_is_left_alone() -> None:
    text = (CORPUS / "wancheng-office-2024.txt").read_text("utf-8")
    assert not is_traditional([text])
    assert is_traditional([traditional(text)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("經(jīng)濟(jì)", "經濟"),
        ("政府（zhèng fǔ）", "政府"),
        ("（一）予以公開", "（一）予以公開"),  # a numbered row, not a gloss
        ("2021年(2021)", "2021年(2021)"),
        ("附件(pdf)", "附件(pdf)"),  # no tone mark: not pinyin
    ],
)
def test_only_toned_pinyin_after_a_chinese_character_is_a_gloss(text: str, expected: str) -> None:
    assert strip_glosses(text) == expected


def test_mirror_material_keeps_the_table_labels_recognisable() -> None:
    # The conversion must touch the labels, or the test above proves nothing.
    text = traditional((CORPUS / "wancheng-office-2024.txt").read_text("utf-8"))
    assert re.search("予以公開", text)
