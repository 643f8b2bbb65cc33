"""The calendar's demo: of the latest month already due, the office on time, the finance bureau
late, the township missing; reminders in the inbox; loading twice changes nothing."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.domain.periods import Period
from gongkai.domain.report_calendar import ReportStatus
from gongkai.supervision.calendar import calendar_rollup, periodic_report_lapses
from gongkai.supervision.demo_calendar import demo_month, load_calendar_demo
from gongkai.supervision.models import Notification, PeriodReport, ReportingRule


class CalendarDemoTests(TestCase):
    def test_the_month_whose_due_day_has_passed(self) -> None:
        self.assertEqual(demo_month(dt.date(2026, 3, 11)), Period.month(2026, 2))
        self.assertEqual(demo_month(dt.date(2026, 3, 10)), Period.month(2026, 1))
        self.assertEqual(demo_month(dt.date(2026, 1, 5)), Period.month(2025, 11))

    def test_nothing_without_the_cases_demo(self) -> None:
        self.assertFalse(load_calendar_demo(dt.date(2026, 3, 11)))

    def test_on_time_late_missing_and_reminders(self) -> None:
        today = dt.date(2026, 3, 11)
        load_demo(today)
        self.assertTrue(load_calendar_demo(today))
        self.assertEqual(
            sorted(ReportingRule.objects.values_list("kind", "due_day")),
            [("month", 10), ("quarter", 12)],
        )
        wcq = Organisation.objects.get(code="WCQ")
        rollup = calendar_rollup(wcq, "month", Period.month(2026, 2), today)
        self.assertEqual(
            {row.organisation.code: row.status for row in rollup.rows},
            {
                "WCBGS": ReportStatus.ON_TIME,
                "WCCZJ": ReportStatus.LATE,
                "WCHLZ": ReportStatus.MISSING,
            },
        )
        february = PeriodReport.objects.filter(period="2026-02")
        by = dict(february.values_list("organisation__code", "submitted_by__username"))
        self.assertEqual(by, {"WCBGS": "clerk", "WCCZJ": "caizheng"})
        # the rule began in December; December and January on time for both departments, the
        # township never reported; the quarter is not due before 12 April
        self.assertEqual(
            sorted(PeriodReport.objects.values_list("period", "organisation__code")),
            [
                ("2025-12", "WCBGS"),
                ("2025-12", "WCCZJ"),
                ("2026-01", "WCBGS"),
                ("2026-01", "WCCZJ"),
                ("2026-02", "WCBGS"),
                ("2026-02", "WCCZJ"),
            ],
        )
        office = Organisation.objects.get(code="WCBGS")
        township = Organisation.objects.get(code="WCHLZ")
        self.assertEqual(periodic_report_lapses(office, 2026, today), [])
        self.assertEqual(
            [
                (lapse.period, lapse.status)
                for lapse in periodic_report_lapses(township, 2026, today)
            ],
            [("2026-01", "missing"), ("2026-02", "missing")],
        )
        notes = Notification.objects.count()
        self.assertGreater(notes, 0)
        self.assertTrue(load_calendar_demo(today))
        self.assertEqual(PeriodReport.objects.count(), 6)
        self.assertEqual(Notification.objects.count(), notes)
