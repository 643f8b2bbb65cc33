"""Logins, logouts and failed logins are recorded with the user and the address."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry

PASSWORD = "Gk-audit-test-2026"


class LoginAuditTests(TestCase):
    def setUp(self) -> None:
        self.user = get_user_model().objects.create_user("wang", password=PASSWORD)

    def post_login(self, password: str, **extra: str) -> None:
        self.client.post("/accounts/login/", {"username": "wang", "password": password}, **extra)

    def test_a_login_is_recorded_with_user_and_ip(self) -> None:
        self.post_login(PASSWORD, REMOTE_ADDR="10.1.2.3")
        entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
        assert (entry.username, entry.user_id, entry.ip) == ("wang", self.user.pk, "10.1.2.3")

    def test_a_failed_login_is_recorded_without_the_password(self) -> None:
        self.post_login("wrong-password-1", REMOTE_ADDR="10.9.9.9")
        entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
        assert entry.success is False
        assert entry.username == "wang"
        assert entry.ip == "10.9.9.9"
        assert "wrong-password-1" not in str(entry.detail)

    def test_a_failed_login_for_an_unknown_name_keeps_the_name_tried(self) -> None:
        self.client.post("/accounts/login/", {"username": "nobody", "password": "x"})
        entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
        assert (entry.username, entry.user_id) == ("nobody", None)

    def test_a_logout_is_recorded(self) -> None:
        self.client.force_login(self.user)
        self.client.post("/accounts/logout/")
        assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, username="wang").exists()

    @override_settings(GONGKAI_BEHIND_PROXY=True)
    def test_behind_a_proxy_the_address_the_proxy_appended_is_kept(self) -> None:
        self.post_login(
            PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7"
        )
        assert AuditEntry.objects.get(action=AuditAction.LOGIN).ip == "203.0.113.7"

    def test_without_a_proxy_a_forged_header_is_ignored(self) -> None:
        self.post_login(PASSWORD, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.1.1.1")
        assert AuditEntry.objects.get(action=AuditAction.LOGIN).ip == "10.1.2.3"

    def test_deleting_a_user_keeps_the_name_in_the_log(self) -> None:
        self.post_login(PASSWORD)
        self.user.delete()
        entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
        assert entry.username == "wang"
