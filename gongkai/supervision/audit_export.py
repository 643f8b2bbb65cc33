"""The summary of a 审核批次 as .xlsx (openpyxl), .csv and .json: one row per report (file, agency,
year, format, errors, warnings, risk, key figures of table 三/四, the reason a file could not be
read, the link to its page), and in the .xlsx and .json every finding.

MERGE NOTE: `gongkai check --summary` (gongkai/cli/check.py, another branch) writes the same
summary for the command line; the lead unifies the two writers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gongkai.domain.report.findings import Severity
from gongkai.supervision.models import AuditBatch, AuditedFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "json": "application/json"}

COLUMNS = (
    ("position", "序号"),
    ("name", "文件"),
    ("agency", "机关"),
    ("organisation", "对应机构"),
    ("year", "年度"),
    ("kind", "格式"),
    ("errors", "错误"),
    ("warnings", "警告"),
    ("infos", "提示"),
    ("risk", "风险分"),
    ("rules", "问题规则"),
    ("new", "本年新收申请"),
    ("carry_in", "上年结转"),
    ("open_share", "予以公开占比"),
    ("appeals", "复议诉讼"),
    ("previous", "上年报告"),
    ("unreadable", "无法读取的原因"),
    ("url", "链接"),
)
FINDING_COLUMNS = ("文件", "机关", "规则", "级别", "位置", "说明")

UrlOf = Callable[[AuditedFile], str]


def summary_rows(files: Sequence[AuditedFile], url_of: UrlOf) -> list[dict[str, Any]]:
    """One dict per file, keys of COLUMNS, in the batch's order."""
    return [_row(row, url_of(row)) for row in files]


def _row(row: AuditedFile, url: str) -> dict[str, Any]:
    figures = _figures(row.report or {})
    rules = sorted({f["rule"] for f in row.findings if f["severity"] != Severity.INFO})
    return {
        "position": row.position,
        "name": row.name,
        "agency": row.agency,
        "organisation": row.organisation.name if row.organisation else "",
        "year": row.year,
        "kind": row.kind,
        "errors": row.errors,
        "warnings": row.warnings,
        "infos": row.infos,
        "risk": row.risk,
        "rules": "、".join(rules),
        **figures,
        "previous": row.previous.name if row.previous else "",
        "unreadable": row.error,
        "url": url,
    }


def _figures(report: dict[str, Any]) -> dict[str, Any]:
    """Key figures from the report JSON (docs/report-json.md): table 三's 总计 column (the last),
    table 四's 总计 (the last of each group's five)."""
    t3 = (report.get("tables") or {}).get("t3") or {}
    t4 = (report.get("tables") or {}).get("t4") or {}

    def total(table: dict[str, Any], key: str) -> Any:
        values = table.get(key) or []
        return values[-1] if values else None

    opened, concluded = total(t3, "r_open"), total(t3, "r_total")
    share = (
        round(opened / concluded, 4)
        if isinstance(opened, int | float) and isinstance(concluded, int | float) and concluded
        else None
    )
    appeals = [total(t4, key) for key in ("review", "suit_direct", "suit_after_review")]
    return {
        "new": total(t3, "new"),
        "carry_in": total(t3, "carry_in"),
        "open_share": share,
        "appeals": sum(a for a in appeals if isinstance(a, int | float))
        if any(a is not None for a in appeals)
        else None,
    }


def _finding_rows(files: Sequence[AuditedFile]) -> list[list[Any]]:
    return [
        [row.name, row.agency, f["rule"], Severity(f["severity"]).label, f["where"], f["message"]]
        for row in files
        for f in row.findings
    ]


def summary_xlsx(batch: AuditBatch, files: Sequence[AuditedFile], url_of: UrlOf) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "汇总"
    sheet.append([_heading(batch)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([label for _key, label in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for row in summary_rows(files, url_of):
        sheet.append([row[key] for key, _label in COLUMNS])
    sheet.freeze_panes = "C3"
    for column, width in zip("ABCDEFGHIJKLMNOPQR", (6, 36, 28, 24, 7, 7, 6, 6, 6, 8, 24),
                             strict=False):  # fmt: skip
        sheet.column_dimensions[column].width = width
    detail = book.create_sheet("问题明细")
    detail.append(list(FINDING_COLUMNS))
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for finding in _finding_rows(files):
        detail.append(finding)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def summary_csv(batch: AuditBatch, files: Sequence[AuditedFile], url_of: UrlOf) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in COLUMNS])
    for row in summary_rows(files, url_of):
        writer.writerow(["" if row[key] is None else row[key] for key, _label in COLUMNS])
    # With a byte-order mark: Excel opens UTF-8 CSV as such only with one.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def summary_json(batch: AuditBatch, files: Sequence[AuditedFile], url_of: UrlOf) -> bytes:
    data = {
        "batch": batch.pk,
        "title": batch.title,
        "government": batch.government.code,
        "created_at": batch.created_at.isoformat(),
        "status": batch.status,
        "total": batch.total,
        "with_errors": batch.with_errors,
        "with_warnings": batch.with_warnings,
        "unreadable": batch.unreadable,
        "reports": [
            {**row, "findings": files[index].findings}
            for index, row in enumerate(summary_rows(files, url_of))
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _heading(batch: AuditBatch) -> str:
    title = batch.title or f"审核批次{batch.pk}"
    when = timezone.localtime(batch.created_at)
    return f"{batch.government.name} {title}（{when:%Y-%m-%d %H:%M} 上传，{batch.total}个文件）"


WRITERS = {"xlsx": summary_xlsx, "csv": summary_csv, "json": summary_json}
