"""Login lockout (django-axes): after GONGKAI_LOGIN_FAILURE_LIMIT failures the account is locked,
the right password is refused too, the lockout is audited, and unlocking lets the user in
(GB/T 22239-2019 8.1.4.1 b) 登录失败处理)."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings

from gongkai.audit.models import AuditEntry

PASSWORD = "Wancheng-2025-mima"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
class LockoutTests(TestCase):
    def setUp(self) -> None:
        self.user = get_user_model().objects.create_user("wang", password=PASSWORD)

    def attempt(self, password: str, ip: str = "10.0.0.1", username: str = "wang") -> int:
        response = self.client.post(
            "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
        )
        return response.status_code

    def test_the_fifth_failure_locks_and_the_right_password_is_then_refused(self) -> None:
        for _ in range(4):
            assert self.attempt("wrong-password") == 200  # the form again, with its error
        assert self.attempt("wrong-password") == 429
        response = self.client.post(
            "/accounts/login/", {"username": "wang", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 429
        assert "连续登录失败次数过多" in response.content.decode()
        assert "_auth_user_id" not in self.client.session

    def test_the_lockout_is_audited_with_the_address(self) -> None:
        for _ in range(5):
            self.attempt("wrong-password", ip="10.7.7.7")
        entry = AuditEntry.objects.get(action="lockout")
        assert (entry.username, entry.ip, entry.success) == ("wang", "10.7.7.7", False)
        assert AuditEntry.objects.filter(action="login_failed").count() == 5

    def test_the_account_is_locked_from_any_address(self) -> None:
        for n in range(5):
            self.attempt("wrong-password", ip=f"10.0.0.{n + 1}")
        assert self.attempt(PASSWORD, ip="10.9.9.9") == 429

    def test_one_address_trying_many_users_is_locked_too(self) -> None:
        for n in range(5):
            get_user_model().objects.create_user(f"user{n}", password=PASSWORD)
            self.attempt("wrong-password", ip="10.6.6.6", username=f"user{n}")
        assert self.attempt(PASSWORD, ip="10.6.6.6") == 429
        assert self.attempt(PASSWORD, ip="10.1.1.1") == 302  # wang himself, elsewhere

    def test_a_success_before_the_limit_resets_the_count(self) -> None:
        for _ in range(4):
            self.attempt("wrong-password")
        assert self.attempt(PASSWORD) == 302
        self.client.logout()
        for _ in range(4):
            assert self.attempt("wrong-password") == 200

    def test_unlock_user_lets_him_in_and_is_audited(self) -> None:
        for _ in range(5):
            self.attempt("wrong-password")
        call_command("unlock_user", "wang")
        assert self.attempt(PASSWORD) == 302
        assert AuditEntry.objects.filter(action="unlock", object_repr="wang").exists()

    @override_settings(AXES_COOLOFF_TIME=dt.timedelta(minutes=30))
    def test_the_lock_ends_after_the_cool_off(self) -> None:
        for _ in range(5):
            self.attempt("wrong-password")
        AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        assert self.attempt(PASSWORD) == 302
