"""The exported ledger, opened with openpyxl and read back."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gongkai.cases.ledger import COLUMNS, export_ledger
from gongkai.cases.models import Application
from gongkai.cases.services import (
    application_archive,
    application_deliver,
    application_extend,
    application_reply,
)
from gongkai.test import BaseTestCase


def read_back(data: bytes) -> tuple[Any, list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    return sheet, list(sheet.iter_rows(values_only=True))


class ExportTests(BaseTestCase):
    def concluded(self) -> Application:
        """Received 2025-03-03, extended, replied 部分公开, delivered by mail, archived."""
        app = self.register(received_on=dt.date(2025, 3, 3), name="王五")
        early = dt.date(2025, 3, 20)
        application_extend(
            actor=self.reviewer, application=app, on=early, today=early, reason="需调阅档案"
        )
        day = dt.date(2025, 4, 10)
        kwargs: dict[str, Any] = {"application": app, "on": day, "today": day}
        application_reply(actor=self.reviewer, outcome_key="r_partial", **kwargs)
        application_deliver(actor=self.clerk, method="mail", tracking_number="EMS1", **kwargs)
        return application_archive(actor=self.clerk, **kwargs)

    def test_it_writes_a_bold_frozen_filtered_header_and_a_row_per_application(self) -> None:
        self.register(received_on=dt.date(2025, 3, 5))
        self.register(received_on=dt.date(2025, 3, 4), name="李四")
        sheet, rows = read_back(export_ledger(Application.objects.all(), title="台账"))
        assert rows[0][0] == "台账"
        assert rows[1] == tuple(column.header for column in COLUMNS)
        assert sheet["A2"].font.b and sheet["P2"].font.b
        assert sheet.freeze_panes == "C3"
        assert sheet.auto_filter.ref == "A2:S4"
        assert sheet.column_dimensions["L"].width == 48
        # In the order received, numbered from 1.
        assert [(r[0], r[2]) for r in rows[2:]] == [(1, "李四"), (2, "张三")]

    def test_without_a_title_the_header_is_the_first_row(self) -> None:
        self.register()
        sheet, rows = read_back(export_ledger(Application.objects.all()))
        assert rows[0][0] == "序号"
        assert sheet.freeze_panes == "C2"

    def test_values_are_labels_dates_and_a_masked_identity_number(self) -> None:
        app = self.concluded()
        sheet, rows = read_back(export_ledger(Application.objects.all()))
        values = dict(zip((c.key for c in COLUMNS), rows[1], strict=True))
        assert values["tracking_no"] == app.tracking_no
        assert values["applicant_type"] == "自然人"
        assert values["id_type"] == "居民身份证"
        assert values["id_number"] == "1101**********002X"
        assert values["channel"] == "互联网渠道"
        assert values["received_on"] == dt.datetime(2025, 3, 3)  # noqa: DTZ001
        assert sheet["K2"].is_date and sheet["K2"].number_format == "yyyy-mm-dd"
        assert values["due_on"] == dt.datetime(2025, 4, 28)  # noqa: DTZ001  (extended: 40 days)
        assert values["extended"] == "是"
        assert values["concluded_on"] == dt.datetime(2025, 4, 10)  # noqa: DTZ001
        assert values["outcome"] == "部分公开"
        assert values["delivery_method"] == "邮寄送达"
        assert values["archived_on"] == dt.datetime(2025, 4, 10)  # noqa: DTZ001
        assert values["status"] == "已归档"

    def test_an_open_application_has_empty_conclusion_columns(self) -> None:
        self.register()
        _, rows = read_back(export_ledger(Application.objects.all()))
        values = dict(zip((c.key for c in COLUMNS), rows[1], strict=True))
        assert values["extended"] == "否"
        assert values["status"] == "已登记"
        for key in ("concluded_on", "outcome", "delivery_method", "archived_on"):
            assert values[key] is None, key

    def test_it_exports_only_the_queryset(self) -> None:
        self.register(name="甲")
        self.register(name="乙")
        _, rows = read_back(export_ledger(Application.objects.filter(applicant_name="乙")))
        assert [r[2] for r in rows[1:]] == ["乙"]

    def test_text_starting_with_equals_stays_text(self) -> None:
        app = self.register()
        Application.objects.filter(pk=app.pk).update(
            applicant_name='=HYPERLINK("http://x","y")', content="正文\x07含控制字符"
        )
        sheet, rows = read_back(export_ledger(Application.objects.all()))
        assert sheet["C2"].data_type == "s"
        assert rows[1][2] == '=HYPERLINK("http://x","y")'
        assert rows[1][11] == "正文含控制字符"

    def test_the_queries_do_not_grow_with_the_rows(self) -> None:
        self.concluded()
        with CaptureQueriesContext(connection) as one:
            export_ledger(Application.objects.all())
        for day in range(4, 9):
            self.register(received_on=dt.date(2025, 3, day))
        with CaptureQueriesContext(connection) as six:
            export_ledger(Application.objects.all())
        assert len(six) == len(one)
