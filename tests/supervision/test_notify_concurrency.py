"""Two `gongkai notify` runs at the same moment (cron overlapping itself) on PostgreSQL: every
reminder is created once and e-mailed once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import TransactionTestCase

from gongkai.supervision.inbox import NotifyResult, notify
from gongkai.supervision.models import Notification
from gongkai.test import Personas

RECEIVED = dt.date(2025, 3, 3)  # due 31 March (tests/supervision/test_inbox.py)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
class ConcurrentRunsTests(Personas, TransactionTestCase):
    def setUp(self) -> None:
        self.make_personas()
        for user in (self.clerk, self.supervisor):  # type: ignore[attr-defined]
            user.email = f"{user.username}@example.gov.cn"
            user.save()
        for i in range(6):
            self.register(received_on=RECEIVED + dt.timedelta(days=i % 2))

    def test_two_runs_at_once_send_each_reminder_once(self) -> None:
        barrier = threading.Barrier(3)
        results: list[NotifyResult] = []

        def run() -> None:
            try:
                barrier.wait()
                results.append(notify(today=dt.date(2025, 3, 27)))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        notes = Notification.objects.count()
        self.assertGreater(notes, 0)
        self.assertEqual(sum(r.emailed for r in results), notes)
        self.assertEqual(len(mail.outbox), notes)
        subjects = [(m.to[0], m.subject) for m in mail.outbox]
        self.assertEqual(len(set(subjects)), notes)
