"""PDF reports in the layouts offices publish, read cell for cell to the corpus truth.

The PDFs in tests/data/pdf were printed by Chromium from corpus reports (README there): ruled,
unruled with labels wrapped over two and three lines, table 三 broken over pages with and
without its header repeated, Word's look (top-aligned cells, figures right-aligned), a landscape
page ruled only between rows, and a 2019-format report whose tables are blank. A rotated page
(/Rotate 90) is made here from the landscape one. Every one is complete and consistent, so
checking it must give no arithmetic error (T2/T3/T4), no missing row (S-03) and nothing unreadable
(S-11).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gongkai.domain.report.model import AnnualReport, Cells, CellState, Source
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.parsers.extract import build_report
from gongkai.domain.report.parsers.pdf import _page_blocks_from_words, mark_unreadable
from gongkai.domain.report.parsers.pdf_chars import Line, PageText, Word, open_document, page_text
from gongkai.domain.report.parsers.pdf_tables import read_tables
from gongkai.domain.report.rules import check_report
from tests.report.fixtures import CORPUS

DATA = Path(__file__).resolve().parents[1] / "data" / "pdf"

LAYOUTS = {
    "wancheng-ruled.pdf": "wancheng-office-2024",
    "wancheng-unruled-narrow.pdf": "wancheng-office-2024",
    "wancheng-unruled-split.pdf": "wancheng-office-2024",
    "wancheng-word-like.pdf": "wancheng-office-2024",
    "wancheng-landscape.pdf": "wancheng-office-2024",
    "township-2019-ruled-narrow.pdf": "township-2019-blank",
}

# Row names of the 2019 table 二 as the truth files spell them (as in test_corpus.py).
T2_2019_NAMES = {
    "规章": "regulations",
    "规范性文件": "normative_documents",
    "行政许可": "licensing",
    "其他对外管理服务事项": "other_services",
    "行政处罚": "penalty",
    "行政强制": "coercion",
    "行政事业性收费": "fees",
    "政府集中采购": "procurement",
}


def _truth(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))


def _values(cells: Cells) -> list[int | Decimal | None]:
    return [cell.value for cell in cells]


def assert_tables_match(report: AnnualReport, truth: dict[str, Any]) -> None:
    tables = truth["tables"]
    assert {k: _values(v) for k, v in report.t3.items()} == tables["t3"]
    assert {k: _values(v) for k, v in report.t4.items()} == tables["t4"]
    t2 = {k: _values(v) for k, v in report.t2.items()}
    if truth["format"] == "2019":
        published = truth["table2_2019_as_published"]
        expected = {T2_2019_NAMES[k]: v for k, v in published.items() if not k.startswith("_")}
    else:
        expected = {
            k: v if isinstance(v, list) else [v] for k, v in tables["t2"].items() if v is not None
        }
    assert t2 == expected


def assert_checks_clean(report: AnnualReport) -> None:
    rules = [finding.rule for finding in check_report(report)]
    assert not [r for r in rules if r.startswith(("T2-", "T3-", "T4-"))], rules
    assert "S-03" not in rules
    assert "S-11" not in rules


@pytest.mark.parametrize("file", sorted(LAYOUTS))
def test_every_cell_matches_the_truth(file: str) -> None:
    truth = _truth(LAYOUTS[file])
    result = parse_report((DATA / file).read_bytes(), file)
    assert result.kind == "pdf"
    report = result.report
    assert report.format.value == truth["format"]
    assert report.year == truth["year"]
    assert_tables_match(report, truth)
    assert_checks_clean(report)


def rotated(data: bytes) -> bytes:
    """The same pages stored portrait with /Rotate 90, the content drawn turned a quarter."""
    import pypdfium2

    source = pypdfium2.PdfDocument(data)
    target = pypdfium2.PdfDocument.new()
    for index in range(len(source)):
        width, height = source[index].get_size()
        drawing = source.page_as_xobject(index, target).as_pageobject()
        drawing.transform(pypdfium2.PdfMatrix(0, 1, -1, 0, height, 0))
        page = target.new_page(height, width)
        page.insert_obj(drawing)
        page.gen_content()
        page.set_rotation(90)
    buffer = io.BytesIO()
    target.save(buffer)
    target.close()
    source.close()
    return buffer.getvalue()


def test_a_rotated_landscape_page_reads_upright() -> None:
    data = rotated((DATA / "wancheng-landscape.pdf").read_bytes())
    document = open_document(data)
    first = document[0]
    assert first.get_rotation() == 90
    assert first.get_width() > first.get_height()  # shown landscape
    first.close()
    document.close()
    report = parse_report(data, "rotated.pdf").report
    assert_tables_match(report, _truth("wancheng-office-2024"))
    assert_checks_clean(report)


def _pages(file: str) -> list[PageText]:
    document = open_document((DATA / file).read_bytes())
    try:
        return [page_text(document, index) for index in range(len(document))]
    finally:
        document.close()


def _lines(file: str) -> list[str]:
    return [line.text for page in _pages(file) for line in page.lines]


def test_the_material_is_what_it_claims() -> None:
    """Unruled files have no rulings; the narrow labels really wrap; table 三 really breaks."""
    for file in ("wancheng-unruled-narrow.pdf", "wancheng-word-like.pdf"):
        assert not any(page.verticals for page in _pages(file))
    assert any(page.verticals for page in _pages("wancheng-ruled.pdf"))
    lines = _lines("wancheng-unruled-narrow.pdf")
    assert any(line.startswith("1.本机关不掌握相") and "政府信息" not in line for line in lines)
    assert any(line.startswith("关政府信息") for line in lines)
    for file in ("wancheng-unruled-split.pdf", "wancheng-word-like.pdf"):
        lines = _lines(file)
        headers = [line for line in lines if "申请人情况" in line]
        # The split table's header is repeated on every page; Word's look does not repeat it.
        if file.endswith("split.pdf"):
            assert len(headers) >= 2
        else:
            assert len(headers) == 1
        first = lines.index(next(line for line in lines if line.startswith("一、本年新收")))
        last = lines.index(next(line for line in lines if line.startswith("四、结转下年度")))
        assert any(line.startswith("—") for line in lines[first:last]), "no page break in 三"


def test_the_word_reader_needs_no_table_finder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables with or without rulings are read from the words; pdfplumber is not called."""

    def refuse(data: bytes) -> None:
        raise AssertionError("pdfplumber fallback used")

    monkeypatch.setattr("gongkai.domain.report.parsers.pdf.plumber_blocks", refuse)
    for file in ("wancheng-ruled.pdf", "wancheng-unruled-narrow.pdf"):
        parse_report((DATA / file).read_bytes(), file)


