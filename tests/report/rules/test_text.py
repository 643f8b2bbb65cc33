"""Sentences, years and copy similarity."""

from __future__ import annotations

from gongkai.domain.report.model import Section, Subsection
from gongkai.domain.report.rules.text import (
    comparable,
    first_year,
    jaccard,
    section_text,
    sentences,
    years_mentioned,
)


def test_sentences_are_normalised_for_matching_and_quoted_as_printed() -> None:
    [first, second] = sentences("全年共收到申请３６件，其中自然人３３件。另有１件（含结转）。")
    assert first.text == "全年共收到申请36件,其中自然人33件"
    assert first.quote("申请36件,其中") == "申请３６件，其中"
    assert second.quote("(含结转)") == "（含结转）"


def test_a_wrapped_pdf_line_is_joined_but_a_heading_is_not() -> None:
    text = "总结我局本年度政府信息公开工作，共收到政府信息公开申请\n36件，全部按时办结。\n（二）依申请公开\n正文。"
    found = [s.text for s in sentences(text)]
    assert found == [
        "总结我局本年度政府信息公开工作,共收到政府信息公开申请36件,全部按时办结",
        "(二)依申请公开",
        "正文",
    ]
    assert sentences(text)[0].quote("申请36件") == "申请36件"


def test_section_text_includes_subsections_kept_apart() -> None:
    section = Section(
        1,
        "一、总体情况",
        "开头。",
        subsections=(Subsection("on_request", "（二）依申请公开", "收到申请3件。"),),
    )
    assert section_text(section) == "开头。\n（二）依申请公开\n收到申请3件。"
    merged = Section(
        1,
        "一、总体情况",
        "开头。\n收到申请3件。",
        subsections=(Subsection(None, "（二）", "收到申请3件。"),),
    )
    assert section_text(merged) == "开头。\n收到申请3件。"


def test_years_leave_out_document_numbers_and_cited_titles() -> None:
    text = "根据国办公开办函〔2021〕30号、《2023年工作要点》，2024年我办……2024年度……"
    assert years_mentioned(text) == {2024: 2}
    assert first_year("关于印发〔2021〕30号的通知：某局2024年政府信息公开工作年度报告") == 2024


def test_comparable_text_ignores_numbers_and_years() -> None:
    assert comparable("2023年公开信息 68 条。") == comparable("二〇二四年公开信息120条。")


def test_jaccard_of_5_grams() -> None:
    assert jaccard("abcdefg", "abcdefg", 5) == 1.0
    assert jaccard("abcdefg", "abcdxyz", 5) == 0.0
    assert jaccard("abcdefgh", "abcdefgX", 5) == 3 / 5
    assert jaccard("abc", "abc", 5) == 0.0
