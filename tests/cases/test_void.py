"""application_void: reviewers void with a reason, the application leaves every figure and list,
and nothing is done to it afterwards. The report of 2025 is counted by hand before and after."""

from __future__ import annotations

import datetime as dt

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases import services as s
from gongkai.cases.models import Application
from gongkai.cases.selectors import dashboard_lists, ledger_page
from gongkai.domain.report.build import counts
from gongkai.reports.build import build_annual_report
from gongkai.test import BaseTestCase

D = dt.date
COLUMNS = ("natural", "biz", "research", "ngo", "legal", "other_org", "total")


def row(**cells: int) -> list[int]:
    """A row of table 三 from its non-zero cells."""
    return [cells.get(column, 0) for column in COLUMNS]


class VoidTests(BaseTestCase):
    def setUp(self) -> None:
        self.app = self.register(received_on=D(2025, 3, 3))

    def void(self, actor: object = None, reason: str = "重复登记") -> Application:
        return s.application_void(
            actor=actor or self.reviewer, application=self.app, reason=reason,
            today=D(2025, 3, 10),
        )  # fmt: skip

    def test_a_reviewer_voids_with_a_reason(self) -> None:
        app = self.void()
        self.assertEqual(app.status, "voided")
        self.assertEqual(app.status_enum.label, "已作废")
        event = app.events.get(action="void")
        self.assertEqual(
            (event.date, event.note, event.label), (D(2025, 3, 10), "重复登记", "作废")
        )
        self.assertEqual(event.data, {"reason": "重复登记", "status": "registered"})
        entry = AuditEntry.objects.get(action=AuditAction.VOID)
        self.assertEqual((entry.username, entry.object_repr), ("reviewer", "WCBGS-2025-0001"))
        self.assertEqual(entry.detail, {"reason": "重复登记", "status": "registered"})

    def test_a_clerk_may_not_void_and_a_reason_is_required(self) -> None:
        for actor, reason, kind in [(self.clerk, "重复", "forbidden"),
                                    (self.supervisor, "重复", "forbidden"),
                                    (self.reviewer, "\u3000", "invalid")]:  # fmt: skip
            with self.assertRaises(s.ServiceError) as caught:
                self.void(actor, reason)
            self.assertEqual(caught.exception.kind, kind)
        self.app.refresh_from_db()
        self.assertEqual(self.app.status, "registered")
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.VOID).exists())

    def test_nothing_happens_to_a_voided_application(self) -> None:
        self.void()
        with self.assertRaises(s.ServiceError) as caught:
            self.void()
        self.assertEqual(caught.exception.kind, "conflict")
        with self.assertRaises(s.ServiceError) as caught:
            s.application_withdraw(
                actor=self.reviewer, application=self.app, on=D(2025, 3, 10), today=D(2025, 3, 10)
            )
        self.assertEqual(caught.exception.kind, "conflict")
        with self.assertRaises(s.ServiceError) as caught:
            s.application_correct(
                actor=self.admin, application=self.app, changes={"applicant_name": "李四"},
                reason="更正", today=D(2025, 3, 10),
            )  # fmt: skip
        self.assertIn("已作废", caught.exception.message)

    def test_a_concluded_application_can_be_voided_too(self) -> None:
        s.application_reply(
            actor=self.reviewer, application=self.app, on=D(2025, 3, 5), outcome_key="r_open",
            today=D(2025, 3, 5),
        )  # fmt: skip
        self.assertEqual(self.void().status, "voided")

    def test_the_ledger_shows_it_voided_the_dashboard_not_at_all(self) -> None:
        overdue_day = D(2025, 4, 10)  # past the reply deadline of 3/31
        lists = {item.key: item for item in dashboard_lists(self.clerk, overdue_day)}
        self.assertEqual([r.application for r in lists["overdue"].rows], [self.app])
        self.void()
        lists = {item.key: item for item in dashboard_lists(self.clerk, overdue_day)}
        self.assertTrue(all(not item.rows for item in lists.values()))
        page = ledger_page(self.clerk, {}, today=overdue_day)
        [ledger_row] = page.rows
        self.assertEqual(ledger_row.status.label, "已作废")
        self.assertIsNone(ledger_row.remaining.due)  # neither due nor overdue


