"""The scorecard as .xlsx: the organisations side by side, and every deduction with its evidence."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gongkai.supervision.scorecard import Scorecard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scorecard_xlsx(card: Scorecard, base_url: str = "") -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet("得分")
    indicators = card.indicators.enabled
    sheet.append([f"{card.government.name}{card.year}年度政务公开（政府信息公开）考核得分"])
    sheet.append(["排名", "机构代码", "机构名称", "得分", *(i.label for i in indicators)])
    for row in sorted(card.rows, key=lambda r: (r.rank, r.organisation.code)):
        sheet.append(
            [row.rank, row.organisation.code, row.organisation.name, row.value,
             *(-row.points_of(i.key) for i in indicators)]
        )  # fmt: skip
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    detail = book.create_sheet("扣分明细")
    detail.append(
        ["机构代码", "机构名称", "指标", "该项合计扣分", "证据类型", "证据编号", "证据", "链接"]
    )
    for row in card.rows:
        for deduction in row.score.deductions:
            for evidence in deduction.evidence:
                url = evidence.url
                if url.startswith("/"):
                    url = base_url.rstrip("/") + url
                detail.append(
                    [row.organisation.code, row.organisation.name, deduction.indicator.label,
                     -deduction.points, evidence.kind, evidence.id, evidence.label, url]
                )  # fmt: skip
    for cell in detail[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