# ---------------------------------------------------------------- doubtful placements

HEADER = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
CENTERS = [300.0 + 40.0 * i for i in range(7)]


def _word(text: str, center: float, top: float) -> Word:
    width = 5.0 * len(text)
    x0 = center - width / 2
    return Word(text, x0, x0 + width, top, top + 10.0, [x0 + 5.0 * i for i in range(len(text))])


def _spaced(text: str, center: float, top: float) -> list[Word]:
    """A header cell in Word's distributed alignment: one word per character, 3 pt apart."""
    x0 = center - 4.0 * len(text)
    return [_word(char, x0 + 8.0 * i + 2.5, top) for i, char in enumerate(text)]


def _page(rows: list[tuple[str, list[tuple[str, float]]]], *, spaced: bool = False) -> PageText:
    """A synthetic page: table 三's header and rows of (label, [(figure, x centre)])."""
    if spaced:
        header = [w for text, x in zip(HEADER, CENTERS, strict=True) for w in _spaced(text, x, 100)]
    else:
        header = [_word(text, x, 100.0) for text, x in zip(HEADER, CENTERS, strict=True)]
    lines = [Line(header, 100, 110)]
    top = 130.0
    for label, figures in rows:
        words = [Word(label, 80.0, 80.0 + 10.0 * len(label), top, top + 10.0, [80.0])]
        words += [_word(text, x, top) for text, x in figures]
        lines.append(Line(words, top, top + 10.0))
        top += 20.0
    return PageText(1, 595.0, 842.0, lines)


def _read(page: PageText) -> AnnualReport:
    reading = read_tables(page, None, 1)
    report = build_report(_page_blocks_from_words(page, reading), "pdf")
    return mark_unreadable(report, frozenset(reading.doubtful))


def _t3(first: list[tuple[str, float]], total: list[tuple[str, float]]) -> PageText:
    zeros = [("0", x) for x in CENTERS]
    return _page(
        [
            ("一、本年新收政府信息公开申请数量", first),
            ("二、上年结转政府信息公开申请数量", zeros),
            ("（七）总计", total),
            ("四、结转下年度继续办理", zeros),
        ]
    )


