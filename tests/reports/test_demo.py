"""The demo's reports: the office's 2024 report ready to publish, its 2025 report in progress,
and the finance bureau's 2024 report published on time, so the district roll-up shows each state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase

from gongkai.accounts.models import Organisation
from gongkai.cases.demo import load_demo
from gongkai.pdf import chromium
from gongkai.reports.checks import pre_publish
from gongkai.reports.demo import load_register_demo, publish_demo_reports
from gongkai.reports.rollup import ReportState, rollup
from gongkai.test import use_temporary_media

TODAY = dt.date(2026, 11, 26)


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed")
class DemoRollupTests(TestCase):
    def setUp(self) -> None:
        use_temporary_media(self)
        load_demo(today=TODAY)
        load_register_demo()

    def test_the_district_roll_up_shows_each_state(self) -> None:
        self.assertTrue(publish_demo_reports())
        self.assertFalse(publish_demo_reports())  # once only
        district = Organisation.objects.get(code="WCQ")
        rows = {row.organisation.code: row for row in rollup(district, 2024, TODAY).rows}
        self.assertEqual(rows["WCCZJ"].state, ReportState.PUBLISHED)
        self.assertEqual(rows["WCCZJ"].timing.text, "按时发布")
        self.assertEqual(rows["WCCZJ"].errors, 0)
        self.assertEqual(rows["WCBGS"].state, ReportState.EDITING)
        self.assertEqual(rows["WCHLZ"].state, ReportState.NOT_STARTED)

    def test_the_office_s_2024_report_is_ready_and_2025_is_in_progress(self) -> None:
        office = Organisation.objects.get(code="WCBGS")
        ready = pre_publish(office, 2024, TODAY)
        self.assertEqual(ready.blocking, ())
        in_progress = pre_publish(office, 2025, TODAY)
        self.assertIn("S-10", {f.rule for f in in_progress.blocking})
