"""GET /api/applications: what each caller sees, the ledger's filters, cursor pagination."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.cases.models import Application
from gongkai.cases.services import (
    Applicant,
    Registration,
    application_register,
    application_reply,
)
from gongkai.test import VALID_ID
from tests.api.base import ApiTestCase

URL = reverse("api:applications")
D = dt.date


class ListTestCase(ApiTestCase):
    def add(
        self, received_on: dt.date, *, name: str = "张三", kind: str = "natural",
        channel: str = "online", content: str = "请公开2024年某项目的批复文件",
        organisation: Any = None,
    ) -> Application:  # fmt: skip
        actor = self.outsider if organisation is not None else self.clerk
        return application_register(
            actor=actor, organisation=organisation or self.office,
            data=Registration(
                Applicant(kind, name, "credit_code" if kind != "natural" else "resident_id",
                          "91350100M000100Y43" if kind != "natural" else VALID_ID,
                          phone="13800000000"),
                channel=channel, received_on=received_on, content=content,
            ),
            today=received_on,
        )  # fmt: skip

    def ids(self, persona: str = "clerk", **params: Any) -> list[int]:
        response = self.get_json(URL, persona, **params)
        self.assertEqual(response.status_code, 200, response.content.decode())
        return [row["id"] for row in response.json()["results"]]


class ListTests(ListTestCase):
    def test_it_lists_newest_first(self) -> None:
        a = self.add(D(2025, 3, 3))
        b = self.add(D(2025, 3, 5))
        c = self.add(D(2025, 3, 3))
        self.assertEqual(self.ids(), [b.pk, c.pk, a.pk])

    def test_rows_carry_state_and_deadlines_but_no_trail_timeline_or_id_number(self) -> None:
        self.add(D(2025, 3, 3))
        response = self.get_json(URL)
        row = response.json()["results"][0]
        self.assertEqual(row["tracking_no"], "WCBGS-2025-0001")
        self.assertEqual(row["status"], "registered")
        self.assertEqual(row["deadlines"]["reply_due"], "2025-03-31")
        self.assertNotIn("trail", row["deadlines"])
        self.assertNotIn("timeline", row)
        self.assertIn("request_correction", row["allowed_actions"])
        self.assertEqual(row["applicant"]["id_number_masked"], "1101**********002X")
        self.assertNotIn(VALID_ID, response.content.decode())

    def test_each_caller_sees_only_readable_organisations(self) -> None:
        ours = self.add(D(2025, 3, 3))
        theirs = self.add(D(2025, 3, 4), organisation=self.other)
        self.assertEqual(self.ids("clerk"), [ours.pk])
        self.assertEqual(self.ids("outsider"), [theirs.pk])
        self.assertEqual(self.ids("supervisor"), [theirs.pk, ours.pk])
        rows = self.get_json(URL, "supervisor").json()["results"]
        self.assertEqual([row["allowed_actions"] for row in rows], [[], []])

    def test_the_org_filter(self) -> None:
        ours = self.add(D(2025, 3, 3))
        theirs = self.add(D(2025, 3, 4), organisation=self.other)
        self.assertEqual(self.ids("supervisor", org="WCBGS"), [ours.pk])
        self.assertEqual(self.ids("supervisor", org="WCCZJ"), [theirs.pk])
        self.assertError(self.get_json(URL, "clerk", org="WCCZJ"), 403, "org")
        self.assertError(self.get_json(URL, "clerk", org="NOPE"), 422, "org")

    def test_the_status_and_outcome_filters(self) -> None:
        open_one = self.add(D(2025, 3, 3))
        replied = self.add(D(2025, 3, 4))
        application_reply(actor=self.reviewer, application=replied, on=D(2025, 3, 5),
                          outcome_key="r_na_notheld", today=D(2025, 3, 5))  # fmt: skip
        self.assertEqual(self.ids(status="registered"), [open_one.pk])
        self.assertEqual(self.ids(status="replied"), [replied.pk])
        self.assertEqual(self.ids(status="registered,replied"), [replied.pk, open_one.pk])
        self.assertEqual(self.ids(status=["registered", "replied"]), [replied.pk, open_one.pk])
        self.assertEqual(self.ids(outcome="r_na_notheld"), [replied.pk])
        self.assertEqual(self.ids(outcome="r_open"), [])

    def test_the_applicant_type_and_channel_filters(self) -> None:
        person = self.add(D(2025, 3, 3))
        company = self.add(D(2025, 3, 4), name="某某有限公司", kind="biz", channel="mail")
        self.assertEqual(self.ids(applicant_type="natural"), [person.pk])
        self.assertEqual(self.ids(applicant_type="biz"), [company.pk])
        self.assertEqual(self.ids(channel="mail"), [company.pk])
        self.assertEqual(self.ids(channel="online"), [person.pk])

    def test_the_date_filters_include_both_ends(self) -> None:
        first = self.add(D(2025, 3, 3))
        second = self.add(D(2025, 3, 10))
        third = self.add(D(2025, 3, 17))
        self.assertEqual(self.ids(received_from="2025-03-10"), [third.pk, second.pk])
        self.assertEqual(self.ids(received_to="2025-03-10"), [second.pk, first.pk])
        self.assertEqual(
            self.ids(received_from="2025-03-10", received_to="2025-03-10"), [second.pk]
        )

    def test_the_keyword_searches_number_name_and_content(self) -> None:
        first = self.add(D(2025, 3, 3), name="王五", content="关于拆迁补偿标准的文件")
        second = self.add(D(2025, 3, 4), name="赵六", content="某道路工程的环评批复")
        self.assertEqual(self.ids(q="WCBGS-2025-0002"), [second.pk])
        self.assertEqual(self.ids(q="王五"), [first.pk])
        self.assertEqual(self.ids(q="环评"), [second.pk])
        self.assertEqual(self.ids(q="WCBGS"), [second.pk, first.pk])
        self.assertEqual(self.ids(q="没有这个词"), [])
        self.assertEqual(self.ids(q="2025-0002"), [])  # a tracking number matches by its start

    def test_invalid_parameters_are_422_naming_them(self) -> None:
        cases = {
            "status": "open", "outcome": "r_maybe", "applicant_type": "alien",
            "channel": "pigeon", "received_from": "2025-13-01", "received_to": "yesterday",
            "limit": "0", "cursor": "not a cursor!", "q": "字" * 101,
        }  # fmt: skip
        for name, value in cases.items():
            with self.subTest(name):
                self.assertError(self.get_json(URL, **{name: value}), 422, name)
        self.assertError(self.get_json(URL, limit="201"), 422, "limit")
        self.assertError(self.get_json(URL, limit="ten"), 422, "limit")
        self.assertError(self.get_json(URL, sort="received_on"), 422, "sort")

    def test_it_needs_a_token(self) -> None:
        self.assertError(self.client.get(URL), 401)


class CursorTests(ListTestCase):
    def test_pages_follow_each_other_without_gaps_or_repeats(self) -> None:
        days = [D(2025, 3, 3), D(2025, 3, 3), D(2025, 3, 4), D(2025, 3, 5), D(2025, 3, 5),
                D(2025, 3, 6), D(2025, 3, 3)]  # fmt: skip
        for day in days:
            self.add(day)
        expected = list(
            Application.objects.order_by("-received_on", "-id").values_list("id", flat=True)
        )
        seen: list[int] = []
        params: dict[str, Any] = {"limit": 2}
        pages = 0
        while True:
            data = self.get_json(URL, **params).json()
            pages += 1
            self.assertLessEqual(len(data["results"]), 2)
            self.assertEqual(data["limit"], 2)
            seen += [row["id"] for row in data["results"]]
            if data["next_cursor"] is None:
                break
            params["cursor"] = data["next_cursor"]
        self.assertEqual(seen, expected)
        self.assertEqual(pages, 4)

    def test_a_full_last_page_has_no_next_cursor(self) -> None:
        self.add(D(2025, 3, 3))
        self.add(D(2025, 3, 4))
        data = self.get_json(URL, limit=2).json()
        self.assertEqual(len(data["results"]), 2)
        self.assertIsNone(data["next_cursor"])

    def test_filters_apply_across_pages(self) -> None:
        for i in range(4):
            self.add(D(2025, 3, 3 + i), name="王五" if i % 2 else "赵六")
        first = self.get_json(URL, q="王五", limit=1).json()
        second = self.get_json(URL, q="王五", limit=1, cursor=first["next_cursor"]).json()
        names = [r["applicant"]["name"] for r in first["results"] + second["results"]]
        self.assertEqual(names, ["王五", "王五"])
        self.assertIsNone(second["next_cursor"])

    def test_the_number_of_queries_does_not_grow_with_the_page(self) -> None:
        self.add(D(2025, 3, 3))
        self.get_json(URL)  # records the token's use, not written again for a minute
        with CaptureQueriesContext(connection) as small:
            self.get_json(URL)
        for i in range(12):
            self.add(D(2025, 3, 4 + i % 5))
        self.add(D(2025, 3, 4), organisation=self.other)
        with CaptureQueriesContext(connection) as large:
            rows = self.get_json(URL).json()["results"]
        self.assertEqual(len(rows), 13)
        self.assertEqual(len(large), len(small))
        self.assertLessEqual(len(large), 8)
