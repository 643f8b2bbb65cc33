"""A session idle longer than GONGKAI_SESSION_IDLE_MINUTES is logged out and audited
(GB/T 22239-2019 8.1.4.1 b) 登录连接超时自动退出)."""

from __future__ import annotations

import time

from django.conf import settings
from django.test import override_settings

from gongkai.accounts.middleware import LAST_SEEN
from gongkai.audit.models import AuditEntry
from gongkai.test import BaseTestCase


class IdleTimeoutTests(BaseTestCase):
    def set_last_seen(self, seconds_ago: float) -> None:
        session = self.client.session
        session[LAST_SEEN] = int(time.time() - seconds_ago)
        session.save()

    def test_the_default_is_thirty_minutes_and_twelve_hours_at_most(self) -> None:
        assert settings.GONGKAI_SESSION_IDLE_MINUTES == 30
        assert settings.SESSION_COOKIE_AGE == 12 * 3600
        assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE

    def test_an_active_session_goes_on(self) -> None:
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        self.set_last_seen(29 * 60)
        assert self.client.get("/").status_code == 200

    def test_an_idle_session_is_logged_out_and_told_why(self) -> None:
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        self.set_last_seen(31 * 60)
        response = self.client.get("/applications/")
        assert response["Location"] == "/accounts/login/?timeout=1"
        assert "_auth_user_id" not in self.client.session
        assert "长时间未操作" in self.client.get(response["Location"]).content.decode()
        entry = AuditEntry.objects.get(action="session_expired")
        assert entry.username == "clerk"

    @override_settings(GONGKAI_SESSION_IDLE_MINUTES=5)
    def test_the_idle_time_is_configurable(self) -> None:
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        self.set_last_seen(6 * 60)
        assert self.client.get("/").status_code == 302
