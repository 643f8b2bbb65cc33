"""The periodic statistics as files: .json (the data), .xlsx (table 三 本期 and 本年累计 side by
side, and the other figures), .docx for the leaders in the official layout (GB/T 9704-2012 via
`gongkai.domain.document_layout`, as the annual report and the reply letters)."""

from __future__ import annotations

import io
import json
from typing import Any

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from gongkai.domain.deadline_model import Channel
from gongkai.domain.document_layout import (
    STYLE_BODY,
    STYLE_HEADING1,
    STYLE_TABLE,
    STYLE_TITLE,
    add_paragraph,
    define_styles,
    page_numbers,
    page_setup,
)
from gongkai.domain.report.build import COLUMNS6, T4_COLUMNS, T4_GROUPS
from gongkai.supervision.stats import (
    APPEAL_COLUMN_LABELS,
    APPEAL_LABELS,
    STEP_LABELS,
    Part,
    PeriodStatistics,
    t3_column_labels,
    t3_row_labels,
)

FORMATS = {".json": "json", ".xlsx": "xlsx", ".docx": "docx"}
CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def export(stats: PeriodStatistics, fmt: str) -> bytes:
    if fmt == "json":
        return to_json_bytes(stats)
    if fmt == "xlsx":
        return to_xlsx(stats)
    if fmt == "docx":
        return to_docx(stats)
    raise ValueError(f"unknown format {fmt}")


def filename(stats: PeriodStatistics, fmt: str) -> str:
    kind = "rollup-" if stats.is_rollup else ""
    return f"stats-{kind}{stats.organisation.code}-{stats.period.code}.{fmt}"


def to_json_bytes(stats: PeriodStatistics) -> bytes:
    return json.dumps(stats.to_json(), ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------- the other figures, as rows


def figure_rows(part: Part) -> list[tuple[str, str, Any]]:
    """(section, label, value) of every figure besides tables 三 and 四, in the printed order."""
    data = part.to_json()
    days = data["reply_workdays"]
    rate = part.on_time_rate
    rows: list[tuple[str, str, Any]] = [
        ("依申请公开", "上期结转", data["carry_in"]),
        ("依申请公开", "本期新收", data["new"]),
        ("依申请公开", "本期办结", data["concluded"]),
        ("依申请公开", "其中按期办结", data["concluded_on_time"]),
        ("依申请公开", "其中逾期办结", data["concluded_late"]),
        ("依申请公开", "按时办结率", f"{rate:.1%}" if rate is not None else "—"),
        ("依申请公开", "期末在办", data["open_at_end"]),
        ("依申请公开", "期末已逾期未办结", data["overdue_at_end"]),
        ("办理用时（工作日）", "中位数", _number(days["median"])),
        ("办理用时（工作日）", "第90百分位", _number(days["p90"])),
    ]
    rows += [
        ("新收申请（按渠道）", Channel(key).label, n) for key, n in data["new_by_channel"].items()
    ]
    labels = dict(zip(COLUMNS6, t3_column_labels(), strict=False))
    rows += [
        ("新收申请（按申请人）", labels[key], n) for key, n in data["new_by_applicant"].items()
    ]
    rows += [("办理环节（件）", STEP_LABELS[key], n) for key, n in data["steps"].items()]
    for group in T4_GROUPS:
        rows.append(
            ("复议诉讼", f"{APPEAL_LABELS[group]}：本期新发生", data["appeals_filed"][group])
        )
        for index, column in enumerate(T4_COLUMNS):
            label = f"{APPEAL_LABELS[group]}：{APPEAL_COLUMN_LABELS[column]}"
            rows.append(("复议诉讼", label, data["t4"][group][index]))
    rows += [
        ("主动公开", "主动公开信息（条）", data["proactive"]["published"]),
        ("主动公开", "其中政策解读（篇）", data["proactive"]["interpretations"]),
        ("规章和规范性文件", "制发（件）", data["documents"]["issued"]),
        ("规章和规范性文件", "废止（件）", data["documents"]["abolished"]),
    ]
    return rows


def _number(value: float | int | None) -> Any:
    if value is None:
        return "—"
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------- .xlsx


def to_xlsx(stats: PeriodStatistics) -> bytes:
    book = Workbook()
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)

    sheet: Any = book.active
    sheet.title = "表三"
    sheet.append([stats.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"统计期：{stats.period.start.isoformat()} 至 {stats.period.end.isoformat()}"])
    columns = t3_column_labels()
    sheet.append(["", "本期", *[""] * (len(columns) - 1), "本年累计"])
    sheet.merge_cells(start_row=3, start_column=2, end_row=3, end_column=1 + len(columns))
    sheet.merge_cells(
        start_row=3, start_column=2 + len(columns), end_row=3, end_column=1 + 2 * len(columns)
    )
    sheet.append(["项目", *columns, *columns])
    for key, label in t3_row_labels():
        sheet.append([label, *stats.this_period.t3[key], *stats.year_to_date.t3[key]])
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row, max_col=1 + 2 * len(columns)):
        for cell in row:
            cell.border = border
            if cell.row <= 4:
                cell.font = bold
                cell.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.column_dimensions["A"].width = 48
    sheet.freeze_panes = "B5"

    other = book.create_sheet("其他指标")
    other.append([stats.title])
    other["A1"].font = Font(bold=True, size=14)
    other.append(["类别", "指标", "本期", "本年累计"])
    for (section, label, now), (_, _, ytd) in zip(
        figure_rows(stats.this_period), figure_rows(stats.year_to_date), strict=True
    ):
        other.append([section, label, now, ytd])
    for row in other.iter_rows(min_row=2, max_row=other.max_row, max_col=4):
        for cell in row:
            cell.border = border
    for cell in other[2]:
        cell.font = bold
    other.column_dimensions["A"].width = 20
    other.column_dimensions["B"].width = 36

    if stats.is_rollup:
        units = book.create_sheet("分机构")
        units.append(["机构代码", "机构", "本期新收", "本期办结", "期末在办", "期末逾期",
                      "本年新收", "本年办结"])  # fmt: skip
        for unit in stats.breakdown:
            now, ytd = unit.this_period, unit.year_to_date
            units.append([unit.organisation.code, unit.organisation.name, now.new,
                          now.concluded, now.open_at_end, now.overdue_at_end, ytd.new,
                          ytd.concluded])  # fmt: skip
        units.column_dimensions["B"].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- .docx


