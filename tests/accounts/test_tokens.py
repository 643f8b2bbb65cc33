"""API tokens: a lifetime, revocation (command and admin), death with a password change, a list;
every event audited; a refused token gets 401 with its reason in Chinese."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import ApiToken
from gongkai.accounts.tokens import api_token_create
from gongkai.audit.models import AuditEntry
from gongkai.test import BaseTestCase

URL = "/api/applications"


class TokenTests(BaseTestCase):
    clerk: User

    def call(self, raw: str) -> tuple[int, str]:
        response = self.client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}")
        return response.status_code, response.json().get("error", "")

    def command(self, *args: str) -> str:
        out = StringIO()
        call_command(*args, stdout=out, stderr=StringIO())
        return out.getvalue()

    def test_a_new_token_works_and_its_creation_is_audited(self) -> None:
        token, raw = api_token_create(user=self.clerk, name="推送")
        assert self.call(raw)[0] == 200
        entry = AuditEntry.objects.get(action="token_create")
        assert entry.object_id == str(token.pk) and entry.detail["owner"] == "clerk"
        assert raw not in str(entry.detail) and raw not in entry.object_repr

    def test_by_default_a_token_lives_the_configured_maximum(self) -> None:
        token, _ = api_token_create(user=self.clerk)
        assert token.expires_at is not None
        remaining = token.expires_at - timezone.now()
        assert dt.timedelta(days=364) < remaining <= dt.timedelta(days=365)

    def test_an_expired_token_is_401_and_the_rejection_audited_once_a_minute(self) -> None:
        token, raw = api_token_create(user=self.clerk, days=1)
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
        assert self.call(raw) == (401, "API 令牌已过期，请重新申请令牌")
        self.call(raw)
        assert AuditEntry.objects.filter(action="token_rejected").count() == 1

    def test_a_password_change_kills_the_users_tokens(self) -> None:
        _, raw = api_token_create(user=self.clerk)
        self.clerk.set_password("Wancheng-2026-Xin")
        self.clerk.save()
        status, error = self.call(raw)
        assert status == 401 and "已修改密码" in error

    def test_revoke_by_prefix_and_by_user(self) -> None:
        first, raw_first = api_token_create(user=self.clerk)
        _, raw_second = api_token_create(user=self.clerk)
        assert "已吊销 1 个令牌" in self.command("revoke_api_token", first.prefix)
        assert self.call(raw_first) == (401, "API 令牌已吊销，请重新申请令牌")
        assert self.call(raw_second)[0] == 200
        assert "已吊销 1 个令牌" in self.command("revoke_api_token", "--user", "clerk", "--all")
        assert self.call(raw_second)[0] == 401
        assert AuditEntry.objects.filter(action="token_revoke").count() == 2

    def test_revoke_without_a_target_is_refused(self) -> None:
        try:
            self.command("revoke_api_token")
        except CommandError as exc:
            assert "前缀" in str(exc)
        else:
            raise AssertionError("revoke_api_token without a target should fail")

    def test_create_with_an_expiry_in_days_or_a_date(self) -> None:
        self.command("create_api_token", "clerk", "--expires", "30")
        token = ApiToken.objects.get()
        assert token.expires_at is not None
        assert (token.expires_at - timezone.now()).days in (29, 30)
        until = timezone.localdate() + dt.timedelta(days=10)
        self.command("create_api_token", "clerk", "--expires", until.isoformat())
        assert ApiToken.objects.count() == 2

    @override_settings(GONGKAI_API_TOKEN_MAX_DAYS=90)
    def test_a_lifetime_beyond_the_maximum_is_refused(self) -> None:
        try:
            self.command("create_api_token", "clerk", "--expires", "400")
        except CommandError as exc:
            assert "1 至 90 天" in str(exc)
        else:
            raise AssertionError("a 400-day token should be refused")
        assert not ApiToken.objects.exists()

    def test_the_list_shows_each_tokens_state_never_its_value(self) -> None:
        live, raw = api_token_create(user=self.clerk, name="推送")
        dead, _ = api_token_create(user=self.clerk, name="旧")
        ApiToken.objects.filter(pk=dead.pk).update(revoked_at=timezone.now())
        out = self.command("list_api_tokens", "--user", "clerk")
        assert raw not in out
        lines = {line.split("\t")[0]: line for line in out.splitlines()[1:]}
        assert lines[live.prefix].endswith("有效")
        assert lines[dead.prefix].endswith("已吊销")

    def test_the_security_administrator_revokes_in_the_admin(self) -> None:
        from gongkai.accounts.services import system_role_grant
        from gongkai.accounts.system_roles import SystemRole

        security = User.objects.create_user("anquan", password="Wancheng-2025-mima")
        system_role_grant(actor=None, user=security, role=SystemRole.SECURITY)
        token, raw = api_token_create(user=self.clerk)
        self.client.force_login(security)
        response = self.client.post(
            reverse("admin:accounts_apitoken_changelist"),
            {"action": "revoke", "_selected_action": [token.pk]},
        )
        assert response.status_code == 302
        self.client.logout()
        assert self.call(raw)[0] == 401
        assert AuditEntry.objects.get(action="token_revoke").username == "anquan"
