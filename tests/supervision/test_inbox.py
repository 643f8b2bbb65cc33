"""Reminders: each kind is created for the right people on the right day, once; e-mailed once to
those with an address; a failed send is retried; `gongkai notify` from cron sends nothing new the
second time."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from gongkai.cli.main import main
from gongkai.supervision import inbox
from gongkai.supervision.calendar import period_report_submit, reporting_rule_save
from gongkai.supervision.inbox import (
    notification_read,
    notifications_read_all,
    notify,
    unread_count,
)
from gongkai.supervision.models import Notification
from gongkai.test import BaseTestCase

# Received Monday 3 March 2025: 20 working days later (no holiday before Qingming on 4 April) is
# Monday 31 March — counted by hand: 4–7, 10–14, 17–21, 24–28 March are 19 days, then the 31st.
RECEIVED = dt.date(2025, 3, 3)
DUE = dt.date(2025, 3, 31)


def kinds(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", "key"))


class NotifyTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for user in (cls.clerk, cls.reviewer, cls.supervisor, cls.outsider):
            user.email = f"{user.username}@example.gov.cn"
            user.save()


class CaseReminderTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.app = self.register(received_on=RECEIVED)
        self.assertEqual(self.app.due_on, DUE)

    def test_the_clerk_three_working_days_before(self) -> None:
        notify(today=dt.date(2025, 3, 25))  # 4 working days left (26, 27, 28, 31)
        self.assertEqual(kinds("case_due"), [])
        result = notify(today=dt.date(2025, 3, 26))
        self.assertEqual(kinds("case_due"), [("clerk", f"case_due:{self.app.pk}:2025-03-31")])
        self.assertEqual(result.created, 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["clerk@example.gov.cn"])
        self.assertIn(self.app.tracking_no, mail.outbox[0].subject)
        self.assertIn(f"/applications/{self.app.pk}/", mail.outbox[0].body)
        # the next days: nothing new, nothing sent again
        again = notify(today=dt.date(2025, 3, 27))
        self.assertEqual((again.created, again.emailed), (0, 0))
        self.assertEqual(len(mail.outbox), 1)
        self.assertIsNotNone(Notification.objects.get().emailed_at)

    @override_settings(GONGKAI_REMIND_DUE_DAYS=5)
    def test_the_days_are_a_setting(self) -> None:
        notify(today=dt.date(2025, 3, 24))  # 5 working days left
        self.assertEqual(len(kinds("case_due")), 1)

    def test_a_new_due_date_is_a_new_reminder(self) -> None:
        notify(today=dt.date(2025, 3, 26))
        type(self.app).objects.filter(pk=self.app.pk).update(due_on=dt.date(2025, 3, 28))
        notify(today=dt.date(2025, 3, 26))
        self.assertEqual(len(kinds("case_due")), 2)

    def test_supervisors_once_when_overdue(self) -> None:
        notify(today=DUE)
        self.assertEqual(kinds("case_overdue"), [])
        notify(today=DUE + dt.timedelta(days=1))
        notify(today=DUE + dt.timedelta(days=5))
        self.assertEqual(kinds("case_overdue"), [("supervisor", f"case_overdue:{self.app.pk}")])
        note = Notification.objects.get(kind="case_overdue")
        self.assertNotIn("张三", note.title + note.body)  # the applicant is not named
        self.assertEqual(len([m for m in mail.outbox if m.to == ["supervisor@example.gov.cn"]]), 1)

    def test_a_concluded_case_is_not_reminded(self) -> None:
        type(self.app).objects.filter(pk=self.app.pk).update(status="replied")
        notify(today=dt.date(2025, 4, 2))
        self.assertFalse(Notification.objects.exists())


class ReportReminderTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        reporting_rule_save(
            by=self.supervisor,
            government=self.district,
            kind="month",
            due_day=10,
            starts_on=dt.date(2026, 2, 1),
            include_government=False,
            active=True,
        )

    def test_before_the_periodic_report_is_due(self) -> None:
        notify(today=dt.date(2026, 3, 6))  # four days before 10 March
        self.assertEqual(kinds("period_due"), [])
        notify(today=dt.date(2026, 3, 7))
        self.assertEqual(
            kinds("period_due"),
            [
                ("admin", "period_due:WCBGS:2026-02"),
                ("clerk", "period_due:WCBGS:2026-02"),
                ("outsider", "period_due:WCCZJ:2026-02"),
                ("reviewer", "period_due:WCBGS:2026-02"),
            ],
        )
        self.assertEqual(
            Notification.objects.get(user=self.clerk).link, "/supervision/calendar/org/WCBGS/"
        )

    def test_missing_once_after_due_and_not_when_submitted(self) -> None:
        period_report_submit(
            by=self.clerk,
            organisation=self.office,
            period="2026-02",
            now=dt.datetime(2026, 3, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        )
        notify(today=dt.date(2026, 3, 10))
        self.assertEqual(kinds("period_missing"), [])
        notify(today=dt.date(2026, 3, 11))
        notify(today=dt.date(2026, 3, 12))
        self.assertEqual(kinds("period_missing"), [("outsider", "period_missing:WCCZJ:2026-02")])

    def test_before_the_annual_report_is_due_while_unpublished(self) -> None:
        # a department's report of 2025 is due on 31 January 2026 (条例第四十九条)
        notify(today=dt.date(2026, 1, 27))
        self.assertEqual(kinds("annual_due"), [])
        notify(today=dt.date(2026, 1, 28))
        self.assertEqual(
            [user for user, key in kinds("annual_due") if key == "annual_due:WCBGS:2025"],
            ["admin", "clerk", "reviewer"],
        )
        with mock.patch.object(inbox, "latest_version", return_value=object()):
            Notification.objects.all().delete()
            notify(today=dt.date(2026, 1, 29))
        self.assertEqual(kinds("annual_due"), [])


class MailTests(NotifyTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.app = self.register(received_on=RECEIVED)
        self.today = dt.date(2025, 3, 26)

    def test_users_without_an_address_get_the_inbox_only(self) -> None:
        self.clerk.email = ""
        self.clerk.save()
        result = notify(today=self.today)
        self.assertEqual((result.created, result.emailed), (1, 0))
        self.assertEqual(mail.outbox, [])
        self.assertIsNone(Notification.objects.get().emailed_at)

    def test_a_failed_send_is_retried_on_the_next_run(self) -> None:
        with mock.patch.object(inbox, "send_mail", side_effect=OSError("connection refused")):
            result = notify(today=self.today)
        self.assertEqual((result.created, result.emailed, result.failed), (1, 0, 1))
        self.assertIsNone(Notification.objects.get().emailed_at)
        result = notify(today=self.today)
        self.assertEqual((result.created, result.emailed, result.failed), (0, 1, 0))
        self.assertEqual(len(mail.outbox), 1)

    def test_a_run_started_while_another_is_sending_sends_nothing_twice(self) -> None:
        real = inbox.send_mail
        nested: list[tuple[int, int]] = []

        def send(**kwargs: Any) -> int:
            if not nested:  # a second cron run starts while the first one is sending
                nested.append(inbox.send_pending(now=timezone.now()))
            return real(**kwargs)

        with mock.patch.object(inbox, "send_mail", side_effect=send):
            result = notify(today=self.today)
        self.assertEqual(nested, [(0, 0)])
        self.assertEqual(result.emailed, 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_dry_run_writes_and_sends_nothing(self) -> None:
        result = notify(today=self.today, dry_run=True)
        self.assertEqual([d.key for d in result.due], [f"case_due:{self.app.pk}:2025-03-31"])
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(mail.outbox, [])
        notify(today=self.today)
        self.assertEqual(notify(today=self.today, dry_run=True).due, [])


class InboxTests(NotifyTestCase):
    def test_read_one_and_all(self) -> None:
        app = self.register(received_on=RECEIVED)
        notify(today=dt.date(2025, 3, 26))
        other = self.register(received_on=RECEIVED + dt.timedelta(days=1))
        notify(today=dt.date(2025, 3, 27))
        self.assertEqual(unread_count(self.clerk), 2)
        notification_read(note=Notification.objects.get(key__startswith=f"case_due:{app.pk}:"))
        self.assertEqual(unread_count(self.clerk), 1)
        self.assertEqual(notifications_read_all(user=self.clerk), 1)
        self.assertEqual(unread_count(self.clerk), 0)
        self.assertTrue(
            Notification.objects.filter(key__startswith=f"case_due:{other.pk}:").exists()
        )


class CommandTests(NotifyTestCase):
    def test_a_second_run_sends_nothing_new(self) -> None:
        self.register(received_on=RECEIVED)
        with mock.patch("sys.stdout") as out:
            self.assertEqual(main(["notify", "--today", "2025-03-26"]), 0)
        printed = "".join(call.args[0] for call in out.write.call_args_list)
        self.assertIn("新提醒 1 条，发送邮件 1 封", printed)
        with mock.patch("sys.stdout") as out:
            self.assertEqual(main(["notify", "--today", "2025-03-26"]), 0)
        printed = "".join(call.args[0] for call in out.write.call_args_list)
        self.assertIn("新提醒 0 条，发送邮件 0 封", printed)
        self.assertEqual(len(mail.outbox), 1)

    def test_dry_run_and_a_bad_date(self) -> None:
        self.register(received_on=RECEIVED)
        with mock.patch("sys.stdout") as out:
            self.assertEqual(main(["notify", "--today", "2025-03-26", "--dry-run"]), 0)
        printed = "".join(call.args[0] for call in out.write.call_args_list)
        self.assertIn("将生成提醒 1 条", printed)
        self.assertFalse(Notification.objects.exists())
        with mock.patch("sys.stderr") as err, pytest.raises(SystemExit) as exited:
            main(["notify", "--today", "2025-13-01"])
        self.assertEqual(exited.value.code, 2)
        self.assertIn("不是有效日期", "".join(c.args[0] for c in err.write.call_args_list))


def test_mail_goes_to_the_console_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import gongkai.settings as settings_module

    try:
        monkeypatch.delenv("GONGKAI_EMAIL_BACKEND", raising=False)
        fresh = importlib.reload(settings_module)
        assert fresh.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
        monkeypatch.setenv("GONGKAI_EMAIL_BACKEND", "smtp")
        monkeypatch.setenv("GONGKAI_EMAIL_PORT", "587")
        monkeypatch.setenv("GONGKAI_EMAIL_USE_TLS", "1")
        fresh = importlib.reload(settings_module)
        assert fresh.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert (fresh.EMAIL_PORT, fresh.EMAIL_USE_TLS) == (587, True)
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)
