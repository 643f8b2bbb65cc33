"""The 台账 over several organisations: keyset pages, walked forward and back in every sort, show
each visible application exactly once and nothing of an organisation the user cannot read.

On PostgreSQL the pages are taken one organisation at a time (gongkai.cases.keyset); the same
walk on SQLite takes the plain query. The expected order is computed here from the rows."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.accounts.models import Membership, Organisation
from gongkai.cases.forms import SORTS
from gongkai.cases.models import Application
from gongkai.cases.selectors import ledger_page
from gongkai.domain.lifecycle import Role
from gongkai.test import VALID_ID
from tests.web.base import TODAY, WebTestCase

PAGE = 4


def _expected(rows: list[Application], sort: str) -> list[int]:
    """The ledger's order: rows with a value by (value, id), then those without one by id;
    descending reverses both parts."""
    name, descending = sort.lstrip("-"), sort.startswith("-")
    valued = [a for a in rows if getattr(a, name) is not None]
    empty = [a for a in rows if getattr(a, name) is None]
    valued.sort(key=lambda a: (getattr(a, name), a.pk), reverse=descending)
    empty.sort(key=lambda a: a.pk, reverse=descending)
    return [a.pk for a in valued + empty]


class MultiOrganisationLedgerTests(WebTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Outside the supervisor's district: nobody here may read it.
        cls.elsewhere = Organisation.objects.create(code="XQ", name="新区管委会", kind="government")
        cls.two = User.objects.create_user("two")
        for organisation in (cls.office, cls.other):
            Membership.objects.create(user=cls.two, organisation=organisation, role=Role.CLERK)
        rng = random.Random(15)
        rows = []
        for organisation, count in ((cls.office, 23), (cls.other, 17), (cls.elsewhere, 11)):
            for sequence in range(1, count + 1):
                # Few distinct days, so that many rows share a value and the id breaks ties.
                received = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randrange(6))
                due = received + dt.timedelta(days=20) if rng.random() < 0.7 else None
                rows.append(_application(organisation, sequence, received, due))
        Application.objects.bulk_create(rows)

    def walk(self, user: User, sort: str) -> list[int]:
        """Every page forward from the first; then back from the last, checking each page."""
        pages = []
        page = ledger_page(user, {}, sort=sort, today=TODAY, page_size=PAGE)
        pages.append([row.application.pk for row in page.rows])
        while page.next_cursor:
            page = ledger_page(
                user, {}, sort=sort, after=page.next_cursor, today=TODAY, page_size=PAGE
            )
            pages.append([row.application.pk for row in page.rows])
        for expected in reversed(pages[:-1]):
            self.assertIsNotNone(page.prev_cursor)
            assert page.prev_cursor is not None
            page = ledger_page(
                user, {}, sort=sort, before=page.prev_cursor, today=TODAY, page_size=PAGE
            )
            self.assertEqual([row.application.pk for row in page.rows], expected)
        self.assertIsNone(page.prev_cursor)
        return [pk for ids in pages for pk in ids]

    def test_each_visible_row_once_in_order_and_nothing_else(self) -> None:
        visible = {
            "two": [self.office, self.other],
            "supervisor": [self.office, self.other],  # the district itself has none
            "clerk": [self.office],
        }
        for persona, organisations in visible.items():
            user = getattr(self, persona)
            rows = list(Application.objects.filter(organisation__in=organisations))
            for sort in SORTS:
                with self.subTest(persona=persona, sort=sort):
                    walked = self.walk(user, sort)
                    self.assertEqual(walked, _expected(rows, sort))
                    self.assertEqual(len(walked), len(set(walked)))

    def test_the_count_spans_the_organisations(self) -> None:
        page = ledger_page(self.two, {}, today=TODAY)
        self.assertEqual(page.total, 23 + 17)
        self.assertFalse(page.total_capped)

    def test_on_postgresql_the_page_is_taken_per_organisation(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only: SQLite takes the plain query")
        with CaptureQueriesContext(connection) as queries:
            ledger_page(self.two, {}, today=TODAY, page_size=PAGE)
        self.assertTrue(any("CROSS JOIN LATERAL" in q["sql"] for q in queries.captured_queries))

    def test_the_view_shows_the_second_organisation_to_the_two_membership_clerk(self) -> None:
        self.login("two")
        response = self.client.get("/applications/", {"q": "WCCZJ-2025-0001"})
        self.assertContains(response, "WCCZJ-2025-0001")
        self.assertNotContains(response, "XQ-2025")


def _application(
    organisation: Organisation, sequence: int, received: dt.date, due: dt.date | None
) -> Application:
    fields: dict[str, Any] = {
        "organisation": organisation,
        "year": 2025,
        "sequence": sequence,
        "tracking_no": f"{organisation.code}-2025-{sequence:04d}",
        "status": "processing" if due else "registered",
        "applicant_type": "natural",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "channel": "online",
        "received_on": received,
        "content": "请公开某项目的批复文件",
        "due_on": due,
    }
    return Application(**fields)
