"""政府信息公开年报 on the 专栏: every published version by year with its date and correction
notes, the report on the page, the stored .docx/.pdf byte for byte (anonymous), and a
government's year list of its organisations."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import ReportDraft, ReportVersion
from gongkai.reports.services import narrative_save, report_publish
from gongkai.test import use_temporary_media

TODAY = dt.date(2025, 1, 20)
CORRECTED = dt.date(2025, 2, 3)


class ReportPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=TODAY)
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")
        cls.reviewer = User.objects.get(username="reviewer")
        cls.clerk = User.objects.get(username="clerk")

    def setUp(self) -> None:
        use_temporary_media(self)

    def publish(self, change_note: str = "", today: dt.date = TODAY) -> ReportVersion:
        return report_publish(
            actor=self.reviewer, organisation=self.office, year=2024, acknowledged=True,
            change_note=change_note, today=today,
        )  # fmt: skip

    def correct(self) -> ReportVersion:
        draft = ReportDraft.objects.get(organisation=self.office, year=2024)
        narrative_save(
            actor=self.clerk, organisation=self.office, year=2024, today=CORRECTED,
            overview=draft.overview, other=draft.other,
            problems=draft.problems + "\n四是按季度检查答复文书。",
        )  # fmt: skip
        return self.publish("第五部分补充一项改进措施。", CORRECTED)

    def test_an_organisation_without_a_report_says_the_column_has_no_information(self) -> None:
        page = self.client.get(reverse("portal:reports", args=["WCBGS"])).content.decode()
        self.assertIn("本栏目暂无信息", page)

    def test_the_list_shows_every_version_with_its_date_and_the_correction_note(self) -> None:
        self.publish()
        self.correct()
        page = self.client.get(reverse("portal:reports", args=["WCBGS"])).content.decode()
        self.assertIn("2024年度", page)
        self.assertIn("（第1版）", page)
        self.assertIn("（第2版）", page)
        self.assertIn("发布日期：2025-01-20", page)
        self.assertIn("发布日期：2025-02-03（现行版本）", page)
        self.assertIn("2025年2月3日更正：第五部分补充一项改进措施。", page)
        self.assertIn(reverse("portal:report_file", args=["WCBGS", 2024, 1, "pdf"]), page)
        self.assertNotIn(".json", page)

    def test_the_version_page_shows_the_published_html_without_style_attributes(self) -> None:
        self.publish()
        self.correct()
        response = self.client.get(reverse("portal:report_version", args=["WCBGS", 2024, 1]))
        page = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn('<article class="annual-report">', page)
        self.assertIn("宛城区人民政府办公室2024年政府信息公开工作年度报告", page)
        self.assertIn("本版已被更正", page)
        self.assertIn("2025年2月3日更正（第2版）：第五部分补充一项改进措施。", page)
        self.assertNotIn("style=", page)
        current = self.client.get(reverse("portal:report_version", args=["WCBGS", 2024, 2]))
        self.assertIn("四是按季度检查答复文书。", current.content.decode())
        self.assertNotIn("本版已被更正", current.content.decode())

    def test_downloads_are_anonymous_and_byte_for_byte_the_stored_files(self) -> None:
        version = self.publish()
        for fmt in ("docx", "pdf"):
            stored = version.files.get(format=fmt)
            with stored.file.open("rb") as handle:
                expected = handle.read()
            response = self.client.get(reverse("portal:report_file", args=["WCBGS", 2024, 1, fmt]))
            self.assertEqual(response.status_code, 200, fmt)
            self.assertEqual(b"".join(response.streaming_content), expected, fmt)  # type: ignore[attr-defined]
            self.assertIn("attachment", response["Content-Disposition"])
        for missing in [("WCBGS", 2024, 1, "json"), ("WCBGS", 2024, 1, "html"),
                        ("WCBGS", 2024, 7, "pdf"), ("WCCZJ", 2024, 1, "pdf")]:  # fmt: skip
            self.assertEqual(
                self.client.get(reverse("portal:report_file", args=missing)).status_code, 404
            )

    def test_the_government_lists_its_organisations_reports_of_a_year(self) -> None:
        self.publish()
        self.correct()
        page = self.client.get(reverse("portal:reports", args=["WCQ"])).content.decode()
        self.assertIn(reverse("portal:reports_year", args=["WCQ", 2024]), page)
        page = self.client.get(reverse("portal:reports_year", args=["WCQ", 2024])).content.decode()
        children = Organisation.objects.filter(parent__code="WCQ").count()
        self.assertEqual(page.count("<tr>") - 1, children)
        self.assertIn("宛城区人民政府办公室", page)
        self.assertIn("2024年度报告（第2版）", page)
        self.assertIn("<td>2025-02-03</td>", page)
        self.assertIn("尚未发布", page)
        self.assertEqual(
            self.client.get(reverse("portal:reports_year", args=["WCBGS", 2024])).status_code, 404
        )

    @override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    )
    def test_the_list_query_count_does_not_grow_with_the_versions(self) -> None:
        url = reverse("portal:reports", args=["WCBGS"])
        self.publish()
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        self.correct()
        with CaptureQueriesContext(connection) as two:
            self.client.get(url)
        self.assertEqual(len(one), len(two))
