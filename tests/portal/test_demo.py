"""The demo's 指南 of 宛城区人民政府办公室 is complete, published, and shown at /open/WCBGS/guide/."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from gongkai.cases.demo import load_demo
from gongkai.portal.demo import load_guide_demo
from gongkai.portal.guide_elements import missing_elements
from gongkai.portal.models import GuideVersion, PolicyItem


class GuideDemoTests(TestCase):
    def test_the_office_guide_is_published_complete_and_loaded_once(self) -> None:
        load_demo(today=dt.date(2025, 3, 20))
        self.assertTrue(load_guide_demo())
        self.assertFalse(load_guide_demo())
        version = GuideVersion.objects.get(organisation__code="WCBGS")
        self.assertEqual(missing_elements(version.data), [])
        self.assertEqual(PolicyItem.objects.filter(organisation__code="WCBGS").count(), 3)
        page = self.client.get("/open/WCBGS/guide/").content.decode()
        self.assertIn("更新日期：2025年1月6日（第1版）", page)
        self.assertIn("国办函〔2020〕109号", page)
        self.assertIn("6个月内依法提起行政诉讼", page)
