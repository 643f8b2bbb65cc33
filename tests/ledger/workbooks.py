"""Small .xlsx files built in memory for the ledger tests, shaped like an office's own ledger."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from gongkai.test import VALID_ID

TODAY = dt.date(2025, 6, 30)
HEADERS = [
    "序号", "申请人姓名", "申请人类别", "身份证号", "电话", "申请渠道", "受理日期",
    "申请公开内容", "办结日期", "处理结果",
]  # fmt: skip


def row(
    n: int = 1, *, name: str = "李四", kind: Any = "自然人", id_number: Any = VALID_ID,
    phone: Any = "13800000000", channel: Any = "网上申请", received: Any = dt.date(2025, 3, 3),
    content: Any = "请公开2024年老旧小区改造项目的批复文件", replied: Any = None, outcome: Any = None,
) -> list[Any]:  # fmt: skip
    return [n, name, kind, id_number, phone, channel, received, content, replied, outcome]


def xlsx(
    rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS, title: str = "",
    sheet: str = "2025年",
) -> bytes:  # fmt: skip
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    if title:
        worksheet.append([title])
    worksheet.append(list(headers))
    for values in rows:
        worksheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
