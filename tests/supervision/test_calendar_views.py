"""The reporting calendar's and the inbox's screens: who sees what, the rule form, the 报送 step
with its confirmation, the frozen report, the inbox and its count in the top bar, the 工作台 block."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.supervision.calendar import period_report_submit, reporting_rule_save
from gongkai.supervision.inbox import notify
from gongkai.supervision.models import Notification, PeriodReport, ReportingRule
from gongkai.test import BaseTestCase
from tests.web.base import freeze_today

TODAY = dt.date(2026, 3, 11)  # February's report was due yesterday
CALENDAR = reverse("supervision:calendar", args=["WCQ"])


class ViewTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.township = Organisation.objects.create(
            code="WCHLZ", name="宛城区红泥湾镇人民政府", kind="township", parent=cls.district
        )
        reporting_rule_save(
            by=cls.supervisor,
            government=cls.district,
            kind="month",
            due_day=10,
            starts_on=dt.date(2026, 1, 1),
            include_government=False,
            active=True,
        )

    def setUp(self) -> None:
        super().setUp()
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)


class SupervisorPageTests(ViewTestCase):
    def test_the_rollup_of_the_last_ended_month(self) -> None:
        report = period_report_submit(by=self.clerk, organisation=self.office, period="2026-02")
        self.client.force_login(self.supervisor)
        response = self.client.get(CALENDAR)
        self.assertContains(response, "2026年2月报送情况")
        self.assertContains(response, "截止 2026-03-10")
        self.assertContains(response, reverse("supervision:calendar_report", args=[report.pk]))
        rows = {row.organisation.code: row.status.label for row in response.context["rollup"].rows}
        # submitted now (December 2026 or later, real time): late; the others missing
        self.assertEqual(rows, {"WCBGS": "逾期报送", "WCCZJ": "未报送", "WCHLZ": "未报送"})
        response = self.client.get(CALENDAR, {"kind": "month", "period": "2026-03"})
        self.assertEqual({r.status.label for r in response.context["rollup"].rows}, {"未到期"})
        # the home card links here, with the counts of the latest due month
        home = self.client.get(reverse("supervision:home"))
        self.assertContains(home, CALENDAR)
        self.assertContains(home, "2026年2月月报</a>（截止 2026-03-10）")
        self.assertContains(home, "逾期报送 1")
        self.assertContains(home, "未报送 2")

    def test_others_get_404(self) -> None:
        for persona in (self.clerk, self.outsider):
            self.client.force_login(persona)
            self.assertEqual(self.client.get(CALENDAR).status_code, 404)
            url = reverse("supervision:calendar_rule", args=["WCQ"])
            self.assertEqual(self.client.post(url, {"kind": "month"}).status_code, 404)

    def test_the_rule_form(self) -> None:
        self.client.force_login(self.supervisor)
        url = reverse("supervision:calendar_rule", args=["WCQ"])
        data = {"kind": "quarter", "due_day": "12", "starts_on": "2026-01-01", "active": "on"}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "报送规则已保存")
        rule = ReportingRule.objects.get(kind="quarter")
        self.assertEqual((rule.due_day, rule.active, rule.include_government), (12, True, False))
        response = self.client.post(url, {**data, "due_day": "30"}, follow=True)
        self.assertContains(response, "28")
        self.assertEqual(ReportingRule.objects.get(kind="quarter").due_day, 12)


class OrganisationPageTests(ViewTestCase):
    def test_the_clerk_submits_after_confirming(self) -> None:
        self.register(received_on=dt.date(2026, 2, 5))
        self.client.force_login(self.clerk)
        page = self.client.get(reverse("supervision:calendar_org", args=["WCBGS"]))
        submit = reverse("supervision:calendar_submit", args=["WCBGS", "2026-02"])
        self.assertContains(page, submit)
        self.assertContains(page, "未报送")
        confirm = self.client.get(submit)
        self.assertContains(confirm, "确认报送")
        self.assertContains(confirm, "一、本年新收政府信息公开申请数量")
        self.assertFalse(PeriodReport.objects.exists())
        response = self.client.post(submit)
        report = PeriodReport.objects.get()
        self.assertRedirects(response, reverse("supervision:calendar_report", args=[report.pk]))
        shown = self.client.get(reverse("supervision:calendar_report", args=[report.pk]))
        self.assertContains(shown, "本年累计")
        self.assertContains(shown, "由clerk报送")
        # twice: refused with the message, nothing new
        again = self.client.post(submit, follow=True)
        self.assertContains(again, "不能重复报送")
        self.assertEqual(PeriodReport.objects.count(), 1)
        # the confirm page of a submitted period shows the report
        self.assertRedirects(
            self.client.get(submit), reverse("supervision:calendar_report", args=[report.pk])
        )

    def test_a_period_not_ended_or_not_required_is_refused_with_a_message(self) -> None:
        self.client.force_login(self.clerk)
        url = reverse("supervision:calendar_submit", args=["WCBGS", "2099-01"])
        self.assertContains(self.client.post(url, follow=True), "尚未结束")
        self.assertContains(self.client.get(url, follow=True), "尚未结束")
        url = reverse("supervision:calendar_submit", args=["WCBGS", "2025-12"])
        response = self.client.get(url, follow=True)
        self.assertContains(response, "本机构无需报送2025年12月的报表")
        self.assertNotContains(response, "确认报送")
        self.assertFalse(PeriodReport.objects.exists())

    def test_who_sees_what(self) -> None:
        report = period_report_submit(by=self.outsider, organisation=self.other, period="2026-01")
        org_page = reverse("supervision:calendar_org", args=["WCCZJ"])
        report_page = reverse("supervision:calendar_report", args=[report.pk])
        submit = reverse("supervision:calendar_submit", args=["WCCZJ", "2026-02"])
        self.client.force_login(self.clerk)  # another organisation
        for url in (org_page, report_page, submit):
            self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.supervisor)  # reads, does not submit
        self.assertContains(self.client.get(report_page), "宛城区财政局2026年1月定期报表")
        page = self.client.get(org_page)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, submit)
        self.assertEqual(self.client.get(submit).status_code, 404)

    def test_the_dashboard_block(self) -> None:
        self.client.force_login(self.clerk)
        response = self.client.get(reverse("cases:dashboard"))
        self.assertContains(response, "定期报表")
        self.assertContains(
            response, reverse("supervision:calendar_submit", args=["WCBGS", "2026-02"])
        )
        self.assertContains(response, "已逾期，尚未报送")
        period_report_submit(by=self.clerk, organisation=self.office, period="2026-01")
        period_report_submit(by=self.clerk, organisation=self.office, period="2026-02")
        self.assertNotContains(self.client.get(reverse("cases:dashboard")), 'id="period-reports"')


class InboxPageTests(ViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        notify(today=TODAY)  # January and February missing for WCBGS's clerk, reviewer, admin

    def test_unread_first_the_count_in_the_top_bar_and_marking_read(self) -> None:
        self.client.force_login(self.clerk)
        notes = list(Notification.objects.filter(user=self.clerk).order_by("pk"))
        self.assertEqual(len(notes), 2)
        page = self.client.get(reverse("supervision:inbox"))
        self.assertContains(page, 'title="未读提醒">2<')
        self.assertContains(page, "2026年2月定期报表逾期未报送")
        response = self.client.post(
            reverse("supervision:inbox_read", args=[notes[0].pk]), {"open": "1"}
        )
        self.assertRedirects(response, "/supervision/calendar/org/WCBGS/")
        page = self.client.get(reverse("supervision:inbox"))
        self.assertContains(page, 'title="未读提醒">1<')
        self.assertEqual([n.pk for n in page.context["notes"]], [notes[1].pk, notes[0].pk])
        self.client.post(reverse("supervision:inbox_read_all"))
        self.assertNotContains(self.client.get(reverse("supervision:inbox")), "未读提醒")

    def test_another_users_reminder_is_404(self) -> None:
        note = Notification.objects.filter(user=self.reviewer).first()
        assert note is not None
        self.client.force_login(self.clerk)
        response = self.client.post(reverse("supervision:inbox_read", args=[note.pk]))
        self.assertEqual(response.status_code, 404)
        note.refresh_from_db()
        self.assertIsNone(note.read_at)
