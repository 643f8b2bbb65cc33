"""The statistics page: who sees it, what it shows, the downloads."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from gongkai.test import PASSWORD, BaseTestCase
from tests.supervision.test_stats import make_application
from tests.web.base import freeze_today

D = dt.date


class StatsPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_application(cls.office, D(2025, 2, 10), D(2025, 3, 3), "r_open", due=D(2025, 3, 10))
        make_application(cls.office, D(2025, 3, 5), due=D(2025, 3, 28))
        make_application(cls.other, D(2025, 3, 12), D(2025, 3, 19), "r_open", due=D(2025, 4, 10))

    def setUp(self) -> None:
        patcher = freeze_today(D(2025, 4, 15))
        patcher.start()
        self.addCleanup(patcher.stop)

    def get(self, user: str, code: str, query: str = "") -> object:
        self.client.login(username=user, password=PASSWORD)
        return self.client.get(reverse("supervision:stats", args=[code]) + query)

    def test_own_clerk_sees_the_previous_month_by_default(self) -> None:
        response = self.get("clerk", "WCBGS")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "宛城区人民政府办公室2025年3月政府信息公开工作统计报表")
        self.assertContains(response, "本期新收政府信息公开申请1件")
        self.assertContains(response, "其中已逾期1件")
        self.assertContains(response, "<svg")
        self.assertContains(response, 'role="img"')
        self.assertContains(response, "3月新收1件、办结1件")  # the chart's text alternative
        self.assertNotContains(response, "含所属机构汇总")

    def test_outsider_gets_404_for_another_organisation(self) -> None:
        self.assertEqual(self.get("outsider", "WCBGS").status_code, 404)
        self.assertEqual(self.get("outsider", "WCCZJ").status_code, 200)
        self.assertEqual(self.get("clerk", "WCQ", "?rollup=1").status_code, 404)
        self.assertEqual(self.get("clerk", "NOPE").status_code, 404)

    def test_supervisor_sees_any_organisation_and_the_rollup(self) -> None:
        self.assertEqual(self.get("supervisor", "WCBGS", "?period=2025Q1").status_code, 200)
        response = self.get("supervisor", "WCQ", "?period=2025-03&rollup=1")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "分机构情况")
        self.assertContains(response, "宛城区财政局")
        self.assertContains(response, "本级及所属机构本期新收政府信息公开申请2件")

    def test_a_bad_period_is_404(self) -> None:
        self.assertEqual(self.get("clerk", "WCBGS", "?period=2025-13").status_code, 404)

    def test_downloads(self) -> None:
        self.client.login(username="supervisor", password=PASSWORD)
        url = reverse("supervision:stats_download", args=["WCQ", "json"])
        data = json.loads(self.client.get(url + "?period=2025-03&rollup=1").content)
        self.assertEqual(data["this_period"]["t3"]["new"][6], 2)
        url = reverse("supervision:stats_download", args=["WCBGS", "xlsx"])
        response = self.client.get(url + "?period=2025-03")
        self.assertIn("attachment", response["Content-Disposition"])
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book["表三"]["A5"].value, "一、本年新收政府信息公开申请数量")
        self.assertEqual(book["表三"]["H5"].value, 1)  # 本期总计 of 新收
        url = reverse("supervision:stats_download", args=["WCBGS", "pdf"])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.login(username="outsider", password=PASSWORD)
        url = reverse("supervision:stats_download", args=["WCBGS", "json"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_home_card_links_to_the_rollup(self) -> None:
        self.client.login(username="supervisor", password=PASSWORD)
        response = self.client.get(reverse("supervision:home"))
        self.assertContains(response, reverse("supervision:stats", args=["WCQ"]) + "?rollup=1")
