"""Fixed reports for the renderer tests: every cell of every table holds a different figure,
so a figure drawn in the wrong cell cannot go unnoticed."""

from __future__ import annotations

from decimal import Decimal

from gongkai.domain.report.model import AnnualReport, Cell, Cells, CellState, Section, Subsection
from gongkai.domain.report.schema import FormatVersion, Layout, layout


def distinct_report(version: FormatVersion = FormatVersion.V2021) -> AnnualReport:
    """All rows present; t3 cell (row i, column j) holds 100 + 10·i + j; a few placeholders."""
    lay = layout(version)
    t2: dict[str, Cells] = {}
    for index, (sub, row) in enumerate(lay.t2_rows):
        t2[row.key] = tuple(
            Cell.of(Decimal(f"{index}.{j + 5}") if column.decimal else 10 * index + j + 1)
            for j, column in enumerate(sub.columns)
        )
    t3 = {
        row.key: tuple(Cell.of(100 + 10 * i + j) for j in range(len(lay.t3_columns)))
        for i, row in enumerate(lay.t3_rows)
    }
    t3["r_open"] = (*t3["r_open"][:5], Cell(None, CellState.PLACEHOLDER, "/"), t3["r_open"][6])
    t3["carry_in"] = (Cell.blank(), *t3["carry_in"][1:])
    t4 = {
        group.key: tuple(Cell.of(1000 + 10 * i + j) for j in range(len(lay.t4_columns)))
        for i, group in enumerate(lay.t4_groups)
    }
    return AnnualReport(
        format=version,
        year=2024 if version is FormatVersion.V2021 else 2020,
        agency="某某县人民政府办公室",
        title="某某县人民政府办公室2024年政府信息公开工作年度报告",
        period=(2024, 2024),
        preamble="根据《中华人民共和国政府信息公开条例》编制本报告。\n本报告所列数据的统计期限自2024年1月1日至2024年12月31日止。",
        sections=sections(lay),
        t2=t2,
        t3=t3,
        t4=t4,
    )


def sections(lay: Layout) -> tuple[Section, ...]:
    one = Section(
        1,
        lay.sections[0].heading,
        "本机关认真贯彻条例。\n（一）主动公开\n全年主动公开政府信息六十八条。\n（二）依申请公开\n全年收到申请三十六件。",
        subsections=(
            Subsection("proactive", "（一）主动公开", "全年主动公开政府信息六十八条。"),
            Subsection("on_request", "（二）依申请公开", "全年收到申请三十六件。"),
        ),
    )
    rest = tuple(
        Section(
            spec.number,
            spec.heading,
            "" if spec.number in (2, 3, 4) else f"第{spec.number}部分的正文。",
        )
        for spec in lay.sections[1:]
    )
    return (one, *rest)