def test_a_figure_on_a_column_edge_is_unreadable_not_guessed() -> None:
    # 一 + 二 = (七) + 四 holds in every column only if the "2" is 商业企业's; printed at the edge
    # between 商业企业 and an empty 科研机构 it could be either's: both cells are unreadable (and
    # the blank is not counted as 0), and the check finds no T3 error, only S-11.
    edge = (CENTERS[1] + CENTERS[2]) / 2
    first = [
        ("3", CENTERS[0]),
        ("2", edge - 4),
        *[("0", x) for x in CENTERS[3:6]],
        ("5", CENTERS[6]),
    ]
    total = [(str(v), x) for v, x in zip([3, 2, 0, 0, 0, 0, 5], CENTERS, strict=True)]
    report = _read(_t3(first, total))
    new = report.t3["new"]
    assert _values(new) == [3, None, None, 0, 0, 0, 5]
    assert [cell.state for cell in new[1:3]] == [CellState.UNREADABLE] * 2
    assert new[1].raw == "2" and new[2].raw == ""
    assert new[1].source == Source(page=1, table=1, row=1, column=3)
    rules = [finding.rule for finding in check_report(report)]
    assert "S-11" in rules
    assert not [r for r in rules if r.startswith("T3-")], rules


def test_a_figure_near_an_edge_beside_a_filled_cell_is_certain() -> None:
    # The cell across the edge has its own figure, and a cell holds one: the "2" is 商业企业's.
    edge = (CENTERS[1] + CENTERS[2]) / 2
    figures = [(str(v), x) for v, x in zip([3, 2, 0, 0, 0, 0, 5], CENTERS, strict=True)]
    figures[1] = ("2", edge - 4)
    report = _read(_t3(figures, figures))
    assert _values(report.t3["new"]) == [3, 2, 0, 0, 0, 0, 5]
    assert "S-11" not in [finding.rule for finding in check_report(report)]


def test_figures_clear_of_the_edges_are_certain() -> None:
    full = [(str(v), x + 12.0) for v, x in zip([3, 2, 0, 0, 0, 0, 5], CENTERS, strict=True)]
    page = _page([("一、本年新收政府信息公开申请数量", full)])
    report = _read(page)
    assert _values(report.t3["new"]) == [3, 2, 0, 0, 0, 0, 5]


def test_two_figures_in_one_cell_distrust_the_whole_table() -> None:
    # Two figures in one estimated column contradict the columns: no placement of that table is
    # trusted, every figure of it is unreadable, and nothing is summed.
    figures = [("3", CENTERS[0] - 8), ("1", CENTERS[0] + 8)]
    figures += [("0", x) for x in CENTERS[1:6]] + [("4", CENTERS[6])]
    report = _read(_page([("一、本年新收政府信息公开申请数量", figures)]))
    new = report.t3["new"]
    assert new[0].raw == "3 1"
    assert all(cell.state is CellState.UNREADABLE for cell in new)
    assert not [f.rule for f in check_report(report) if f.rule.startswith("T3-")]


def test_a_header_in_distributed_alignment_is_found() -> None:
    figures = [(str(v), x) for v, x in zip([3, 2, 0, 0, 0, 0, 5], CENTERS, strict=True)]
    page = _page([("一、本年新收政府信息公开申请数量", figures)], spaced=True)
    assert len(page.lines[0].words) == sum(len(text) for text in HEADER)
    assert _values(_read(page).t3["new"]) == [3, 2, 0, 0, 0, 0, 5]


def test_headers_flush_left_over_figures_flush_right() -> None:
    # Columns 40 pt wide from x = 280; headers start 2 pt in, figures end 4 pt before the next
    # column. Midway between the header words' centres would put 其他's "1" under 总计.
    lefts = [280.0 + 40.0 * i for i in range(8)]
    header = [
        Word(
            text,
            x + 2,
            x + 2 + 5.0 * len(text),
            100,
            110,
            [x + 2 + 5.0 * i for i in range(len(text))],
        )
        for text, x in zip(HEADER, lefts, strict=False)
    ]

    def row(top: float, label: str, values: list[int]) -> Line:
        words = [Word(label, 80.0, 80.0 + 10.0 * len(label), top, top + 10.0, [80.0])]
        for value, right in zip(values, lefts[1:], strict=True):
            text = str(value)
            words.append(Word(text, right - 4 - 5.0 * len(text), right - 4, top, top + 10, [0.0]))
        return Line(words, top, top + 10)

    page = PageText(
        1,
        595.0,
        842.0,
        [
            Line(header, 100, 110),
            row(130.0, "一、本年新收政府信息公开申请数量", [3, 2, 0, 0, 0, 1, 6]),
        ],
    )
    assert _values(_read(page).t3["new"]) == [3, 2, 0, 0, 0, 1, 6]
