"""The printable block sequence shared by the HTML, .docx and text renderers."""

from __future__ import annotations

from gongkai.domain.report.model import AnnualReport, Cell, Section, Subsection
from gongkai.domain.report.renderers.document import Heading, Paragraph, Table, build_document
from gongkai.domain.report.schema import FormatVersion


def test_sub_headings_in_the_text_are_second_level_headings() -> None:
    text = "引言。\n\n（一）主动公开\n  正文一。  \n（二）改进措施。一是加强培训，二是完善制度。"
    document = build_document(
        AnnualReport(FormatVersion.V2021, sections=(Section(1, "一、总体情况", text),))
    )
    assert document.blocks == (
        Heading("一、总体情况", 1, 1),
        Paragraph("引言。"),
        Heading("（一）主动公开", 2),
        Paragraph("正文一。"),
        # A paragraph that starts with （二） but goes on is a paragraph (Wancheng section 五).
        Paragraph("（二）改进措施。一是加强培训，二是完善制度。"),
    )


def test_sub_sections_missing_from_the_text_are_drawn_after_it() -> None:
    subs = (
        Subsection("proactive", "（一）主动公开", "正文一。"),
        Subsection("oversight", "（五）监督保障", "正文五。"),
    )
    section = Section(1, "一、总体情况", "引言。\n（一）主动公开\n正文一。", subsections=subs)
    document = build_document(AnnualReport(FormatVersion.V2021, sections=(section,)))
    assert document.blocks[-2:] == (Heading("（五）监督保障", 2), Paragraph("正文五。"))
    assert [b for b in document.blocks if isinstance(b, Heading)].count(
        Heading("（一）主动公开", 2)
    ) == 1


def test_a_table_follows_the_first_occurrence_of_its_section() -> None:
    t4 = {"review": tuple(Cell.of(0) for _ in range(5))}
    sections = (
        Section(4, "四、政府信息公开行政复议、行政诉讼情况"),
        Section(4, "四、政府信息公开行政复议、行政诉讼情况"),
    )
    document = build_document(AnnualReport(FormatVersion.V2021, sections=sections, t4=t4))
    assert [type(b).__name__ for b in document.blocks] == ["Heading", "Table", "Heading"]


def test_tables_without_any_section_come_after_the_text() -> None:
    t3 = {"new": tuple(Cell.of(0) for _ in range(7))}
    document = build_document(
        AnnualReport(FormatVersion.V2021, sections=(Section(None, "附件"),), t3=t3)
    )
    assert isinstance(document.blocks[-1], Table)
    assert document.blocks[-1].grid.name == "t3"


def test_a_title_broken_over_lines_is_joined() -> None:
    document = build_document(
        AnnualReport(FormatVersion.V2021, title="某某县人民政府\n2024年政府信息公开工作年度报告")
    )
    assert document.title == "某某县人民政府2024年政府信息公开工作年度报告"
