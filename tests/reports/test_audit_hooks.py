"""The audit entries of the annual report and its registers: each change, publication, import,
export and download is exactly one entry, with who, what and the figures that matter, and a
refused change is none (GB/T 22239-2019 8.1.4.3)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from gongkai.accounts.models import Organisation
from gongkai.accounts.tokens import api_token_create
from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases.demo import load_demo
from gongkai.cases.services import ServiceError
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import ReportDraft, ReportVersion
from gongkai.reports.register_figures import (
    FiguresData,
    enforcement_figures_import_xlsx,
    enforcement_figures_save,
)
from gongkai.reports.register_services import (
    AppealData,
    NormativeDocumentData,
    ProactiveItemData,
    appeal_delete,
    appeal_save,
    normative_document_delete,
    normative_document_save,
    proactive_item_delete,
    proactive_item_save,
)
from gongkai.reports.services import narrative_save, prior_report_upload, report_publish
from gongkai.test import BaseTestCase, use_temporary_media
from tests.web.base import freeze_today

TODAY = dt.date(2025, 3, 20)
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


class AuditMark:
    """Looks only at the entries recorded after `remark()` (set-up records its own)."""

    mark = 0

    def remark(self) -> None:
        self.mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def entries(self) -> list[AuditEntry]:
        """Logins of the test client aside."""
        entries = AuditEntry.objects.filter(id__gt=self.mark).exclude(action=AuditAction.LOGIN)
        return list(entries.order_by("id"))

    def summary(self) -> list[tuple[str, str, str, str]]:
        return [(e.action, e.username, e.object_type, e.organisation) for e in self.entries()]


class RegisterHookTests(AuditMark, BaseTestCase):
    def setUp(self) -> None:
        self.remark()

    def test_a_proactive_item_added_corrected_and_deleted_is_three_entries(self) -> None:
        data = ProactiveItemData("关于某项工作的通知", dt.date(2025, 3, 1))
        common = {"actor": self.clerk, "organisation": self.office, "today": TODAY}
        item = proactive_item_save(data=data, **common)  # type: ignore[arg-type]
        proactive_item_save(data=data, item=item, **common)  # type: ignore[arg-type]  # unchanged
        changed = ProactiveItemData("关于某项工作的通知（修订）", dt.date(2025, 3, 2))
        proactive_item_save(data=changed, item=item, **common)  # type: ignore[arg-type]
        pk = item.pk
        proactive_item_delete(actor=self.clerk, organisation=self.office, item=item)
        entries = self.entries()
        self.assertEqual(
            [(e.action, e.username, e.object_type, e.object_id, e.organisation) for e in entries],
            [
                (AuditAction.CREATE, "clerk", "reports.ProactiveItem", str(pk), "WCBGS"),
                (AuditAction.CHANGE, "clerk", "reports.ProactiveItem", str(pk), "WCBGS"),
                (AuditAction.DELETE, "clerk", "reports.ProactiveItem", str(pk), "WCBGS"),
            ],
        )
        self.assertEqual(
            entries[1].detail,
            {
                "register": "proactiveitem",
                "changed": {
                    "title": ["关于某项工作的通知", "关于某项工作的通知（修订）"],
                    "published_on": ["2025-03-01", "2025-03-02"],
                },
            },
        )
        self.assertEqual(entries[2].object_repr, "关于某项工作的通知（修订）")

    def test_documents_and_appeals_are_recorded_too(self) -> None:
        document = normative_document_save(
            actor=self.reviewer, organisation=self.office, today=TODAY,
            data=NormativeDocumentData("normative_documents", "某规范性文件", dt.date(2025, 1, 2), "宛政〔2025〕1号"),
        )  # fmt: skip
        normative_document_delete(actor=self.reviewer, organisation=self.office, document=document)
        appeal = appeal_save(
            actor=self.admin, organisation=self.office, today=TODAY,
            data=AppealData("review", "宛复〔2025〕1号", "宛城区人民政府", dt.date(2025, 2, 1)),
        )  # fmt: skip
        appeal_delete(actor=self.admin, organisation=self.office, appeal=appeal)
        self.assertEqual(
            self.summary(),
            [
                (AuditAction.CREATE, "reviewer", "reports.NormativeDocument", "WCBGS"),
                (AuditAction.DELETE, "reviewer", "reports.NormativeDocument", "WCBGS"),
                (AuditAction.CREATE, "admin", "reports.Appeal", "WCBGS"),
                (AuditAction.DELETE, "admin", "reports.Appeal", "WCBGS"),
            ],
        )

    def test_a_refused_change_records_nothing(self) -> None:
        with self.assertRaises(ServiceError):
            proactive_item_save(
                actor=self.supervisor, organisation=self.office, today=TODAY,
                data=ProactiveItemData("标题", dt.date(2025, 3, 1)),
            )  # fmt: skip
        with self.assertRaises(ServiceError):
            proactive_item_save(
                actor=self.clerk, organisation=self.office, today=TODAY,
                data=ProactiveItemData("标题", dt.date(2026, 4, 1)),  # over a year ahead
            )  # fmt: skip
        self.assertEqual(self.entries(), [])

    def test_figures_typed_in_record_the_old_and_new_values(self) -> None:
        def save(licensing: int, fees: str) -> None:
            enforcement_figures_save(
                actor=self.clerk, organisation=self.office, today=TODAY,
                data=FiguresData(2024, licensing, 0, 0, Decimal(fees)),
            )  # fmt: skip

        save(3, "1.5")
        save(3, "1.5")  # the same figures: nothing to record
        save(4, "1.5")
        entries = self.entries()
        self.assertEqual([e.action for e in entries], [AuditAction.CREATE, AuditAction.CHANGE])
        self.assertEqual(entries[1].detail["changed"], {"licensing": ["3", "4"]})
        self.assertEqual(entries[1].object_repr, "宛城区人民政府办公室 2024")

    def test_an_xlsx_import_is_one_entry_naming_the_file_and_the_years(self) -> None:
        enforcement_figures_save(
            actor=self.clerk, organisation=self.office, today=TODAY,
            data=FiguresData(2023, 1, 1, 1, Decimal(0)),
        )  # fmt: skip
        self.remark()
        workbook = Workbook()
        sheet: Any = workbook.active
        for row in (["年度", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"],
                    [2023, 2, 1, 1, 0], [2024, 5, 0, 0, 0.5]):  # fmt: skip
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
        enforcement_figures_import_xlsx(
            actor=self.clerk, organisation=self.office, content=content, today=TODAY
        )
        [entry] = self.entries()
        self.assertEqual(
            (entry.action, entry.username, entry.object_type, entry.organisation),
            (AuditAction.IMPORT, "clerk", "reports.EnforcementFigures", "WCBGS"),
        )
        self.assertEqual(
            entry.detail,
            {
                "register": "enforcementfigures",
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "created": [2024],
                "updated": [2023],
                "changed": {"2023": {"licensing": ["1", "2"]}},
            },
        )

    def test_the_register_screens_record_the_clients_address(self) -> None:
        self.client.force_login(self.clerk)
        with freeze_today(TODAY):
            response = self.client.post(
                reverse("reports:register_add", args=["WCBGS", "proactive"]),
                {"title": "某通知", "published_on": "2025-03-01", "interpretation_form": ""},
                REMOTE_ADDR="10.1.2.3",
            )
        self.assertEqual(response.status_code, 302)
        [entry] = self.entries()
        self.assertEqual((entry.action, entry.ip), (AuditAction.CREATE, "10.1.2.3"))


class NarrativeHookTests(AuditMark, BaseTestCase):
    def setUp(self) -> None:
        self.remark()

    def save(self, **texts: str) -> ReportDraft:
        values = {"overview": "", "problems": "", "other": ""} | texts
        return narrative_save(
            actor=self.clerk, organisation=self.office, year=2024, today=TODAY, **values
        )

    def test_an_overwrite_records_the_sections_and_their_lengths_not_the_text(self) -> None:
        draft = self.save(overview="总体情况。", problems="问题")
        self.save(overview="总体情况。", problems="问题")  # nothing changed
        self.save(overview="总体情况已改写得更长。", problems="问题", other="其他")
        entries = self.entries()
        self.assertEqual(
            [(e.action, e.object_type, e.object_id, e.detail) for e in entries],
            [
                (AuditAction.CREATE, "reports.ReportDraft", str(draft.pk),
                 {"year": 2024, "sections": {"overview": [0, 5], "problems": [0, 2]}}),
                (AuditAction.CHANGE, "reports.ReportDraft", str(draft.pk),
                 {"year": 2024, "sections": {"overview": [5, 11], "other": [0, 2]}}),
            ],
        )  # fmt: skip
        self.assertNotIn("总体情况", str([e.detail for e in entries]))


class PriorReportHookTests(AuditMark, BaseTestCase):
    def setUp(self) -> None:
        use_temporary_media(self)
        self.remark()

    def test_an_uploaded_report_is_an_import_with_its_hash(self) -> None:
        content = (CORPUS / "wancheng-office-2024.txt").read_bytes()
        for _ in range(2):
            prior_report_upload(
                actor=self.clerk, organisation=self.office, year=2024, name="wancheng-2024.txt",
                content=content, today=dt.date(2025, 3, 1),
            )  # fmt: skip
        entries = self.entries()
        self.assertEqual([e.action for e in entries], [AuditAction.IMPORT] * 2)
        self.assertEqual(
            entries[1].detail,
            {"year": 2024, "name": "wancheng-2024.txt", "size": len(content), "replaced": True,
             "sha256": hashlib.sha256(content).hexdigest()},
        )  # fmt: skip
        self.assertEqual(entries[0].detail["replaced"], False)


DEMO_TODAY = dt.date(2026, 11, 26)


class PublishedReportHookTests(AuditMark, TestCase):
    """On the demo data: publishing, a correction, and every way a report file leaves."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=DEMO_TODAY)
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")
        cls.reviewer = User.objects.get(username="reviewer")
        cls.supervisor = User.objects.get(username="supervisor")
        cls.token = api_token_create(user=User.objects.get(username="clerk"), name="tests")[1]

    def setUp(self) -> None:
        patcher = freeze_today(DEMO_TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        use_temporary_media(self)
        self.remark()

    def publish(self, **kwargs: Any) -> ReportVersion:
        values = {"acknowledged": True, **kwargs}
        return report_publish(
            actor=self.reviewer, organisation=self.office, year=2024, today=DEMO_TODAY, **values
        )

    def test_publishing_a_version_and_a_correction_and_downloading_them(self) -> None:
        first = self.publish()
        narrative_save(
            actor=self.reviewer, organisation=self.office, year=2024, today=DEMO_TODAY,
            overview="更正后的总体情况。", problems="问题。", other="其他。",
        )  # fmt: skip
        second = self.publish(change_note="更正第一部分的表述。")
        self.client.force_login(self.reviewer)
        url = reverse("reports:version_file", args=["WCBGS", 2024, 1, "docx"])
        self.assertEqual(self.client.get(url).status_code, 200)
        api = reverse("api:report_file", args=["WCBGS", 2024, 2, "json"])
        response = self.client.get(api, HTTP_AUTHORIZATION=f"Bearer {self.token}")
        self.assertEqual(response.status_code, 200)
        entries = self.entries()
        self.assertEqual(
            [(e.action, e.username, e.object_type) for e in entries],
            [
                (AuditAction.PUBLISH, "reviewer", "reports.ReportVersion"),
                (AuditAction.CHANGE, "reviewer", "reports.ReportDraft"),
                (AuditAction.PUBLISH, "reviewer", "reports.ReportVersion"),
                (AuditAction.DOWNLOAD, "reviewer", "reports.ReportVersionFile"),
                (AuditAction.DOWNLOAD, "clerk", "reports.ReportVersionFile"),
            ],
        )
        self.assertEqual(
            (entries[0].object_id, entries[0].organisation, entries[0].detail),
            (str(first.pk), "WCBGS",
             {"year": 2024, "number": 1, "correction": False, "change_note": "",
              "sha256": first.sha256}),
        )  # fmt: skip
        self.assertEqual(
            entries[2].detail,
            {"year": 2024, "number": 2, "correction": True, "change_note": "更正第一部分的表述。",
             "sha256": second.sha256},
        )  # fmt: skip
        self.assertEqual(
            [(e.organisation, e.detail["number"], e.detail["format"], e.detail["via"])
             for e in entries[3:]],
            [("WCBGS", 1, "docx", "web"), ("WCBGS", 2, "json", "api")],
        )  # fmt: skip

    def test_a_refused_publication_records_nothing(self) -> None:
        with self.assertRaises(ServiceError):
            self.publish(acknowledged=False)
        self.assertEqual(self.entries(), [])

    def test_a_draft_export_and_the_roll_up_files_are_exports(self) -> None:
        self.client.force_login(self.reviewer)
        draft = reverse("reports:export", args=["WCBGS", 2024, "html"])
        self.assertEqual(self.client.get(draft).status_code, 200)
        self.client.force_login(self.supervisor)
        xlsx = reverse("reports:rollup_xlsx", kwargs={"code": "WCQ", "year": 2024})
        self.assertEqual(self.client.get(xlsx).status_code, 200)
        aggregate = reverse(
            "reports:rollup_aggregate", kwargs={"code": "WCQ", "year": 2024, "fmt": "json"}
        )
        self.assertEqual(self.client.get(aggregate).status_code, 200)
        entries = self.entries()
        self.assertEqual(
            [(e.action, e.username, e.object_type, e.organisation, e.detail) for e in entries],
            [
                (AuditAction.EXPORT, "reviewer", "accounts.Organisation", "WCBGS",
                 {"report": "draft", "year": 2024, "format": "html"}),
                (AuditAction.EXPORT, "supervisor", "accounts.Organisation", "WCQ",
                 {"report": "rollup", "year": 2024, "format": "xlsx"}),
                (AuditAction.EXPORT, "supervisor", "accounts.Organisation", "WCQ",
                 {"report": "aggregate", "year": 2024, "format": "json"}),
            ],
        )  # fmt: skip
        self.assertIn("汇总表.xlsx", entries[1].object_repr)
