"""The annual report of an organisation and year, built from its records.

Tables 三 and 四 are counted by the database from the applications and the appeals register and
folded by the rule of `gongkai.domain.report.build` (gongkai.reports.tables; identities hold by
construction); table 二 from the registers of
normative documents and enforcement figures; the narrative is a draft written from the same data
for the office to edit (sections 五 and 六 need the office's own words).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application, Event
from gongkai.domain.lifecycle import Action
from gongkai.domain.report import build as domain
from gongkai.domain.report.model import AnnualReport, Cell, Cells, Section, Subsection
from gongkai.domain.report.schema import FormatVersion, layout
from gongkai.reports import tables
from gongkai.reports.models import EnforcementFigures, NormativeDocument, ProactiveItem
from gongkai.reports.tables import PeriodTables, cached_tables


@dataclass(frozen=True)
class Narrative:
    """The office's texts of sections 一, 五 and 六; an empty text keeps the generated draft."""

    overview: str = ""
    problems: str = ""
    other: str = ""


@dataclass(frozen=True)
class BuiltReport:
    """The report; the records behind each number are listed by `gongkai.reports.tables`'
    `t3_cell_applications` and `t4_cell_appeals` (the 数字来源 pages)."""

    report: AnnualReport


def format_of(year: int) -> FormatVersion:
    """The national format a year's report is written in (2021 from the 2021 reports)."""
    return FormatVersion.V2021 if year >= 2021 else FormatVersion.V2019


def build_annual_report(
    *, organisation: Organisation, year: int, narrative: Narrative | None = None
) -> BuiltReport:
    version = format_of(year)
    tables = period_tables(
        organisation=organisation,
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        version=version,
    )
    t3, t4 = tables.t3, tables.t4
    counts = domain.counts(t3)
    report = AnnualReport(
        format=version,
        year=year,
        agency=organisation.name,
        title=f"{organisation.name}{year}年政府信息公开工作年度报告",
        period=(year, year),
        preamble=_preamble(year),
        sections=_sections(organisation, year, counts, domain.counts(t4), narrative or Narrative()),
        t2=table2(organisation, year),
        t3=t3,
        t4=t4,
        source_kind="records",
    )
    return BuiltReport(report)


def period_tables(
    *,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    version: FormatVersion = FormatVersion.V2021,
) -> PeriodTables:
    """Tables 三 and 四 for [start, end]: the annual report's (1 January to 31 December) and the
    monthly and quarterly statistics' (监督保障) come from this one aggregation
    (gongkai.reports.tables), table 三 cached until the organisation's applications change."""
    return cached_tables(organisation.pk, start, end, version)


def counted_applications(organisation: Organisation) -> QuerySet[Application]:
    """The applications the report may count (gongkai.reports.tables.counted_applications)."""
    return tables.counted_applications([organisation.pk])


T2_DOCUMENT_COLUMNS = ("issued", "abolished", "in_force")