class VoidAndCorrectionInTheReportTests(BaseTestCase):
    """Table 三 of 2025 before and after, counted by hand (R-1: new = received in the year,
    carry_in = received before and open on 1 January, results by reply date, carry_out = open on
    31 December)."""

    def setUp(self) -> None:
        # A: received 2025-03-03 by a person, answered 予以公开 on 3/07.
        self.a = self.register(received_on=D(2025, 3, 3))
        self.reply(self.a, D(2025, 3, 7), "r_open")
        # B: received 2025-03-04 from a company, still open on 31 December.
        self.b = self.register(received_on=D(2025, 3, 4), applicant_type="biz")
        # C: received 2024-12-30 by a person, answered 部分公开 on 2025-01-06.
        self.c = self.register(received_on=D(2024, 12, 30))
        self.reply(self.c, D(2025, 1, 6), "r_partial")

    def reply(self, app: Application, on: dt.date, outcome: str) -> None:
        s.application_reply(
            actor=self.reviewer, application=app, on=on, outcome_key=outcome, today=on
        )

    def t3(self) -> dict[str, list[int]]:
        return counts(build_annual_report(organisation=self.office, year=2025).report.t3)

    def assertRows(self, **expected: list[int]) -> None:
        t3 = self.t3()
        for key, values in expected.items():
            self.assertEqual(t3[key], values, key)
        # Every other row stays empty.
        others = [k for k in t3 if k not in expected and any(t3[k])]
        self.assertEqual(others, [])

    def test_before(self) -> None:
        self.assertRows(
            new=row(natural=1, biz=1, total=2),
            carry_in=row(natural=1, total=1),
            r_open=row(natural=1, total=1),
            r_partial=row(natural=1, total=1),
            r_total=row(natural=2, total=2),
            carry_out=row(biz=1, total=1),
        )

    def test_voiding_a_takes_it_out_of_new_and_of_its_result(self) -> None:
        s.application_void(actor=self.reviewer, application=self.a, reason="测试数据")
        self.assertRows(
            new=row(biz=1, total=1),
            carry_in=row(natural=1, total=1),
            r_partial=row(natural=1, total=1),
            r_total=row(natural=1, total=1),
            carry_out=row(biz=1, total=1),
        )

    def test_correcting_c_into_2025_moves_it_from_carry_in_to_new(self) -> None:
        s.application_correct(
            actor=self.reviewer, application=self.c, changes={"received_on": D(2025, 1, 2)},
            reason="收到日期登记有误",
        )  # fmt: skip
        self.assertRows(
            new=row(natural=2, biz=1, total=3),
            r_open=row(natural=1, total=1),
            r_partial=row(natural=1, total=1),
            r_total=row(natural=2, total=2),
            carry_out=row(biz=1, total=1),
        )
        # ...and out of 2024, where it was carried forward.
        t3_2024 = counts(build_annual_report(organisation=self.office, year=2024).report.t3)
        self.assertEqual(t3_2024["new"], row())
        self.assertEqual(t3_2024["carry_out"], row())

    def test_correcting_b_s_applicant_type_moves_its_column(self) -> None:
        s.application_correct(
            actor=self.admin, application=self.b, changes={"applicant_type": "ngo"},
            reason="申请人为社会公益组织",
        )  # fmt: skip
        self.assertRows(
            new=row(natural=1, ngo=1, total=2),
            carry_in=row(natural=1, total=1),
            r_open=row(natural=1, total=1),
            r_partial=row(natural=1, total=1),
            r_total=row(natural=2, total=2),
            carry_out=row(ngo=1, total=1),
        )

    def test_a_voided_application_s_fee_is_not_reported(self) -> None:
        for step, kw in [(s.application_notify_fee, {"amount": 100, "method": "by_count"}),
                         (s.application_receive_fee, {})]:  # fmt: skip
            step(actor=self.clerk, application=self.b, on=D(2025, 3, 6), today=D(2025, 3, 6), **kw)
        report = build_annual_report(organisation=self.office, year=2025).report
        self.assertIn("收取信息处理费100元", report.section_text(6))
        s.application_void(actor=self.reviewer, application=self.b, reason="测试数据")
        report = build_annual_report(organisation=self.office, year=2025).report
        self.assertEqual(report.section_text(6), "2025年度，未收取政府信息公开信息处理费。")
