"""The report page names the corrections and voidings that make the records differ from the
published version: which application (linked), what changed, who, when and why."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.cases.models import Application
from gongkai.cases.services import application_correct, application_void
from gongkai.domain.lifecycle import RecordChange
from gongkai.domain.report.build import counts
from gongkai.reports.checks import current_report
from gongkai.reports.demo import load_register_demo
from gongkai.reports.models import ReportVersion
from gongkai.reports.selectors import changes_since
from gongkai.reports.services import report_publish
from gongkai.test import use_temporary_media
from tests.web.base import freeze_today

TODAY = dt.date(2026, 11, 26)


class RecordChangesAfterPublicationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_demo(today=TODAY)
        load_register_demo()
        cls.office = Organisation.objects.get(code="WCBGS")
        cls.reviewer = User.objects.get(username="reviewer")
        of_2024 = Application.objects.filter(organisation=cls.office, received_on__year=2024)
        cls.voided, cls.moved, cls.retyped = of_2024.order_by("received_on", "id")[:3]
        cls.later = Application.objects.filter(
            organisation=cls.office, received_on__year=2025, concluded_on__isnull=False
        ).first()

    def setUp(self) -> None:
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        use_temporary_media(self)
        self.version = report_publish(
            actor=self.reviewer, organisation=self.office, year=2024, acknowledged=True,
            today=TODAY,
        )  # fmt: skip

    def change_records(self) -> None:
        self.old_receipt = self.moved.received_on
        application_void(actor=self.reviewer, application=self.voided, reason="测试数据，误录入")
        application_correct(
            actor=self.reviewer, application=self.moved,
            changes={"received_on": self.moved.received_on + dt.timedelta(days=1)},
            reason="收到日期以签收单为准",
        )  # fmt: skip
        # Not a figure of the report: a phone.
        application_correct(
            actor=self.reviewer, application=self.retyped, changes={"phone": "13911112222"},
            reason="电话号码登记有误",
        )  # fmt: skip
        # Not an application of 2024.
        assert self.later is not None
        application_void(actor=self.reviewer, application=self.later, reason="重复登记")

    def test_only_changes_to_counted_facts_of_the_year_are_listed(self) -> None:
        self.assertEqual(changes_since(self.version), [])
        self.change_records()
        rows = changes_since(self.version)
        self.assertEqual(
            [(row.application, row.change) for row in rows],
            [(self.voided, RecordChange.VOID), (self.moved, RecordChange.CORRECT)],
        )
        old = self.old_receipt
        self.assertEqual(
            rows[1].changes,
            (("收到申请日期", old.isoformat(), (old + dt.timedelta(days=1)).isoformat()),),
        )

    def test_changes_before_the_version_are_not_listed(self) -> None:
        self.change_records()
        ReportVersion.objects.filter(pk=self.version.pk).update(
            published_at=self.version.published_at + dt.timedelta(days=1)
        )
        self.version.refresh_from_db()
        self.assertEqual(changes_since(self.version), [])

    def test_the_report_page_says_the_records_changed_and_why(self) -> None:
        published = counts(current_report(self.office, 2024).report.t3)
        self.change_records()
        now = counts(current_report(self.office, 2024).report.t3)
        # One application fewer, received in 2024 (the voided one): one fewer new application.
        self.assertEqual(now["new"][6], published["new"][6] - 1)
        self.client.force_login(self.reviewer)
        page = self.client.get(reverse("reports:report", args=["WCBGS", 2024])).content.decode()
        self.assertIn("当前内容与已发布的第1版不同", page)
        self.assertIn("第1版发布后，本年度计入报告的申请有2处更正或作废", page)
        section = page[
            page.index('id="record-changes"') : page.index(
                "</table>", page.index('id="record-changes"')
            )
        ]
        self.assertIn(f'href="/applications/{self.voided.pk}/"', section)
        self.assertIn(self.voided.tracking_no, section)
        self.assertIn("作废", section)
        self.assertIn("测试数据，误录入", section)
        new = self.old_receipt + dt.timedelta(days=1)
        self.assertIn(f"收到申请日期：{self.old_receipt.isoformat()} → {new.isoformat()}", section)
        self.assertIn("收到日期以签收单为准", section)
        self.assertIn("reviewer", section)
        self.assertNotIn(self.retyped.tracking_no, section)
        self.assertNotIn("13911112222", page)
