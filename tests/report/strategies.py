"""Hypothesis strategies for annual reports whose tables are consistent (spec.md §3).

`consistent_reports()` draws 2021 and 2019 reports built the way an agency fills the template:
leaf counts per applicant column are drawn, then every derived figure is computed, so T3-01
(一 + 二 = 三 + 四 per column), T3-02 (总计 column = sum of the six), T3-03 ((七)总计 = sum of the
leaves), T4-01…03 and T2-01 hold. Some zero cells are printed blank or as a placeholder ("/"),
which leaves every identity intact because blanks read as 0.

Narrative texts use Chinese characters without numerals, digits or the characters of the
title and period patterns, so a parser cannot mistake a sentence for a heading or a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st

from gongkai.domain.report.model import AnnualReport, Cell, Cells, CellState, Section, Subsection
from gongkai.domain.report.schema import FormatVersion, Layout, layout

TEXT_CHARS = (
    "政府信息公开工作推进落实完善制度机制加强管理服务群众平台建设监督保障规范办理答复依法及时"
    "准确全面提升质量效率深化重点领域政策解读回应关切网站栏目更新维护培训考核评议责任追究便民"
    "透明权力运行公众参与渠道畅通优化流程严格审查保密发布协调联动基层标准目录动态调整数据开放"
)
AGENCIES = (
    "宛城区人民政府办公室",
    "某某县人民政府",
    "某某市生态环境局",
    "某某乡人民政府",
    "某某区教育局",
)
PLACEHOLDER_TEXTS = ("/", "—", "无", "-")
SOURCES = {
    FormatVersion.V2021: "国办公开办函〔2021〕30号",
    FormatVersion.V2019: "国办公开办函〔2019〕60号",
}
YEARS = {FormatVersion.V2021: (2021, 2025), FormatVersion.V2019: (2019, 2020)}

sentences = st.text(alphabet=TEXT_CHARS, min_size=4, max_size=40).map(lambda s: s + "。")
paragraphs = st.lists(sentences, min_size=1, max_size=3).map("".join)
texts = st.lists(paragraphs, min_size=1, max_size=3).map("\n".join)
small_counts = st.one_of(st.just(0), st.integers(0, 9), st.integers(0, 400))


@st.composite
def consistent_reports(
    draw: st.DrawFn,
    versions: tuple[FormatVersion, ...] = (FormatVersion.V2021, FormatVersion.V2019),
    blanks: bool = True,
    subsections: bool = True,
) -> AnnualReport:
    """A complete report: six sections, tables 二/三/四 with every official row.

    `blanks=False` gives only numbers; `subsections=False` gives a section 一 without the
    （一）…（五） sub-headings.
    """
    version = draw(st.sampled_from(versions))
    lay = layout(version)
    year = draw(st.integers(*YEARS[version]))
    agency = draw(st.sampled_from(AGENCIES))
    t2 = _t2(draw, lay)
    t3 = _t3(draw, lay)
    t4 = _t4(draw, lay)
    if blanks:
        t2, t3, t4 = (_blank_some_zeros(draw, table) for table in (t2, t3, t4))
    return AnnualReport(
        format=version,
        year=year,
        agency=agency,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        period=(year, year),
        preamble=(
            f"根据《中华人民共和国政府信息公开条例》和{SOURCES[version]}有关规定编制本报告。"
            f"本报告所列数据的统计期限自{year}年1月1日至{year}年12月31日止。"
        ),
        sections=_sections(draw, lay, subsections),
        t2=t2,
        t3=t3,
        t4=t4,
        source_kind="records",
    )


def _cells(values: Sequence[int | Decimal]) -> Cells:
    return tuple(Cell.of(value) for value in values)


def _t2(draw: st.DrawFn, lay: Layout) -> dict[str, Cells]:
    table: dict[str, Cells] = {}
    for sub, row in lay.t2_rows:
        values: list[int | Decimal] = []
        for column in sub.columns:
            if column.decimal:
                cents = draw(st.integers(0, 10**6))
                values.append(Decimal(cents).scaleb(-draw(st.integers(0, 4))))
            elif column.signed:
                values.append(draw(st.integers(-50, 50)))
            else:
                values.append(draw(small_counts))
        if [c.key for c in sub.columns] == ["issued", "abolished", "in_force"]:
            # T2-01: what was issued this year and not abolished is still in force.
            values[2] = max(0, int(values[0]) - int(values[1])) + int(values[2])
        table[row.key] = _cells(values)
    return table


def _t3(draw: st.DrawFn, lay: Layout) -> dict[str, Cells]:
    columns = [c.key for c in lay.t3_columns if c.key != "total"]
    counts: dict[str, list[int]] = {row.key: [] for row in lay.t3_rows}
    for _ in columns:
        leaves = {
            row.key: draw(st.one_of(st.just(0), st.just(0), st.integers(0, 30)))
            for row in lay.t3_leaves
        }
        decided = sum(leaves.values())
        carry_out = draw(st.integers(0, 20))
        carry_in = draw(st.integers(0, decided + carry_out))
        column = {**leaves, "r_total": decided, "carry_out": carry_out, "carry_in": carry_in}
        column["new"] = decided + carry_out - carry_in  # T3-01
        for key in counts:
            counts[key].append(column[key])
    return {key: _cells([*values, sum(values)]) for key, values in counts.items()}


def _t4(draw: st.DrawFn, lay: Layout) -> dict[str, Cells]:
    table: dict[str, Cells] = {}
    for group in lay.t4_groups:
        values = [draw(st.one_of(st.just(0), st.integers(0, 6))) for _ in lay.t4_columns[:-1]]
        table[group.key] = _cells([*values, sum(values)])
    return table


def _blank_some_zeros(draw: st.DrawFn, table: dict[str, Cells]) -> dict[str, Cells]:
    """Print a few zero cells blank or as a placeholder, as published reports do."""
    zeros = [
        (key, i) for key, cells in table.items() for i, cell in enumerate(cells) if cell.value == 0
    ]
    if not zeros:
        return table
    chosen = draw(st.lists(st.sampled_from(zeros), max_size=3, unique=True))
    result = {key: list(cells) for key, cells in table.items()}
    for key, index in chosen:
        raw = draw(st.one_of(st.just(""), st.sampled_from(PLACEHOLDER_TEXTS)))
        state = CellState.PLACEHOLDER if raw else CellState.BLANK
        result[key][index] = Cell(None, state, raw)
    return {key: tuple(cells) for key, cells in result.items()}


def _sections(draw: st.DrawFn, lay: Layout, subsections: bool) -> tuple[Section, ...]:
    sections: list[Section] = []
    for spec in lay.sections:
        if spec.number == 1:
            sections.append(_section_one(draw, lay, spec.heading, subsections))
        elif spec.number in (2, 3, 4):
            text = draw(st.one_of(st.just(""), paragraphs))
            sections.append(Section(spec.number, spec.heading, text))
        else:
            sections.append(Section(spec.number, spec.heading, draw(texts)))
    return tuple(sections)


def _section_one(draw: st.DrawFn, lay: Layout, heading: str, subsections: bool) -> Section:
    intro = draw(paragraphs)
    if not subsections or not draw(st.booleans()):
        return Section(1, heading, intro)
    numerals = "一二三四五六七八九十"
    subs = tuple(
        Subsection(key, f"（{numerals[i]}）{label}", draw(texts))
        for i, (key, label) in enumerate(lay.s1_subsections)
    )
    text = "\n".join([intro, *(f"{sub.heading}\n{sub.text}" for sub in subs)])
    return Section(1, heading, text, subsections=subs)
