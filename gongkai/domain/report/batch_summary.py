"""The summary of a batch audit: one row per report, as .csv, .json, .xlsx or a self-contained
HTML page with inline SVG charts (docs/audit-batch.md lists the columns)."""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongkai.domain.report.batch import AuditedReport
from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, CellState, Number
from gongkai.domain.report.risk import AgencyRisk, agency_risks

FORMAT_LABEL = {
    "2021": "2021版",
    "2019": "2019版（试行）",
    "pre2019": "2019年以前",
    "unknown": "未识别",
}


@dataclass(frozen=True)
class SummaryRow:
    file: str
    agency: str | None
    year: int | None
    format: str | None  # FORMAT_LABEL's label
    kind: str | None
    errors: int
    warnings: int
    risk: float
    previous: str | None
    new: Number | None  # 表三 一、本年新收 总计
    carry_in: Number | None  # 表三 二、上年结转 总计
    open_share: float | None  # （一）予以公开 总计 ÷ （七）总计 总计
    review: Number | None  # 表四 行政复议 总计
    suits: Number | None  # 表四 行政诉讼 总计（未经复议直接起诉 + 复议后起诉）
    unreadable: str | None  # the reason a file could not be read

    def as_dict(self) -> dict[str, Any]:
        return {key: _plain(getattr(self, key)) for key, _ in COLUMNS}


COLUMNS: tuple[tuple[str, str], ...] = (
    ("file", "文件"),
    ("agency", "机关"),
    ("year", "年度"),
    ("format", "格式"),
    ("kind", "文件类型"),
    ("errors", "错误"),
    ("warnings", "警告"),
    ("risk", "风险分"),
    ("previous", "上年报告"),
    ("new", "本年新收申请"),
    ("carry_in", "上年结转申请"),
    ("open_share", "予以公开比例"),
    ("review", "行政复议"),
    ("suits", "行政诉讼"),
    ("unreadable", "无法读取原因"),
)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _total(report: AnnualReport, table: str, key: str) -> Number | None:
    """The 总计 (last) cell of a row when it holds a number as printed; None otherwise."""
    cells = getattr(report, table).get(key)
    if not cells:
        return None
    cell = cells[-1]
    return cell.value if cell.state is CellState.VALUE and cell.value is not None else None


def summary_row(item: AuditedReport) -> SummaryRow:
    report = item.report
    errors = sum(1 for f in item.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in item.findings if f.severity is Severity.WARNING)
    new = carry_in = review = suits = None
    share = None
    if report is not None:
        new, carry_in = _total(report, "t3", "new"), _total(report, "t3", "carry_in")
        opened, handled = _total(report, "t3", "r_open"), _total(report, "t3", "r_total")
        if opened is not None and handled:
            share = round(float(opened) / float(handled), 4)
        review = _total(report, "t4", "review")
        direct, after = (
            _total(report, "t4", "suit_direct"),
            _total(report, "t4", "suit_after_review"),
        )
        suits = direct + after if direct is not None and after is not None else None
    return SummaryRow(
        file=item.name,
        agency=item.agency,
        year=item.year,
        format=FORMAT_LABEL.get(report.format.value) if report is not None else None,
        kind=item.kind,
        errors=errors,
        warnings=warnings,
        risk=item.risk,
        previous=item.previous,
        new=new,
        carry_in=carry_in,
        open_share=share,
        review=review,
        suits=suits,
        unreadable=item.error,
    )


def summary_rows(items: Sequence[AuditedReport]) -> list[SummaryRow]:
    return [summary_row(item) for item in items]


def agencies(items: Sequence[AuditedReport]) -> list[AgencyRisk]:
    return agency_risks((item.agency, item.name, item.risk) for item in items)


# ------------------------------------------------------------------ .csv .json .xlsx


