"""The 督办 / 整改 demo: a notice answered, one standing on the 工作台, a task in each state (one
overdue); loading twice changes nothing."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.urls import reverse

from gongkai.cases.demo import load_demo
from gongkai.domain.rectification import TaskStatus
from gongkai.supervision.demo_dudan import load_dudan_demo
from gongkai.supervision.models import RectificationTask, SupervisionNotice
from tests.web.base import freeze_today

TODAY = dt.date(2025, 6, 18)  # a Wednesday, no holiday within three weeks either side


class DudanDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with freeze_today(TODAY):
            load_demo(TODAY)
            cls.loaded = load_dudan_demo(TODAY)

    def setUp(self) -> None:
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_the_notices(self) -> None:
        self.assertTrue(self.loaded)
        notices = list(SupervisionNotice.objects.order_by("id"))
        self.assertEqual(len(notices), 2)
        answered, waiting = notices
        self.assertEqual(answered.answered_by.username, "clerk")  # type: ignore[union-attr]
        self.assertTrue(answered.applications.exists())
        self.assertTrue(all(a.due_on < TODAY for a in answered.applications.all()))  # type: ignore[operator]
        self.assertIsNone(waiting.answered_at)
        self.client.force_login(_user("clerk"))
        self.assertContains(self.client.get(reverse("cases:dashboard")), waiting.subject)

    def test_a_task_in_each_state_one_overdue_from_each_source(self) -> None:
        tasks = list(RectificationTask.objects.all())
        self.assertEqual({t.status for t in tasks}, {s.value for s in TaskStatus})
        self.assertEqual(
            {t.source_kind for t in tasks}, {"scorecard", "note", "report_check", "report_audit"}
        )
        overdue = [t for t in tasks if t.overdue(TODAY)]
        self.assertEqual([t.status for t in overdue], ["assigned"])

    def test_loading_again_changes_nothing(self) -> None:
        self.assertFalse(load_dudan_demo(TODAY))
        self.assertEqual(SupervisionNotice.objects.count(), 2)
        self.assertEqual(RectificationTask.objects.count(), 6)


def _user(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    return User.objects.get(username=username)
