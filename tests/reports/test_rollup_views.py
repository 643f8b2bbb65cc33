"""The roll-up screens: who sees them, the page, the workbook and the aggregate downloads."""

from __future__ import annotations

import io
import json
from urllib.parse import unquote

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.domain.report.build import counts
from gongkai.domain.report.parsers import parse_report
from tests.report.rules.builders import consistent_2021, invalid, with_cell
from tests.reports.test_rollup import TODAY, YEAR, RollupData, publish
from tests.web.base import freeze_today

PAGE = "reports:rollup"


class RollupViewTests(RollupData, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.load()

    def setUp(self) -> None:
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def url(self, name: str = PAGE, code: str = "WCQ", year: int = YEAR, **extra: str) -> str:
        return reverse(name, kwargs={"code": code, "year": year, **extra})

    def as_supervisor(self) -> None:
        self.client.force_login(self.supervisor)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ access

    def test_the_supervisor_of_the_government_sees_the_page(self) -> None:
        self.as_supervisor()
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "reports/rollup.html")

    def test_someone_who_cannot_read_the_government_gets_404_everywhere(self) -> None:
        urls = [
            self.url(),
            self.url("reports:rollup_xlsx"),
            self.url("reports:rollup_aggregate", fmt="docx"),
        ]
        for persona in ("outsider", "clerk"):  # another department; the office below WCQ
            self.client.force_login(getattr(self, persona))
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 404, (persona, url))

    def test_a_department_has_no_roll_up(self) -> None:
        self.as_supervisor()  # reads WCBGS, but it is not a government
        self.assertEqual(self.client.get(self.url(code="WCBGS")).status_code, 404)
        self.assertEqual(self.client.get(self.url(code="NOPE")).status_code, 404)

    def test_a_year_without_reports_is_404(self) -> None:
        self.as_supervisor()
        self.assertEqual(self.client.get(self.url(year=2018)).status_code, 404)
        self.assertEqual(self.client.get(self.url(year=TODAY.year + 1)).status_code, 404)

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))

    def test_it_answers_only_get(self) -> None:
        self.as_supervisor()
        self.assertEqual(self.client.post(self.url()).status_code, 405)

    # ------------------------------------------------------------ the page

    def test_the_page_lists_every_organisation_with_a_link_to_its_report(self) -> None:
        self.as_supervisor()
        response = self.client.get(self.url())
        for code in ("WCQ", "WCBGS", "WCCZJ", "WCHLZ"):
            link = reverse("reports:report", kwargs={"code": code, "year": YEAR})
            self.assertContains(response, f'href="{link}"')
        self.assertContains(response, "宛城区红泥湾镇人民政府")
        self.assertContains(response, '<span class="due overdue">逾期10天</span>', count=2)
        self.assertContains(response, '<span class="badge state-editing">编辑中</span>', count=1)
        self.assertContains(
            response, '<span class="badge state-not_started">未开始</span>', count=3
        )

    def test_a_published_report_shows_its_version_and_badge(self) -> None:
        publish(self.office, consistent_2021())
        self.as_supervisor()
        response = self.client.get(self.url())
        self.assertContains(response, '<span class="badge state-published">已发布</span>')
        self.assertContains(response, "第1版")
        self.assertContains(response, "按时发布")

    def test_the_totals_line(self) -> None:
        self.as_supervisor()
        response = self.client.get(self.url())
        # 新收 36 + 1 + 1, 办结 36, 结转下年度 2, 行政复议 1 (test_rollup's hand count)
        totals = response.context["rollup"].totals
        self.assertEqual(totals.values(), (38, 0, 36, 2, 1, 0))
        self.assertContains(response, "<tfoot>")
        self.assertContains(response, '<td class="num">38</td>')

    def test_the_year_switcher_links_other_years(self) -> None:
        self.as_supervisor()
        response = self.client.get(self.url())
        self.assertContains(response, f'href="{self.url(year=2023)}"')
        self.assertContains(response, f'href="{self.url(year=2025)}"')
        self.assertContains(response, 'aria-current="page">2024</a>')
        self.assertEqual(self.client.get(self.url(year=2025)).status_code, 200)

    # ------------------------------------------------------------ downloads

    def test_the_workbook_download(self) -> None:
        self.as_supervisor()
        response = self.client.get(self.url("reports:rollup_xlsx"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        disposition = response["Content-Disposition"]
        self.assertIn('filename="rollup-WCQ-2024.xlsx"', disposition)
        self.assertIn("宛城区人民政府2024年度", unquote(disposition))
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["汇总状态", "表二", "表三", "表四"])

    def test_the_aggregate_report_in_each_format(self) -> None:
        self.as_supervisor()
        for fmt in ("docx", "pdf", "html", "json"):
            response = self.client.get(self.url("reports:rollup_aggregate", fmt=fmt))
            self.assertEqual(response.status_code, 200, fmt)
            self.assertIn(f"rollup-WCQ-2024-aggregate.{fmt}", response["Content-Disposition"])
            report = parse_report(response.content, f"a.{fmt}").report
            self.assertEqual(counts(report.t3)["new"], [34, 3, 0, 0, 0, 1, 38], fmt)
        data = json.loads(response.content)
        self.assertEqual(data["agency"], "宛城区人民政府")
        self.assertEqual(len(data["notes"]), 4)

    def test_an_unknown_format_is_404(self) -> None:
        self.as_supervisor()
        for fmt in ("txt", "exe"):
            response = self.client.get(self.url("reports:rollup_aggregate", fmt=fmt))
            self.assertEqual(response.status_code, 404, fmt)

    def test_a_report_that_cannot_be_summed_is_explained_on_the_page(self) -> None:
        publish(self.office, with_cell(consistent_2021(), "t3", "r_open", 0, invalid("二十")))
        self.as_supervisor()
        response = self.client.get(self.url("reports:rollup_aggregate", fmt="docx"))
        self.assertRedirects(response, self.url())
        [message] = list(get_messages(response.wsgi_request))
        self.assertIn("无法生成汇总报告", str(message))
        self.assertIn("宛城区人民政府办公室", str(message))
