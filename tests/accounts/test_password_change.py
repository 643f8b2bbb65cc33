"""修改密码 for every user: old password required, validators applied, audited, expired or
administrator-set passwords send the user here first."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from gongkai.accounts.models import PasswordState
from gongkai.accounts.passwords import require_change
from gongkai.audit.models import AuditEntry
from gongkai.test import PASSWORD, BaseTestCase

NEW = "Wancheng-2026-Xin"


class PasswordChangeTests(BaseTestCase):
    def change(self, old: str, new: str) -> object:
        return self.client.post(
            "/accounts/password/",
            {"old_password": old, "new_password1": new, "new_password2": new},
        )

    def test_a_user_changes_his_password_and_it_is_audited(self) -> None:
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        response = self.change(PASSWORD, NEW)
        assert response.status_code == 302  # type: ignore[attr-defined]
        self.clerk.refresh_from_db()  # type: ignore[attr-defined]
        assert self.clerk.check_password(NEW)  # type: ignore[attr-defined]
        entry = AuditEntry.objects.get(action="password_change")
        assert entry.username == "clerk"
        assert NEW not in str(entry.detail)

    def test_the_old_password_is_required(self) -> None:
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        response = self.change("not-the-old-one", NEW)
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert not AuditEntry.objects.filter(action="password_change").exists()

    def test_a_weak_new_password_is_refused_with_a_chinese_reason(self) -> None:
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        response = self.change(PASSWORD, "12345678")
        page = response.content.decode()  # type: ignore[attr-defined]
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert "密码" in page and "字符" in page

    def test_the_page_is_linked_from_every_page(self) -> None:
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        assert 'href="/accounts/password/"' in self.client.get("/").content.decode()

    def test_an_administrator_set_password_sends_the_user_to_change_it(self) -> None:
        require_change(self.clerk)  # type: ignore[attr-defined]
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        response = self.client.get("/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/?expired=1"
        assert "请先修改密码" in self.client.get(response["Location"]).content.decode()
        self.change(PASSWORD, NEW)
        assert self.client.get("/").status_code == 200

    @override_settings(GONGKAI_PASSWORD_MAX_AGE_DAYS=90)
    def test_an_old_password_sends_the_user_to_change_it(self) -> None:
        PasswordState.objects.filter(user=self.clerk).update(  # type: ignore[attr-defined]
            changed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        )
        self.client.force_login(self.clerk)  # type: ignore[attr-defined]
        assert self.client.get("/applications/")["Location"] == "/accounts/password/?expired=1"
        # The API is not a page: tokens have their own lifetime.
        assert self.client.get("/api/applications").status_code == 401