def t2_documents(
    organisation: Organisation, year: int, kind: str, column: str
) -> QuerySet[NormativeDocument]:
    """The documents behind one cell of 第二十条第（一）项: 本年制发 / 本年废止 / 现行有效 (12-31)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    docs = NormativeDocument.objects.filter(organisation=organisation, kind=kind)
    if column == "issued":
        return docs.filter(issued_on__range=(start, end))
    if column == "abolished":
        return docs.filter(abolished_on__range=(start, end))
    if column == "in_force":
        return docs.filter(issued_on__lte=end).exclude(abolished_on__lte=end)
    raise ValueError(f"unknown column {column}")


def table2(organisation: Organisation, year: int) -> dict[str, Cells]:
    """第二十条第（一）项 from the document register; （五）（六）（八） from the typed-in figures.

    Figures not entered for the year stay blank, so S-05 tells the office they are missing."""
    if year < 2021:
        return {}  # the 2019 table 二 counts items and projects these registers do not keep
    table: dict[str, Cells] = {}
    for kind in NormativeDocument.Kind:
        table[kind.value] = tuple(
            Cell.of(t2_documents(organisation, year, kind, column).count())
            for column in T2_DOCUMENT_COLUMNS
        )
    figures = EnforcementFigures.objects.filter(organisation=organisation, year=year).first()
    for key in ("licensing", "penalty", "coercion", "fees"):
        table[key] = (Cell.of(getattr(figures, key)) if figures else Cell.blank(),)
    return table


def _preamble(year: int) -> str:
    return (
        "根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
        "（国办公开办函〔2021〕30号）有关规定编制本报告。"
        f"本报告所列数据的统计期限自{year}年1月1日至{year}年12月31日止。"
    )


def draft_narrative(organisation: Organisation, year: int) -> Narrative:
    """The texts a new report starts from: 一 from the data, 五 to be written, 六 with the fees."""
    built = build_annual_report(organisation=organisation, year=year)
    return Narrative(
        overview=built.report.section_text(1),
        problems=built.report.section_text(5),
        other=built.report.section_text(6),
    )


def _sections(
    organisation: Organisation,
    year: int,
    t3: dict[str, list[int]],
    t4: dict[str, list[int]],
    narrative: Narrative,
) -> tuple[Section, ...]:
    lay = layout(FormatVersion.V2021)
    s1 = () if narrative.overview.strip() else _overview(organisation, year, t3, t4)
    texts = {
        1: narrative.overview.strip() or "\n".join(f"{s.heading}\n{s.text}" for s in s1),
        5: narrative.problems.strip()
        or "（待填写：本年度存在的主要问题及改进措施，并逐项说明上年报告所列问题的整改情况）",
        6: narrative.other.strip() or _fees_paragraph(organisation, year),
    }
    return tuple(
        Section(
            spec.number,
            spec.heading,
            texts.get(spec.number, ""),
            subsections=s1 if spec.number == 1 else (),
        )
        for spec in lay.sections
    )


def _fees_paragraph(organisation: Organisation, year: int) -> str:
    """六: the 信息处理费 collected in the year (国办函〔2020〕109号), from the fee steps of the cases.

    A fee counts in the year it was paid; the amount is the one of the application's latest
    收费通知 before the payment."""
    # Both steps found through the (action, date) and (application, action) indexes of events,
    # not by scanning every event of the organisation (issue 15).
    paid = Event.objects.filter(
        application__in=counted_applications(organisation),
        action=Action.RECEIVE_FEE,
        date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    ).values("application_id")
    notices = (
        Event.objects.filter(application_id__in=paid, action=Action.NOTIFY_FEE)
        .order_by("application_id", "date", "id")
        .values_list("application_id", "data")
    )
    amounts = {application_id: int(data.get("amount", 0)) for application_id, data in notices}
    if not amounts:
        return f"{year}年度，未收取政府信息公开信息处理费。"
    return (
        f"{year}年度，共对{len(amounts)}件政府信息公开申请收取信息处理费{sum(amounts.values())}元。"
    )


# The result groups of table 三 (国办公开办函〔2021〕30号), by the prefix of their row keys.
_OUTCOME_GROUPS = (
    ("r_open", "予以公开"),
    ("r_partial", "部分公开"),
    ("r_deny_", "不予公开"),
    ("r_na_", "无法提供"),
    ("r_np_", "不予处理"),
    ("r_other_", "其他处理"),
)


def _outcomes(t3: dict[str, list[int]]) -> str:
    """ "（其中予以公开22件、部分公开13件、其他处理1件）": the groups with any case, in table order."""
    parts = []
    for prefix, label in _OUTCOME_GROUPS:
        total = sum(values[6] for key, values in t3.items() if key.startswith(prefix))
        if total:
            parts.append(f"{label}{total}件")
    return f"（其中{'、'.join(parts)}）" if parts else ""


def _overview(
    organisation: Organisation, year: int, t3: dict[str, list[int]], t4: dict[str, list[int]]
) -> tuple[Subsection, ...]:
    """A draft of 一、总体情况 from the data (spec.md §1.3), for the office to complete."""
    items = ProactiveItem.objects.filter(organisation=organisation, published_on__year=year)
    published, interpreted = items.count(), items.filter(is_interpretation=True).count()
    new, carry_in, carry_out = t3["new"][6], t3["carry_in"][6], t3["carry_out"][6]
    answered = t3["r_total"][6]
    reviews = t4["review"][4]
    suits = t4["suit_direct"][4] + t4["suit_after_review"][4]
    on_request = f"{year}年，共收到政府信息公开申请{new}件"
    on_request += f"，上年结转{carry_in}件" if carry_in else ""
    on_request += f"；办结{answered}件{_outcomes(t3)}，结转下年度继续办理{carry_out}件。"
    on_request += (
        f"因政府信息公开工作被申请行政复议{reviews}件、提起行政诉讼{suits}件。"
        if reviews or suits
        else "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    )
    return (
        Subsection("proactive", "（一）主动公开",
                   f"{year}年度，主动公开政府信息{published}条，发布政策解读{interpreted}篇。"),
        Subsection("on_request", "（二）依申请公开", on_request),
        Subsection("management", "（三）政府信息管理", "（待填写）"),
        Subsection("platform", "（四）政府信息公开平台建设", "（待填写）"),
        Subsection("oversight", "（五）监督保障", "（待填写）"),
    )  # fmt: skip
