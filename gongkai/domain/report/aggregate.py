"""The aggregate (汇总) report of several organisations: tables 二, 三 and 四 summed cell by cell.

A supervising government collects the reports of the organisations below it and adds them up
(issue 5). Every identity of tables 三 and 四 (T3-01…T3-03, T4-01…T4-03, spec.md §3.2–3.3) is
linear, so it holds for the sum whenever it holds for each report: the aggregate is checked with
the same rules as any report. Blank and placeholder cells count as 0 (spec.md §3 preamble); a
cell that is not a valid number, a missing row or a mix of formats makes the sum meaningless,
so they raise `AggregateError` naming the organisation and the cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal

from gongkai.domain.report.model import AnnualReport, Cell, Cells, Number, Section
from gongkai.domain.report.rules.tables import all_cells, count_problem, fmt
from gongkai.domain.report.schema import Column, FormatVersion, Layout, layout

# Only these formats have national tables to add up (spec.md §2.4: none before 2019).
_SUMMABLE = (FormatVersion.V2021, FormatVersion.V2019)
_TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}

TableRows = Mapping[str, Cells]
RowSpec = tuple[str, str, tuple[Column, ...]]  # row key, row label, columns


class AggregateError(ValueError):
    """The reports cannot be added up; the message is Chinese and names agency and cell."""


def aggregate(reports: Sequence[AnnualReport], *, agency: str, year: int) -> AnnualReport:
    """The cell-wise sum of `reports` as one report of `agency` for `year`.

    All reports must be of `year` and of one format with national tables (2021 or 2019). A
    table none of the reports has stays absent; a table only some have is an error.
    """
    if not reports:
        raise AggregateError("没有可汇总的年度报告")
    names = [_name(report, i) for i, report in enumerate(reports)]
    version = _common_format(reports, names, year)
    lay = layout(version)
    for report, name in zip(reports, names, strict=True):
        _check_cells(report, lay, name)
    t2 = _sum_table(reports, names, "t2", _t2_rows(lay))
    t3 = _sum_table(reports, names, "t3", _t3_rows(lay))
    t4 = _sum_table(reports, names, "t4", _t4_rows(lay))
    return AnnualReport(
        format=version,
        year=year,
        agency=agency,
        title=f"{agency}{year}年政府信息公开工作年度报告（汇总）",
        period=(year, year),
        preamble=_preamble(lay, year, len(reports)),
        sections=_sections(lay, year, names, t3, t4),
        t2=t2,
        t3=t3,
        t4=t4,
        source_kind="records",
    )


def _name(report: AnnualReport, index: int) -> str:
    return report.agency or f"第{index + 1}份报告"


def _common_format(reports: Sequence[AnnualReport], names: list[str], year: int) -> FormatVersion:
    version = reports[0].format
    for report, name in zip(reports, names, strict=True):
        if report.year is not None and report.year != year:
            raise AggregateError(f"{name}的报告是{report.year}年度的，不能汇总进{year}年度")
        if report.format not in _SUMMABLE:
            raise AggregateError(
                f"{name}的报告没有国家统一格式的表格（格式：{report.format}），无法汇总"
            )
        if report.format is not version:
            raise AggregateError(
                f"{name}的报告格式（{report.format}）与{names[0]}的（{version}）不同，无法汇总"
            )
    return version


def _check_cells(report: AnnualReport, lay: Layout, name: str) -> None:
    """Every cell must be a number that may stand in its column (S-04), or blank."""
    for located in all_cells(report, lay):
        problem = count_problem(located)
        if problem:
            raise AggregateError(f"{name}的报告中{located.place}{problem}，无法汇总")


def _t2_rows(lay: Layout) -> list[RowSpec]:
    return [(row.key, row.label, table.columns) for table, row in lay.t2_rows]


def _t3_rows(lay: Layout) -> list[RowSpec]:
    return [(row.key, row.label, lay.t3_columns) for row in lay.t3_rows]


def _t4_rows(lay: Layout) -> list[RowSpec]:
    return [(group.key, group.label, lay.t4_columns) for group in lay.t4_groups]


_TABLE_OF: dict[str, Callable[[AnnualReport], TableRows]] = {
    "t2": lambda report: report.t2,
    "t3": lambda report: report.t3,
    "t4": lambda report: report.t4,
}


def _sum_table(
    reports: Sequence[AnnualReport], names: list[str], table: str, rows: list[RowSpec]
) -> dict[str, Cells]:
    tables = [_TABLE_OF[table](report) for report in reports]
    if not any(tables):
        return {}
    for rows_of, name in zip(tables, names, strict=True):
        _check_rows(rows_of, name, table, rows)
    return {
        key: tuple(_sum_column(tables, key, i, column) for i, column in enumerate(columns))
        for key, _label, columns in rows
    }


def _check_rows(rows_of: TableRows, name: str, table: str, rows: list[RowSpec]) -> None:
    """A row that is missing or cut short is data nobody can add (S-03), not a zero."""
    caption = _TABLE_NAMES[table]
    if not rows_of:
        raise AggregateError(f"{name}的报告缺少{caption}，无法汇总")
    for key, label, columns in rows:
        cells = rows_of.get(key)
        if cells is None or len(cells) != len(columns):
            raise AggregateError(f"{name}的报告中{caption}“{label}”行缺失或不完整，无法汇总")


def _sum_column(tables: Sequence[TableRows], key: str, index: int, column: Column) -> Cell:
    values = [table[key][index].as_number for table in tables]
    if column.decimal:
        return Cell.of(_plain(sum((Decimal(v) for v in values), Decimal(0))))
    return Cell.of(sum(int(v) for v in values))  # integral: _check_cells has seen to it


def _plain(value: Decimal) -> Decimal:
    """12.3400 → 12.34 and 0.0000 → 0, without the exponent form normalize() gives 100."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