def to_csv(items: Sequence[AuditedReport]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in COLUMNS])
    for row in summary_rows(items):
        writer.writerow(["" if v is None else v for v in row.as_dict().values()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(items: Sequence[AuditedReport]) -> bytes:
    document = {
        "columns": {key: label for key, label in COLUMNS},
        "reports": [
            {**summary_row(item).as_dict(), "findings": [f.as_dict() for f in item.findings]}
            for item in items
        ],
        "agencies": [
            {"agency": a.agency, "risk": a.score, "reports": a.reports, "worst": a.worst}
            for a in agencies(items)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(items: Sequence[AuditedReport]) -> bytes:
    """Three sheets: 报告 (one row per report), 机关 (risk per agency), 问题 (every finding)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("报告")
    sheet.append([label for _, label in COLUMNS])
    for row in summary_rows(items):
        sheet.append(list(row.as_dict().values()))
    sheet = book.create_sheet("机关")
    sheet.append(["机关", "风险分（最高）", "报告数", "风险分最高的报告"])
    for agency in agencies(items):
        sheet.append([agency.agency, agency.score, agency.reports, agency.worst])
    sheet = book.create_sheet("问题")
    sheet.append(["文件", "规则", "级别", "位置", "说明"])
    for item in items:
        for f in item.findings:
            sheet.append([item.name, f.rule, f.severity.label, f.where, f.message])
        if item.error:
            sheet.append([item.name, "", "无法读取", "", item.error])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ HTML with inline SVG charts


_e = html.escape
_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:72em;
color:#1a1a1a;line-height:1.5;padding:0 1em}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{border:1px solid #ccc;
padding:.2em .4em;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.5em 0}figcaption{font-weight:bold}svg{max-width:100%;height:auto}
.bar{fill:#2b6cb0}.bar-e{fill:#c53030}.bar-w{fill:#d69e2e}.lbl{font-size:12px}
.error{color:#c53030}.warning{color:#975a16}.info{color:#2b6cb0}section{margin:1em 0}
details{margin:.3em 0}
"""


def _bars(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float, str]],
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
) -> str:
    """A horizontal bar chart (label, value, css class) with its text alternative: the SVG's
    title and description, and the same numbers in a table below it."""
    label_w, bar_w, row_h = 260, 380, 18
    top = max([value for _, value, _ in rows] + [1])
    height = row_h * len(rows) + 8
    parts = []
    for i, (label, value, css) in enumerate(rows):
        y = 4 + i * row_h
        w = bar_w * value / top
        parts.append(
            f'<text class="lbl" x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
            f"{_e(label[:22])}</text>"
            f'<rect class="{css}" x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 5}">'
            f"<title>{_e(label)}：{_e(fmt(value))}</title></rect>"
            f'<text class="lbl" x="{label_w + w + 4:.1f}" y="{y + 13}">{_e(fmt(value))}</text>'
        )
    description = "；".join(f"{label}：{fmt(value)}" for label, value, _ in rows) or "无数据"
    table = "".join(
        f"<tr><td>{_e(label)}</td><td class=n>{_e(fmt(value))}</td></tr>"
        for label, value, _ in rows
    )
    return (
        f'<figure id="{chart_id}"><figcaption>{_e(title)}</figcaption>'
        f'<svg viewBox="0 0 {label_w + bar_w + 60} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{_e(title)}</title><desc id="{chart_id}-d">{_e(description)}'
        f"</desc>{''.join(parts)}</svg>"
        f"<details><summary>数据表（图表的文字说明）</summary><table><tr><th>项目</th><th>数值</th>"
        f"</tr>{table}</table></details></figure>"
    )


def _by_rule(items: Sequence[AuditedReport]) -> list[tuple[str, float, str]]:
    """Reports with at least one finding of each rule (errors red, warnings amber)."""
    reports: Counter[tuple[str, Severity]] = Counter()
    for item in items:
        for rule, severity in {(f.rule, f.severity) for f in item.findings}:
            reports[(rule, severity)] += 1
    unread = sum(1 for item in items if item.error)
    rows = [
        (
            f"{rule}（{severity.label}）",
            float(n),
            "bar-e" if severity is Severity.ERROR else "bar-w",
        )
        for (rule, severity), n in sorted(reports.items(), key=lambda kv: (-kv[1], kv[0][0]))
        if severity is not Severity.INFO
    ]
    if unread:
        rows.insert(0, ("无法读取的文件", float(unread), "bar-e"))
    return rows[:30]


def _histogram(
    values: Sequence[float], edges: Sequence[tuple[float, float, str]]
) -> list[tuple[str, float, str]]:
    return [
        (label, float(sum(1 for v in values if low <= v < high)), "bar")
        for low, high, label in edges
    ]


_SHARE_BINS = [
    (i / 10, (i + 1) / 10 if i < 9 else 1.01, f"{i * 10}%–{(i + 1) * 10}%") for i in range(10)
]
_NEW_BINS = [
    (0, 1, "0件"),
    (1, 6, "1–5件"),
    (6, 21, "6–20件"),
    (21, 101, "21–100件"),
    (101, 501, "101–500件"),
    (501, float("inf"), "500件以上"),
]


def _finding_html(f: Finding) -> str:
    return (
        f'<tr><td>{_e(f.rule)}</td><td class="{f.severity.value}">{_e(f.severity.label)}</td>'
        f"<td>{_e(f.where)}</td><td>{_e(f.message)}</td></tr>"
    )


def _cell(value: object) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, float) and not isinstance(value, bool):
        return f"<td class=n>{value:g}</td>"
    if isinstance(value, int | Decimal):
        return f"<td class=n>{_e(str(value))}</td>"
    return f"<td>{_e(str(value))}</td>"


def to_html(items: Sequence[AuditedReport], title: str = "年度报告批量检查汇总") -> bytes:
    """A self-contained page: totals, charts (by rule, by agency, indicators across agencies,
    each with a text alternative), the reports sorted by risk, and each report's findings."""
    rows = summary_rows(items)
    order = sorted(range(len(items)), key=lambda i: (-items[i].risk, items[i].name))
    anchor_of = {i: f"r{n}" for n, i in enumerate(order)}  # by position: names may repeat
    anchors: dict[str, str] = {}
    for i in order:
        anchors.setdefault(items[i].name, anchor_of[i])
    unread = sum(1 for item in items if item.error)
    with_errors = sum(1 for r in rows if r.errors and not r.unreadable)
    agency_list = agencies(items)
    shares = [r.open_share for r in rows if r.open_share is not None]
    news = [float(r.new) for r in rows if r.new is not None]
    charts = [
        _bars("by-rule", "各规则涉及的报告数", _by_rule(items), lambda v: f"{v:.0f}份"),
        _bars(
            "by-agency",
            "风险分最高的机关（前20个）",
            [(a.agency, a.score, "bar") for a in agency_list[:20]],
        ),
        _bars(
            "open-share",
            "各报告“予以公开”占办理结果总计的比例（报告数）",
            _histogram(shares, _SHARE_BINS),
            lambda v: f"{v:.0f}份",
        ),
        _bars(
            "new-applications",
            "各报告本年新收申请数（报告数）",
            _histogram(news, _NEW_BINS),
            lambda v: f"{v:.0f}份",
        ),
    ]
    head = "".join(f"<th>{_e(label)}</th>" for key, label in COLUMNS if key != "unreadable")
    body = []
    for i in order:
        values = rows[i].as_dict()
        link = f'<td><a href="#{anchor_of[i]}">{_e(items[i].name)}</a></td>'
        rest = "".join(_cell(values[key]) for key, _ in COLUMNS[1:] if key != "unreadable")
        body.append(f"<tr>{link}{rest}</tr>")
    sections = []
    for i in order:
        item = items[i]
        anchor = anchor_of[i]
        if item.error:
            detail = f'<p class="error">无法读取：{_e(item.error)}</p>'
        elif item.findings:
            detail = (
                "<table><tr><th>规则</th><th>级别</th><th>位置</th><th>说明</th></tr>"
                + "".join(_finding_html(f) for f in item.findings)
                + "</table>"
            )
        else:
            detail = "<p>未发现问题。</p>"
        meta = (
            f"机关：{item.agency or '未识别'}　年度：{item.year or '未识别'}　风险分：{item.risk:g}"
        )
        if item.previous:
            meta += f"　上年报告：{item.previous}"
        sections.append(
            f'<section id="{anchor}"><h3>{_e(item.name)}</h3><p>{_e(meta)}</p>{detail}'
            '<p><a href="#reports">返回报告列表</a></p></section>'
        )
    agency_rows = "".join(
        f"<tr><td>{_e(a.agency)}</td><td class=n>{a.score:g}</td><td class=n>{a.reports}</td>"
        f'<td><a href="#{anchors[a.worst]}">{_e(a.worst)}</a></td></tr>'
        for a in agency_list
    )
    page = (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{_e(title)}</h1>"
        f"<p>共 {len(items)} 个文件：{len(items) - with_errors - unread} 个无错误，"
        f"{with_errors} 个有错误，{unread} 个无法读取。风险分 0–100，越高越应优先核查"
        "（计算方法见 docs/audit-batch.md）。</p>"
        f"<h2>图表</h2>{''.join(charts)}"
        "<h2 id=agencies>各机关风险分（取其报告的最高分）</h2><table><tr><th>机关</th>"
        f"<th>风险分</th><th>报告数</th><th>风险分最高的报告</th></tr>{agency_rows}</table>"
        f"<h2 id=reports>报告（按风险分从高到低）</h2><table><tr>{head}</tr>{''.join(body)}</table>"
        f"<h2>各报告的检查结果</h2>{''.join(sections)}</body></html>"
    )
    return page.encode("utf-8")


WRITERS: dict[str, Callable[[Sequence[AuditedReport]], bytes]] = {
    ".csv": to_csv,
    ".json": to_json,
    ".xlsx": to_xlsx,
    ".html": to_html,
    ".htm": to_html,
}
