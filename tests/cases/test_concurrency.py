"""Registrations at the same moment still get unique, gap-free tracking numbers."""

from __future__ import annotations

import datetime as dt
import threading

from django.db import connection
from django.test import TransactionTestCase

from gongkai.cases.models import Application
from gongkai.test import Personas


class ConcurrentRegistrationTests(Personas, TransactionTestCase):
    def setUp(self) -> None:
        self.make_personas()

    def test_parallel_registrations_get_unique_numbers(self) -> None:
        errors: list[BaseException] = []
        start = threading.Barrier(8)

        def worker() -> None:
            try:
                start.wait()
                self.register(received_on=dt.date(2025, 3, 3))
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        numbers = sorted(Application.objects.values_list("tracking_no", flat=True))
        self.assertEqual(numbers, [f"WCBGS-2025-{n:04d}" for n in range(1, 9)])
