"""The reporting calendar's services: rules (only the government's supervisor, due day 1–28),
submission (only an acting user of the organisation, only an ended and required period, once,
frozen), the roll-up and the lapses the scorecard reads."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Membership, Organisation
from gongkai.audit.models import AuditEntry
from gongkai.domain.lifecycle import Role
from gongkai.domain.periods import Period
from gongkai.domain.report_calendar import ReportStatus
from gongkai.supervision.calendar import (
    calendar_rollup,
    organisation_periods,
    period_report_submit,
    periodic_report_lapses,
    periodic_report_lapses_of,
    reporting_rule_save,
    rules_for,
)
from gongkai.supervision.models import PeriodReport, ReportingRule
from gongkai.supervision.stats import period_statistics
from gongkai.test import BaseTestCase

SH = ZoneInfo("Asia/Shanghai")
FEB = Period.month(2026, 2)  # due 2026-03-10 under a "10th" rule


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)  # type: ignore[misc]


class CalendarTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.township = Organisation.objects.create(
            code="WCHLZ", name="宛城区红泥湾镇人民政府", kind="township", parent=cls.district
        )

    def monthly(self, **kwargs: object) -> ReportingRule:
        values: dict[str, object] = {
            "kind": "month",
            "due_day": 10,
            "starts_on": dt.date(2026, 1, 1),
            "include_government": False,
            "active": True,
        }
        values.update(kwargs)
        return reporting_rule_save(by=self.supervisor, government=self.district, **values)  # type: ignore[arg-type]


class RuleTests(CalendarTestCase):
    def test_the_supervisor_sets_a_rule_and_changes_it(self) -> None:
        rule = self.monthly()
        self.assertEqual((rule.kind, rule.due_day), ("month", 10))
        again = self.monthly(due_day=12)
        self.assertEqual(again.pk, rule.pk)
        self.assertEqual(ReportingRule.objects.get().due_day, 12)
        self.assertEqual(
            list(
                AuditEntry.objects.filter(object_type="supervision.ReportingRule")
                .values_list("action", flat=True)
                .order_by("pk")
            ),
            ["create", "change"],
        )

    def test_only_the_governments_supervisor(self) -> None:
        for user in (self.clerk, self.admin, self.outsider):
            with self.subTest(user.username), self.assertRaises(ServiceError) as caught:
                reporting_rule_save(
                    by=user,
                    government=self.district,
                    kind="month",
                    due_day=10,
                    starts_on=dt.date(2026, 1, 1),
                    include_government=False,
                    active=True,
                )
            self.assertEqual(caught.exception.kind, "forbidden")
        # a supervisor of the district is not one of the office below it
        with self.assertRaises(ServiceError):
            reporting_rule_save(
                by=self.supervisor,
                government=self.office,
                kind="month",
                due_day=10,
                starts_on=dt.date(2026, 1, 1),
                include_government=False,
                active=True,
            )
        self.assertFalse(ReportingRule.objects.exists())

    def test_due_day_1_to_28(self) -> None:
        for day in (0, 29, 31):
            with self.subTest(day), self.assertRaises(ServiceError) as caught:
                self.monthly(due_day=day)
            self.assertIn("1日至28日", caught.exception.message)
        self.assertEqual(self.monthly(due_day=28).due_day, 28)
        self.assertEqual(self.monthly(due_day=1).due_day, 1)

    def test_rules_for_an_organisation(self) -> None:
        rule = self.monthly()
        self.assertEqual(rules_for(self.office), [rule])
        self.assertEqual(rules_for(self.district), [])  # not the government itself…
        self.monthly(include_government=True)
        self.assertEqual(len(rules_for(self.district)), 1)  # …unless the rule says so
        self.monthly(active=False)
        self.assertEqual(rules_for(self.office), [])


class SubmitTests(CalendarTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.monthly()

    def test_an_acting_user_freezes_the_period_statistics(self) -> None:
        self.register(received_on=dt.date(2026, 2, 5))
        report = period_report_submit(
            by=self.clerk, organisation=self.office, period="2026-02", now=at(2026, 3, 5, 10)
        )
        self.assertEqual(
            (report.period, report.kind, report.due_on), ("2026-02", "month", dt.date(2026, 3, 10))
        )
        self.assertEqual(report.submitted_by, self.clerk)
        self.assertEqual(report.submitted_by_name, "clerk")
        # one application of a natural person received in February: new, column 自然人 and 总计
        self.assertEqual(report.data["this_period"]["t3"]["new"], [1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(report.data["year_to_date"]["t3"]["new"], [1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(report.data["period"], "2026-02")
        # frozen: an application registered later for February changes the statistics, not it
        self.register(received_on=dt.date(2026, 2, 20))
        live = period_statistics(organisation=self.office, period=FEB).to_json()
        self.assertEqual(live["this_period"]["t3"]["new"][6], 2)
        report.refresh_from_db()
        self.assertEqual(report.data["this_period"]["t3"]["new"][6], 1)
        entry = AuditEntry.objects.get(object_type="supervision.PeriodReport")
        self.assertEqual(
            (entry.action, entry.organisation, entry.username), ("create", "WCBGS", "clerk")
        )

    def test_reviewer_and_admin_may_submit_others_may_not(self) -> None:
        period_report_submit(
            by=self.reviewer, organisation=self.office, period="2026-01", now=at(2026, 2, 2)
        )
        period_report_submit(
            by=self.admin, organisation=self.office, period="2026-02", now=at(2026, 3, 2)
        )
        for user in (self.supervisor, self.outsider):
            with self.subTest(user.username), self.assertRaises(ServiceError) as caught:
                period_report_submit(
                    by=user, organisation=self.office, period="2026-03", now=at(2026, 4, 2)
                )
            self.assertEqual(caught.exception.kind, "forbidden")
        self.assertEqual(PeriodReport.objects.count(), 2)

    def test_not_before_the_period_has_ended(self) -> None:
        with self.assertRaises(ServiceError) as caught:
            period_report_submit(
                by=self.clerk,
                organisation=self.office,
                period="2026-02",
                now=at(2026, 2, 28, 23, 59),
            )
        self.assertIn("尚未结束", caught.exception.message)
        # the first minute of March (local time) is after February
        period_report_submit(
            by=self.clerk, organisation=self.office, period="2026-02", now=at(2026, 3, 1, 0, 1)
        )

    def test_only_a_period_a_rule_requires(self) -> None:
        for code in ("2025-12", "2026Q1", "2026"):  # before the rule; a quarter; a year
            with self.subTest(code), self.assertRaises(ServiceError) as caught:
                period_report_submit(
                    by=self.clerk, organisation=self.office, period=code, now=at(2027, 2, 1)
                )
            self.assertIn("无需报送", caught.exception.message)
        with self.assertRaises(ServiceError) as caught:
            period_report_submit(
                by=self.clerk, organisation=self.office, period="2026-13", now=at(2027, 2, 1)
            )
        self.assertEqual(caught.exception.field, "period")
        self.assertFalse(PeriodReport.objects.exists())

    def test_once_only(self) -> None:
        period_report_submit(
            by=self.clerk, organisation=self.office, period="2026-02", now=at(2026, 3, 5, 9, 30)
        )
        with self.assertRaises(ServiceError) as caught:
            period_report_submit(
                by=self.admin, organisation=self.office, period="2026-02", now=at(2026, 3, 6)
            )
        self.assertEqual(caught.exception.kind, "conflict")
        self.assertIn("2026-03-05 09:30", caught.exception.message)
        self.assertIn("不能重复报送", caught.exception.message)
        self.assertEqual(PeriodReport.objects.count(), 1)

    def test_a_government_reports_only_when_its_rule_includes_it(self) -> None:
        Membership.objects.create(user=self.clerk, organisation=self.district, role=Role.CLERK)
        with self.assertRaises(ServiceError):
            period_report_submit(
                by=self.clerk, organisation=self.district, period="2026-02", now=at(2026, 3, 2)
            )
        self.monthly(include_government=True)
        period_report_submit(
            by=self.clerk, organisation=self.district, period="2026-02", now=at(2026, 3, 2)
        )


class RollupTests(CalendarTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.monthly()

    def test_on_time_late_missing(self) -> None:
        # on the due day at 23:59 local time: in time; the finance bureau 00:30 the next day: late
        period_report_submit(
            by=self.clerk, organisation=self.office, period=FEB, now=at(2026, 3, 10, 23, 59)
        )
        period_report_submit(
            by=self.outsider, organisation=self.other, period=FEB, now=at(2026, 3, 11, 0, 30)
        )
        rollup = calendar_rollup(self.district, "month", FEB, dt.date(2026, 3, 11))
        self.assertEqual(rollup.due_on, dt.date(2026, 3, 10))
        self.assertEqual(
            [(row.organisation.code, row.status) for row in rollup.rows],
            [
                ("WCBGS", ReportStatus.ON_TIME),
                ("WCCZJ", ReportStatus.LATE),
                ("WCHLZ", ReportStatus.MISSING),
            ],
        )
        self.assertEqual(rollup.rows[0].report.submitted_by_name, "clerk")  # type: ignore[union-attr]
        self.assertEqual(rollup.rows[1].submitted_on, dt.date(2026, 3, 11))
        counts = rollup.counts
        self.assertEqual(
            (
                counts[ReportStatus.ON_TIME],
                counts[ReportStatus.LATE],
                counts[ReportStatus.MISSING],
                counts[ReportStatus.PENDING],
            ),
            (1, 1, 1, 0),
        )

    def test_not_yet_due_on_the_due_day(self) -> None:
        rollup = calendar_rollup(self.district, "month", FEB, dt.date(2026, 3, 10))
        self.assertEqual({row.status for row in rollup.rows}, {ReportStatus.PENDING})
        self.assertEqual(len(rollup.rows), 3)  # not the district itself

    def test_the_government_when_included_and_unrequired_periods(self) -> None:
        self.monthly(include_government=True)
        rollup = calendar_rollup(self.district, "month", FEB, dt.date(2026, 3, 10))
        self.assertEqual(rollup.rows[0].organisation, self.district)
        before = calendar_rollup(
            self.district, "month", Period.month(2025, 12), dt.date(2026, 3, 10)
        )
        self.assertEqual({row.status for row in before.rows}, {ReportStatus.NOT_REQUIRED})
        none = calendar_rollup(
            self.district, "quarter", Period.quarter(2026, 1), dt.date(2026, 5, 1)
        )
        self.assertIsNone(none.rule)
        self.assertEqual({row.status for row in none.rows}, {ReportStatus.NOT_REQUIRED})


class LapseTests(CalendarTestCase):
    def test_late_and_missing_of_a_year(self) -> None:
        self.monthly(starts_on=dt.date(2025, 11, 1))
        period_report_submit(
            by=self.clerk, organisation=self.office, period="2025-12", now=at(2026, 1, 12)
        )  # late, 2025
        period_report_submit(
            by=self.clerk, organisation=self.office, period="2026-01", now=at(2026, 2, 10, 18)
        )  # in time
        late = period_report_submit(
            by=self.clerk, organisation=self.office, period="2026-02", now=at(2026, 3, 11, 8)
        )
        # today 2026-04-10: March is due today, not yet missing; no report of 2025-11: missing
        today = dt.date(2026, 4, 10)
        lapses = periodic_report_lapses(self.office, 2026, today)
        self.assertEqual(lapses, [("2026-02", "month", dt.date(2026, 3, 10), "late", late)])
        lapses_2025 = periodic_report_lapses(self.office, 2025, today)
        self.assertEqual(
            [(lapse.period, lapse.status, lapse.report is None) for lapse in lapses_2025],
            [("2025-11", "missing", True), ("2025-12", "late", False)],
        )
        # a day later March is missing
        after = periodic_report_lapses(self.office, 2026, dt.date(2026, 4, 11))
        self.assertEqual(
            [(lapse.period, lapse.status) for lapse in after],
            [("2026-02", "late"), ("2026-03", "missing")],
        )

    def test_a_quarterly_rule_alongside(self) -> None:
        self.monthly(starts_on=dt.date(2026, 1, 1))
        reporting_rule_save(
            by=self.supervisor,
            government=self.district,
            kind="quarter",
            due_day=12,
            starts_on=dt.date(2026, 1, 1),
            include_government=False,
            active=True,
        )
        rows = organisation_periods(self.other, dt.date(2026, 4, 13))
        self.assertEqual(
            [(row.period.code, row.due_on) for row in rows],
            [
                ("2026Q1", dt.date(2026, 4, 12)),
                ("2026-03", dt.date(2026, 4, 10)),
                ("2026-02", dt.date(2026, 3, 10)),
                ("2026-01", dt.date(2026, 2, 10)),
            ],
        )
        lapses = periodic_report_lapses(self.other, 2026, dt.date(2026, 4, 13))
        self.assertEqual(
            [(lapse.period, lapse.kind) for lapse in lapses][-1], ("2026Q1", "quarter")
        )


class LapseBatchAndRuleChangeTests(CalendarTestCase):
    def test_the_batch_equals_one_by_one(self) -> None:
        self.monthly(starts_on=dt.date(2026, 1, 1))
        period_report_submit(
            by=self.clerk, organisation=self.office, period="2026-01", now=at(2026, 2, 11, 9)
        )
        today = dt.date(2026, 4, 1)
        orgs = [self.office, self.other, self.township]
        batch = periodic_report_lapses_of(orgs, 2026, today)
        for org in orgs:
            self.assertEqual(batch[org.id], periodic_report_lapses(org, 2026, today))
        self.assertEqual(
            [(lapse.period, lapse.status) for lapse in batch[self.office.id]],
            [("2026-01", "late"), ("2026-02", "missing")],
        )

    def test_a_later_rule_change_does_not_make_a_report_late(self) -> None:
        self.monthly(due_day=10)
        period_report_submit(
            by=self.clerk, organisation=self.office, period=FEB, now=at(2026, 3, 9, 9)
        )
        self.monthly(due_day=5)
        rows = organisation_periods(self.office, dt.date(2026, 4, 1))
        february = next(row for row in rows if row.period == FEB)
        self.assertEqual(
            (february.due_on, february.status), (dt.date(2026, 3, 10), ReportStatus.ON_TIME)
        )
        # the finance bureau, which had not submitted, is measured against the new day
        other = next(
            row
            for row in organisation_periods(self.other, dt.date(2026, 4, 1))
            if row.period == FEB
        )
        self.assertEqual(other.due_on, dt.date(2026, 3, 5))
