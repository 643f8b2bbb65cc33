"""Session rules of GB/T 22239-2019 8.1.4.1 b) (登录连接超时自动退出) and a) (定期更换口令)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from gongkai.accounts.passwords import password_due
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record

LAST_SEEN = "gongkai_last_seen"
# When the password must be changed (epoch seconds, or None), looked up once per session.
PASSWORD_DUE = "gongkai_password_due"
# Writing the session on every request costs a database write; a minute's precision is enough.
_TOUCH_SECONDS = 60

Handler = Callable[[HttpRequest], HttpResponseBase]


class IdleTimeoutMiddleware:
    """Logs out a session left idle longer than GONGKAI_SESSION_IDLE_MINUTES."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            seen = request.session.get(LAST_SEEN)
            idle = settings.GONGKAI_SESSION_IDLE_MINUTES * 60
            if isinstance(seen, int | float) and now - seen > idle:
                user = request.user
                logout(request)
                audit_record(
                    AuditAction.SESSION_EXPIRED,
                    request=request,
                    user=user,
                    detail={"idle_minutes": round((now - seen) / 60)},
                )
                return HttpResponseRedirect(reverse("accounts:login") + "?timeout=1")
            if not isinstance(seen, int | float) or now - seen >= _TOUCH_SECONDS:
                request.session[LAST_SEEN] = int(now)
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Sends a user whose password is too old, or was set by an administrator, to change it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated and hasattr(request, "session"):
            if PASSWORD_DUE not in request.session:
                remember_password_due(request)
            due = request.session.get(PASSWORD_DUE)
            if due is not None and time.time() >= due and not _exempt(request.path):
                return HttpResponseRedirect(reverse("accounts:password_change") + "?expired=1")
        return self.get_response(request)


def remember_password_due(request: HttpRequest, user: Any = None) -> None:
    """Keep in the session when the user's password falls due (at login and after a change)."""
    request.session[PASSWORD_DUE] = password_due(user if user is not None else request.user)


def _exempt(path: str) -> bool:
    allowed = (
        reverse("accounts:password_change"),
        reverse("accounts:password_change_done"),
        reverse("accounts:logout"),
        "/static/",
        "/api/",
    )
    return path.startswith(allowed)


# Where the system administrators work: a stolen password alone must not open them.
SECOND_FACTOR_PREFIXES = ("/admin/", "/audit/")


class AdminSecondFactorMiddleware:
    """Sends a staff user (the three system administrators) who has not confirmed a TOTP code
    in this session to 动态口令 before 系统管理 or the audit log (GB/T 22239-2019 8.1.4.1 d):
    两种或两种以上组合的鉴别技术). Needs django-otp's OTPMiddleware before it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if (
            settings.GONGKAI_ADMIN_2FA
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(SECOND_FACTOR_PREFIXES)
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
        ):
            return HttpResponseRedirect(
                reverse("accounts:second_factor") + "?" + urlencode({"next": request.path})
            )
        return self.get_response(request)
