"""The keyword search (gongkai.cases.search) finds exactly what a plain case-insensitive
substring test finds, for Chinese words of 1–4 characters that match and that do not, on
SQLite and on PostgreSQL (there through the grams' index and through the list's order both).

The reference is computed in Python from the rows: the tracking number starts with the word,
or the applicant name or the content contains it, ignoring case."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.models import Membership, Organisation
from gongkai.accounts.tokens import api_token_create
from gongkai.cases.access import applications_in
from gongkai.cases.models import Application
from gongkai.cases.search import PROBE_DENSE, keyword_filter, search
from gongkai.domain.lifecycle import Role
from gongkai.test import VALID_ID, BaseTestCase

NAMES = ["张三", "李四", "王小明", "欧阳娜娜", "某某建设有限公司", "ACME科技", "Zhang San"]
WORDS = [
    "征地补偿", "拆迁", "规划许可", "环境影响评价", "政府采购", "会议纪要", "批复文件",
    "红线图", "听证", "预算", "Project X", "50%的资金", "a_b",
]  # fmt: skip
# Characters that none of the rows holds.
ABSENT = ["鑫", "鑫淼", "鑫淼焱", "鑫淼焱垚", "征鑫", "补偿拆迁", "三李"]


def _reference(rows: list[Application], keyword: str) -> set[int]:
    word = keyword.upper()
    return {
        a.pk
        for a in rows
        if a.tracking_no.upper().startswith(word)
        or word in a.applicant_name.upper()
        or word in a.content.upper()
    }


def _queries(rows: list[Application], rng: random.Random) -> list[str]:
    """Substrings of 1–4 characters of names and contents (matches), and absent words."""
    found = []
    for application in rng.sample(rows, 12):
        for text in (application.applicant_name, application.content):
            for length in (1, 2, 3, 4):
                if len(text) >= length:
                    start = rng.randrange(len(text) - length + 1)
                    found.append(text[start : start + length])
    return [q for q in found if q.strip() == q and q] + ABSENT


class SearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        rng = random.Random(4)
        rows = []
        for sequence in range(1, 121):
            words = rng.sample(WORDS, 3)
            rows.append(
                Application(
                    organisation=cls.office if sequence % 3 else cls.other,
                    year=2025,
                    sequence=sequence,
                    tracking_no=f"WCBGS-2025-{sequence:04d}",
                    status="processing",
                    applicant_type="natural",
                    applicant_name=rng.choice(NAMES),
                    id_type="resident_id",
                    id_number=VALID_ID,
                    channel="online",
                    received_on=dt.date(2025, 1, 1) + dt.timedelta(days=sequence),
                    content=f"申请公开{words[0]}、{words[1]}的{words[2]}",
                )
            )
        Application.objects.bulk_create(rows)
        cls.two = type(cls.clerk).objects.create_user("two")
        for organisation in (cls.office, cls.other):
            Membership.objects.create(user=cls.two, organisation=organisation, role=Role.CLERK)

    def setUp(self) -> None:
        self.rows = list(Application.objects.all())
        self.organisations = {self.office.pk, self.other.pk}
        self.words = _queries(self.rows, random.Random(15))

    def found(self, keyword: str, **kwargs: bool) -> set[int]:
        queryset = applications_in(self.organisations)
        return set(queryset.filter(keyword_filter(keyword, **kwargs)).values_list("pk", flat=True))

    def test_the_condition_equals_the_reference_for_words_of_one_to_four_characters(self) -> None:
        lengths = {len(w) for w in self.words}
        self.assertLessEqual({1, 2, 3, 4}, lengths)
        for keyword in self.words:
            for indexed in (True, False):
                with self.subTest(keyword=keyword, indexed=indexed):
                    self.assertEqual(
                        self.found(keyword, indexed=indexed), _reference(self.rows, keyword)
                    )

    def test_matches_and_no_matches_of_each_length(self) -> None:
        for keyword in ("征", "补偿", "规划许", "环境影响", "张", "小明"):
            self.assertTrue(self.found(keyword), keyword)
        for keyword in ABSENT:
            self.assertEqual(self.found(keyword), set(), keyword)

    def test_a_word_across_the_name_and_the_content_is_not_a_match(self) -> None:
        # Grams join the name and the content; the pair across them must not match.
        application = Application.objects.filter(applicant_name="张三").first()
        assert application is not None
        word = "三" + application.content[0]
        self.assertEqual(self.found(word), _reference(self.rows, word))

    def test_case_and_like_wildcards(self) -> None:
        for keyword in ("project", "PROJECT x", "acme", "50%", "a_b", "_", "%"):
            with self.subTest(keyword):
                self.assertEqual(self.found(keyword), _reference(self.rows, keyword))

    def test_the_probe_chooses_a_plan_and_not_the_answer(self) -> None:
        queryset = applications_in(self.organisations)
        for keyword in ("申", "请公开", "鑫淼焱垚", "规划许可", "李"):
            with self.subTest(keyword):
                with CaptureQueriesContext(connection) as queries:
                    rows = set(
                        search(queryset, keyword, self.organisations).values_list("pk", flat=True)
                    )
                self.assertEqual(rows, _reference(self.rows, keyword))
                if connection.vendor == "postgresql":
                    used_grams = "search_grams" in queries.captured_queries[-1]["sql"]
                    # "申请公开" is in every row: dense, walked in order without the grams.
                    dense = len(_reference(self.rows, keyword)) >= PROBE_DENSE
                    self.assertEqual(used_grams, not dense)

    def test_a_tracking_number_prefix(self) -> None:
        self.assertEqual(self.found("WCBGS-2025-001"), _reference(self.rows, "WCBGS-2025-001"))
        self.assertEqual(self.found("wcbgs"), _reference(self.rows, "wcbgs"))


class LedgerAndApiTests(BaseTestCase):
    """The web ledger and the API search alike (rows registered through the service: the API
    shows a row's deadlines from its registration entry)."""

    def test_the_ledger_and_the_api_find_the_same(self) -> None:
        rows = [self.register(name=name) for name in ("欧阳娜娜", "张三", "李四", "张小明")]
        two = type(self.clerk).objects.create_user("two")
        for organisation in (self.office, self.other):
            Membership.objects.create(user=two, organisation=organisation, role=Role.CLERK)
        self.client.force_login(two)
        api = {"Authorization": f"Bearer {api_token_create(user=two, name='tests')[1]}"}
        for keyword in ("张", "阳娜", "批复文", "欧阳娜娜", "鑫淼", "鑫淼焱垚"):
            expected = _reference(rows, keyword)
            with self.subTest(keyword):
                page = self.client.get(reverse("cases:ledger"), {"q": keyword}).context["page"]
                self.assertEqual({row.application.pk for row in page.rows}, expected)
                response = Client().get("/api/applications", {"q": keyword}, headers=api)
                self.assertEqual(response.status_code, 200)
                self.assertEqual({row["id"] for row in response.json()["results"]}, expected)


class GramsKeptOnWriteTests(BaseTestCase):
    def test_a_row_written_through_the_service_and_then_changed_is_found(self) -> None:
        application = self.register(name="欧阳修")
        queryset = applications_in({self.office.pk})
        self.assertEqual(
            list(queryset.filter(keyword_filter("阳修")).values_list("pk", flat=True)),
            [application.pk],
        )
        Application.objects.filter(pk=application.pk).update(applicant_name="司马光")
        self.assertFalse(queryset.filter(keyword_filter("阳修")).exists())
        self.assertTrue(queryset.filter(keyword_filter("马光")).exists())
        self.assertIsInstance(Organisation.objects.get(pk=self.office.pk), Organisation)