def summary(stats: PeriodStatistics) -> str:
    """The paragraph of key figures the leaders read first."""
    now, ytd = stats.this_period, stats.year_to_date
    rate = now.on_time_rate
    text = (
        f"{stats.period.label}，{'本级及所属机构' if stats.is_rollup else '本机关'}"
        f"本期新收政府信息公开申请{now.new}件，上期结转{now.t3['carry_in'][6]}件，"
        f"办结{now.concluded}件"
    )
    if rate is not None:
        text += f"，按时办结率{rate:.1%}"
    text += f"；期末在办{now.open_at_end}件"
    text += f"，其中已逾期{now.overdue_at_end}件。" if now.overdue_at_end else "，无逾期未办结。"
    days = now.to_json()["reply_workdays"]
    if days["count"]:
        text += f"办结申请平均用时中位数{_number(days['median'])}个工作日、第90百分位{days['p90']}个工作日。"
    filed = sum(now.appeals_filed.values())
    text += (
        f"本期新发生行政复议、行政诉讼{filed}件。" if filed else "本期未新发生行政复议、行政诉讼。"
    )
    text += (
        f"主动公开政府信息{now.proactive['published']}条，其中政策解读"
        f"{now.proactive['interpretations']}篇。"
        f"本年累计新收申请{ytd.new}件、办结{ytd.concluded}件。"
    )
    return text


def to_docx(stats: PeriodStatistics) -> bytes:
    doc = new_document()
    page_setup(doc)
    ids = define_styles(doc)
    doc.core_properties.title = stats.title
    add_paragraph(doc, stats.title, ids[STYLE_TITLE])
    add_paragraph(doc, summary(stats), ids[STYLE_BODY])

    add_paragraph(doc, "一、依申请公开情况（表三）", ids[STYLE_HEADING1])
    header = ["项目", "本期", "本年累计"]
    rows = [[label, str(stats.this_period.t3[key][6]), str(stats.year_to_date.t3[key][6])]
            for key, label in t3_row_labels()]  # fmt: skip
    _table(doc, [header, *rows], ids[STYLE_TABLE], widths=(110, 23, 23))

    add_paragraph(doc, "二、办理情况", ids[STYLE_HEADING1])
    rows = [[label, str(now), str(ytd)] for (section, label, now), (_, _, ytd) in zip(
        figure_rows(stats.this_period), figure_rows(stats.year_to_date), strict=True
    ) if section in ("依申请公开", "办理用时（工作日）", "办理环节（件）")]  # fmt: skip
    _table(doc, [["指标", "本期", "本年累计"], *rows], ids[STYLE_TABLE], widths=(110, 23, 23))

    add_paragraph(doc, "三、行政复议和行政诉讼", ids[STYLE_HEADING1])
    head = ["类型", "本期新发生", *(APPEAL_COLUMN_LABELS[c] for c in T4_COLUMNS)]
    rows = [[APPEAL_LABELS[g], str(stats.this_period.appeals_filed[g]),
             *(str(n) for n in stats.this_period.t4[g])] for g in T4_GROUPS]  # fmt: skip
    _table(doc, [head, *rows], ids[STYLE_TABLE], widths=(44, 22, 18, 18, 18, 18, 18))

    add_paragraph(doc, "四、主动公开", ids[STYLE_HEADING1])
    rows = [[label, str(now), str(ytd)] for (section, label, now), (_, _, ytd) in zip(
        figure_rows(stats.this_period), figure_rows(stats.year_to_date), strict=True
    ) if section in ("主动公开", "规章和规范性文件")]  # fmt: skip
    _table(doc, [["指标", "本期", "本年累计"], *rows], ids[STYLE_TABLE], widths=(110, 23, 23))

    if stats.is_rollup:
        add_paragraph(doc, "五、分机构情况", ids[STYLE_HEADING1])
        rows = [[u.organisation.name, str(u.this_period.new), str(u.this_period.concluded),
                 str(u.this_period.open_at_end), str(u.this_period.overdue_at_end)]
                for u in stats.breakdown]  # fmt: skip
        head = ["机构", "新收", "办结", "期末在办", "期末逾期"]
        _table(doc, [head, *rows], ids[STYLE_TABLE], widths=(76, 20, 20, 20, 20))
    page_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: Any, rows: list[list[str]], style_id: str, widths: tuple[int, ...]) -> None:
    from docx.shared import Mm

    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    # w:tblBorders must come before w:shd, w:tblLayout, w:tblCellMar and w:tblLook (OOXML order).
    properties = table._tbl.tblPr
    later = [
        properties.find(qn(f"w:{name}")) for name in ("shd", "tblLayout", "tblCellMar", "tblLook")
    ]
    anchor = next((element for element in later if element is not None), None)
    if anchor is None:
        properties.append(borders)
    else:
        anchor.addprevious(borders)
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        for c, value in enumerate(values):
            cells[c].width = Mm(widths[c])
            paragraph = cells[c].paragraphs[0]
            paragraph._p.get_or_add_pPr().style = style_id
            paragraph.add_run(value)
    add_paragraph(doc, "", style_id)
