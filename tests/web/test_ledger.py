import datetime as dt
from typing import Any
from unittest import mock

from django.http import HttpResponse
from django.urls import reverse

from gongkai.cases.models import Application
from gongkai.cases.selectors import CaseRow, LedgerPage
from gongkai.test import VALID_ID
from tests.web.base import WebTestCase

URL = reverse("cases:ledger")


class LedgerTests(WebTestCase):
    def get(self, **params: Any) -> HttpResponse:
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 200)
        return response

    def numbers(self, **params: Any) -> list[str]:
        page: LedgerPage = self.get(**params).context["page"]
        return [row.application.tracking_no for row in page.rows]

    def test_it_redirects_anonymous_users_to_the_login_page(self) -> None:
        self.assertRedirectsToLogin(self.client.get(URL))

    def test_owner_colleague_and_supervisor_see_the_office_cases_newest_first(self) -> None:
        first = self.new(received_on=dt.date(2025, 3, 3))
        second = self.new(received_on=dt.date(2025, 3, 4))
        for persona in ("clerk", "reviewer", "supervisor"):
            with self.subTest(persona):
                self.login(persona)
                self.assertEqual(self.numbers(), [second.tracking_no, first.tracking_no])

    def test_another_organisation_sees_none_of_them(self) -> None:
        self.new()
        self.login("outsider")
        self.assertEqual(self.numbers(), [])
        self.assertContains(self.get(), "还没有登记任何申请")

    def test_identity_numbers_are_masked(self) -> None:
        self.new()
        self.login("clerk")
        response = self.get()
        self.assertContains(response, "1101**********002X")
        self.assertNotContains(response, VALID_ID)

    def test_it_says_how_many_match_up_to_its_cap(self) -> None:
        for _ in range(3):
            self.new()
        self.login("clerk")
        self.assertContains(self.client.get(URL), "全部申请共3件")
        self.assertContains(self.client.get(URL, {"status": "archived"}), "符合条件的申请共0件")
        with mock.patch("gongkai.cases.selectors.ledger.LEDGER_COUNT_CAP", 2):
            self.assertContains(self.client.get(URL), "全部申请共2件以上")

    def test_it_filters_by_status_outcome_type_channel_dates_and_keyword(self) -> None:
        natural = self.new(received_on=dt.date(2025, 3, 3), name="张三")
        company = self.new(received_on=dt.date(2025, 3, 10), applicant_type="biz", name="某某公司")
        self.step(company, "reply", outcome_key="r_partial")
        self.login("clerk")
        cases = {
            "status": ("replied", [company]),
            "outcome": ("r_partial", [company]),
            "applicant_type": ("natural", [natural]),
            "channel": ("online", [company, natural]),
            "received_from": ("2025-03-05", [company]),
            "received_to": ("2025-03-05", [natural]),
            "q": ("某某", [company]),
        }
        for name, (value, expected) in cases.items():
            with self.subTest(name):
                self.assertEqual(self.numbers(**{name: value}), [a.tracking_no for a in expected])
        self.assertEqual(self.numbers(q=natural.tracking_no), [natural.tracking_no])
        # Shaped like a tracking number: a prefix search on the tracking number only.
        self.assertEqual(
            self.numbers(q="wcbgs-2025-000"), [company.tracking_no, natural.tracking_no]
        )

    def test_an_invalid_filter_is_shown_and_ignored(self) -> None:
        self.new()
        self.login("clerk")
        response = self.get(status="nonsense", received_from="2025-13-01")
        self.assertEqual(len(response.context["page"].rows), 1)
        self.assertTrue(response.context["form"].errors)

    def test_it_shows_labels_and_remaining_working_days(self) -> None:
        self.new(received_on=dt.date(2025, 2, 24))  # due 2025-03-24
        self.login("clerk")
        response = self.get()
        self.assertContains(response, "已登记")
        self.assertContains(response, "互联网渠道")
        self.assertContains(response, "剩余2个工作日")

    def test_it_sorts_by_tracking_number_and_due_date(self) -> None:
        a = self.new(received_on=dt.date(2025, 3, 10))
        b = self.new(received_on=dt.date(2025, 3, 3))
        c = self.step(self.new(received_on=dt.date(2025, 3, 5)), "request_correction", items="x")
        self.login("clerk")
        self.assertEqual(
            self.numbers(sort="tracking_no"), [a.tracking_no, b.tracking_no, c.tracking_no]
        )
        self.assertEqual(
            self.numbers(sort="-tracking_no"), [c.tracking_no, b.tracking_no, a.tracking_no]
        )
        # c waits for a correction: no reply deadline, listed last either way.
        self.assertEqual(self.numbers(sort="due_on"), [b.tracking_no, a.tracking_no, c.tracking_no])
        self.assertEqual(
            self.numbers(sort="-due_on"), [a.tracking_no, b.tracking_no, c.tracking_no]
        )


