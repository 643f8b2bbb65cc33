"""`gongkai demo`'s data: the office's 专栏 is complete (issue 11), its 2024 report published on
time and shown on /open/WCBGS/reports/ with its downloads."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.urls import reverse

from gongkai.demo.load import load_all_demo
from gongkai.pdf import chromium
from gongkai.reports.demo import publish_office_report_demo
from gongkai.reports.models import ProactiveItem, ReportVersion
from gongkai.test import use_temporary_media


class FullDemoTests(TestCase):
    def setUp(self) -> None:
        use_temporary_media(self)
        if chromium() is None:
            self.skipTest("Debian chromium is not installed: the demo publishes nothing")
        load_all_demo()

    def test_the_offices_2024_report_is_published_before_its_deadline(self) -> None:
        [version] = ReportVersion.objects.filter(organisation__code="WCBGS", year=2024)
        self.assertEqual(version.published_on, dt.date(2025, 1, 24))  # deadline 2025-01-31
        self.assertFalse(publish_office_report_demo())  # once only

    def test_the_offices_column_shows_it_with_its_downloads(self) -> None:
        page = self.client.get(reverse("portal:reports", args=["WCBGS"])).content.decode()
        self.assertIn("2024", page)
        for fmt in ("docx", "pdf"):
            url = reverse("portal:report_file", args=["WCBGS", 2024, 1, fmt])
            self.assertIn(url, page)
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_catalogue_has_the_68_items_and_15_interpretations_of_2024(self) -> None:
        items = ProactiveItem.objects.filter(
            organisation__code="WCBGS", published_on__year=2024
        ).exclude(index_no="")
        self.assertEqual(items.count(), 68)
        self.assertEqual(items.filter(is_interpretation=True).count(), 15)