# ---------------------------------------------------------------- generated text


def _preamble(lay: Layout, year: int, count: int) -> str:
    return (
        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（{lay.source}）有关规定，汇总{count}个机构的年度报告数据编制本报告。"
        f"本报告所列数据的统计期限自{year}年1月1日至{year}年12月31日止。"
    )


def _total(table: TableRows, key: str) -> Number:
    return table[key][-1].as_number if key in table else 0


def _overview(year: int, names: list[str], t3: TableRows, t4: TableRows) -> str:
    """Section 一: what was summed, and the on-request figures in the words build.py uses, so
    that the narrative rules (N-01…N-05) compare them with the summed tables."""
    scope = (
        f"本报告为汇总报告，汇总了{len(names)}个机构的{year}年政府信息公开工作年度报告："
        f"{'、'.join(names)}。表二、表三、表四中的各项数据为上述机构报告相应数据之和。"
    )
    lines = [scope]
    if t3:
        new, carry_in = _total(t3, "new"), _total(t3, "carry_in")
        answered, carry_out = _total(t3, "r_total"), _total(t3, "carry_out")
        on_request = f"{year}年，上述机构共收到政府信息公开申请{fmt(new)}件"
        on_request += f"，上年结转{fmt(carry_in)}件" if carry_in else ""
        on_request += f"；办结{fmt(answered)}件，结转下年度继续办理{fmt(carry_out)}件。"
        lines.append(on_request)
    if t4:
        lines.append(_appeals(t4))
    return "\n".join(lines)


def _appeals(t4: TableRows) -> str:
    reviews = _total(t4, "review")
    suits = _total(t4, "suit_direct") + _total(t4, "suit_after_review")
    if reviews or suits:
        return f"因政府信息公开工作被申请行政复议{fmt(reviews)}件、提起行政诉讼{fmt(suits)}件。"
    return "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"


_OTHER = (
    "本报告的数据由各机构年度报告的表格逐项相加得出。"
    "各机构收取信息处理费的情况，见其各自的政府信息公开工作年度报告。"
)


def _texts(year: int, names: list[str], t3: TableRows, t4: TableRows) -> Iterator[tuple[int, str]]:
    yield 1, _overview(year, names, t3, t4)
    yield 5, "各机构存在的主要问题及改进情况，见其各自的政府信息公开工作年度报告。"
    yield 6, _OTHER


def _sections(
    lay: Layout, year: int, names: list[str], t3: TableRows, t4: TableRows
) -> tuple[Section, ...]:
    texts = dict(_texts(year, names, t3, t4))
    return tuple(
        Section(spec.number, spec.heading, texts.get(spec.number, "")) for spec in lay.sections
    )


__all__ = ["AggregateError", "aggregate"]
