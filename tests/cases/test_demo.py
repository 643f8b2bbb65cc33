"""The demo data: the 2024 applications are those behind the Wancheng report's table 三."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

from django.test import TestCase

from gongkai.cases.demo import load_demo
from gongkai.cases.models import Application

TRUTH = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "corpus"
    / "wancheng-office-2024.truth.json"
)
COLUMNS = ["natural", "biz", "research", "ngo", "legal", "other_org"]


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.loaded = load_demo(today=dt.date(2026, 11, 26))

    def test_it_loads_once(self) -> None:
        self.assertTrue(self.loaded)
        count = Application.objects.count()
        self.assertFalse(load_demo(today=dt.date(2026, 11, 26)))
        self.assertEqual(Application.objects.count(), count)

    def test_2024_matches_the_published_table_3(self) -> None:
        truth = json.loads(TRUTH.read_text("utf-8"))["tables"]["t3"]
        apps = Application.objects.filter(organisation__code="WCBGS", received_on__year=2024)
        counts = Counter((a.outcome, a.applicant_type) for a in apps)
        for row in ("r_open", "r_partial", "r_other_other"):
            expected = [v or 0 for v in truth[row][:6]]
            self.assertEqual([counts[(row, c)] for c in COLUMNS], expected, row)
        new = Counter(a.applicant_type for a in apps)
        self.assertEqual([new[c] for c in COLUMNS], truth["new"][:6])
        self.assertTrue(all(a.concluded_on and a.concluded_on.year == 2024 for a in apps))

    def test_open_cases_include_one_overdue_and_some_due_soon(self) -> None:
        today = dt.date(2026, 11, 26)
        open_apps = Application.objects.filter(
            status__in=["registered", "processing", "consulting", "review"]
        )
        self.assertTrue(any(a.due_on and a.due_on < today for a in open_apps))
        self.assertTrue(
            any(a.due_on and today <= a.due_on <= dt.date(2026, 12, 1) for a in open_apps)
        )
        statuses = set(Application.objects.values_list("status", flat=True))
        self.assertTrue({"registered", "correction", "processing", "consulting", "awaiting_fee",
                         "review", "replied", "delivered", "archived", "closed"} <= statuses)  # fmt: skip
