"""`gongkai manage load_holidays FILE` (gongkai/cases/holidays.py): a year's notice loaded, the
provisional deadlines recomputed and the moved ones listed; a bad file changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command

from gongkai.cases.models import Application, WorkdayOverride
from gongkai.test import BaseTestCase
from tests.web.base import freeze_today

D = dt.date

# An invented notice (test data, not the State Council's): 元旦 from Friday 1/1 to Monday 1/4.
NOTICE = """
year = 2027
source = "测试用虚构的2027年安排（非国务院办公厅通知）"

[[holiday]]
name = "元旦"
start = 2027-01-01
end = 2027-01-04
"""


class LoadHolidaysTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        patcher = freeze_today(D(2026, 12, 15))
        patcher.start()
        self.addCleanup(patcher.stop)
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def notice(self, text: str = NOTICE) -> Path:
        path = self.folder / "2027.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def test_a_receipt_before_new_year_is_due_after_the_statutory_holiday_provisionally(
        self,
    ) -> None:
        # 12/16..18 = 3, 12/21..25 = 8, 12/28..31 = 12, 1/1 元旦 (the law), 1/4..8 = 17, 1/11..13 = 20
        app = self.register(received_on=D(2026, 12, 15))
        self.assertEqual((app.due_on, app.deadline_provisional), (D(2027, 1, 13), True))

    def test_loading_the_notice_recomputes_and_lists_the_moved_deadlines(self) -> None:
        app = self.register(received_on=D(2026, 12, 15))
        settled = self.register(received_on=D(2026, 11, 2))  # due in 2026: not provisional
        out = io.StringIO()
        call_command("load_holidays", str(self.notice()), stdout=out)
        app.refresh_from_db()
        # 1/4 is now off as well: 1/5..8 = 16, 1/11..14 = 20
        self.assertEqual((app.due_on, app.deadline_provisional), (D(2027, 1, 14), False))
        self.assertIn(f"{app.tracking_no}", out.getvalue())
        self.assertIn("2027-01-13 → 2027-01-14", out.getvalue())
        before = settled.due_on
        settled.refresh_from_db()
        self.assertEqual(settled.due_on, before)
        self.assertEqual(WorkdayOverride.objects.filter(date__year=2027).count(), 4)

    def test_loading_it_twice_replaces_the_days_and_changes_nothing_more(self) -> None:
        self.register(received_on=D(2026, 12, 15))
        call_command("load_holidays", str(self.notice()), stdout=io.StringIO())
        out = io.StringIO()
        call_command("load_holidays", str(self.notice()), stdout=out)
        self.assertIn("没有答复期限因此改变", out.getvalue())
        self.assertEqual(WorkdayOverride.objects.filter(date__year=2027).count(), 4)

    def test_a_malformed_notice_is_refused_and_changes_nothing(self) -> None:
        app = self.register(received_on=D(2026, 12, 15))
        bad = self.notice(
            NOTICE.replace('source = "测试用虚构的2027年安排（非国务院办公厅通知）"\n', "")
        )
        with self.assertRaisesMessage(CommandError, "source"):
            call_command("load_holidays", str(bad), stdout=io.StringIO())
        self.assertFalse(WorkdayOverride.objects.exists())
        self.assertEqual(Application.objects.get(pk=app.pk).due_on, D(2027, 1, 13))

    def test_a_missing_file_gets_a_message(self) -> None:
        with self.assertRaisesMessage(CommandError, "找不到文件"):
            call_command("load_holidays", str(self.folder / "none.toml"), stdout=io.StringIO())
