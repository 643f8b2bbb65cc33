"""Tables 三 of two consecutive years built from hand-made case histories run through the real
services: a case crossing the year boundary, a 补正 that restarts the clock, a withdrawal and a
fee closure. Expected cells are counted by hand from the histories below."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.cases.models import Application
from gongkai.cases.services import ACTION_SERVICES
from gongkai.domain.lifecycle import Action
from gongkai.domain.report.build import counts
from gongkai.reports.build import build_annual_report
from tests.web.base import WebTestCase

D = dt.date


class HistoryTests(WebTestCase):
    def act(self, application: Application, action: str, on: dt.date, **kw: Any) -> Application:
        """Take the step on the day it happened (the services refuse dates after "today")."""
        service = ACTION_SERVICES[Action(action)]
        actor = kw.pop("actor", self.reviewer)
        result: Application = service(actor=actor, application=application, on=on, today=on, **kw)  # type: ignore[operator]
        return result

    def reply(self, application: Application, outcome: str, on: dt.date) -> Application:
        application = self.act(application, "propose_reply", on, outcome_key=outcome,
                               reasons="具体理由", actor=self.clerk)  # fmt: skip
        return self.act(application, "reply", on)

    def setUp(self) -> None:
        super().setUp()
        # 1. natural person, received and answered in 2024 → new, r_open.
        a = self.register(received_on=D(2024, 3, 4), today=D(2024, 3, 4))
        self.reply(a, "r_open", D(2024, 3, 20))
        # 2. company, received 2024-12-20, 补正 asked, corrected in January, answered 2025-01-20:
        #    2024 new + carry_out; 2025 carry_in + r_partial.
        b = self.register(received_on=D(2024, 12, 20), today=D(2024, 12, 20),
                          applicant_type="biz", name="某公司")  # fmt: skip
        b = self.act(b, "request_correction", D(2024, 12, 23), items="请写明文件名称")
        b = self.act(b, "receive_correction", D(2025, 1, 6))
        self.reply(b, "r_partial", D(2025, 1, 20))
        # 3. natural person, 2025, withdrawn → r_other_other.
        c = self.register(received_on=D(2025, 2, 3), today=D(2025, 2, 3))
        self.act(c, "withdraw", D(2025, 2, 10))
        # 4. natural person, 2025, fee notified and never paid → r_other_nofee.
        d = self.register(received_on=D(2025, 2, 5), today=D(2025, 2, 5))
        d = self.act(d, "notify_fee", D(2025, 2, 12), amount=100, method="by_count")
        self.act(d, "close_no_fee", D(2025, 3, 20))
        # 5. natural person, received 2025-12-30, still open → 2025 new + carry_out.
        self.register(received_on=D(2025, 12, 30), today=D(2025, 12, 30))

    def table3(self, year: int) -> dict[str, list[int]]:
        return counts(build_annual_report(organisation=self.office, year=year).report.t3)

    def test_2024(self) -> None:
        t3 = self.table3(2024)
        # columns: natural, biz, research, ngo, legal, other_org, total
        self.assertEqual(t3["new"], [1, 1, 0, 0, 0, 0, 2])
        self.assertEqual(t3["carry_in"], [0] * 7)
        self.assertEqual(t3["r_open"], [1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(t3["r_total"], [1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(t3["carry_out"], [0, 1, 0, 0, 0, 0, 1])

    def test_2025(self) -> None:
        t3 = self.table3(2025)
        self.assertEqual(t3["new"], [3, 0, 0, 0, 0, 0, 3])
        self.assertEqual(t3["carry_in"], [0, 1, 0, 0, 0, 0, 1])
        self.assertEqual(t3["r_partial"], [0, 1, 0, 0, 0, 0, 1])
        self.assertEqual(t3["r_other_other"], [1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(t3["r_other_nofee"], [1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(t3["r_total"], [2, 1, 0, 0, 0, 0, 3])
        self.assertEqual(t3["carry_out"], [1, 0, 0, 0, 0, 0, 1])

    def test_the_fee_paragraph_counts_fees_paid_in_the_year_only(self) -> None:
        e = self.register(received_on=D(2025, 4, 1), today=D(2025, 4, 1))
        e = self.act(e, "notify_fee", D(2025, 4, 8), amount=250, method="by_pages")
        self.act(e, "receive_fee", D(2025, 4, 15))
        text = build_annual_report(organisation=self.office, year=2025).report.section_text(6)
        self.assertEqual(text, "2025年度，共对1件政府信息公开申请收取信息处理费250元。")

    def test_the_draft_of_section_1_states_the_outcomes_by_group(self) -> None:
        text = build_annual_report(organisation=self.office, year=2025).report.section_text(1)
        self.assertIn(
            "2025年，共收到政府信息公开申请3件，上年结转1件；"
            "办结3件（其中部分公开1件、其他处理2件），结转下年度继续办理1件。",
            text,
        )
