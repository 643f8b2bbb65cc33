"""The audit screen: only holders of audit.view_auditentry read it; filters narrow it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import TestCase

from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record


class AuditLogViewTests(TestCase):
    def setUp(self) -> None:
        User = get_user_model()
        self.auditor = User.objects.create_user("auditor", password="x")
        self.auditor.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
        self.clerk = User.objects.create_user("clerk", password="x")
        audit_record(AuditAction.EXPORT, user=self.clerk, object_repr="台账导出 WCBGS")
        audit_record(AuditAction.REVEAL_ID, user=self.clerk, object_repr="WCBGS-2025-0001")

    def test_a_user_without_the_permission_gets_403(self) -> None:
        self.client.force_login(self.clerk)
        assert self.client.get("/audit/").status_code == 403

    def test_anonymous_users_are_sent_to_login(self) -> None:
        response = self.client.get("/audit/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_the_auditor_sees_entries_and_can_filter_by_action(self) -> None:
        self.client.force_login(self.auditor)
        page = self.client.get("/audit/").content.decode()
        assert "台账导出 WCBGS" in page and "WCBGS-2025-0001" in page
        page = self.client.get("/audit/", {"action": "reveal_id"}).content.decode()
        assert "WCBGS-2025-0001" in page and "台账导出 WCBGS" not in page

    def test_a_bad_date_is_explained_not_a_500(self) -> None:
        self.client.force_login(self.auditor)
        response = self.client.get("/audit/", {"since": "2025-13-01"})
        assert response.status_code == 200
        assert "不是有效日期" in response.content.decode()

    def test_the_screen_accepts_no_post(self) -> None:
        self.client.force_login(self.auditor)
        assert self.client.post("/audit/").status_code == 405
