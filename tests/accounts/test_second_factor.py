"""动态口令: the system administrators bind an authenticator, then confirm a code once per session
before 系统管理 and the audit log; office users are not asked (GB/T 22239-2019 8.1.4.1 d))."""

from __future__ import annotations

import time

from django.contrib.auth.models import User
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.services import system_role_grant
from gongkai.accounts.system_roles import SystemRole
from gongkai.audit.models import AuditEntry
from gongkai.test import BaseTestCase


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


@override_settings(GONGKAI_ADMIN_2FA=True)
class SecondFactorTests(BaseTestCase):
    auditor_user: User

    def setUp(self) -> None:
        self.auditor_user = User.objects.create_user("shenji", password="Wancheng-2025-mima")
        system_role_grant(actor=None, user=self.auditor_user, role=SystemRole.AUDIT)
        self.client.force_login(self.auditor_user)

    def bind(self) -> TOTPDevice:
        self.client.get("/accounts/second-factor/")
        device = TOTPDevice.objects.get(user=self.auditor_user)
        self.client.post("/accounts/second-factor/", {"code": current_code(device), "next": "/"})
        device.refresh_from_db()
        return device

    def test_the_audit_log_asks_for_the_second_factor_first(self) -> None:
        response = self.client.get("/audit/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/second-factor/?next=%2Faudit%2F"

    def test_binding_shows_a_qr_code_and_the_key_and_is_confirmed_by_a_code(self) -> None:
        page = self.client.get("/accounts/second-factor/").content.decode()
        assert "<svg" in page and "密钥" in page
        device = TOTPDevice.objects.get(user=self.auditor_user)
        assert not device.confirmed
        response = self.client.post(
            "/accounts/second-factor/", {"code": current_code(device), "next": "/audit/"}
        )
        assert response["Location"] == "/audit/"
        assert self.client.get("/audit/").status_code == 200
        device.refresh_from_db()
        assert device.confirmed
        assert AuditEntry.objects.filter(action="otp_enrol", username="shenji").exists()

    def test_a_wrong_code_is_refused_and_audited(self) -> None:
        device = self.bind()
        self.client.logout()
        self.client.force_login(self.auditor_user)
        wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
        response = self.client.post("/accounts/second-factor/", {"code": wrong})
        assert "动态口令不正确" in response.content.decode()
        assert self.client.get("/audit/").status_code == 302
        assert AuditEntry.objects.filter(action="otp_failed", success=False).exists()

    def test_a_new_session_asks_again_and_a_right_code_opens(self) -> None:
        device = self.bind()
        self.client.logout()
        self.client.force_login(self.auditor_user)
        assert self.client.get("/audit/").status_code == 302
        device.last_t = -1  # the binding spent this time step's code; a new step would come
        device.save()
        self.client.post("/accounts/second-factor/", {"code": current_code(device)})
        assert self.client.get("/audit/").status_code == 200
        assert AuditEntry.objects.filter(action="otp_verify").exists()

    def test_office_users_are_not_asked(self) -> None:
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        assert self.client.get("/").status_code == 200
        assert self.client.get("/accounts/second-factor/").status_code == 403

    def test_a_foreign_next_is_not_followed(self) -> None:
        device = TOTPDevice.objects.create(user=self.auditor_user, confirmed=True, name="x")
        response = self.client.post(
            "/accounts/second-factor/",
            {"code": current_code(device), "next": "https://evil.example/"},
        )
        assert response["Location"] == "/admin/"

    @override_settings(GONGKAI_ADMIN_2FA=False)
    def test_it_can_be_turned_off(self) -> None:
        assert self.client.get("/audit/").status_code == 200
