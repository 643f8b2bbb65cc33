"""The .csv export: streamed, UTF-8 with a byte-order mark, the rows of the .xlsx export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases.ledger import export_ledger, ledger_csv
from gongkai.cases.models import Application
from gongkai.cases.services import application_deliver, application_reply
from gongkai.test import PASSWORD, BaseTestCase


def shown(value: Any) -> str:
    """A cell of the .xlsx as the .csv writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


class CsvExportTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        replied = self.register(received_on=dt.date(2025, 3, 3), name="王五")
        application_reply(
            actor=self.reviewer, application=replied, on=dt.date(2025, 3, 20),
            outcome_key="r_partial", today=dt.date(2025, 3, 20),
        )  # fmt: skip
        application_deliver(
            actor=self.clerk, application=replied, on=dt.date(2025, 3, 21), method="email",
            today=dt.date(2025, 3, 21),
        )  # fmt: skip
        self.register(received_on=dt.date(2025, 3, 5), name="赵六", applicant_type="biz")

    def test_the_csv_reads_back_as_the_xlsx(self) -> None:
        applications = Application.objects.filter(organisation=self.office)
        data = b"".join(ledger_csv(applications))
        assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        sheet = load_workbook(io.BytesIO(export_ledger(applications))).active
        assert sheet is not None
        expected = [[shown(v) for v in r] for r in sheet.iter_rows(values_only=True)]
        assert rows == expected
        assert rows[0][:3] == ["序号", "申请编号", "申请人"]
        # Masked as in the .xlsx, labels in Chinese, the delivery of the latest entry:
        assert rows[1][2] == "王五" and "****" in rows[1][6]
        assert rows[1][15:17] == ["部分公开", "电子邮件送达"]
        assert len(rows) == 3

    def test_a_formula_typed_by_an_applicant_stays_text(self) -> None:
        app = self.register(received_on=dt.date(2025, 3, 6), name='=HYPERLINK("http://x")')
        Application.objects.filter(pk=app.pk).update(content="+1 申请", address="@地址")
        data = b"".join(ledger_csv(Application.objects.filter(pk=app.pk)))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        (_, values) = rows
        assert values[2] == '\'=HYPERLINK("http://x")'
        assert values[11] == "'+1 申请" and values[7] == "'@地址"

    def test_the_view_streams_what_the_user_reads_and_records_it(self) -> None:
        other = self.register(received_on=dt.date(2025, 3, 7), name="他人")
        Application.objects.filter(pk=other.pk).update(organisation=self.other)
        self.client.login(username="clerk", password=PASSWORD)
        response = self.client.get(reverse("ledger:export"), {"format": "csv", "q": "王五"})
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "filename*=UTF-8''%E4%BE%9D" in response["Content-Disposition"]
        assert response["Content-Disposition"].split(";")[2].strip().endswith(".csv")
        body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
        names = [r[2] for r in csv.reader(io.StringIO(body, newline=""))][1:]
        assert names == ["王五"]
        entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
        assert entry.detail["rows"] == 1 and entry.detail["file"].endswith(".csv")

    def test_an_outsider_exports_only_their_own(self) -> None:
        self.client.login(username="outsider", password=PASSWORD)
        response = self.client.get(reverse("ledger:export"), {"format": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
        assert len(list(csv.reader(io.StringIO(body, newline="")))) == 1  # the header only
