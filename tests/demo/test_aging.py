"""The demo ages well (issue 14 §6): loaded on any day of any year, the 工作台 shows the designed
situations — one overdue application, some due soon, a report being prepared within its deadline —
and no report overdue beyond the one designed case (the township, six days late at most), while the
office's 2024 report stays the published history of the corpus."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import unittest

from django.contrib.auth.models import User
from django.test import TestCase, override_settings
from django.urls import reverse

from gongkai.cases.demo import recent_year
from gongkai.cases.selectors.dashboard import dashboard_lists
from gongkai.demo.load import load_all_demo
from gongkai.pdf import chromium
from gongkai.reports.checks import deadline_of
from gongkai.reports.models import ReportDraft, ReportVersion
from gongkai.reports.selectors import unpublished_reports
from tests.web.base import freeze_today

# Deadlines of the district (条例第四十九条; the township's local rule): the departments 1-31,
# the township 2-20, the government 3-31. The demo publishes on 1-20, 1-24, 2-26 and 3-24.
DESIGNED_LATE_DAYS = 6  # 红泥湾镇 publishes on 2-26, six days after its 2-20 deadline


class Aging(TestCase):
    """The checks for one day; each subclass loads the demo as of its TODAY."""

    __test__ = False
    TODAY: dt.date

    @classmethod
    def setUpClass(cls) -> None:
        if chromium() is None:
            raise unittest.SkipTest("Debian chromium is not installed: the demo publishes nothing")
        media = tempfile.mkdtemp(prefix="gongkai-media-")
        cls.addClassCleanup(shutil.rmtree, media, ignore_errors=True)
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        cls.enterClassContext(freeze_today(cls.TODAY))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        load_all_demo()

    def user(self, name: str) -> User:
        return User.objects.get(username=name)

    def test_the_clerk_sees_one_overdue_application_and_some_due_soon(self) -> None:
        lists = {row.key: row for row in dashboard_lists(self.user("clerk"), self.TODAY)}
        self.assertEqual(len(lists["overdue"].rows), 1)
        self.assertGreaterEqual(len(lists["soon"].rows), 1)

    def test_no_report_is_overdue_beyond_the_designed_case(self) -> None:
        for name in ("clerk", "supervisor", "caizheng"):
            for row in unpublished_reports(self.user(name), self.TODAY):
                if row.days_left < 0:
                    self.assertEqual(row.organisation.code, "WCHLZ", name)
                    self.assertLessEqual(row.days_overdue, DESIGNED_LATE_DAYS)

    def test_the_dashboard_page_has_no_stale_banner(self) -> None:
        self.client.force_login(self.user("clerk"))
        page = self.client.get(reverse("cases:dashboard")).content.decode()
        self.assertNotIn("尚未发布", page)

    def test_the_office_has_a_report_in_progress_within_its_deadline(self) -> None:
        office_drafts = ReportDraft.objects.filter(organisation__code="WCBGS")
        published = set(
            ReportVersion.objects.filter(organisation__code="WCBGS").values_list("year", flat=True)
        )
        in_progress = [d for d in office_drafts if d.year not in published]
        self.assertEqual(len(in_progress), 1)
        [draft] = in_progress
        due = deadline_of(draft.organisation, draft.year).due
        self.assertGreaterEqual(due, self.TODAY)
        self.assertIn("待填写", draft.overview)

    def test_the_2024_report_stays_as_published(self) -> None:
        [version] = ReportVersion.objects.filter(organisation__code="WCBGS", year=2024)
        self.assertEqual(version.published_on, dt.date(2025, 1, 24))

    def test_last_years_outcomes_are_dated_last_year(self) -> None:
        from gongkai.cases.models import Application

        year = recent_year(self.TODAY)
        concluded = Application.objects.filter(
            organisation__code="WCBGS", received_on__year=year, concluded_on__isnull=False
        )
        outcomes = set(concluded.values_list("outcome", flat=True))
        self.assertGreaterEqual(len(outcomes), 8)


class EarlyJanuary(Aging):
    """Last year's reports all still within their deadlines; nothing of last year published."""

    __test__ = True

    TODAY = dt.date(2027, 1, 12)

    def test_last_years_reports_are_being_prepared(self) -> None:
        self.assertFalse(ReportVersion.objects.filter(year=2026).exists())


class LateFebruary(Aging):
    """The departments published; the township is the designed late case (due 2-20)."""

    __test__ = True

    TODAY = dt.date(2027, 2, 23)

    def test_the_township_is_three_days_late_and_the_departments_published(self) -> None:
        rows = {
            r.organisation.code: r for r in unpublished_reports(self.user("supervisor"), self.TODAY)
        }
        self.assertEqual(rows["WCHLZ"].days_overdue, 3)
        self.assertNotIn("WCBGS", rows)
        self.assertNotIn("WCCZJ", rows)
        self.assertGreaterEqual(rows["WCQ"].days_left, 0)


class LateAutumn(Aging):
    """Every report of last year published; this year's report of the office under way."""

    __test__ = True

    TODAY = dt.date(2027, 10, 20)

    def test_every_report_of_last_year_is_published(self) -> None:
        self.assertEqual(unpublished_reports(self.user("supervisor"), self.TODAY), [])
        late = ReportVersion.objects.get(organisation__code="WCHLZ", year=2026)
        self.assertEqual(late.published_on, dt.date(2027, 2, 26))
