"""The HTML page: a complete document, the official merged headers, a data-key on every figure."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from lxml import html as lxml_html
from lxml.html import HtmlElement

from gongkai.domain.report.model import AnnualReport, Cell, CellState, Section
from gongkai.domain.report.renderers import render
from gongkai.domain.report.renderers.grid import cell_text
from gongkai.domain.report.renderers.html import column_css, render_article
from gongkai.domain.report.schema import FormatVersion, layout
from tests.report.renderers.samples import distinct_report
from tests.report.strategies import consistent_reports

V2021, V2019 = FormatVersion.V2021, FormatVersion.V2019


def page(report: AnnualReport) -> HtmlElement:
    return lxml_html.document_fromstring(render(report, "html"))


def table(root: HtmlElement, name: str) -> HtmlElement:
    (found,) = root.xpath(f'//table[contains(concat(" ", @class, " "), " {name} ")]')
    return found


def header(tbl: HtmlElement, text: str) -> HtmlElement:
    (found,) = [th for th in tbl.iter("th") if th.text_content() == text]
    return found


def spans(cell: HtmlElement) -> tuple[int, int]:
    return int(cell.get("rowspan", "1")), int(cell.get("colspan", "1"))


def matrix(tbl: HtmlElement) -> list[list[HtmlElement]]:
    """The table as a full grid: a merged cell fills every position it covers."""
    grid: dict[tuple[int, int], HtmlElement] = {}
    for r, tr in enumerate(tbl.iter("tr")):
        c = 0
        for cell in tr:
            while (r, c) in grid:
                c += 1
            rowspan, colspan = spans(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    assert (r + dr, c + dc) not in grid, "overlapping cells"
                    grid[(r + dr, c + dc)] = cell
            c += colspan
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    assert len(grid) == n_rows * n_cols, "the table is not rectangular"
    return [[grid[(r, c)] for c in range(n_cols)] for r in range(n_rows)]


def test_it_is_a_complete_utf8_page_in_chinese() -> None:
    data = render(distinct_report(), "html")
    assert data.startswith(b"<!DOCTYPE html>")
    root = lxml_html.document_fromstring(data)
    assert root.get("lang") == "zh-CN"
    assert root.xpath("//meta/@charset") == ["utf-8"]
    assert root.findtext(".//title") == "某某县人民政府办公室2024年政府信息公开工作年度报告"
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in root.findtext(".//style")
    assert [h.text for h in root.iter("h2")] == [s.heading for s in layout(V2021).sections]
    assert [h.text for h in root.iter("h3")] == ["（一）主动公开", "（二）依申请公开"]
    paragraphs = [p.text for p in root.iter("p")]
    assert paragraphs[:2] == [
        "根据《中华人民共和国政府信息公开条例》编制本报告。",
        "本报告所列数据的统计期限自2024年1月1日至2024年12月31日止。",
    ]
    assert "全年收到申请三十六件。" in paragraphs


def test_tables_follow_their_section_headings() -> None:
    root = page(distinct_report())
    body = [e for e in root.find(".//article") if e.tag in ("h2", "table")]
    order = [e.tag if e.tag == "table" else e.text[:2] for e in body]
    assert order == ["一、", "二、", "table", "三、", "table", "四、", "table", "五、", "六、"]


@pytest.mark.parametrize(("version", "span"), [(V2021, 22), (V2019, 20)])
def test_table_3_has_the_official_merged_headers(version: FormatVersion, span: int) -> None:
    lay = layout(version)
    t3 = table(page(distinct_report(version)), "t3")
    assert spans(header(t3, lay.t3_note)) == (3, 3)
    assert spans(header(t3, "申请人情况")) == (1, 7)
    assert spans(header(t3, "自然人")) == (2, 1)
    assert spans(header(t3, "法人或其他组织")) == (1, 5)
    assert spans(header(t3, "总计")) == (2, 1)
    assert spans(header(t3, "三、本年度办理结果")) == (span, 1)
    assert spans(header(t3, "（三）不予公开")) == (8, 1)
    assert spans(header(t3, "（四）无法提供")) == (3, 1)
    assert spans(header(t3, "（五）不予处理")) == (5, 1)
    assert spans(header(t3, "（一）予以公开")) == (1, 2)
    assert spans(header(t3, "（七）总计")) == (1, 2)
    assert spans(header(t3, "一、本年新收政府信息公开申请数量")) == (1, 3)
    assert spans(header(t3, "四、结转下年度继续办理")) == (1, 3)
    if version is V2021:
        assert spans(header(t3, "（六）其他处理")) == (3, 1)
        assert spans(header(t3, "3.其他")) == (1, 1)
    else:
        assert spans(header(t3, "（六）其他处理")) == (1, 2)
    assert len(t3.xpath("./thead/tr")) == 3


def test_table_3_puts_each_figure_under_its_row_label_and_column() -> None:
    report = distinct_report()
    lay = layout(V2021)
    grid = matrix(table(page(report), "t3"))
    assert [c.text_content() for c in grid[2][3:]] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    for index, row in enumerate(lay.t3_rows):
        line = grid[3 + index]
        assert line[2].text_content() == row.label
        if row.group and row.group != "三、本年度办理结果":
            assert line[1].text_content() == row.group
        for column, cell, td in zip(lay.t3_columns, report.t3[row.key], line[3:], strict=True):
            assert td.get("data-key") == f"t3.{row.key}.{column.key}"
            assert (td.text_content(), td.tag) == (cell_text(cell), "td")


def test_table_4_has_review_and_litigation_headers() -> None:
    t4 = table(page(distinct_report()), "t4")
    assert spans(header(t4, "行政复议")) == (1, 5)
    assert spans(header(t4, "行政诉讼")) == (1, 10)
    assert spans(header(t4, "未经复议直接起诉")) == (1, 5)
    assert spans(header(t4, "复议后起诉")) == (1, 5)
    grid = matrix(t4)
    assert [c.text_content() for c in grid[2]] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ] * 3
    assert spans(grid[2][0]) == (
        2,
        1,
    )  # 行政复议's columns reach down to the litigation sub-headers
    assert [td.get("data-key") for td in grid[3]] == [
        f"t4.{g}.{c}"
        for g in ("review", "suit_direct", "suit_after_review")
        for c in ("upheld", "corrected", "other", "pending", "total")
    ]
    assert [td.text_content() for td in grid[3]][:6] == [
        "1000",
        "1001",
        "1002",
        "1003",
        "1004",
        "1010",
    ]


@pytest.mark.parametrize(("version", "captions"), [(V2021, 4), (V2019, 5)])
def test_table_2_has_one_caption_row_per_article_item(
    version: FormatVersion, captions: int
) -> None:
    t2 = table(page(distinct_report(version)), "t2")
    caption_cells = t2.xpath('.//th[@class="caption"]')
    assert [c.text_content() for c in caption_cells] == [
        t.caption for t in layout(version).t2_tables
    ]
    assert len(caption_cells) == captions
    assert all(spans(c) == (1, 4) for c in caption_cells)
    if version is V2021:
        assert spans(header(t2, "本年收费金额（单位：万元）")) == (1, 3)
        assert t2.xpath('.//td[@data-key="t2.fees.amount"]')[0].text_content() == "5.5"
    else:
        assert spans(header(t2, "采购总金额")) == (1, 2)
    matrix(t2)  # rectangular


@settings(max_examples=25, deadline=None)
@given(consistent_reports())
def test_every_figure_has_its_data_key(report: AnnualReport) -> None:
    lay = layout(report.format)
    expected = {
        **{
            f"t2.{row.key}.{c.key}": cell_text(report.t2[row.key][i])
            for t, row in lay.t2_rows
            for i, c in enumerate(t.columns)
        },
        **{
            f"t3.{row.key}.{c.key}": cell_text(report.t3[row.key][i])
            for row in lay.t3_rows
            for i, c in enumerate(lay.t3_columns)
        },
        **{
            f"t4.{g.key}.{c.key}": cell_text(report.t4[g.key][i])
            for g in lay.t4_groups
            for i, c in enumerate(lay.t4_columns)
        },
    }
    root = page(report)
    cells = root.xpath("//td")
    assert all(td.get("data-key") for td in cells)
    assert {td.get("data-key"): td.text_content() for td in cells} == expected
    assert len(cells) == len(expected)
    for name in ("t2", "t3", "t4"):
        matrix(table(root, name))


def test_blank_and_placeholder_cells() -> None:
    root = page(distinct_report())
    (placeholder,) = root.xpath('//td[@data-key="t3.r_open.other_org"]')
    assert (placeholder.text_content(), placeholder.get("data-state")) == ("/", "placeholder")
    (blank,) = root.xpath('//td[@data-key="t3.carry_in.natural"]')
    assert (blank.text_content(), blank.get("data-state")) == ("", "blank")
    (number,) = root.xpath('//td[@data-key="t3.carry_in.biz"]')
    assert number.get("data-state") is None


def test_rows_missing_from_the_report_are_not_drawn() -> None:
    report = distinct_report()
    t3 = {
        k: v for k, v in report.t3.items() if k not in ("r_deny_law", "r_deny_query", "carry_out")
    }
    t3_table = table(page(replace(report, t3=t3, t2={}, t4={})), "t3")
    assert spans(header(t3_table, "（三）不予公开")) == (6, 1)
    assert spans(header(t3_table, "三、本年度办理结果")) == (20, 1)
    assert not t3_table.xpath('.//td[starts-with(@data-key, "t3.carry_out.")]')
    assert len(matrix(t3_table)) == 3 + 22


def test_missing_tables_are_left_out() -> None:
    root = page(replace(distinct_report(), t2={}, t4={}))
    assert [t.get("class") for t in root.iter("table")] == ["report-table t3"]


def test_a_table_without_its_section_heading_is_still_drawn_in_place() -> None:
    report = distinct_report()
    sections = tuple(s for s in report.sections if s.number != 3)
    root = page(replace(report, sections=sections))
    body = [e for e in root.find(".//article") if e.tag in ("h2", "table")]
    order = [e.get("class") if e.tag == "table" else e.text[:2] for e in body]
    assert order == [
        "一、",
        "二、",
        "report-table t2",
        "report-table t3",
        "四、",
        "report-table t4",
        "五、",
        "六、",
    ]


def test_text_is_escaped() -> None:
    hostile = "<script>alert('x')</script> & “引号”"
    report = replace(
        distinct_report(),
        title=hostile,
        sections=(Section(1, "一、总体情况", hostile),),
        t3={"new": (Cell(None, CellState.INVALID, "<b>"),) * 7},
    )
    data = render(report, "html")
    assert b"<script>" not in data
    root = lxml_html.document_fromstring(data)
    assert root.findtext(".//h1") == hostile
    assert root.xpath("//article/p")[-1].text == hostile
    assert root.xpath('//td[@data-key="t3.new.natural"]')[0].text == "<b>"


def test_an_article_for_a_strict_page_has_its_widths_in_a_style_sheet() -> None:
    """A Content-Security-Policy without 'unsafe-inline' refuses style attributes: the app's
    report page takes the column widths as CSS rules instead (same widths as the print page)."""
    report = distinct_report()
    article = lxml_html.fragment_fromstring(render_article(report, inline_widths=False))
    assert article.xpath("//*[@style]") == []
    printed = page(report)
    rules = column_css(report).splitlines()
    for name in ("t2", "t3", "t4"):
        widths = [col.get("style") for col in table(printed, name).iter("col")]
        assert len(table(article, name).findall("colgroup/col")) == len(widths)
        for n, style in enumerate(widths, start=1):
            assert (
                f".annual-report table.{name} col:nth-child({n}) {{ {style.replace(':', ': ')} }}"
                in rules
            )
