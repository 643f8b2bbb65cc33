"""The audit log is append-only: the application and the database refuse changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import TestCase

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry, AuditLogImmutable
from gongkai.audit.services import audit_record


class AuditEntryTests(TestCase):
    def setUp(self) -> None:
        self.entry = audit_record(AuditAction.EXPORT, username="", object_repr="台账")

    def test_an_entry_cannot_be_saved_again(self) -> None:
        self.entry.object_repr = "改过"
        with pytest.raises(AuditLogImmutable):
            self.entry.save()
        self.entry.refresh_from_db()
        assert self.entry.object_repr == "台账"

    def test_an_entry_cannot_be_deleted(self) -> None:
        with pytest.raises(AuditLogImmutable):
            self.entry.delete()
        assert AuditEntry.objects.filter(pk=self.entry.pk).exists()

    def test_a_queryset_cannot_update_or_delete(self) -> None:
        with pytest.raises(AuditLogImmutable):
            AuditEntry.objects.all().update(object_repr="x")
        with pytest.raises(AuditLogImmutable):
            AuditEntry.objects.all().delete()
        assert AuditEntry.objects.count() == 1

    def test_the_database_refuses_an_update_behind_the_apps_back(self) -> None:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET object_repr = 'x'")
        self.entry.refresh_from_db()
        assert self.entry.object_repr == "台账"

    def test_the_message_is_in_chinese(self) -> None:
        assert "只能追加" in str(AuditLogImmutable())


@pytest.mark.django_db
def test_postgresql_refuses_a_delete_behind_the_apps_back() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite leaves DELETE to the application (see migration 0002)")
    audit_record(AuditAction.EXPORT, object_repr="台账")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 1
