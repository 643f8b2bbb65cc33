"""Public statistics of 依申请公开 from the records, checked by hand against a small fixture;
aggregates only, never an applicant's data."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from gongkai.cases.models import Application
from gongkai.domain.lifecycle import Status
from gongkai.portal.statistics import organisation_statistics
from tests.web.base import TODAY, WebTestCase

D = dt.date


class StatisticsTests(WebTestCase):
    """2025 (today is Thursday 2025-03-20, no holiday in March):
    A received Mon 03-03, 予以公开 Mon 03-10: 5 working days; B 03-03, 部分公开 03-17: 10;
    C 03-03, withdrawn 03-05: 2; D received Mon 02-10, open, due 03-10 (20 working days): overdue;
    a voided record left out. → 4 received, 3 concluded, on time 3 of 4 = 75.0%, (5+10+2)/3 = 5.7.
    2024: E received Mon 12-02, 予以公开 Mon 12-09: 5; G received Fri 11-01, due 11-29, replied
    Fri 12-20: 35 working days, late. → 2 received, on time 1 of 2 = 50.0%, (5+35)/2 = 20.0."""

    def setUp(self) -> None:
        super().setUp()
        reply = self.step
        reply(
            self.register(received_on=D(2025, 3, 3), name="甲某"),
            "reply",
            outcome_key="r_open",
            on=D(2025, 3, 10),
        )
        reply(
            self.register(received_on=D(2025, 3, 3)),
            "reply",
            outcome_key="r_partial",
            on=D(2025, 3, 17),
        )
        self.step(self.register(received_on=D(2025, 3, 3)), "withdraw", on=D(2025, 3, 5))
        self.register(received_on=D(2025, 2, 10))
        voided = self.register(received_on=D(2025, 3, 4))
        Application.objects.filter(pk=voided.pk).update(status=Status.VOIDED)
        reply(
            self.register(received_on=D(2024, 12, 2)),
            "reply",
            outcome_key="r_open",
            on=D(2024, 12, 9),
        )
        reply(
            self.register(received_on=D(2024, 11, 1)),
            "reply",
            outcome_key="r_open",
            on=D(2024, 12, 20),
        )

    def test_the_figures_per_year(self) -> None:
        y2025, y2024 = organisation_statistics(self.office, TODAY)
        self.assertEqual((y2025.year, y2025.received, y2025.concluded, y2025.open), (2025, 4, 3, 1))
        self.assertEqual((y2025.on_time, y2025.overdue, y2025.on_time_percent), (3, 1, 75.0))
        self.assertEqual(y2025.average_workdays, 5.7)
        self.assertEqual(
            [(o.label, o.count) for o in y2025.outcomes],
            [("予以公开", 1), ("部分公开", 1), ("其他处理：其他（含申请人撤回申请）", 1)],
        )
        self.assertEqual((y2024.received, y2024.on_time, y2024.overdue), (2, 1, 1))
        self.assertEqual((y2024.on_time_percent, y2024.average_workdays), (50.0, 20.0))

    def test_the_page_shows_them_without_any_applicant_data(self) -> None:
        page = self.client.get(reverse("portal:statistics", args=["WCBGS"])).content.decode()
        self.assertIn("<td>4件</td>", page)
        self.assertIn("75.0%（3/4）", page)
        self.assertIn("5.7个工作日", page)
        self.assertIn("50.0%（1/2）", page)
        for private in ("甲某", "张三", "13800000000", "11010519491231002X", "批复文件"):
            self.assertNotIn(private, page)

    def test_an_organisation_without_records_says_so(self) -> None:
        page = self.client.get(reverse("portal:statistics", args=["WCCZJ"])).content.decode()
        self.assertIn("本栏目暂无信息", page)