@mock.patch("gongkai.cases.selectors.ledger.LEDGER_PAGE_SIZE", 2)
class LedgerPaginationTests(WebTestCase):
    cases: list[Application]

    def setUp(self) -> None:
        super().setUp()
        days = [3, 3, 4, 5, 5, 5, 6]
        self.cases = [self.new(received_on=dt.date(2025, 3, d)) for d in days]
        # Two without a reply deadline, so that the nulls are paged through too.
        for case in self.cases[1:3]:
            self.step(case, "request_correction", items="请写明文件名称")
        self.login("clerk")

    def walk(self, sort: str) -> tuple[list[str], list[LedgerPage]]:
        """Follow 下一页 from the first page to the last."""
        pages: list[LedgerPage] = []
        params = {"sort": sort}
        while True:
            page: LedgerPage = self.client.get(URL, params).context["page"]
            pages.append(page)
            if not page.next_cursor:
                break
            params = {"sort": sort, "after": page.next_cursor}
        return [row.application.tracking_no for p in pages for row in p.rows], pages

    def expected(self, sort: str) -> list[str]:
        name, reverse = sort.lstrip("-"), sort.startswith("-")
        fresh = Application.objects.filter(pk__in=[c.pk for c in self.cases])
        present = sorted(
            (a for a in fresh if getattr(a, name) is not None),
            key=lambda a: (getattr(a, name), a.pk),
            reverse=reverse,
        )
        missing = sorted(
            (a for a in fresh if getattr(a, name) is None), key=lambda a: a.pk, reverse=reverse
        )
        return [a.tracking_no for a in present + missing]

    def test_next_pages_cover_every_case_once_in_order(self) -> None:
        for sort in ("-received_on", "received_on", "due_on", "-due_on", "tracking_no"):
            with self.subTest(sort):
                numbers, pages = self.walk(sort)
                self.assertEqual(numbers, self.expected(sort))
                self.assertEqual([len(p.rows) for p in pages], [2, 2, 2, 1])

    def test_previous_pages_lead_back_to_the_first(self) -> None:
        for sort in ("-received_on", "due_on", "-due_on"):
            with self.subTest(sort):
                _, pages = self.walk(sort)
                cursor = pages[-1].prev_cursor
                seen: list[list[CaseRow]] = []
                while cursor:
                    page: LedgerPage = self.client.get(
                        URL, {"sort": sort, "before": cursor}
                    ).context["page"]
                    seen.insert(0, page.rows)
                    cursor = page.prev_cursor
                self.assertEqual(seen, [p.rows for p in pages[:-1]])
                self.assertIsNone(pages[0].prev_cursor)

    def test_the_pager_shows_next_and_previous_links(self) -> None:
        first = self.client.get(URL)
        self.assertContains(first, "下一页")
        self.assertNotContains(first, "上一页")
        second = self.client.get(URL, {"after": first.context["page"].next_cursor})
        self.assertContains(second, "上一页")

    def test_a_malformed_cursor_gives_the_first_page(self) -> None:
        first = self.client.get(URL).context["page"].rows
        for cursor in ("garbage", "W10", "WyJ4IiwgMV0"):  # "[]", '["x", 1]'
            with self.subTest(cursor):
                self.assertEqual(
                    self.client.get(URL, {"after": cursor}).context["page"].rows, first
                )


class LedgerQueryCountTests(WebTestCase):
    def test_the_query_count_does_not_grow_with_the_cases(self) -> None:
        self.login("clerk")
        for _ in range(5):
            self.new()
        for sort, queries in QUERIES.items():
            with self.subTest(sort), self.assertNumQueries(queries):
                self.client.get(URL, {"sort": sort})
        for _ in range(25):
            self.new()
        for sort, queries in QUERIES.items():
            with self.subTest(sort), self.assertNumQueries(queries):
                response = self.client.get(URL, {"sort": sort})
            self.assertEqual(len(response.context["page"].rows), 30)


# session, user, memberships, the page (page size + 1 rows), the capped total, the calendar
# overrides, the menu's
# roles (one query for all its links), the unread reminders next to the user's name; sorted by
# reply deadline, a page that is not full also reads the cases without a deadline.
QUERIES = {"-received_on": 8, "due_on": 9}
