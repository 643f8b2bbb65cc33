"""The backup reads the whole database in one snapshot (gongkai.backup._snapshot)."""

from __future__ import annotations

import contextlib
import sqlite3
import unittest

from django.db import connection
from django.test import TransactionTestCase

from gongkai.backup import _snapshot


class SnapshotTests(TransactionTestCase):
    @unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL only")
    def test_on_postgresql_it_is_repeatable_read_and_read_only(self) -> None:
        with _snapshot(), connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            self.assertEqual(cursor.fetchone(), ("repeatable read",))
            cursor.execute("SHOW transaction_read_only")
            self.assertEqual(cursor.fetchone(), ("on",))

    @unittest.skipUnless(connection.vendor == "sqlite", "SQLite only")
    def test_on_sqlite_no_other_writer_commits_meanwhile(self) -> None:
        path = connection.settings_dict["NAME"]
        with (
            _snapshot(),
            contextlib.closing(sqlite3.connect(path, timeout=0.1)) as other,
            self.assertRaisesMessage(sqlite3.OperationalError, "database is locked"),
        ):
            other.execute("INSERT INTO cases_workdayoverride (date) VALUES ('2025-01-01')")
        with contextlib.closing(sqlite3.connect(path, timeout=0.1)) as other:
            other.execute("BEGIN IMMEDIATE")  # free again once the snapshot ends
            other.rollback()

    def test_it_must_be_the_outermost_transaction(self) -> None:
        from django.db import transaction

        with transaction.atomic(), self.assertRaises(RuntimeError), _snapshot():
            pass
