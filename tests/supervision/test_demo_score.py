"""The scorecard demo: on the demo's records, the 2024 and 2025 scorecards of 宛城区 have
deductions of several kinds, each with evidence that opens for the supervisor; loading twice adds
nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.test import TestCase

from gongkai.accounts.models import Organisation
from gongkai.demo.load import load_all_demo
from gongkai.supervision.demo_score import load_score_demo
from gongkai.supervision.models import ManualDeduction
from gongkai.supervision.scorecard import scorecard
from gongkai.test import use_temporary_media
from tests.web.base import freeze_today

TODAY = dt.date(2026, 12, 4)


class ScoreDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with freeze_today(TODAY):
            load_all_demo()

    def setUp(self) -> None:
        use_temporary_media(self)
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_2024_and_2025_have_deductions_with_evidence_that_opens(self) -> None:
        district = Organisation.objects.get(code="WCQ")
        self.client.force_login(User.objects.get(username="supervisor"))
        kinds: set[str] = set()
        for year in (2024, 2025):
            card = scorecard(government=district, year=year, today=TODAY)
            deductions = [d for row in card.rows for d in row.score.deductions]
            self.assertTrue(deductions, year)
            for d in deductions:
                self.assertTrue(d.evidence)
                for e in d.evidence:
                    kinds.add(e.kind)
                    if e.url.startswith("/"):
                        self.assertEqual(self.client.get(e.url).status_code, 200, e)
        self.assertTrue({"item", "appeal", "report", "manual"} <= kinds, kinds)

    def test_loading_twice_adds_nothing(self) -> None:
        self.assertFalse(load_score_demo())
        self.assertEqual(ManualDeduction.objects.count(), 1)
