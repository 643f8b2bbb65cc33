import datetime as dt

from django.urls import reverse

from gongkai.cases.selectors import CaseList
from gongkai.reports.models import ReportVersion
from gongkai.test import VALID_ID
from tests.web.base import TODAY, WebTestCase

URL = reverse("cases:dashboard")


class DashboardTests(WebTestCase):
    def lists(self) -> dict[str, list[str]]:
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        lists: list[CaseList] = response.context["lists"]
        return {item.key: [row.application.tracking_no for row in item.rows] for item in lists}

    def test_it_redirects_anonymous_users_to_the_login_page(self) -> None:
        self.assertRedirectsToLogin(self.client.get(URL))

    def test_it_sorts_cases_into_the_five_lists(self) -> None:
        overdue = self.new(received_on=dt.date(2025, 1, 20))  # due 2025-02-21
        soon = self.new(received_on=dt.date(2025, 2, 24))  # due 2025-03-24
        correction = self.step(self.new(), "request_correction", items="请写明文件名称")
        fee = self.step(self.new(), "notify_fee", amount=100, method="by_count")
        consulting = self.step(
            self.new(), "start_consultation", party="third_party", consulted="某公司"
        )
        later = self.new(received_on=dt.date(2025, 3, 17))
        self.login("clerk")
        lists = self.lists()
        self.assertEqual(lists["overdue"], [overdue.tracking_no])
        self.assertEqual(lists["soon"], [soon.tracking_no])
        self.assertEqual(lists["correction"], [correction.tracking_no])
        self.assertEqual(lists["fee"], [fee.tracking_no])
        self.assertEqual(lists["consulting"], [consulting.tracking_no])
        self.assertNotIn(later.tracking_no, [n for numbers in lists.values() for n in numbers])

    def test_it_shows_remaining_working_days(self) -> None:
        self.new(received_on=dt.date(2025, 1, 20))  # due Fri 2025-02-21: 19 working days ago
        self.new(received_on=dt.date(2025, 2, 24))  # due Mon 2025-03-24: Fri, Mon left
        self.login("clerk")
        response = self.client.get(URL)
        self.assertContains(response, "剩余2个工作日")
        self.assertContains(response, "已逾期19个工作日")
        self.assertContains(response, 'class="due overdue"')
        self.assertContains(response, 'class="due soon"')

    def test_the_correction_list_names_the_notice_and_its_period(self) -> None:
        self.step(self.new(), "request_correction", items="请写明文件名称")
        self.login("clerk")
        # 2025-03-20 + 15 working days: 3/21, 3/24–28, 3/31, 4/1–3, (清明 4/4–6), 4/7–11.
        self.assertContains(
            self.client.get(URL), f"{TODAY:%Y-%m-%d}发出补正通知；补正截止2025-04-11"
        )

    def test_identity_numbers_are_masked(self) -> None:
        self.new(received_on=dt.date(2025, 1, 20))
        self.login("clerk")
        response = self.client.get(URL)
        self.assertContains(response, "1101**********002X")
        self.assertNotContains(response, VALID_ID)

    def test_a_colleague_and_the_supervisor_see_the_office_cases(self) -> None:
        case = self.new(received_on=dt.date(2025, 1, 20))
        for persona in ("reviewer", "supervisor"):
            with self.subTest(persona):
                self.login(persona)
                self.assertEqual(self.lists()["overdue"], [case.tracking_no])

    def test_another_organisation_sees_none_of_them(self) -> None:
        self.new(received_on=dt.date(2025, 1, 20))
        self.login("outsider")
        self.assertEqual([n for numbers in self.lists().values() for n in numbers], [])
        self.assertContains(self.client.get(URL), "暂无")

    def test_the_query_count_does_not_grow_with_the_cases(self) -> None:
        self.login("clerk")

        def add(count: int) -> None:
            for i in range(count):
                case = self.new(received_on=dt.date(2025, 1, 20) + dt.timedelta(days=i % 40))
                if i % 5 == 1:
                    self.step(case, "request_correction", items="请写明文件名称")
                elif i % 5 == 2:
                    self.step(case, "notify_fee", amount=10, method="by_count")
                elif i % 5 == 3:
                    self.step(case, "start_consultation", party="agency", consulted="某局")

        add(5)
        with self.assertNumQueries(QUERIES):
            self.client.get(URL)
        add(25)
        with self.assertNumQueries(QUERIES):
            self.client.get(URL)


# session, user, memberships (twice), the organisations and their calendar overrides (2), the
# user's acting roles (which of 待审核/被退回修改/已办 apply), eight lists for a clerk (被退回修改,
# the internet applications awaiting 签收, the six of deadlines and waiting, 已办),
# the 补正 notices of the waiting list; the reports due: memberships, versions, organisations; the
# menu: the roles the user holds anywhere (one query for all its links); the organisations whose
# 指南 he keeps (portal.selectors.guide_alerts); the unanswered 督办通知 and the 整改 tasks owed by
# his organisations (supervision, one each); the periodic reports due (supervision.calendar.
# due_period_reports: the organisations with his flag, the rules; the reports only when one is
# due); the unread reminders next to his name.
QUERIES = 26


class ReportDeadlineTests(WebTestCase):
    """Last year's annual report on the 工作台 until it is published (条例第四十九条)."""

    def test_a_department_sees_its_overdue_report(self) -> None:
        self.login("clerk")
        page = self.client.get(URL).content.decode()
        # TODAY is 2025-03-20: the office's 2024 report was due 2025-01-31, 48 days ago.
        self.assertIn("2024年度报告", page)
        self.assertIn("截止 2025-01-31", page)
        self.assertIn("已逾期48天，尚未发布", page)

    def test_the_supervisor_sees_the_government_report_due_soon(self) -> None:
        self.login("supervisor")
        page = self.client.get(URL).content.decode()
        self.assertIn("宛城区人民政府</a>", page)
        self.assertIn("截止 2025-03-31", page)
        self.assertIn("还有11天", page)

    def test_a_published_report_leaves_the_list(self) -> None:
        ReportVersion.objects.create(
            organisation=self.office, year=2024, number=1, published_on=dt.date(2025, 1, 20),
            data={}, sha256="0" * 64,
        )  # fmt: skip
        self.login("clerk")
        page = self.client.get(URL).content.decode()
        self.assertIn("均已发布", page)
